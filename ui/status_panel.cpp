#include "ui/status_panel.h"

#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <algorithm>

#include "ui/common/palette_colours.h"

namespace lockscope::ui {

StatusPanel::StatusPanel(QWidget* parent) : QWidget(parent) {
    auto make = [this](const char* name) {
        auto* l = new QLabel(this);
        l->setObjectName(name);
        return l;
    };
    connection_ = make("statusConnection");
    server_ = make("statusServer");
    transport_ = make("statusTransport");
    transport_->hide();
    latency_ = make("statusLatency");
    notifications_ = make("statusNotifications");
    discovery_ = make("statusDiscovery");
    keys_ = make("statusKeys");
    events_ = make("statusEvents");
    enable_ = new QPushButton(tr("Enable"), this);
    enable_->setObjectName("statusEnableNotifications");
    enable_->setToolTip(
        tr("CONFIG SET notify-keyspace-events to follow changes live (keeps the flags "
           "already set)"));
    enable_->hide();
    connect(enable_, &QPushButton::clicked, this, [this] {
        // One click is one request: the button waits for the engine's answer (notifications on,
        // or CONFIG SET refused, which hides it) instead of queueing more.
        enabling_ = true;
        enable_->setEnabled(false);
        enable_->setText(tr("Enabling…"));
        emit enableNotificationsRequested();
    });
    auto* l = new QHBoxLayout(this);
    l->setContentsMargins(4, 0, 4, 0);
    for (QWidget* w :
         std::initializer_list<QWidget*>{connection_, server_, transport_, latency_, notifications_,
                                         enable_, discovery_, keys_, events_})
        l->addWidget(w);
    connection_->setText(tr("connecting…"));
}

void StatusPanel::setTarget(const QString& description) {
    target_ = description;
    haveStatus_ = false;  // another target: the old status and a pending "Enable" are moot
    enabling_ = false;
    last_ = {};
    warnings_.clear();
    connection_->setText(tr("connecting to %1…").arg(target_));
    renderTransport();
}

void StatusPanel::setTransportWarnings(const QStringList& warnings) {
    warnings_ = warnings;
    renderTransport();
}

QString StatusPanel::transportText() const { return transport_->text(); }

QString StatusPanel::discoveryText() const { return discovery_->text(); }

void StatusPanel::setScanBudget(double percent) {
    budgetPercent_ = percent;
    if (haveStatus_) render();
}

namespace {

QString durationText(long long ms) {
    if (ms < 10000) return StatusPanel::tr("%1 s").arg(ms / 1000.0, 0, 'f', 1);
    const long long s = (ms + 500) / 1000;
    if (s < 120) return StatusPanel::tr("%1 s").arg(s);
    if (s < 7200) return StatusPanel::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return StatusPanel::tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
}

}  // namespace

void StatusPanel::renderTransport() {
    QString tls, ssh;
    QStringList details;
    for (const auto& n : last_.nodes) {
        const redis::TransportInfo& t = n.transport;
        if (!t.any()) continue;
        // "TLSv1.3" → "TLS 1.3"
        const QString version =
            QString::fromStdString(t.tlsVersion).replace("TLSv", "TLS ").trimmed();
        if (t.tls && tls.isEmpty())
            tls = (version.isEmpty() ? tr("TLS") : version) +
                  (t.verified ? tr(", verified") : tr(", NOT verified (--insecure)"));
        if (!t.ssh.empty() && ssh.isEmpty())
            ssh = tr("via SSH bastion %1").arg(QString::fromStdString(t.ssh));
        QString d = QString::fromStdString(n.display() + ": " + t.describe());
        if (!t.cipher.empty()) d += ", " + QString::fromStdString(t.cipher);
        if (!t.issuer.empty()) d += tr(", issued by %1").arg(QString::fromStdString(t.issuer));
        if (!details.contains(d)) details << d;
    }
    // Said before the first connection too: it is in force from the start.
    if (tls.isEmpty() && !warnings_.isEmpty()) tls = tr("TLS, NOT verified (--insecure)");
    QStringList parts;
    if (!tls.isEmpty()) parts << tls;
    if (!ssh.isEmpty()) parts << ssh;
    if (parts.isEmpty()) {
        transport_->clear();
        transport_->hide();
        return;
    }
    const QString text = parts.join("; ");
    if (warnings_.isEmpty()) {
        transport_->setText(text.toHtmlEscaped());
    } else {
        transport_->setText(
            QString("<span style='color:%1'>⚠ %2</span>")
                .arg(toneColour(Tone::Bad, palette()).name(), text.toHtmlEscaped()));
    }
    transport_->setToolTip((details + warnings_).join("\n"));
    transport_->show();
}

QString StatusPanel::connectionText() const { return connection_->text(); }
QString StatusPanel::notificationsText() const { return notifications_->text(); }

void StatusPanel::show(const monitor::MonitorStatus& status) {
    if (enabling_ && haveStatus_) {
        // Answered when any node's notifications or CONFIG rights changed, or the engine said
        // something new (it reports every outcome of the request as a message).
        for (size_t i = 0; i < status.nodes.size() && i < last_.nodes.size(); ++i)
            if (status.nodes[i].notifications != last_.nodes[i].notifications ||
                status.nodes[i].canConfigure != last_.nodes[i].canConfigure)
                enabling_ = false;
        auto newest = [](const monitor::MonitorStatus& st) {
            return st.messages.empty()
                       ? std::pair<long long, std::string>{}
                       : std::pair{st.messages.back().wallMs, st.messages.back().text};
        };
        if (newest(status) != newest(last_)) enabling_ = false;
    }
    using N = monitor::NodeStatus::Notifications;
    for (size_t i = 0; i < status.nodes.size() && i < last_.nodes.size(); ++i)
        if (last_.nodes[i].notifications == N::On && status.nodes[i].notifications == N::Off)
            notificationsWentOff_ = true;
    if (std::all_of(status.nodes.begin(), status.nodes.end(),
                    [](const monitor::NodeStatus& n) { return n.notifications == N::On; }))
        notificationsWentOff_ = false;
    last_ = status;
    haveStatus_ = true;
    render();
}

void StatusPanel::changeEvent(QEvent* e) {
    QWidget::changeEvent(e);
    if (e->type() == QEvent::PaletteChange && haveStatus_) render();
}

void StatusPanel::render() {
    const monitor::MonitorStatus& s = last_;
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
            server = tr("Redis %1 (%2)")
                         .arg(QString::fromStdString(n.version), QString::fromStdString(n.role));
    }
    const int total = int(s.nodes.size());
    QString link;
    Tone tone = Tone::Good;
    if (reconnecting > 0) {
        link = tr("reconnecting to %1…").arg(target_);
        tone = Tone::Bad;
    } else if (connected == total) {
        if (s.kind == monitor::TargetKind::Cluster)
            link = tr("connected to the cluster's %1 masters").arg(total);
        else if (s.kind == monitor::TargetKind::Sentinel && total == 1)
            link = tr("connected to master %1 (Sentinels %2)")
                       .arg(QString::fromStdString(s.nodes.front().display()),
                            QString::fromStdString(s.target));
        else
            link = total > 1 ? tr("connected to %1 nodes").arg(total)
                             : tr("connected to %1").arg(target_);
    } else if (connected > 0) {
        link = tr("%1 of %2 nodes connected").arg(connected).arg(total);
        tone = Tone::Warning;
    } else {
        link = tr("connecting to %1…").arg(target_);
        tone = Tone::Warning;
    }
    connection_->setText(QString("<span style='color:%1'>●</span> %2")
                             .arg(toneColour(tone, palette()).name(), link.toHtmlEscaped()));
    server_->setText(server);
    renderTransport();
    latency_->setText(worstLatency >= 0 ? tr("rtt %1 ms").arg(worstLatency / 1000.0, 0, 'f', 2)
                                        : QString());
    const bool wentOff = anyOff && notificationsWentOff_;
    notifications_->setText(allLive   ? tr("notifications on")
                            : wentOff ? tr("notifications switched off — polling")
                            : anyOff  ? tr("notifications off — polling")
                                      : tr("polling"));
    notifications_->setToolTip(
        allLive   ? tr("Changes arrive as keyspace notifications.")
        : wentOff ? tr("Keyspace notifications were switched off on the server while LockScope "
                       "was watching (notify-keyspace-events changed); it polls instead: known "
                       "locks and counters twice a second, new keys by a background sweep.")
                  : tr("Keyspace notifications are not available: known locks and counters are "
                       "read again twice a second, new keys are found by a background sweep "
                       "within the scan budget. Enable them to discover new keys live."));
    enable_->setVisible(anyOff && canEnable);
    enable_->setEnabled(!enabling_);
    enable_->setText(enabling_ ? tr("Enabling…") : tr("Enable"));
    keys_->setText(
        tr("%1 locks, %2 counters%3%4")
            .arg(s.locks)
            .arg(s.counters)
            .arg(s.stale ? tr(", %1 stale (cannot be read now)").arg(s.stale) : QString())
            .arg(s.inventoryComplete ? QString() : tr(" (scanning…)")));
    events_->setText(tr("%1 events/s").arg(qRound64(s.eventsPerSecond)));
    renderDiscovery(allLive);
}

