#include "ui/locks/lock_detail_pane.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

#include "locks/owner.h"
#include "monitor/classifier.h"
#include "monitor/why_text.h"
#include "ui/common/core_text.h"
#include "ui/common/display_text.h"
#include "ui/common/palette_colours.h"
#include "ui/locks/holder_history.h"
#include "ui/locks/holder_timeline.h"
#include "ui/locks/lock_table_model.h"
#include "ui/monitor_bridge.h"
#include "util/clock.h"

namespace lockscope::ui {
namespace {

QString ttlText(long long ms) {
    if (ms == -1) return QObject::tr("no TTL");
    if (ms < 0) return QObject::tr("gone");
    return ms < 10'000 ? QObject::tr("TTL %1 ms").arg(ms) : QObject::tr("TTL %1 s").arg(ms / 1000);
}

// "deadline in 4.2 s" / "deadline passed 1.3 s ago"; a lease the same way.
QString secondsText(long long ms) { return QString::number(double(ms) / 1000.0, 'f', 1); }
QString deadlineText(long long leftMs) {
    return leftMs > 0 ? LockDetailPane::tr("deadline in %1 s").arg(secondsText(leftMs))
                      : LockDetailPane::tr("deadline passed %1 s ago").arg(secondsText(-leftMs));
}
QString leaseText(long long leftMs) {
    return leftMs > 0 ? LockDetailPane::tr("lease %1 s left").arg(secondsText(leftMs))
                      : LockDetailPane::tr("lease ran out %1 s ago").arg(secondsText(-leftMs));
}

}  // namespace

LockDetailPane::LockDetailPane(QWidget* parent) : QWidget(parent) {
    fetcher_ = new ValueFetcher({}, this);
    connect(fetcher_, &ValueFetcher::fetched, this, &LockDetailPane::showValue);

    summary_ = new QTextBrowser(this);
    summary_->setObjectName("lockDetail");
    summary_->setPlaceholderText(
        tr("Select a lock to see its holder, TTL and what its state means."));

    valueStatus_ = new QLabel(this);
    valueStatus_->setObjectName("lockValueStatus");
    valueStatus_->setWordWrap(true);
    values_ = new QTableWidget(0, 3, this);
    values_->setObjectName("lockValue");
    values_->setHorizontalHeaderLabels({tr("Node"), tr("Field"), tr("Value")});
    values_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    values_->setSelectionBehavior(QAbstractItemView::SelectRows);
    values_->setWordWrap(false);
    values_->setTextElideMode(Qt::ElideMiddle);
    values_->verticalHeader()->hide();
    values_->horizontalHeader()->setStretchLastSection(true);
    values_->setColumnWidth(0, 140);
    values_->setColumnWidth(1, 170);
    values_->setColumnHidden(0, true);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(summary_, 3);
    leftLayout->addWidget(valueStatus_);
    leftLayout->addWidget(values_, 2);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    timelineTitle_ = new QLabel(tr("<b>Holders over time</b>"), right);
    timeline_ = new HolderTimeline(right);
    rightLayout->addWidget(timelineTitle_);
    rightLayout->addWidget(timeline_, 1);

    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->setObjectName("lockDetailSplitter");
    splitter_->addWidget(left);
    splitter_->addWidget(right);
    splitter_->setStretchFactor(0, 2);
    splitter_->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter_);
    showRecord(nullptr);
}

void LockDetailPane::attach(MonitorBridge* bridge, HolderHistory* history) {
    history_ = history;
    bridge_ = bridge;
    connect(history_, &HolderHistory::pinnedChanged, this, &LockDetailPane::refreshTimeline);
}

