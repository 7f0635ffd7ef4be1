// The status bar: connection state and server (version, role), the transport (TLS version and
// whether the certificate was verified, the SSH bastion; --insecure in red every time it is in
// force), round-trip latency, keyspace notifications (with a one-click enable where the server
// allows it), discovery (the sweep's progress, how old the last full sweep is and how long one
// takes at the scan budget), keys tracked, events/s.
// It shows reconnecting as it happens. Its colours follow the palette (light or dark), and it
// repaints them when the palette changes.
//
// Thread contract: GUI thread only.
#pragma once

#include <QStringList>
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
    // What to say as long as this target is followed (monitor::transportWarnings: --insecure);
    // call after setTarget, which clears them.
    void setTransportWarnings(const QStringList& warnings);
    QString transportText() const;
    QPushButton* enableButton() const { return enable_; }
    QString connectionText() const;
    QString notificationsText() const;
    // The share of the server's time polling may use (MonitorOptions::scanBudgetPercent, 0 =
    // unlimited): said with the sweep's figures.
    void setScanBudget(double percent);
    QString discoveryText() const;

signals:
    void enableNotificationsRequested();

protected:
    void changeEvent(QEvent* e) override;

private:
    void render();
    void renderDiscovery(bool allLive);
    void renderTransport();

    monitor::MonitorStatus last_;
    // A node's notifications went from on to off while watching (notify-keyspace-events changed
    // at run time): said in the status until they are all on again.
    bool notificationsWentOff_ = false;
    bool haveStatus_ = false;
    bool enabling_ = false;  // "Enable" was clicked; the engine has not answered yet
    QLabel* connection_;
    QLabel* server_;
    QLabel* transport_;
    QStringList warnings_;
    QLabel* latency_;
    QLabel* notifications_;
    QPushButton* enable_;
    QLabel* discovery_;
    double budgetPercent_ = 0;
    QLabel* keys_;
    QLabel* events_;
    QString target_;
};

}  // namespace lockscope::ui
