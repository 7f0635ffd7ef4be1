// The dashboard's main window: Locks, Counters, Demo Lab and Topology tabs, the Events dock, the
// status bar, menus and shortcuts; it remembers its layout. It only wires panels and models to the
// monitor bridge. A topology started in the Topology tab is followed while it runs; stopping it
// goes back to what was followed before.
//
// Thread contract: GUI thread only.
#pragma once

#include <QMainWindow>
#include <memory>
#include <optional>
#include <utility>

#include "monitor/target.h"
#include "redis/url.h"
#include "ui/common/table_export.h"

class QDockWidget;
class QTabWidget;
class QAction;
class QMenu;
class QDialog;
class QLabel;
class QMessageBox;

namespace lockscope::ui {

class ActionsController;
class ConnectionDialog;
class RulesDialog;
class CounterTableModel;
class DemoLabPanel;
class TopologyPanel;
class CountersPanel;
class EventLogModel;
class EventsPanel;
class LockTableModel;
class LocksPanel;
struct ConnectionTarget;
class MonitorBridge;
class StatusPanel;

// How long the GUI thread spent applying the monitor's updates (bench/gui_bench reports it).
struct ApplyStats {
    long long updates = 0;
    double totalMs = 0;  // wall-clock time
    double worstMs = 0;
    size_t worstRecords = 0;  // records changed in the slowest update
    double totalCpuMs = 0;    // the GUI thread's own CPU time (what it did, not how long it
    double worstCpuMs = 0;    // waited for a CPU)
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Follows these servers (one, or a Redlock group); `description` names them in the window.
    void connectTo(std::vector<redis::Endpoint> nodes, const QString& description);
    // Any target: one server, a Redlock group, a Sentinel group's master, every cluster master.
    void connectTo(monitor::MonitorTarget target, const QString& description);
    void setReadOnly(bool readOnly);
    // After connecting to a saved profile: it may open read-only (its default, or production);
    // the status bar shows its name, colour tag and mode.
    void applyProfile(const ConnectionTarget& target);
    // Turning read-only off while a production profile is followed asks first (this box,
    // window-modal); writes stay off unless "Allow writes" is clicked.
    QMessageBox* confirmWrites();
    bool production() const { return production_; }
    // The embedded sandbox this window started with: File > Connect… offers it as a way back. Its
    // redis-server and demo traffic keep running while the window follows other servers.
    void setSandbox(std::vector<redis::Endpoint> nodes, const QString& description);
    // Started without --url / --nodes and the sandbox could not start (no redis-server, ...): a
    // window-modal box says why and offers File > Connect… (its "Connect…" button) or Quit.
    QMessageBox* reportNoSandbox(const QString& why);
    // File > Connect… (Ctrl+O): opens the connection dialog (window-modal) and returns it.
    ConnectionDialog* openConnectionDialog();
    // Settings → Lock rules…: edits the rules file; saved rules reach the monitor at once.
    RulesDialog* openRulesDialog();
    bool readOnly() const { return readOnly_; }
    // The share of a watched server's time polling may use (percent, 0 = unlimited; kept in the
    // settings, default MonitorOptions::scanBudgetPercent); the embedded sandbox is always swept
    // at full speed. Setting it reconnects with the new budget. View > Scan budget… asks for it.
    static double scanBudgetSetting();
    void setScanBudget(double percent);
    void openScanBudgetDialog();

    // File > Export: every row of the Locks or Counters table, in the table's order, as CSV or
    // JSON with lockscope-cli's fields (table_export.h), written to `path`.
    enum class Table { Locks, Counters };
    QByteArray exportTable(Table table, ExportFormat format) const;
    bool exportTable(Table table, ExportFormat format, const QString& path, QString* error) const;
    // Help > Keyboard shortcuts (F1): every action of the window that has one, from the actions
    // themselves (so the list cannot drift). Non-modal; returns it.
    QDialog* openShortcutsDialog();

    MonitorBridge* bridge() const { return bridge_; }
    LockTableModel* lockModel() const { return lockModel_; }
    CounterTableModel* counterModel() const { return counterModel_; }
    EventLogModel* eventModel() const { return eventModel_; }
    LocksPanel* locksPanel() const { return locksPanel_; }
    CountersPanel* countersPanel() const { return countersPanel_; }
    EventsPanel* eventsPanel() const { return eventsPanel_; }
    DemoLabPanel* demoLabPanel() const { return demoLab_; }
    TopologyPanel* topologyPanel() const { return topology_; }
    // What the window follows now, as named in its title.
    const QString& description() const { return description_; }
    StatusPanel* statusPanel() const { return status_; }
    QTabWidget* tabs() const { return tabs_; }
    ActionsController* actionsController() const { return actionsController_; }
    const ApplyStats& applyStats() const { return applyStats_; }
    void resetApplyStats() { applyStats_ = {}; }

signals:
    void readOnlyChanged(bool readOnly);

protected:
    void closeEvent(QCloseEvent* e) override;

private:
    void followRulesFile();  // re-reads the rules file when it changes (applied live)
    void buildMenus();
    void buildLanguageMenu(QMenu* menu);
    void restoreLayout();
    void followTopology(const QString& url, const QString& nodesArg, const QString& description);
    void unfollowTopology();
    bool isSandbox(const monitor::MonitorTarget& target) const;
    void updateProfileBadge();
    void exportInteractive(Table table, ExportFormat format);

    MonitorBridge* bridge_;
    LockTableModel* lockModel_;
    CounterTableModel* counterModel_;
    EventLogModel* eventModel_;
    QTabWidget* tabs_;
    LocksPanel* locksPanel_;
    CountersPanel* countersPanel_;
    EventsPanel* eventsPanel_;
    DemoLabPanel* demoLab_;
    TopologyPanel* topology_;
    QDockWidget* eventsDock_;
    StatusPanel* status_;
    QAction* readOnlyAction_ = nullptr;
    ActionsController* actionsController_ = nullptr;
    ConnectionDialog* connectionDialog_ =
        nullptr;  // made on first use, kept (with its test thread)
    std::vector<redis::Endpoint> sandboxNodes_;
    QString sandboxDescription_;
    bool readOnly_ = false;
    QLabel* profileBadge_ = nullptr;
    QString profileName_;  // the saved profile followed ("" none)
    QString lastColour_;   // its colour tag
    bool production_ = false;
    QString description_;
    monitor::MonitorTarget target_;
    // Followed before a topology of the Topology tab took over (restored when it stops).
    std::optional<std::pair<monitor::MonitorTarget, QString>> beforeTopology_;
    ApplyStats applyStats_;
};

}  // namespace lockscope::ui