void LockDetailPane::showRecord(const monitor::KeyRecord* r) {
    if (!r) {
        key_.clear();
        record_.reset();
        holderClients_.clear();
        holderClientsKnown_ = false;
        fairWaiting_ = 0;
        recordedPermits_.clear();
        summary_->clear();
        if (history_) history_->pin({});
        fetcher_->cancel();
        fetchInFlight_ = refetch_ = false;
        values_->setRowCount(0);
        valueStatus_->setText(tr("The raw value is read when a lock is selected."));
        timeline_->clear();
        return;
    }
    const bool newKey = r->key != key_;
    if (newKey) {
        holderClients_.clear();
        holderClientsKnown_ = false;
        fairWaiting_ = 0;
        recordedPermits_.clear();
    }
    record_ = *r;
    renderSummary(*record_);
    key_ = r->key;
    if (newKey) {
        if (history_) history_->pin(key_);
        refreshTimeline();
        values_->setRowCount(0);
        valueStatus_->setText(tr("Reading the value…"));
        fetchInFlight_ = refetch_ = false;
    }
    // The raw value is read again whenever the record moved (the panel calls this for the
    // selected lock's changes: a holder, a count, a lease extended or renewed, the state), so the
    // two halves of the pane never disagree (issue 14 round 3), and a selected row's raw pane
    // does not stay frozen (adv14d item 10: "TTL 4509 ms" for a minute). Between two reads it
    // says when it was read: its TTLs and deadlines are of that moment.
    requestValue();
}

// When a holder took the lock, as the format writes it: an epoch time in seconds (sidekiq's
// "1796641669.100") shown as a local date and time; anything else (ShedLock's ISO-8601) as it is.
QString LockDetailPane::sinceText(const std::string& since) {
    const QString text = QString::fromStdString(since);
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    const bool epoch =
        ok && !text.isEmpty() && text.front().isDigit() && seconds >= 1e9 && seconds < 4102444800.0;
    if (!epoch) return text;
    const auto ms = static_cast<qint64>(seconds * 1000.0 + 0.5);
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), "yyyy-MM-dd HH:mm:ss");
}

