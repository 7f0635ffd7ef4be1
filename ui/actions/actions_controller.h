// The dashboard's write actions as the user meets them: the Actions menu, the actions toolbar,
// context menus on the Locks and Counters tables, the dialogs, and the Action log dock — all in
// front of one ActionService (which does the writing, off the GUI thread).
//
// Actions follow the selection (extend and force-release need a held lock, release needs one of
// this dashboard's own leases, set/reset need one counter) and read-only mode, which disables
// every one of them (the service refuses writes too). Outcomes go to the Action log; a refusal or
// failure also raises the log and says it once in its message line, and a force-release refused
// because the holder changed says so in a message box.
//
// Thread contract: GUI thread only.
#pragma once

#include <QObject>
#include <QPointer>

#include "ui/actions/action_service.h"

class QAction;
class QDialog;
class QDockWidget;
class QLabel;
class QMenu;
class QMessageBox;
class QTableView;
class QToolBar;

namespace lockscope::monitor {
struct KeyRecord;
}

namespace lockscope::ui {

class ActionLogModel;
class MainWindow;

class ActionsController : public QObject {
    Q_OBJECT
public:
    // Adds the Action log dock and the actions toolbar to `window` and follows its selection,
    // bridge (for the servers to write to) and read-only mode.
    explicit ActionsController(MainWindow* window);

    // The write actions (and the "My leases" submenu) at the top of `menu`.
    void addToMenu(QMenu* menu);

    ActionService* service() const { return service_; }
    ActionLogModel* logModel() const { return log_; }
    QDockWidget* logDock() const { return dock_; }
    QTableView* logTable() const { return logTable_; }
    QToolBar* toolBar() const { return toolBar_; }
    QLabel* messageLabel() const { return message_; }
    QAction* acquireAction() const { return acquire_; }
    QAction* releaseAction() const { return release_; }
    QAction* extendAction() const { return extend_; }
    QAction* forceReleaseAction() const { return forceRelease_; }
    QAction* setCounterAction() const { return setCounter_; }
    QAction* resetCounterAction() const { return resetCounter_; }
    QAction* releaseAllAction() const { return releaseAll_; }
    QList<QAction*> writeActions() const;

    // The dialog or message box opened last, while it is open (tests drive it).
    QDialog* activeDialog() const { return dialog_; }

    // What the actions do, for the current selection.
    void openAcquire();
    void openExtend();
    void openForceRelease();
    void releaseSelected();
    void releaseAll();
    void openSetCounter();
    void openResetCounter();
    void setReadOnly(bool readOnly);
    void updateEnabled();

private:
    const monitor::KeyRecord* selectedLock() const;
    const monitor::KeyRecord* selectedCounter() const;
    void showDialog(QDialog* dialog);
    void onFinished(const ActionResult& result);
    void showLocksMenu(const QPoint& pos);
    void showCountersMenu(const QPoint& pos);
    void rebuildLeasesMenu();

    MainWindow* window_;
    ActionService* service_;
    ActionLogModel* log_;
    QDockWidget* dock_;
    QTableView* logTable_;
    QLabel* readOnlyNote_;
    QLabel* message_;
    QToolBar* toolBar_;
    QAction* acquire_;
    QAction* release_;
    QAction* extend_;
    QAction* forceRelease_;
    QAction* setCounter_;
    QAction* resetCounter_;
    QAction* releaseAll_;
    QMenu* leasesMenu_;
    QPointer<QDialog> dialog_;
    bool readOnly_ = false;
};

}  // namespace lockscope::ui
