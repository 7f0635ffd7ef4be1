#include "ui/actions/action_worker.h"

#include <QDateTime>
#include <algorithm>

#include "actions/lease_resolver.h"
#include "actions/lock_actions.h"
#include "locks/primitive_state.h"
#include "monitor/rules.h"
#include "redis/error.h"
#include "redis/script.h"
#include "ui/common/display_text.h"

namespace lockscope::ui {
namespace {

using Kind = ActionRequest::Kind;
using Outcome = ActionResult::Outcome;
using std::chrono::milliseconds;

QString ttlText(long long ms) {
    if (ms == -1) return QObject::tr("no TTL");
    if (ms < 0) return QObject::tr("no TTL known");
    return ms < 10'000 ? QObject::tr("%1 ms").arg(ms) : QObject::tr("%1 s").arg(ms / 1000);
}

void refuse(ActionResult& r, Outcome outcome, const QString& message) {
    r.outcome = outcome;
    r.message = message;
}

// Appends `entry`; a log that cannot be written is said in the result's message.
void writeAudit(ActionResult& r, const AuditEntry& entry) {
    if (auto problem = appendAudit(entry))
        r.message += QObject::tr(" Warning: %1.").arg(QString::fromStdString(*problem));
}

// KEYS[1] = counter; ARGV[1] = the new value. Writes only a counter: a string holding an integer
// (SET … KEEPTTL, so a counter with a TTL keeps it) or a versioned counter's hash (value, and
// version + 1 so optimistic writers see the change). Returns {outcome, previous value or type}.
const redis::Script& setCounterScript() {
    static const redis::Script s(R"lua(
local t = redis.call('TYPE', KEYS[1]).ok
if t == 'string' then
  local v = redis.call('GET', KEYS[1])
  if not string.match(v, '^-?%d+$') then return {'not-a-counter', 'string'} end
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
  return {'done', v}
elseif t == 'hash' and redis.call('HEXISTS', KEYS[1], 'value') == 1 then
  local v = redis.call('HGET', KEYS[1], 'value')
  redis.call('HSET', KEYS[1], 'value', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  return {'done', v}
elseif t == 'none' then
  return {'missing', ''}
end
return {'not-a-counter', t}
)lua");
    return s;
}

// A synchroniser's "holder" is a count or a set of permits: a refusal says what changed in its
// own words, not "it is now held by count:1/1" (adv14e item 8, as the CLI says it). Empty for a
// lock.
QString synchroniserChanged(const actions::NodeResult& n, const std::string& asked,
                            const QString& key) {
    using F = monitor::Format;
    const auto f = n.format;
    if (const auto c = locks::parseLatchHolder(n.found); c && (!f || *f == F::Latch))
        return QObject::tr(
                   "%1 was not opened: the count changed — it is now %2. Look at it "
                   "again before opening it.")
            .arg(key, c->size ? QObject::tr("%1 of %2").arg(c->count).arg(*c->size)
                              : QString::number(c->count));
    if (const auto t = locks::parsePlainPermitsHolder(n.found); t && (!f || *f == F::Semaphore))
        return QObject::tr(
                   "No permit of %1 was given back: the permits taken changed — now %2. "
                   "Look at it again before giving any back.")
            .arg(key, t->size ? QObject::tr("%1 of %2").arg(t->count).arg(*t->size)
                              : QString::number(t->count));
    if (f && (*f == F::ExpirableSemaphore || *f == F::RedissonExpirableSemaphore)) {
        // The permit(s) asked for are no longer among those taken: given back (or run out).
        auto ids = [](const std::string& holder) {
            std::vector<std::string> out;
            for (size_t at = 0; at <= holder.size();) {
                const size_t comma = std::min(holder.find(',', at), holder.size());
                if (comma > at) out.push_back(holder.substr(at, comma - at));
                at = comma + 1;
            }
            return out;
        };
        const auto taken = ids(n.found);
        const auto wanted = ids(asked);
        const bool allGone = std::none_of(wanted.begin(), wanted.end(), [&](const auto& id) {
            return std::find(taken.begin(), taken.end(), id) != taken.end();
        });
        if (wanted.size() == 1 && allGone)
            return QObject::tr(
                       "%1 was not released: that permit was given back (or its lease ran "
                       "out) — it is no longer taken. Look at it again before acting.")
                .arg(key);
        return QObject::tr(
                   "%1 was not released: the permits taken changed — now %2. Look at it "
                   "again before acting.")
            .arg(key, taken.empty() ? QObject::tr("none") : displayText(n.found));
    }
    return {};
}

}  // namespace

bool auditedWhenRefused(Kind k) {
    return k == Kind::ForceRelease || k == Kind::SetCounter || k == Kind::ResetCounter;
}

AuditedAction auditedAction(const ActionRequest& q) {
    AuditedAction a;
    switch (q.kind) {
        case Kind::ForceRelease:
            a.kind = AuditedAction::Kind::ForceRelease;
            a.ttlShownMs = q.ttlMs;
            break;
        case Kind::SetCounter:
            a.kind = AuditedAction::Kind::SetCounter;
            break;
        case Kind::ResetCounter:
            a.kind = AuditedAction::Kind::ResetCounter;
            break;
        default:
            a.kind = AuditedAction::Kind::Extend;
            break;
    }
    a.key = q.key;
    a.holder = q.holder;
    a.ttlMs = q.ttlMs;
    a.value = q.value;
    return a;
}

ActionResult refusedReadOnly(quint64 id, const ActionRequest& q,
                             const std::vector<redis::Endpoint>& nodes) {
    ActionResult r;
    r.id = id;
    r.kind = q.kind;
    r.key = q.key;
    refuse(r, Outcome::ReadOnly,
           QObject::tr("Read-only mode: %1 of %2 was not sent. Turn off Actions > Read-only mode "
                       "to write.")
               .arg(actionName(q.kind), displayText(q.key)));
    if (auditedWhenRefused(q.kind))
        writeAudit(r, auditEntry(auditedAction(q), redis::displayList(nodes), "refused-read-only"));
    return r;
}

class ActionWorker::Routed {
public:
    Routed(ActionWorker& worker, const std::vector<redis::Endpoint>& to) : w_(worker) {
        if (to.empty() || to == w_.nodes_) return;
        active_ = true;
        nodes_ = std::exchange(w_.nodes_, to);
        conns_ = std::exchange(w_.conns_, std::vector<std::optional<redis::Connection>>(to.size()));
    }
    ~Routed() {
        if (!active_) return;
        w_.nodes_ = std::move(nodes_);
        w_.conns_ = std::move(conns_);
    }
    Routed(const Routed&) = delete;
    Routed& operator=(const Routed&) = delete;

private:
    ActionWorker& w_;
    std::vector<redis::Endpoint> nodes_;
    std::vector<std::optional<redis::Connection>> conns_;
    bool active_ = false;
};

ActionWorker::ActionWorker(std::shared_ptr<std::atomic<bool>> readOnly,
                           std::shared_ptr<std::atomic<bool>> stopping)
    : readOnly_(std::move(readOnly)),
      stopping_(std::move(stopping)),
      owner_(locks::Owner::create()) {}

ActionWorker::~ActionWorker() {
    for (auto& h : held_) {
        try {
            h->keeper->release();
        } catch (const std::exception&) {
            // The server is gone: the lease runs out by itself.
        }
    }
}

void ActionWorker::setTarget(monitor::MonitorTarget target) { target_ = std::move(target); }

void ActionWorker::setNodes(std::vector<redis::Endpoint> nodes) {
    nodes_ = std::move(nodes);
    conns_.clear();
    conns_.resize(nodes_.size());
}

void ActionWorker::run(quint64 id, const ActionRequest& q) {
    if (readOnly_->load()) {
        emit finished(refusedReadOnly(id, q, nodes_));
        return;
    }
    ActionResult r;
    r.id = id;
    r.kind = q.kind;
    r.key = q.key;
    Routed routed(*this, q.nodes);
    if (nodes_.empty()) {
        r.outcome = Outcome::NotConnected;
        r.message = QObject::tr("Not connected to a server yet.");
        emit finished(r);
        return;
    }
    try {
        switch (q.kind) {
            case Kind::Acquire:
                acquire(q, r);
                break;
            case Kind::Release:
                release(q, r);
                break;
            case Kind::Extend:
                extend(q, r);
                break;
            case Kind::ForceRelease:
                forceRelease(q, r);
                break;
            case Kind::SetCounter:
            case Kind::ResetCounter:
                setCounter(q, r);
                break;
        }
    } catch (const redis::Error& e) {
        r.outcome =
            e.kind() == redis::ErrorKind::InvalidArgument ? Outcome::ServerRefused : Outcome::Error;
        r.message =
            QObject::tr("%1 of %2 failed: %3")
                .arg(actionName(q.kind), displayText(q.key), QString::fromStdString(e.what()));
    } catch (const std::exception& e) {
        r.outcome = Outcome::Error;
        r.message = QObject::tr("%1 of %2 failed: %3")
                        .arg(actionName(q.kind), displayText(q.key), QString::fromUtf8(e.what()));
    }
    emit finished(r);
}

redis::ConnectOptions ActionWorker::connectOptions() const {
    redis::ConnectOptions o;
    o.connectTimeout = milliseconds(1500);
    o.commandTimeout = milliseconds(3000);
    o.clientName = owner_.clientName();
    return o;
}

redis::Connection& ActionWorker::conn(size_t i) {
    if (!conns_[i]) conns_[i].emplace(nodes_[i], connectOptions());
    return *conns_[i];
}

void ActionWorker::audit(AuditLog& log, const ActionRequest& q, ActionResult& r,
                         const std::string& server, const std::string& outcome,
                         const std::string& found) {
    if (auto problem = log.append(auditEntry(auditedAction(q), server, outcome, found))) {
        // Done (or refused) but not on record: the operator must see it, not a footnote.
        r.outcome = Outcome::AuditFailed;
        r.message += QObject::tr(" But the audit log could not be written: %1.")
                         .arg(QString::fromStdString(*problem));
    }
}

void ActionWorker::publishLeases() {
    std::vector<HeldLease> list;
    for (const auto& h : held_) list.push_back(h->info);
    emit leasesChanged(list);
}

ActionWorker::Held* ActionWorker::find(quint64 leaseId) {
    for (auto& h : held_)
        if (h->info.id == leaseId) return h.get();
    return nullptr;
}

ActionWorker::Held* ActionWorker::find(const std::string& key, const std::string& holder) {
    for (auto& h : held_)
        if (h->info.key == key && h->info.token == holder) return h.get();
    return nullptr;
}

void ActionWorker::drop(Held* h) {
    // Destroying the keeper's strategy closes its links.
    // The timer may be the one whose timeout is running now: delete it later.
    h->timer->stop();
    h->timer->deleteLater();
    std::erase_if(held_, [h](const auto& p) { return p.get() == h; });
    publishLeases();
}

QString ActionWorker::nodesText(int done) const {
    return nodes_.size() > 1 ? QObject::tr(" on %1/%2 nodes").arg(done).arg(nodes_.size())
                             : QString();
}

void ActionWorker::acquire(const ActionRequest& q, ActionResult& r) {
    const auto* info = locks::findLockStrategy(q.strategy);
    if (q.key.empty()) return refuse(r, Outcome::BadInput, QObject::tr("Give the lock a key."));
    if (!info)
        return refuse(
            r, Outcome::BadInput,
            QObject::tr("Unknown lock strategy '%1'.").arg(QString::fromStdString(q.strategy)));
    if (q.ttlMs <= 0)
        return refuse(r, Outcome::BadInput, QObject::tr("The TTL must be at least 1 ms."));
    if (!info->multiNode && nodes_.size() > 1)
        return refuse(
            r, Outcome::BadInput,
            QObject::tr("%1 works on one server, and this dashboard follows %2 nodes: use "
                        "redlock.")
                .arg(QString::fromStdString(q.strategy))
                .arg(nodes_.size()));
    const milliseconds ttl(q.ttlMs);
    locks::LockContext ctx;
    ctx.nodes = nodes_;
    ctx.connect = connectOptions();
    ctx.owner = owner_;
    // A held lease is renewed every TTL/3 by its keeper — heartbeat beats and reentrant leases
    // too — so that each renewal can follow the master; a lease not held runs out.
    ctx.config.autoBeat = false;
    ctx.config.permits = static_cast<int>(std::clamp<long long>(q.permits, 1, 1'000'000));
    ctx.config.rwMode =
        q.readMode ? locks::LockConfig::RwMode::Read : locks::LockConfig::RwMode::Write;
    auto lock = locks::makeLockStrategy(q.strategy, ctx);
    if (q.hold && !lock->supportsExtend())
        return refuse(r, Outcome::BadInput,
                      QObject::tr("%1 leases cannot be renewed: acquire without holding.")
                          .arg(QString::fromStdString(q.strategy)));
    // On a Sentinel group every attempt goes to the master the Sentinels name now, and a grant
    // counts only if they still name the node it was made on (adv14d item 1: a waiter took the
    // lock on the old master after a failover while its holder held it on the new one).
    const auto where = target_ ? actions::leaseResolver(*target_, q.key, connectOptions())
                               : locks::LeaseKeeper::Resolver();
    locks::WaitOptions wait;
    wait.timeout = milliseconds(std::max<long long>(0, q.waitMs));  // 0: one try
    wait.cancel = stopping_.get();
    std::optional<locks::Lease> lease = locks::acquireFollowing(lock, ctx, q.key, ttl, wait, where);
    if (!lease) {
        locks::LockInfo now;
        try {
            now = lock->inspect(q.key);
        } catch (const redis::Error& e) {
            if (e.kind() != redis::ErrorKind::WrongType || nodes_.empty()) throw;
            // Another kind of key (a fair lock's hash under set-nx-px): say what it is, as the
            // kind check does (locks/kind_check.h), not Redis's raw WRONGTYPE.
            const auto seen = locks::readPrimitiveState(conn(0), q.key).seen;
            return refuse(r, Outcome::BadInput,
                          QObject::tr("%1 is not a %2 lock: it is %3. Nothing changed; choose the "
                                      "strategy of its format (the Locks table's Format column).")
                              .arg(displayText(q.key), QString::fromStdString(q.strategy),
                                   QString::fromStdString(seen)));
        }
        r.holder = now.holder;
        return refuse(
            r, Outcome::Busy,
            QObject::tr("%1 is busy%2%3.")
                .arg(displayText(q.key),
                     now.held ? QObject::tr(" (held by %1, %2)")
                                    .arg(displayText(now.holder), ttlText(now.ttl.count()))
                              : QString(),
                     q.waitMs > 0 ? QObject::tr(" after waiting %1 ms").arg(q.waitMs) : QString()));
    }
    auto h = std::make_unique<Held>();
    h->info.id = ++leaseSeq_;
    h->info.key = q.key;
    h->info.strategy = q.strategy;
    h->info.token = lease->token;
    h->info.ttlMs = q.ttlMs;
    h->info.renewing = q.hold;
    h->info.acquiredWallMs = QDateTime::currentMSecsSinceEpoch();
    h->info.node = redis::displayList(ctx.nodes);  // where the wait ended
    h->keeper =
        std::make_unique<locks::LeaseKeeper>(std::move(lock), ctx, std::move(*lease), where);
    Held* raw = h.get();
    h->timer = new QTimer(this);
    h->timer->setInterval(std::max<long long>(50, q.ttlMs / 3));
    const quint64 leaseId = h->info.id;
    connect(h->timer, &QTimer::timeout, this, [this, leaseId] { tick(leaseId); });
    h->timer->start();
    // A held lease on a Sentinel group or a cluster follows its master at once (issue 14, F14i:
    // it moved only at its next renewal, TTL/3 — 20 s for 60 s — while the CLI's holder moved
    // within a second; meanwhile the new master's CLIENT LIST had no connection of this
    // dashboard, so its fair / read-write lock read as Redisson's and a give-back by count could
    // take its permit's token). Asked here, on the worker's thread, never on the GUI's.
    if (q.hold && h->keeper->follows()) {
        if (!follow_) {
            follow_ = new QTimer(this);
            follow_->setInterval(1000);
            connect(follow_, &QTimer::timeout, this, &ActionWorker::followMasters);
        }
        if (!follow_->isActive()) follow_->start();
    }
    held_.push_back(std::move(h));
    r.holder = raw->info.token;
    r.outcome = Outcome::Done;
    // A plain permit has no TTL (adv14e item 4: the status line said "TTL 10 s").
    if (!raw->keeper->lock().supportsExtend())
        r.message = QObject::tr(
                        "Acquired a permit of %1 (%2: no lease, it is held until you "
                        "release it).")
                        .arg(displayText(q.key), QString::fromStdString(q.strategy));
    else
        r.message =
            QObject::tr("Acquired %1 (%2, TTL %3)%4.")
                .arg(displayText(q.key), QString::fromStdString(q.strategy), ttlText(q.ttlMs),
                     q.hold ? QObject::tr(", held and renewed until you release it") : QString());
    publishLeases();
}

// Every TTL/3 per lease (sooner while renewals fail): renew a held lease, following the master,
// or check that a lease not held is still ours.
void ActionWorker::tick(quint64 leaseId) {
    Held* h = find(leaseId);
    if (!h || stopping_->load()) return;
    ActionResult r;
    r.id = 0;
    r.kind = Kind::Acquire;
    r.key = h->info.key;
    r.holder = h->info.token;
    const int every = int(std::max<long long>(50, h->info.ttlMs / 3));
    // A plain permit has no lease: it never runs out, and its holder string is the count taken,
    // not its token (adv14e item 4: "The lease on dq ran out" 3 s after the acquire, the permit
    // leaked). Its keeper checks the token in the record instead, following the master.
    const bool permit = !h->keeper->lock().supportsExtend();
    if (!h->info.renewing && !permit) {
        try {
            auto info = h->keeper->lock().inspect(h->info.key);
            if (info.held && info.holder.find(h->info.token) != std::string::npos) return;
        } catch (const redis::Error&) {
            return;  // unreachable for now: look again at the next tick
        }
        r.outcome = Outcome::Expired;
        r.message = QObject::tr("The lease on %1 ran out.").arg(displayText(h->info.key));
        drop(h);
        emit leaseEvent(r);
        return;
    }
    using Result = locks::LeaseKeeper::Renewal::Result;
    const auto renewal = h->keeper->renew(milliseconds(h->info.ttlMs));
    switch (renewal.result) {
        case Result::Renewed:
            h->info.token = h->keeper->lease().token;  // setnx-getset: the new expiry
            if (!h->info.problem.empty()) {
                h->info.problem.clear();
                h->timer->setInterval(every);
                publishLeases();
            }
            return;
        case Result::Moved:
            h->info.token = h->keeper->lease().token;
            h->info.node = renewal.node;
            h->info.problem.clear();
            h->timer->setInterval(every);
            publishLeases();
            r.outcome = Outcome::Followed;
            r.message = (permit ? QObject::tr("The permit of %1 followed the master from %2 to "
                                              "%3: it is recorded there, it survived the "
                                              "failover.")
                                : QObject::tr("The lease on %1 followed the master from %2 to %3: "
                                              "renewed there, it survived the failover."))
                            .arg(displayText(h->info.key), QString::fromStdString(renewal.from),
                                 QString::fromStdString(renewal.node));
            emit leaseEvent(r);
            return;
        case Result::Unconfirmed: {
            const bool first = h->info.problem.empty();
            h->info.problem = renewal.reason;
            h->timer->setInterval(std::min(every, 250));
            publishLeases();
            if (!first) return;
            r.outcome = Outcome::Error;
            r.message =
                permit ? QObject::tr(
                             "Could not check the permit of %1: %2. A plain permit has "
                             "no lease, it stays taken; asking for the current master "
                             "again.")
                             .arg(displayText(h->info.key), QString::fromStdString(renewal.reason))
                       : QObject::tr(
                             "Could not renew the lease on %1: %2. It is ours for %3 ms "
                             "more; asking for the current master again.")
                             .arg(displayText(h->info.key), QString::fromStdString(renewal.reason))
                             .arg(renewal.validFor.count());
            emit leaseEvent(r);
            return;
        }
        case Result::Lost:
            r.outcome = Outcome::Lost;
            r.message = (permit ? QObject::tr("Lost the permit of %1: %2.")
                                : QObject::tr("Lost the lease on %1: %2."))
                            .arg(displayText(h->info.key), QString::fromStdString(renewal.reason));
            drop(h);
            emit leaseEvent(r);
            return;
    }
}

void ActionWorker::followMasters() {
    std::vector<quint64> moved;
    bool following = false;
    for (const auto& h : held_) {
        if (!h->info.renewing || !h->keeper->follows()) continue;
        following = true;
        if (stopping_->load()) return;
        if (h->keeper->masterMoved()) moved.push_back(h->info.id);
    }
    if (!following && follow_) follow_->stop();
    // tick() renews there (a "followed" event) or says why not; it may drop the lease.
    for (const quint64 id : moved) tick(id);
}

void ActionWorker::release(const ActionRequest& q, ActionResult& r) {
    Held* h = find(q.leaseId);
    if (!h)
        return refuse(r, Outcome::NotHeld,
                      QObject::tr("This dashboard no longer holds that lease (it ran out or was "
                                  "released)."));
    r.key = h->info.key;
    r.holder = h->info.token;
    const auto result = h->keeper->release();
    drop(h);
    using RR = locks::ReleaseResult;
    if (result == RR::Released || result == RR::StillHeld) {
        r.outcome = Outcome::Done;
        r.message = QObject::tr("Released %1.").arg(displayText(r.key));
    } else if (result == RR::NotOwner) {
        refuse(r, Outcome::NotOwner,
               QObject::tr("%1 was not released: someone else holds it now (our lease had run "
                           "out).")
                   .arg(displayText(r.key)));
    } else {
        refuse(r, Outcome::NotHeld,
               QObject::tr("%1 was not held any more (it expired).").arg(displayText(r.key)));
    }
}

void ActionWorker::extend(const ActionRequest& q, ActionResult& r) {
    if (q.ttlMs <= 0)
        return refuse(r, Outcome::BadInput, QObject::tr("The TTL must be at least 1 ms."));
    if (Held* h = find(q.key, q.holder)) {
        if (!h->keeper->lock().supportsExtend())
            return refuse(r, Outcome::NotSupported,
                          QObject::tr("%1 locks cannot be extended.")
                              .arg(QString::fromStdString(h->info.strategy)));
        using Result = locks::LeaseKeeper::Renewal::Result;
        const auto renewal = h->keeper->renew(milliseconds(q.ttlMs));
        if (renewal.result == Result::Lost) {
            refuse(r, Outcome::Lost,
                   QObject::tr("%1 was not extended: this dashboard's lease on it is gone (%2).")
                       .arg(displayText(q.key), QString::fromStdString(renewal.reason)));
            drop(h);
            return;
        }
        if (renewal.result == Result::Unconfirmed) {
            r.outcome = Outcome::Error;
            r.message = QObject::tr("%1 was not extended: %2. The lease is ours for %3 ms more.")
                            .arg(displayText(q.key), QString::fromStdString(renewal.reason))
                            .arg(renewal.validFor.count());
            return;
        }
        h->info.ttlMs = q.ttlMs;
        h->info.token = h->keeper->lease().token;
        h->info.node = renewal.node;
        h->timer->setInterval(std::max<long long>(50, q.ttlMs / 3));
        publishLeases();
        r.holder = h->info.token;
        r.outcome = Outcome::Done;
        r.message = QObject::tr("Extended %1 to %2.").arg(displayText(q.key), ttlText(q.ttlMs));
        return;
    }
    // Someone else's lock: compare-and-extend with the holder the user saw, logged.
    holderAction(q, r);
}

void ActionWorker::forceRelease(const ActionRequest& q, ActionResult& r) {
    if (q.holder.empty())
        return refuse(r, Outcome::BadInput,
                      QObject::tr("%1 has no holder to compare with: nothing to force-release.")
                          .arg(displayText(q.key)));
    // Our own lease: stop renewing it first, or a renewal could race with the delete.
    if (Held* h = find(q.key, q.holder)) drop(h);
    holderAction(q, r);
}

void ActionWorker::holderAction(const ActionRequest& q, ActionResult& r) {
    const bool extending = q.kind == Kind::Extend;
    actions::LockActionRequest a;
    a.action = extending ? actions::LockAction::Extend : actions::LockAction::ForceRelease;
    a.key = q.key;
    a.holder = q.holder;
    a.ttl = milliseconds(extending ? q.ttlMs : 0);
    if (!extending) a.ttlShownMs = q.ttlMs;
    // An integer lock is watched here, in the worker, before it is deleted (a live heartbeat).
    if (q.observeMs >= 0) {  // chosen for the lock: 1.5 measured beat periods
        a.observe = milliseconds(q.observeMs);
        a.observeChosen = true;
    }
    a.quietSeen = milliseconds(std::max(0LL, q.quietSeenMs));
    a.acceptGuess = q.acceptGuess;
    if (q.permits > 0) a.permits = q.permits;
    // A give-back by count just after a failover is refused while holders may be reconnecting
    // (issue 14, F14i): how long the Sentinels have named this master.
    if (!extending && target_ && nodes_.size() == 1 && locks::parsePlainPermitsHolder(q.holder))
        a.masterFor = monitor::masterNamedFor(*target_, nodes_.front(), connectOptions());
    // The rules the Settings dialog saved (a small file, read here off the GUI thread).
    a.rules = monitor::loadRulesFile(monitor::rulesFilePath()).rules;
    const auto report = actions::runLockAction(a, nodes_, connectOptions());
    const QString key = displayText(q.key);
    const QString verb = extending ? QObject::tr("extended") : QObject::tr("released");
    using V = actions::LockActionReport::Verdict;
    using N = actions::NodeResult::Outcome;
    auto perNode = [&] {
        QStringList lines;
        for (const auto& n : report.nodes)
            if (!n.acted())
                lines << QStringLiteral("%1: %2%3")
                             .arg(QString::fromStdString(n.node),
                                  QString::fromUtf8(actions::outcomeName(n.outcome).data(),
                                                    int(actions::outcomeName(n.outcome).size())),
                                  n.reason.empty()
                                      ? QString()
                                      : QStringLiteral(" (%1)").arg(displayText(n.reason)));
        return lines.join(QStringLiteral("; "));
    };
    switch (report.verdict()) {
        case V::NotAudited:
            return refuse(r, Outcome::AuditFailed,
                          QObject::tr("%1 was not %2: %3. Nothing was sent: an action that cannot "
                                      "be logged is not taken.")
                              .arg(key, verb, QString::fromStdString(*report.auditProblem)));
        case V::Done:
        case V::Partial: {
            const actions::NodeResult* first = nullptr;
            for (const auto& n : report.nodes)
                if (n.acted() && !first) first = &n;
            r.holder = first->after;
            const QString on =
                nodes_.size() > 1
                    ? QObject::tr(" on %1/%2 nodes").arg(report.acted()).arg(nodes_.size())
                    : QString();
            r.outcome = Outcome::Done;
            const QString log = QString::fromStdString(report.auditPath);
            // A hash lock's other holders stay (a read-write lock's other readers): said, as the
            // CLI says it (adv14d item 11: the log read only "Force-released rw3").
            r.message =
                extending ? QObject::tr("Extended %1 to %2%3.").arg(key, ttlText(q.ttlMs), on)
                : first->outcome == N::StillHeld
                    ? QObject::tr(
                          "Released one hold of %1%2: %3 still holds it (%4 left; logged "
                          "to %5).")
                          .arg(key, on, displayText(q.holder))
                          .arg(first->holdsLeft)
                          .arg(log)
                : !first->others.empty()
                    ? QObject::tr("Force-released %1%2 for %3; still held by %4 (logged to %5).")
                          .arg(key, on, displayText(q.holder), displayText(first->others), log)
                    : QObject::tr("Force-released %1%2 (logged to %3).").arg(key, on, log);
            if (report.verdict() == V::Partial) {
                r.outcome = Outcome::Partial;
                r.message += QObject::tr(" Not on every node: %1.").arg(perNode());
            }
            if (report.auditProblem) {
                r.outcome = Outcome::AuditFailed;
                r.message += QObject::tr(" But the audit log could not be written: %1.")
                                 .arg(QString::fromStdString(*report.auditProblem));
            }
            return;
        }
        case V::Refused:
        case V::Unreachable:
            break;
    }
    const auto* why = report.mainRefusal();
    if (!why) return refuse(r, Outcome::NotConnected, QObject::tr("No server to send it to."));
    r.holder = why->found;
    // A latch's "holder" is its count, a plain semaphore's the permits taken: their own words
    // (issue 14, open defect 3: "the holder changed — it is now held by count:1/3").
    const auto latch = locks::parseLatchHolder(why->found);
    const auto permits = locks::parsePlainPermitsHolder(why->found);
    switch (why->outcome) {
        case N::HolderChanged: {
            const QString synchroniser = why->beating || why->reasonSaysAll || extending
                                             ? QString()
                                             : synchroniserChanged(*why, q.holder, key);
            refuse(r, Outcome::HolderChanged,
                   why->beating || why->reasonSaysAll
                       ? QObject::tr("%1 was not %2: %3.").arg(key, verb, displayText(why->reason))
                   : latch && latch->size
                       ? QObject::tr("%1 was not %2: the count changed: %3 of %4 left. Look at "
                                     "it again before acting.")
                             .arg(key, verb)
                             .arg(latch->count)
                             .arg(*latch->size)
                   : latch ? QObject::tr("%1 was not %2: the count changed: %3 left. Look at it "
                                         "again before acting.")
                                 .arg(key, verb)
                                 .arg(latch->count)
                   : permits && permits->size
                       ? QObject::tr("%1 was not %2: the permits taken changed: now %3 of %4. "
                                     "Look at it again before acting.")
                             .arg(key, verb)
                             .arg(permits->count)
                             .arg(*permits->size)
                   : !synchroniser.isEmpty() ? synchroniser
                   : why->beating || why->reasonSaysAll
                       ? QObject::tr("%1 was not %2: %3.").arg(key, verb, displayText(why->reason))
                   : why->found.empty()
                       ? QObject::tr("%1 was not %2: the lock changed (%3). Look at it again "
                                     "before acting.")
                             .arg(key, verb, displayText(why->reason))
                       : QObject::tr("%1 was not %2: the holder changed — it is now held by %3. "
                                     "Look at it again before acting.")
                             .arg(key, verb, displayText(why->found)));
            break;
        }
        case N::NotHeld:
            refuse(r, Outcome::NotHeld,
                   QObject::tr("%1 was not %2: nobody holds it any more.").arg(key, verb));
            break;
        case N::NotALock:
            refuse(r, Outcome::NotALock,
                   QObject::tr("%1 was not %2: %3.").arg(key, verb, displayText(why->reason)));
            break;
        case N::Guessed:
            refuse(r, Outcome::NotALock,
                   QObject::tr("%1 was not %2: LockScope only guessed that it is a lock (the "
                               "detail pane says why). A ban, a login lockout or a setting can "
                               "look the same: tick \"I checked that it is a lock\" if you did, "
                               "or add a lock rule for keys like it (Settings → Lock rules…).")
                       .arg(key, verb));
            break;
        case N::CannotExtend:
            refuse(r, Outcome::NoTtl,
                   QObject::tr("%1 was not %2: %3.").arg(key, verb, displayText(why->reason)));
            break;
        case N::MayBeBeating:  // an integer lock not known still for long enough: perhaps in use
            refuse(r, Outcome::Busy,
                   QObject::tr("%1 was not %2: %3.").arg(key, verb, displayText(why->reason)));
            break;
        case N::SeveralHolders:
        case N::Refused:
            refuse(r, Outcome::ServerRefused,
                   QObject::tr("%1 was not %2: %3 refused it: %4")
                       .arg(key, verb, QString::fromStdString(why->node),
                            QString::fromStdString(why->reason)));
            break;
        case N::Unreachable:
            refuse(r, Outcome::NotConnected,
                   QObject::tr("%1 was not %2: cannot reach %3: %4")
                       .arg(key, verb, QString::fromStdString(why->node),
                            QString::fromStdString(why->reason)));
            break;
        case N::Error:
        case N::Done:
        case N::StillHeld:
            refuse(r, Outcome::Error,
                   QObject::tr("%1 was not %2: %3 answered: %4")
                       .arg(key, verb, QString::fromStdString(why->node),
                            QString::fromStdString(why->reason)));
            break;
    }
    if (report.auditProblem) {
        r.outcome = Outcome::AuditFailed;
        r.message += QObject::tr(" And the audit log could not be written: %1.")
                         .arg(QString::fromStdString(*report.auditProblem));
    }
}

void ActionWorker::setCounter(const ActionRequest& q, ActionResult& r) {
    const long long value = q.kind == Kind::ResetCounter ? 0 : q.value;
    AuditLog log = AuditLog::open();
    if (!log.ok())
        return refuse(r, Outcome::AuditFailed,
                      QObject::tr("%1 was not changed: %2. Nothing was sent: a write that cannot "
                                  "be logged is not made.")
                          .arg(displayText(q.key), QString::fromStdString(log.problem())));
    int done = 0;
    std::string previous;
    std::string problem;
    std::string failure;
    for (size_t i = 0; i < nodes_.size(); ++i) {
        try {
            auto reply = conn(i).eval(setCounterScript(), {q.key}, {value});
            const std::string outcome(reply[0].str());
            const std::string detail(reply[1].str());
            if (outcome == "done") {
                ++done;
                previous = detail;
                audit(log, q, r, nodes_[i].display(), "done", detail);
            } else {
                audit(log, q, r, nodes_[i].display(), outcome);
                if (outcome == "not-a-counter") problem = detail;
            }
        } catch (const redis::Error& e) {
            // Every attempted write is on record, errors included; the next node is still tried.
            conns_[i].reset();
            failure = nodes_[i].display() + ": " + e.what();
            audit(log, q, r, nodes_[i].display(), "error: " + std::string(e.what()));
        }
    }
    const bool auditFailed = r.outcome == Outcome::AuditFailed;
    const QString auditNote = r.message;  // what audit() said, if anything
    r.message.clear();
    if (done > 0) {
        r.outcome = failure.empty() ? Outcome::Done : Outcome::Partial;
        r.message =
            QObject::tr("%1 %2 to %3 (was %4)%5.")
                .arg(q.kind == Kind::ResetCounter ? QObject::tr("Reset") : QObject::tr("Set"),
                     displayText(q.key))
                .arg(value)
                .arg(QString::fromStdString(previous), nodesText(done));
        if (!failure.empty())
            r.message += QObject::tr(" Not on %1.").arg(QString::fromStdString(failure));
    } else if (!failure.empty()) {
        refuse(r, Outcome::Error,
               QObject::tr("%1 was not changed: %2")
                   .arg(displayText(q.key), QString::fromStdString(failure)));
    } else if (!problem.empty()) {
        refuse(r, Outcome::NotACounter,
               QObject::tr("%1 was not changed: it holds a %2 that is not a counter.")
                   .arg(displayText(q.key), QString::fromStdString(problem)));
    } else {
        refuse(r, Outcome::Missing,
               QObject::tr("%1 was not changed: the key does not exist (any more).")
                   .arg(displayText(q.key)));
    }
    if (auditFailed) {
        r.outcome = Outcome::AuditFailed;
        r.message += auditNote;
    }
}

}  // namespace lockscope::ui