void LockDetailPane::renderSummary(const monitor::KeyRecord& record) {
    const monitor::KeyRecord* r = &record;
    QString html = "<h3>" + displayText(r->key).toHtmlEscaped() + "</h3><table>";
    auto row = [&](const QString& name, const QString& value) {
        html += "<tr><td><b>" + name + "</b>&nbsp;&nbsp;</td><td>" + value.toHtmlEscaped() +
                "</td></tr>";
    };
    row(tr("Format"), QString::fromUtf8(monitor::formatName(r->format).data()));
    // Issue 11: how it was told — a library's exact layout, evidence (a guess), or the user's rule.
    row(tr("Recognised"), monitor::byKnownLayout(*r) ? tr("known layout")
                          : r->byRule()              ? tr("by your rule")
                                                     : tr("by evidence (a reasoned guess)"));
    row(tr("Why"), coreMessages(monitor::whyParts(*r)));
    // Nobody named ("(open)", "(free)", "(none taken)", "(free: 2 waiting)"): the table's words.
    const QString nobody = LockTableModel::noHolderText(*r);
    row(tr("Holder"), !nobody.isEmpty() ? nobody : displayText(r->holder));
    if (auto info = locks::parseToken(r->holder))
        row(tr("Holder process"), tr("%1, pid %2 (connection %3)")
                                      .arg(QString::fromStdString(info->host))
                                      .arg(info->pid)
                                      .arg(QString::fromStdString(info->clientName())));
    else if (auto parts = monitor::holderParts(*r)) {
        QStringList who;
        if (!parts->host.empty()) who << tr("host %1").arg(QString::fromStdString(parts->host));
        if (parts->pid >= 0) who << tr("pid %1").arg(parts->pid);
        if (!parts->name.empty()) who << QString::fromStdString(parts->name);
        if (!parts->since.empty()) who << tr("since %1").arg(sinceText(parts->since));
        // Named by what it is (adv11f item 13): a process only when a pid was read; a host (or
        // an address) alone; otherwise a name the holder wrote — a worker's, a job's, a person's.
        const QString label = parts->pid >= 0                               ? tr("Holder process")
                              : !parts->host.empty() && parts->name.empty() ? tr("Holder host")
                                                                            : tr("Holder name");
        row(label, who.join(", "));
    } else if (const QString who = uuidHolderProcesses(r->holder); !who.isEmpty()) {
        row(tr("Holder process"), who);
    }
    // A plain semaphore's permits taken by LockScope's clients, as the value read found them:
    // whose each is and whether its holder is still connected (adv14e item 6).
    if (r->format == monitor::Format::Semaphore && !recordedPermits_.empty()) {
        QStringList who;
        for (const auto& t : recordedPermits_) {
            const QString proc =
                t.pid ? tr("host %1, pid %2").arg(QString::fromStdString(t.host)).arg(t.pid)
                      : displayText(t.token);
            who << (!t.connected   ? tr("%1: connection unknown").arg(proc)
                    : *t.connected ? tr("%1: connected").arg(proc)
                                   : tr("%1: gone, its permit leaked").arg(proc));
        }
        row(tr("Recorded tokens"), who.join(QStringLiteral("; ")));
    }
    row(tr("State"), LockTableModel::stateText(*r));
    const auto d = monitor::describeParts(*r, systemClock().wallMillis());
    // A fair lock's queue is not in the record: as the value read found it (adv14e item 9, like
    // read-write's "1 writer(s) waiting").
    QString details = d.empty() ? QString() : coreMessages(d);
    const bool fair =
        r->format == monitor::Format::Fair || r->format == monitor::Format::RedissonFairLock;
    if (fair && fairWaiting_ > 0 && r->state != monitor::LockState::Free)
        details += (details.isEmpty() ? QString() : QStringLiteral(", ")) +
                   tr("%n waiting", nullptr, int(fairWaiting_));
    if (!details.isEmpty()) row(tr("Details"), details);
    // Issue 11.6: how it behaved while followed.
    QString warning;
    if (const auto s = bridge_ ? bridge_->lockStats(r->key) : std::nullopt) {
        auto ms = [](long long v) { return v < 0 ? QStringLiteral("–") : QString("%1 ms").arg(v); };
        // "1 acquisition", "1 takeover": singular for one (adv11e).
        const QString acquisitions =
            s->acquisitions == 1 ? tr("1 acquisition") : tr("%1 acquisitions").arg(s->acquisitions);
        const QString takeovers =
            s->takeovers == 1 ? tr("1 takeover") : tr("%1 takeovers").arg(s->takeovers);
        row(tr("Behaviour"), tr("%1; hold p50 %2, p99 %3, max %4; %5 expired while held; %6")
                                 .arg(acquisitions)
                                 .arg(ms(s->holdPercentileMs(0.5)), ms(s->holdPercentileMs(0.99)),
                                      ms(s->holdsMs.empty() ? -1 : s->holdMaxMs))
                                 .arg(s->expiredWhileHeld)
                                 .arg(takeovers));
        if (s->beatPeriodMs > 0)
            row(tr("Beat"),
                tr("every %1 ms (jitter %2 ms)").arg(s->beatPeriodMs).arg(s->beatJitterMs));
        if (s->holdNearsTtl())
            warning = tr("Warning: p99 hold time (%1 ms) nears the TTL (%2 ms): holders risk "
                         "outliving their lease.")
                          .arg(s->holdPercentileMs(0.99))
                          .arg(s->leaseOrLowerBoundMs());
        else if (s->expiredWhileHeld > 0)
            warning =
                tr("Warning: %n lease(s) ran out while held: a holder died or the TTL is "
                   "too short.",
                   nullptr, int(s->expiredWhileHeld));
    }
    html += "</table>";
    // Held without a TTL (a heartbeat, an expiry timestamp): `held`'s meaning ("frees itself
    // by its TTL") is not true of it, and the TTL row already says "no TTL".
    if (const QString meaning = LockTableModel::stateMeaning(*r); !meaning.isEmpty())
        html += "<p style='color:" +
                readableOn(LockTableModel::stateColor(r->state),
                           summary_->palette().color(QPalette::Base))
                    .name() +
                "'>" + meaning.toHtmlEscaped() + "</p>";
    if (!warning.isEmpty()) html += "<p><b>" + warning.toHtmlEscaped() + "</b></p>";
    summary_->setHtml(html);
}

