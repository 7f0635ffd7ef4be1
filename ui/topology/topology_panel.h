// Thread contract: GUI thread only (the topology runs on its host's thread).
//
// The dashboard's Topology view: start and stop sandbox topologies for manual failover testing —
// standalone, N independent Redlock nodes, master + replica + 3 Sentinels, a Redis Cluster of 3
// masters + 3 replicas — and control each node: stop, start, pause, resume, kill (a crash),
// restart empty after a delay, fail over. A nodes table and a diagram show roles, links, slots
// and which node holds what; a log under the table says what each control did.
//
// It follows nothing itself: followRequested() when a topology is ready (and on Follow), and
// stopFollowing() when it stops, are for whoever owns the dashboard's monitor.
#pragma once

#include <QToolButton>
#include <QWidget>

#include "ui/common/palette_colours.h"
#include "ui/topology/topology_host.h"

class QAction;
class QComboBox;
class QLabel;
class QListWidget;
class QScrollArea;
class QSplitter;
class QSpinBox;
class QTableView;

namespace lockscope::ui {

class TopologyDiagram;
class TopologyModel;

class TopologyPanel : public QWidget {
    Q_OBJECT
public:
    explicit TopologyPanel(QWidget* parent = nullptr);
    ~TopologyPanel() override;  // the host stops every process it started

    // The node of the selected row, -1 for none.
    int selectedNode() const;
    void selectNode(int node);

    // For tests.
    QComboBox* kindBox() const { return kind_; }
    QSpinBox* redlockNodesBox() const { return redlockNodes_; }
    QSpinBox* restartDelayBox() const { return restartDelay_; }
    QAbstractButton* startButton() const { return start_; }
    QAbstractButton* stopButton() const { return stop_; }
    QAbstractButton* followButton() const { return follow_; }
    QAbstractButton* stopNodeButton() const { return nodeButtons_[StopNode]; }
    QAbstractButton* startNodeButton() const { return nodeButtons_[StartNode]; }
    QAbstractButton* pauseButton() const { return nodeButtons_[Pause]; }
    QAbstractButton* resumeButton() const { return nodeButtons_[Resume]; }
    QAbstractButton* killButton() const { return nodeButtons_[Kill]; }
    QAbstractButton* restartButton() const { return nodeButtons_[Restart]; }
    QAbstractButton* failoverButton() const { return nodeButtons_[Failover]; }
    QLabel* statusLabel() const { return status_; }
    QTableView* table() const { return table_; }
    QListWidget* log() const { return log_; }
    TopologyModel* model() const { return model_; }
    TopologyHost* host() const { return host_; }
    TopologyDiagram* diagram() const { return diagram_; }

signals:
    // Exactly one of `url` (redis://, redis+sentinel://, redis+cluster://) and `nodesArg` (a
    // Redlock group, "h:p,h:p,...") is set.
    void followRequested(const QString& url, const QString& nodesArg, const QString& description);
    void stopFollowing();

private:
    enum NodeAction {
        StopNode,
        StartNode,
        Pause,
        Resume,
        Kill,
        Restart,
        Failover,
        NodeActionCount
    };
    enum class Phase { Idle, Starting, Running, Stopping };

    void buildUi();
    void startClicked();
    void stopClicked();
    void runNodeAction(NodeAction a);
    void onStarted(sandbox::TopologyKind kind, const QString& url, const QString& nodesArg,
                   const QString& description);
    void onStopped();
    void onSnapshot(TopologyViewPtr view);
    void onError(const QString& message);
    void appendLog(const QString& message, bool ok);
    void setStatus(const QString& text, Tone tone);
    void updateControls();
    bool enabledFor(NodeAction a, const sandbox::NodeView* node) const;
    void showContextMenu(const QPoint& pos);
    void fitSplitter();

    TopologyHost* host_;
    TopologyModel* model_;
    TopologyDiagram* diagram_ = nullptr;
    QComboBox* kind_ = nullptr;
    QSpinBox* redlockNodes_ = nullptr;
    QSpinBox* restartDelay_ = nullptr;
    QToolButton* start_ = nullptr;
    QToolButton* stop_ = nullptr;
    QToolButton* follow_ = nullptr;
    QToolButton* nodeButtons_[NodeActionCount] = {};
    QAction* actions_[NodeActionCount] = {};
    QLabel* status_ = nullptr;
    QTableView* table_ = nullptr;
    QListWidget* log_ = nullptr;
    QSplitter* split_ = nullptr;
    QScrollArea* diagramScroll_ = nullptr;
    quint64 fittedGeneration_ = 0;  // the topology the splitter was last fitted to
    Phase phase_ = Phase::Idle;
    QString startingKind_;
    QString url_, nodesArg_, description_;
};

}  // namespace lockscope::ui
