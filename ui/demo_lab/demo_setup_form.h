// The Demo Lab's settings: counter or lock demo; for counters a checklist of every counter spec
// (several run side by side), for locks the strategy, the fault (each with its one-line summary as
// tooltip), TTL, replicas to WAIT for, nodes down, sandbox nodes; workers, operations per worker
// and where to run (own sandbox, or the server the dashboard follows). It turns them into a
// DemoRequest; whether the request can run is DemoRunner::check()'s call.
//
// Workers and ops are remembered per mode (8 × 1000 increments and 4 × 50 sections to begin with):
// a lock demo's workers are processes, at most 64.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>

#include "ui/demo_lab/demo_runner.h"

class QComboBox;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QSpinBox;
class QStackedWidget;

namespace lockscope::ui {

class DemoSetupForm : public QWidget {
    Q_OBJECT
public:
    explicit DemoSetupForm(QWidget* parent = nullptr);

    DemoRequest request() const;
    DemoRequest::Kind mode() const;
    // Why there is nothing to run ("" when something is selected): Run is disabled then.
    QString selectionProblem() const;
    // Offers (or withdraws) "the server the dashboard follows" as a target.
    void setConnectedTarget(bool available, const QString& description);
    // While a demo runs, the settings stay as they were when it started.
    void setEditable(bool editable);

    QComboBox* modeCombo() const { return mode_; }
    QListWidget* strategyList() const { return counters_; }
    // The checklist item of a counter spec ("naive", "capped:atomic"); null when there is none.
    QListWidgetItem* counterItem(const QString& spec) const;
    // Checks exactly these specs.
    void checkCounters(const QStringList& specs);
    QComboBox* lockStrategyCombo() const { return lockStrategy_; }
    QComboBox* faultCombo() const { return fault_; }
    QSpinBox* ttlSpin() const { return ttl_; }
    QSpinBox* waitReplicasSpin() const { return waitReplicas_; }
    QSpinBox* nodesDownSpin() const { return down_; }
    QComboBox* sandboxNodesCombo() const { return nodes_; }
    QSpinBox* workersSpin() const { return workers_; }
    QSpinBox* opsSpin() const { return ops_; }
    QComboBox* targetCombo() const { return target_; }
    QLabel* expectationLabel() const { return expectation_; }

signals:
    void changed();

private:
    QWidget* makeCounterPage();
    QWidget* makeLockPage();
    void onModeChanged(int index);
    void updateLockControls();

    QComboBox* mode_;
    QStackedWidget* pages_;
    QListWidget* counters_;
    QComboBox* lockStrategy_;
    QComboBox* fault_;
    QSpinBox* ttl_;
    QSpinBox* waitReplicas_;
    QSpinBox* down_;
    QComboBox* nodes_;
    QLabel* expectation_;
    QSpinBox* workers_;
    QSpinBox* ops_;
    QComboBox* target_;
    // Workers and ops per mode (Counter, Lock), kept while the other mode is shown.
    int workersOf_[2] = {8, 4};
    int opsOf_[2] = {1000, 50};
    int shownMode_ = 0;
};

}  // namespace lockscope::ui