QString LockDetailPane::uuidHolderProcesses(const std::string& holder) const {
    // A reentrant, fair or read-write lock's holders are "<uuid>:<thread>" fields; LockScope's
    // begin with the tag its connections are named by, so CLIENT LIST (read with the value) names
    // the process (adv14d item 8: the expirable semaphore had this row, they did not).
    QStringList out;
    int ids = 0;
    for (size_t at = 0; at <= holder.size();) {
        const size_t comma = std::min(holder.find(',', at), holder.size());
        const std::string id = holder.substr(at, comma - at);
        at = comma + 1;
        if (id.size() < 38 || id[36] != ':') continue;
        ++ids;
        const auto client = holderClients_.find(id.substr(0, 8));
        if (client == holderClients_.end()) continue;
        const auto p = clientProcess(client->second);
        if (!p) continue;
        out << tr("%1, pid %2 (connection %3)")
                   .arg(QString::fromStdString(p->host))
                   .arg(p->pid)
                   .arg(QString::fromStdString(client->second));
    }
    if (out.isEmpty()) return {};
    if (ids == 1) return out.front();
    return tr("%1 of %2 holders are LockScope clients: %3")
        .arg(out.size())
        .arg(ids)
        .arg(out.join(QStringLiteral("; ")));
}

void LockDetailPane::showGone(const std::string& key) {
    showRecord(nullptr);
    summary_->setHtml(
        "<p><i>" +
        tr("%1 is no longer listed: it was freed, or is no longer a lock. Nothing is selected "
           "now, so no action applies — select a lock to act on it.")
            .arg(displayText(key))
            .toHtmlEscaped() +
        "</i></p>");
}

void LockDetailPane::refreshTimeline() {
    if (key_.empty()) return timeline_->clear();  // no lock selected: the chart asks for one
    timeline_->setSpans(history_ ? history_->spans(key_) : std::vector<HolderSpan>{});
}

void LockDetailPane::requestValue() {
    // One read at a time per pane: a lock whose holder changes every few ms must not queue reads.
    if (fetchInFlight_) {
        refetch_ = true;
        return;
    }
    fetchInFlight_ = true;
    refetch_ = false;
    // Where the key lives now: every node of a group, the Sentinels' current master, the cluster
    // master serving its slot.
    if (bridge_) fetcher_->setNodes(bridge_->nodesFor(key_));
    fetcher_->fetch(key_);
}

