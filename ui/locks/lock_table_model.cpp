#include "ui/locks/lock_table_model.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QLocale>
#include <algorithm>
#include <limits>

#include "locks/owner.h"
#include "ui/common/core_text.h"
#include "ui/common/display_text.h"
#include "ui/common/palette_colours.h"
#include "ui/locks/holder_timeline.h"
#include "util/clock.h"

namespace lockscope::ui {
namespace {

// A semaphore (plain or expirable) none of whose permits is taken: in use by nobody.
bool unusedSemaphore(const monitor::KeyRecord& r) {
    using F = monitor::Format;
    return (r.format == F::Semaphore || r.format == F::ExpirableSemaphore ||
            r.format == F::RedissonExpirableSemaphore) &&
           r.holdCount == 0 && r.state != monitor::LockState::Free;
}

}  // namespace
namespace {

// A heartbeat: LockScope's hash, or seed 001's bare counter (issue 11).
bool isBeating(const monitor::KeyState& r) {
    return r.format == monitor::Format::Heartbeat || r.format == monitor::Format::HeartbeatCounter;
}

}  // namespace
namespace {

QByteArray k(const std::string& key) {
    return QByteArray(key.data(), static_cast<qsizetype>(key.size()));
}

QString durationText(long long ms) {
    if (ms < 0) return {};
    auto unit = [](const char* text, long long n) {
        return QCoreApplication::translate("lockscope::ui::LockTableModel", text).arg(n);
    };
    // One unit per magnitude (adv11d cosmetic: "≥ 7292 ms" beside "≥ 12 s"): under a second in
    // ms, seconds in s (a tenth under ten), then min and h.
    if (ms < 1000) return unit(QT_TRANSLATE_NOOP("lockscope::ui::LockTableModel", "%1 ms"), ms);
    if (ms < 10'000)
        return QCoreApplication::translate("lockscope::ui::LockTableModel", "%1 s")
            .arg(QLocale().toString(double(ms / 100) / 10.0, 'f', 1));
    if (ms < 120'000)
        return unit(QT_TRANSLATE_NOOP("lockscope::ui::LockTableModel", "%1 s"), ms / 1000);
    if (ms < 7'200'000)
        return unit(QT_TRANSLATE_NOOP("lockscope::ui::LockTableModel", "%1 min"), ms / 60'000);
    return unit(QT_TRANSLATE_NOOP("lockscope::ui::LockTableModel", "%1 h"), ms / 3'600'000);
}

}  // namespace

LockTableModel::LockTableModel(QObject* parent) : SortedRowsModel<LockRow>(parent) {
    // The countdown: only the time columns change, and only visible cells repaint.
    tick_.setInterval(250);
    connect(&tick_, &QTimer::timeout, this, [this] {
        if (size() == 0) return;
        emit dataChanged(index(0, Ttl), index(static_cast<int>(size()) - 1, Age),
                         {Qt::DisplayRole, Qt::UserRole, TtlFractionRole});
    });
    tick_.start();
}

namespace {

bool isPermits(monitor::Format f) {
    return f == monitor::Format::Semaphore || f == monitor::Format::ExpirableSemaphore ||
           f == monitor::Format::RedissonExpirableSemaphore;
}

}  // namespace

QString LockTableModel::stateText(const monitor::KeyRecord& r) {
    if (r.state == monitor::LockState::Held && isPermits(r.format) && r.holdCount == 0)
        return tr("unused");
    if (r.state == monitor::LockState::Free && r.format == monitor::Format::Latch)
        return tr("open");  // a latch's key goes when it opens: "free" is a lock's word
    if (r.state == monitor::LockState::Held && r.format == monitor::Format::Latch)
        return tr("closed");  // count left: nobody holds a latch ("held" is a lock's word)
    return lockStateText(r.state);
}

QString LockTableModel::noHolderText(const monitor::KeyRecord& r) {
    if (r.format == monitor::Format::Latch && r.state == monitor::LockState::Free)
        return tr("(open)");  // a latch is opened, not freed: the State column says "open"
    if (r.queueOnly) return tr("(free: %n waiting)", nullptr, int(r.queued));
    // A semaphore with every permit free names nobody (it read "taken:0/1").
    if (unusedSemaphore(r)) return tr("(none taken)");
    if (r.holder.empty() || r.state == monitor::LockState::Free) return tr("(free)");
    return {};
}

QString LockTableModel::stateMeaning(const monitor::KeyRecord& r) {
    if (r.queueOnly)
        return tr(
            "Free, with %n waiter(s) queued: nobody holds it (its key is missing), and the "
            "first in the queue takes it next — between a release and that grant, or its "
            "holder's lease ran out. A waiter whose wait runs out drops out of the queue.",
            nullptr, int(r.queued));
    if (r.state == monitor::LockState::Free && r.format == monitor::Format::Latch)
        return tr(
            "Open: its count reached zero (or it was force-released), so its key is "
            "deleted and everyone awaiting it went on.");
    if (r.state != monitor::LockState::Held) return lockStateMeaning(r.state);
    if (isPermits(r.format) && r.holdCount == 0)
        return tr("Unused: every permit is free. A semaphore has no TTL by design.");
    if (r.format == monitor::Format::Semaphore)
        return tr(
            "%n permit(s) taken. A plain permit has no owner and no lease: it is held until "
            "its holder releases it, and a crashed holder's permit never comes back. The "
            "semaphore has no TTL by design.",
            nullptr, int(r.holdCount));
    if (isPermits(r.format))
        return tr(
            "%n permit(s) taken, each with its own lease: a holder that stops renewing "
            "loses its permit when its lease runs out. The semaphore has no TTL by design.",
            nullptr, int(r.holdCount));
    if (r.format == monitor::Format::Latch)
        return tr(
            "Closed: %n count-down(s) to go. A latch has no TTL by design; it opens (its key "
            "is deleted) when the count reaches zero.",
            nullptr, int(r.number));
    return lockStateMeaning(r);  // empty for a lock held without a TTL
}

QColor LockTableModel::stateColor(monitor::LockState s) {
    using S = monitor::LockState;
    switch (s) {
        case S::Held:
            return QColor(0x2e, 0x7d, 0x32);
        case S::Expiring:
            return QColor(0xef, 0x8f, 0x00);
        case S::StuckNoTtl:
            return QColor(0xc6, 0x28, 0x28);
        case S::ExpiredTimestamp:
            return QColor(0xad, 0x14, 0x57);
        case S::HeartbeatStale:
            return QColor(0xd8, 0x43, 0x15);
        case S::Orphaned:
            return QColor(0x6a, 0x1b, 0x9a);
        case S::Split:
            return QColor(0x45, 0x5a, 0x64);
        case S::Free:
            return QColor(0x75, 0x75, 0x75);
        case S::Unknown:
            return QColor(0x8d, 0x6e, 0x63);
    }
    return {};
}

int LockTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LockTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case Acquisitions:
                return tr(
                    "Acquisitions seen while LockScope followed the lock (`acquisitions` in "
                    "lockscope-cli locks --json; its `holds` counts the holds that ended)");
            case HoldP50:
                return tr("Median time a holder kept the lock");
            case HoldP99:
                return tr("99th percentile hold time; flagged where it nears the TTL");
            case RanOut:
                return tr(
                    "Leases that ran out while held: the holder died or the TTL is too "
                    "short");
            case Takeovers:
                return tr("Another holder took it without the lock going free in between");
            default:
                return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    static const char* names[] = {
        QT_TR_NOOP("Key"),      QT_TR_NOOP("Format"),   QT_TR_NOOP("Holder"),
        QT_TR_NOOP("TTL"),      QT_TR_NOOP("Age"),      QT_TR_NOOP("Heartbeat"),
        QT_TR_NOOP("Nodes"),    QT_TR_NOOP("State"),    QT_TR_NOOP("Acquisitions"),
        QT_TR_NOOP("Hold p50"), QT_TR_NOOP("Hold p99"), QT_TR_NOOP("Ran out"),
        QT_TR_NOOP("Takeovers")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

const monitor::KeyRecord* LockTableModel::recordAt(int r) const {
    return r >= 0 && r < static_cast<int>(size()) ? &row(r).record : nullptr;
}

QStringList LockTableModel::ageSamples() {
    QStringList out;
    for (long long ms : {999LL, 9'999LL, 119'999LL, 7'199'999LL, 99LL * 3'600'000}) {
        out << durationText(ms);
        out << tr("≥ %1").arg(durationText(ms));
    }
    out << tr("unknown");
    return out;
}

QVariant LockTableModel::data(const QModelIndex& idx, int role) const {
    const auto* r = idx.isValid() ? recordAt(idx.row()) : nullptr;
    if (!r) return {};
    const auto now = monitor::Steady::now();
    const long long ttl = r->state == monitor::LockState::Free ? -2 : r->ttlNow(now);
    const long long age = r->ageMs(now);
    if (role == RecordRole) return QVariant::fromValue(static_cast<const void*>(r));
    if (role == TtlFractionRole) {
        const long long full = row(idx.row()).fullTtl;
        return ttl >= 0 && full > 0 ? double(ttl) / double(full) : -1.0;
    }
    const int col = idx.column();
    if (col >= Acquisitions) return statsData(row(idx.row()).stats, col, role);
    if (role == ElideRole)
        return col == Holder && r->holder.find(',') != std::string::npos ? int(Qt::ElideRight)
                                                                         : QVariant();
    if (role == Qt::UserRole) {  // sort keys
        switch (col) {
            case Ttl:
                return ttl < 0 ? std::numeric_limits<qlonglong>::max() : qlonglong(ttl);
            case Age:
                return qlonglong(age);
            case Nodes:
                return int(r->nodesHolding);
            case State:
                return int(r->state);
            case Heartbeat:
                return qlonglong(isBeating(*r) ? r->number : -1);
            default:
                return data(idx, Qt::DisplayRole);
        }
    }
    if (role == Qt::DisplayRole) {
        switch (col) {
            case Key:
                return displayText(r->key);
            case Format:
                return QString::fromUtf8(monitor::formatName(r->format).data());
            case Holder:
                if (const QString nobody = noHolderText(*r); !nobody.isEmpty()) return nobody;
                return HolderTimeline::holderList(r->holder, r->format);
            case Ttl:
                return ttl == -1 ? tr("no TTL") : ttl < 0 ? QStringLiteral("–") : durationText(ttl);
            case Age:
                // A lower bound (OBJECT IDLETIME, first sight) is said as one: "≥ 41 s", and
                // under a second it says nothing — "unknown".
                if (r->ageExact) return durationText(age);
                return age < 1000 ? tr("unknown") : tr("≥ %1").arg(durationText(age));
            case Heartbeat:
                if (!isBeating(*r)) return QStringLiteral("–");
                if (r->periodMs <= 0) return tr("beat %1 / ? ms").arg(r->number);
                return tr("beat %1 / %2 ms").arg(r->number).arg(r->periodMs);
            case Nodes:
                if (r->node >= 0 && size_t(r->node) < clusterNodes_.size())
                    return QString::fromStdString(clusterNodes_[size_t(r->node)]);
                return r->nodesTotal > 1 ? QString("%1/%2").arg(r->nodesHolding).arg(r->nodesTotal)
                                         : QStringLiteral("1");
            case State: {
                QString state = stateText(*r);
                // The last known state of a key that cannot be read now: never "free" for it.
                if (r->isStale()) state += tr(" · stale (%1)").arg(stalenessText(r->stale));
                return state;
            }
        }
    }
    if (role == Qt::FontRole && r->isStale()) {
        QFont italic;
        italic.setItalic(true);
        return italic;
    }
    if (role == Qt::ToolTipRole) {
        if (col == State) {
            QString tip = lockStateMeaning(*r);
            if (r->isStale())
                tip += tr("\nStale: LockScope cannot read this key now (%1); this is its last "
                          "known state, not what the server holds.")
                           .arg(stalenessText(r->stale));
            return tip;
        }
        if (col == Holder) {
            QString tip = displayText(r->holder);
            if (auto info = locks::parseToken(r->holder))
                tip += tr("\nLockScope %1 holder: host %2, pid %3")
                           .arg(QString::fromStdString(info->strategy),
                                QString::fromStdString(info->host))
                           .arg(info->pid);
            return tip;
        }
        auto d = monitor::describe(*r, systemClock().wallMillis());
        return d.empty() ? QVariant() : QString::fromStdString(d);
    }
    if (role == Qt::ForegroundRole && col == State)  // readable on a light or a dark palette
        return QBrush(
            readableOn(stateColor(r->state), QGuiApplication::palette().color(QPalette::Base)));
    if (role == Qt::TextAlignmentRole && (col == Ttl || col == Age || col == Nodes))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant LockTableModel::statsData(const monitor::LockStatsSummary& s, int col, int role) const {
    const bool none = s.key.empty();
    auto value = [&]() -> long long {
        switch (col) {
            case Acquisitions:
                return none ? -1 : s.acquisitions;
            case HoldP50:
                return s.holdP50Ms;
            case HoldP99:
                return s.holdP99Ms;
            case RanOut:
                return none ? -1 : s.expiredWhileHeld;
            case Takeovers:
                return none ? -1 : s.takeovers;
        }
        return -1;
    };
    const long long v = value();
    if (role == Qt::UserRole) return qlonglong(v);
    if (role == Qt::DisplayRole) {
        if (v < 0) return QStringLiteral("–");
        if (col == HoldP50 || col == HoldP99) return durationText(v);
        return QString::number(v);
    }
    if (role == Qt::TextAlignmentRole) return int(Qt::AlignRight | Qt::AlignVCenter);
    const bool warnP99 = col == HoldP99 && s.nearsTtl;
    const bool warnRanOut = col == RanOut && s.expiredWhileHeld > 0;
    if (role == Qt::ForegroundRole && (warnP99 || warnRanOut))
        return QBrush(readableOn(stateColor(monitor::LockState::Expiring),
                                 QGuiApplication::palette().color(QPalette::Base)));
    if (role == Qt::FontRole && (warnP99 || warnRanOut)) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole && warnP99)
        return tr("p99 hold time (%1 ms) nears the TTL (%2 ms): holders risk outliving their "
                  "lease")
            .arg(s.holdP99Ms)
            .arg(s.leaseMs > 0 ? s.leaseMs : s.leaseAtLeastMs);
    if (role == Qt::ToolTipRole && !none && (col == HoldP50 || col == HoldP99) && v >= 0)
        return s.leaseMs > 0 ? tr("max %1 ms; lease %2 ms").arg(s.holdMaxMs).arg(s.leaseMs)
                             : tr("max %1 ms; lease at least %2 ms (TTL read, not the grant)")
                                   .arg(s.holdMaxMs)
                                   .arg(s.leaseAtLeastMs);
    return {};
}

bool LockTableModel::columnLess(const LockRow& left, const LockRow& right, int column) const {
    const auto* a = &left.record;
    const auto* b = &right.record;
    // TTLs and ages all move with the clock: order by the instant they refer to, not by now.
    auto expiry = [](const monitor::KeyRecord& r) {
        return r.ttlMs < 0 || r.state == monitor::LockState::Free
                   ? monitor::Steady::time_point::max()
                   : r.observedAt + std::chrono::milliseconds(r.ttlMs);
    };
    auto holder = [](const monitor::KeyRecord& r) -> std::string_view {
        return r.holder.empty() || r.state == monitor::LockState::Free ? std::string_view("(free)")
                                                                       : r.holder;
    };
    auto beat = [](const monitor::KeyRecord& r) { return isBeating(r) ? r.number : -1; };
    switch (column) {
        case Key:
            return a->key < b->key;
        case Format:
            return monitor::formatName(a->format) < monitor::formatName(b->format);
        case Holder:
            return holder(*a) < holder(*b);
        case Ttl:
            return expiry(*a) < expiry(*b);
        case Age:
            // Taken longer ago = older (a heartbeat counter's hold began before its last beat).
            return a->lastChange - std::chrono::milliseconds(a->heldBeforeChangeMs) >
                   b->lastChange - std::chrono::milliseconds(b->heldBeforeChangeMs);
        case Heartbeat:
            return beat(*a) < beat(*b);
        case Nodes:
            return a->nodesHolding != b->nodesHolding ? a->nodesHolding < b->nodesHolding
                                                      : a->node < b->node;
        case State:
            return a->state < b->state;
        case Acquisitions:
        case HoldP50:
        case HoldP99:
        case RanOut:
        case Takeovers:
            return statsData(left.stats, column, Qt::UserRole).toLongLong() <
                   statsData(right.stats, column, Qt::UserRole).toLongLong();
    }
    return false;
}

void LockTableModel::apply(const monitor::MonitorUpdate& u) {
    changedKeys_.clear();
    clusterNodes_.clear();
    if (u.status.kind == monitor::TargetKind::Cluster)
        for (const auto& n : u.status.nodes) clusterNodes_.push_back(n.display());
    // Stats first: they come with (or before) the record that moved them.
    for (const auto& st : u.stats) stats_.insert_or_assign(st.key, st);
    auto statsOf = [this](const std::string& key) {
        const auto it = stats_.find(key);
        return it == stats_.end() ? monitor::LockStatsSummary{} : it->second;
    };
    // An update of a storm can hold 20k rows: one batch (sorted_rows_model.h).
    applyUpdate(
        u, [](const monitor::KeyRecord& r) { return r.isLock(); },
        [&](const monitor::KeyRecord& r) {
            return LockRow{r, std::max(0LL, r.ttlMs), statsOf(r.key)};
        },
        [&](LockRow& row, const monitor::KeyRecord& r, bool isNew) {
            row.stats = statsOf(r.key);
            if (!isNew && row.record.holder != r.holder) row.fullTtl = 0;
            row.fullTtl = std::max(row.fullTtl, r.ttlMs);
            row.record = r;
            if (!isNew) changedKeys_.insert(k(r.key));
        });
    emit applied();
}

bool LockTableModel::changedInLastApply(const std::string& key) const {
    return changedKeys_.contains(k(key));
}

void LockTableModel::clear() {
    changedKeys_.clear();
    stats_.clear();
    clearRows();
}

}  // namespace lockscope::ui
