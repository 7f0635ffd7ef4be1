// The status bar: connection state and server (version, role), round-trip latency, keyspace
// notifications (with a one-click enable where the server allows it), keys tracked, events/s.
// It shows reconnecting as it happens. Its colours follow the palette (light or dark), and it
// repaints them when the palette changes.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>

#include "monitor/monitor.h"

class QLabel;
class QPushButton;

namespace lockscope::ui {

class StatusPanel : public QWidget {
    Q_OBJECT
public:
    explicit StatusPanel(QWidget* parent = nullptr);
    void show(const monitor::MonitorStatus& status);
    void setTarget(const QString& description);
    QPushButton* enableButton() const { return enable_; }
    QString connectionText() const;
    QString notificationsText() const;

signals:
    void enableNotificationsRequested();

protected:
    void changeEvent(QEvent* e) override;

private:
    void render();

    monitor::MonitorStatus last_;
    // A node's notifications went from on to off while watching (notify-keyspace-events changed
    // at run time): said in the status until they are all on again.
    bool notificationsWentOff_ = false;
    bool haveStatus_ = false;
    bool enabling_ = false;  // "Enable" was clicked; the engine has not answered yet
    QLabel* connection_;
    QLabel* server_;
    QLabel* latency_;
    QLabel* notifications_;
    QPushButton* enable_;
    QLabel* keys_;
    QLabel* events_;
    QString target_;
};

}  // namespace lockscope::ui