void LockDetailPane::showValue(const FetchedPtr& v) {
    fetchInFlight_ = false;
    if (v->key != key_) return;
    if (refetch_) requestValue();
    const bool multi = v->nodes.size() > 1;
    values_->setColumnHidden(0, !multi);
    values_->setRowCount(0);
    QStringList status;
    const long long preview = static_cast<long long>(fetcher_->limits().previewBytes);
    auto add = [&](const QString& node, const QString& field, const QString& value) {
        const int row = values_->rowCount();
        values_->insertRow(row);
        values_->setItem(row, 0, new QTableWidgetItem(node));
        values_->setItem(row, 1, new QTableWidgetItem(field));
        auto* item = new QTableWidgetItem(value);
        item->setToolTip(value.size() > 2000 ? value.left(2000) + QStringLiteral("…") : value);
        values_->setItem(row, 2, item);
    };
    // The synchronisers beyond their fields: a read-write lock's readers' leases and writers
    // waiting, a semaphore's permits (and each expirable permit's lease), a latch's count.
    auto addPrimitiveRows = [&](const locks::PrimitiveState& p, const QString& node, QString& s) {
        using K = locks::PrimitiveKind;
        switch (p.kind) {
            case K::ReadWriteLock:
                for (const auto& r : p.readers)
                    add(node, tr("reader"),
                        tr("%1  x%2  %3")
                            .arg(displayText(r.id))
                            .arg(r.holds)
                            .arg(r.leaseLeftMs == -1 ? tr("no lease") : leaseText(r.leaseLeftMs)));
                for (size_t w = 0; w < p.writersWaiting.size(); ++w)
                    add(node, tr("writer waiting #%1").arg(w + 1),
                        displayText(p.writersWaiting[w].id) + QStringLiteral("  ") +
                            deadlineText(p.writersWaiting[w].leftMs));
                // The mode is Redisson's word ("read", "write"): said in the window's language.
                s += p.mode.empty()      ? tr(", free")
                     : p.mode == "read"  ? tr(", read-locked")
                     : p.mode == "write" ? tr(", write-locked")
                                         : tr(", %1-locked").arg(QString::fromStdString(p.mode));
                if (!p.writersWaiting.empty())
                    s += tr(", %n writer(s) waiting", nullptr, int(p.writersWaiting.size()));
                break;
            case K::Semaphore:
            case K::ExpirableSemaphore: {
                const auto taken = p.taken();
                add(node, tr("permits"),
                    tr("%1 free%2%3")
                        .arg(p.free ? QString::number(*p.free) : QStringLiteral("?"))
                        .arg(p.size ? tr(" of %1").arg(*p.size) : QString())
                        .arg(taken ? tr(", %1 taken").arg(*taken) : QString()));
                for (const auto& permit : p.permits)
                    add(node, tr("permit"),
                        displayText(permit.id) + QStringLiteral("  ") +
                            (permit.expires ? leaseText(permit.leaseLeftMs) : tr("no lease")));
                if (const long long out = p.expiredPermits(); out > 0)
                    s += tr(", %n lease(s) ran out", nullptr, int(out));
                break;
            }
            case K::Latch:
                add(node, tr("count"),
                    p.size ? tr("%1 of %2 to go").arg(p.count.value_or(0)).arg(*p.size)
                           : tr("%1 to go").arg(p.count.value_or(0)));
                break;
            case K::FairLock:  // the waiters are the rows above, with their deadlines
            case K::None:
                break;
        }
    };
    // A fair lock's waiters, in order, each with when its wait runs out.
    auto addQueueRows = [&](const NodeValue& n, const QString& node) {
        const qint64 wallNow = QDateTime::currentMSecsSinceEpoch();
        for (size_t w = 0; w < n.queue.size(); ++w) {
            QString label = tr("waiting #%1").arg(w + 1);
            // Redisson drops a waiter whose wait ran out (it stopped asking: gone or stuck).
            if (const auto& at = n.queue[w].timeoutAtMs)
                label +=
                    *at >= wallNow
                        ? tr(", times out in %1 s").arg(double(*at - wallNow) / 1000, 0, 'f', 1)
                        : tr(", timed out %1 s ago").arg(double(wallNow - *at) / 1000, 0, 'f', 1);
            add(node, label, displayText(n.queue[w].id));
        }
    };
    for (const auto& n : v->nodes) {
        const QString node = QString::fromStdString(n.node);
        QString s = multi ? node + ": " : QString();
        if (!n.error.empty()) {
            status << s + tr("could not be read: %1").arg(QString::fromStdString(n.error));
            continue;
        }
        if (n.type == "none" && !n.queue.empty()) {
            // A fair lock nobody holds while waiters are queued (issue 14).
            status << s + tr("the key is missing; %n waiting in its fair-lock queue", nullptr,
                             int(n.queue.size()));
            addQueueRows(n, node);
            continue;
        }
        if (n.type == "none") {
            status << s + tr("the key is gone");
            continue;
        }
        if (n.type == "string") {
            s += (n.length == 1 ? tr("string, 1 byte, %1").arg(ttlText(n.pttlMs))
                                : tr("string, %1 bytes, %2").arg(n.length).arg(ttlText(n.pttlMs)));
            if (n.truncated) s += tr(" — showing the first %1 bytes").arg(preview);
            add(node, tr("(value)"),
                displayText(n.value) + (n.truncated ? QStringLiteral("…") : QString()));
        } else if (n.type == "hash") {
            s += (n.length == 1 ? tr("hash, 1 field, %1").arg(ttlText(n.pttlMs))
                                : tr("hash, %1 fields, %2").arg(n.length).arg(ttlText(n.pttlMs)));
            if (n.truncated)
                s += tr(" — showing %1 fields, values up to %2 bytes")
                         .arg(n.fields.size())
                         .arg(preview);
            for (const auto& [field, value] : n.fields)
                add(node, displayText(field), displayText(value));
            // A Redisson read-write lock: its mode and readers are the fields above; a fair
            // lock: who waits, in order.
            addQueueRows(n, node);
            if (!n.queue.empty()) s += tr(", %n waiting", nullptr, int(n.queue.size()));
        } else {
            s += tr("%1 of %2 elements, %3")
                     .arg(QString::fromStdString(n.type))
                     .arg(n.length)
                     .arg(ttlText(n.pttlMs));
        }
        if (n.primitive) addPrimitiveRows(*n.primitive, node, s);
        // A plain semaphore's permits taken by LockScope's clients: each token, the process it
        // names and whether that process is still connected (adv14e item 6).
        for (const auto& t : n.recordedPermits)
            add(node,
                !t.connected   ? tr("token (unknown)")
                : *t.connected ? tr("token (connected)")
                               : tr("token (gone)"),
                displayText(t.token) + QStringLiteral("  ") + recordedPermitText(t));
        if (!n.recordedPermits.empty())
            s += tr(", %n token(s) recorded", nullptr, int(n.recordedPermits.size()));
        status << s;
    }
    // The TTLs, leases and deadlines above are of the moment of the read (adv14d item 10).
    status << tr("Read at %1; read again when the lock changes.")
                  .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")));
    valueStatus_->setText(status.join('\n'));
    // The processes behind "<uuid>:<thread>" holders, read with the value: the summary names them.
    std::unordered_map<std::string, std::string> clients;
    std::vector<locks::RecordedPermit> recorded;
    bool clientsKnown = false;
    for (const auto& n : v->nodes) {
        clients.insert(n.holderClients.begin(), n.holderClients.end());
        clientsKnown = clientsKnown || n.holderClientsRead;
        recorded.insert(recorded.end(), n.recordedPermits.begin(), n.recordedPermits.end());
    }
    holderClientsKnown_ = clientsKnown;
    const bool tokensMoved =
        !std::equal(recorded.begin(), recorded.end(), recordedPermits_.begin(),
                    recordedPermits_.end(), [](const auto& a, const auto& b) {
                        return a.token == b.token && a.connected == b.connected;
                    });
    recordedPermits_ = std::move(recorded);
    size_t waiting = 0;
    for (const auto& n : v->nodes) waiting = std::max(waiting, n.queue.size());
    const bool queueMoved = waiting != fairWaiting_;
    fairWaiting_ = waiting;
    if ((queueMoved || tokensMoved) && record_ && clients == holderClients_)
        renderSummary(*record_);
    if (clients != holderClients_) {
        holderClients_ = std::move(clients);
        if (record_) renderSummary(*record_);
    }
    // Labels like "waiting #1, times out in 4.9 s" and holders' fields: as wide as they need,
    // up to half the table, so the values keep room (170 px elided them).
    values_->resizeColumnToContents(1);
    const int half = std::max(170, values_->viewport()->width() / 2);
    values_->setColumnWidth(1, std::clamp(values_->columnWidth(1), 170, half));
    ++valuesShown_;
}

}  // namespace lockscope::ui