// The sweep, summed over the nodes (a cluster's masters sweep side by side): its progress while
// it runs, else how old the slowest node's last full sweep is and how long one takes.
void StatusPanel::renderDiscovery(bool allLive) {
    const long long wall = QDateTime::currentMSecsSinceEpoch();
    long long swept = 0, size = 0, oldest = 0, longest = -1;
    bool sweeping = false, sizeKnown = true, everyNodeSwept = !last_.nodes.empty();
    for (const auto& n : last_.nodes) {
        if (n.sweeping) {
            sweeping = true;
            swept += n.sweptKeys;
            if (n.dbSize < 0) sizeKnown = false;
            size += std::max(0LL, n.dbSize);
        }
        if (n.lastSweepWallMs <= 0) {
            everyNodeSwept = false;
            continue;
        }
        oldest = oldest == 0 ? n.lastSweepWallMs : std::min(oldest, n.lastSweepWallMs);
        longest = std::max(longest, n.lastSweepMs);
    }
    const QString budget =
        budgetPercent_ > 0 ? tr("a %1% budget").arg(budgetPercent_) : tr("an unlimited budget");
    QStringList parts;
    if (sweeping)
        parts << (sizeKnown && size > 0 ? tr("sweeping %1 of %2 keys (%3%)")
                                              .arg(swept)
                                              .arg(size)
                                              .arg(std::min(100LL, swept * 100 / size))
                                        : tr("sweeping, %1 keys so far").arg(swept));
    if (everyNodeSwept)
        parts << tr("last full sweep %1 ago, takes %2")
                     .arg(durationText(std::max(0LL, wall - oldest)), durationText(longest));
    discovery_->setText(parts.isEmpty() ? QString() : parts.join(QStringLiteral("; ")));
    discovery_->setToolTip(
        allLive ? tr("New keys arrive as keyspace notifications; a safety-net sweep runs rarely, "
                     "at %1 of the server's time.")
                      .arg(budget)
                : tr("Without keyspace notifications, known locks and counters are read again "
                     "twice a second; new keys are found by a background sweep using %1 of the "
                     "server's time. Enable keyspace notifications to discover new keys live.")
                      .arg(budget));
}

}  // namespace lockscope::ui
