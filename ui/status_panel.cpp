#include "status_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace lockscope::ui {

StatusPanel::StatusPanel(QWidget* parent) : QWidget(parent) {
    auto make = [this](const char* name) {
        auto* l = new QLabel(this);
        l->setObjectName(name);
        return l;
    };
    connection_ = make("statusConnection");
    server_ = make("statusServer");
    latency_ = make("statusLatency");
    notifications_ = make("statusNotifications");
    keys_ = make("statusKeys");
    events_ = make("statusEvents");
    enable_ = new QPushButton(tr("Enable"), this);
    enable_->setObjectName("statusEnableNotifications");
    enable_->setToolTip(tr("CONFIG SET notify-keyspace-events to follow changes live (keeps the flags "
                           "already set)"));
    enable_->setFlat(true);
    enable_->hide();
    connect(enable_, &QPushButton::clicked, this, &StatusPanel::enableNotificationsRequested);
    auto* l = new QHBoxLayout(this);
    l->setContentsMargins(4, 0, 4, 0);
    for (QWidget* w : std::initializer_list<QWidget*>{connection_, server_, latency_, notifications_, enable_, keys_, events_})
        l->addWidget(w);
    connection_->setText(tr("connecting…"));
}

void StatusPanel::setTarget(const QString& description) {
    target_ = description;
    connection_->setText(tr("connecting to %1…").arg(target_));
}

QString StatusPanel::connectionText() const { return connection_->text(); }
QString StatusPanel::notificationsText() const { return notifications_->text(); }

void StatusPanel::show(const monitor::MonitorStatus& s) {
    using L = monitor::NodeStatus::Link;
    using N = monitor::NodeStatus::Notifications;
    int connected = 0, reconnecting = 0;
    long long worstLatency = -1;
    bool allLive = !s.nodes.empty(), anyOff = false, canEnable = false;
    QString server;
    for (const auto& n : s.nodes) {
        connected += n.link == L::Connected;
        reconnecting += n.link == L::Reconnecting;
        worstLatency = std::max(worstLatency, n.latencyUs);
        allLive = allLive && !n.polling;
        if (n.notifications == N::Off) {
            anyOff = true;
            canEnable = canEnable || n.canConfigure;
        }
        if (server.isEmpty() && !n.version.empty())
            server = tr("Redis %1 (%2)").arg(QString::fromStdString(n.version), QString::fromStdString(n.role));
    }
    const int total = int(s.nodes.size());
    QString link;
    QString colour = "#2e7d32";
    if (reconnecting > 0) {
        link = tr("reconnecting to %1…").arg(target_);
        colour = "#c62828";
    } else if (connected == total) {
        link = total > 1 ? tr("connected to %1 nodes").arg(total) : tr("connected to %1").arg(target_);
    } else if (connected > 0) {
        link = tr("%1 of %2 nodes connected").arg(connected).arg(total);
        colour = "#ef8f00";
    } else {
        link = tr("connecting to %1…").arg(target_);
        colour = "#ef8f00";
    }
    connection_->setText(QString("<span style='color:%1'>●</span> %2").arg(colour, link.toHtmlEscaped()));
    server_->setText(server);
    latency_->setText(worstLatency >= 0 ? tr("rtt %1 ms").arg(worstLatency / 1000.0, 0, 'f', 2) : QString());
    notifications_->setText(allLive ? tr("notifications on") : anyOff ? tr("notifications off — polling")
                                                                      : tr("polling"));
    notifications_->setToolTip(allLive ? tr("Changes arrive as keyspace notifications.")
                                       : tr("Keyspace notifications are not available; LockScope rescans "
                                            "every second instead."));
    enable_->setVisible(anyOff && canEnable);
    keys_->setText(tr("%1 locks, %2 counters%3")
                       .arg(s.locks)
                       .arg(s.counters)
                       .arg(s.inventoryComplete ? QString() : tr(" (scanning…)")));
    events_->setText(tr("%1 events/s").arg(qRound64(s.eventsPerSecond)));
}

}  // namespace lockscope::ui
