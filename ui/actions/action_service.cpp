#include "ui/actions/action_service.h"

#include <QDateTime>
#include <QPointer>
#include <QTimer>
#include <algorithm>
#include <optional>

#include "locks/holder_ops.h"
#include "locks/lock_strategy.h"
#include "redis/connection.h"
#include "redis/error.h"
#include "redis/script.h"
#include "ui/common/display_text.h"
#include "util/audit.h"

namespace lockscope::ui {
namespace {

using Kind = ActionRequest::Kind;
using Status = ActionResult::Status;
using Outcome = locks::HolderOpResult::Outcome;
using std::chrono::milliseconds;

QString ttlText(long long ms) {
    if (ms == -1) return QObject::tr("no TTL");
    if (ms < 0) return QObject::tr("no TTL known");
    return ms < 10'000 ? QObject::tr("%1 ms").arg(ms) : QObject::tr("%1 s").arg(ms / 1000);
}

bool isDestructive(Kind k) {
    return k == Kind::ForceRelease || k == Kind::SetCounter || k == Kind::ResetCounter;
}

std::string auditAction(Kind k) {
    switch (k) {
        case Kind::ForceRelease:
            return "force-release";
        case Kind::SetCounter:
            return "set-counter";
        case Kind::ResetCounter:
            return "reset-counter";
        case Kind::Extend:
            return "extend";
        default:
            return "action";
    }
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

}  // namespace

QString actionName(ActionRequest::Kind kind) {
    switch (kind) {
        case Kind::Acquire:
            return QObject::tr("acquire");
        case Kind::Release:
            return QObject::tr("release");
        case Kind::Extend:
            return QObject::tr("extend");
        case Kind::ForceRelease:
            return QObject::tr("force-release");
        case Kind::SetCounter:
            return QObject::tr("set counter");
        case Kind::ResetCounter:
            return QObject::tr("reset counter");
    }
    return {};
}

// Lives on the service's thread: its connections, its held leases and their renewal timers.
class ActionService::Worker : public QObject {
public:
    Worker(ActionService* service, std::shared_ptr<std::atomic<bool>> readOnly,
           std::shared_ptr<std::atomic<bool>> stopping)
        : service_(service),
          readOnly_(std::move(readOnly)),
          stopping_(std::move(stopping)),
          owner_(locks::Owner::create()) {}

    ~Worker() override {
        // The dashboard is closing: give back what it holds rather than leaving it to the TTL.
        for (auto& h : held_) {
            try {
                h->lock->release(h->lease);
            } catch (const std::exception&) {
                // The server is gone: the lease runs out by itself.
            }
        }
    }

    void setNodes(std::vector<redis::Endpoint> nodes) {
        // Leases belong to the servers they were taken on; a new target keeps them (they are still
        // renewed and released on their own connections).
        nodes_ = std::move(nodes);
        conns_.clear();
        conns_.resize(nodes_.size());
    }

    void run(quint64 id, const ActionRequest& q) {
        ActionResult r;
        r.id = id;
        r.kind = q.kind;
        r.key = q.key;
        if (readOnly_->load()) {
            refuse(
                r, QObject::tr("read-only"),
                QObject::tr("Read-only mode: %1 of %2 was not sent. Turn off Actions > Read-only "
                            "mode to write.")
                    .arg(actionName(q.kind), displayText(q.key)));
            if (isDestructive(q.kind)) audit(q, r, "", "refused-read-only");
            post(r);
            return;
        }
        // A routed request (a cluster key's master) uses its own servers, then the usual ones
        // again.
        struct Routed {
            Worker& w;
            std::vector<redis::Endpoint> nodes;
            std::vector<std::optional<redis::Connection>> conns;
            bool active = false;
            Routed(Worker& worker, const std::vector<redis::Endpoint>& to) : w(worker) {
                auto same = [](const std::vector<redis::Endpoint>& a,
                               const std::vector<redis::Endpoint>& b) {
                    if (a.size() != b.size()) return false;
                    for (size_t i = 0; i < a.size(); ++i)
                        if (a[i].display() != b[i].display() || a[i].user != b[i].user ||
                            a[i].password != b[i].password)
                            return false;
                    return true;
                };
                if (to.empty() || same(to, w.nodes_)) return;
                active = true;
                nodes = std::exchange(w.nodes_, to);
                conns = std::exchange(w.conns_,
                                      std::vector<std::optional<redis::Connection>>(to.size()));
            }
            ~Routed() {
                if (!active) return;
                w.nodes_ = std::move(nodes);
                w.conns_ = std::move(conns);
            }
        } routed(*this, q.nodes);
        if (nodes_.empty()) {
            r.status = Status::Failed;
            r.outcome = QObject::tr("not connected");
            r.message = QObject::tr("Not connected to a server yet.");
            post(r);
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
            r.status = Status::Failed;
            r.outcome = e.kind() == redis::ErrorKind::InvalidArgument ? QObject::tr("refused")
                                                                      : QObject::tr("error");
            if (e.kind() == redis::ErrorKind::InvalidArgument) r.status = Status::Refused;
            r.message =
                QObject::tr("%1 of %2 failed: %3")
                    .arg(actionName(q.kind), displayText(q.key), QString::fromStdString(e.what()));
            if (isDestructive(q.kind)) audit(q, r, "", "error: " + std::string(e.what()));
        } catch (const std::exception& e) {
            r.status = Status::Failed;
            r.outcome = QObject::tr("error");
            r.message =
                QObject::tr("%1 of %2 failed: %3")
                    .arg(actionName(q.kind), displayText(q.key), QString::fromUtf8(e.what()));
        }
        post(r);
    }

private:
    struct Held {
        HeldLease info;
        std::unique_ptr<locks::LockStrategy> lock;
        locks::Lease lease;
        bool selfRenewing =
            false;                // heartbeat beats and the reentrant watchdog renew by themselves
        QTimer* timer = nullptr;  // renewal (or, for a lease not held, the check that it ran out)
    };

    redis::ConnectOptions connectOptions() const {
        redis::ConnectOptions o;
        o.connectTimeout = milliseconds(1500);
        o.commandTimeout = milliseconds(3000);
        o.clientName = owner_.clientName();
        return o;
    }

    redis::Connection& conn(size_t i) {
        if (!conns_[i]) conns_[i].emplace(nodes_[i], connectOptions());
        return *conns_[i];
    }

    static void refuse(ActionResult& r, const QString& outcome, const QString& message) {
        r.status = Status::Refused;
        r.outcome = outcome;
        r.message = message;
    }

    void audit(const ActionRequest& q, ActionResult& r, const std::string& server,
               const std::string& outcome, const std::string& found = {}) {
        std::string detail;
        if (q.kind == Kind::ForceRelease)
            detail = "holder=" + q.holder + " ttl_shown_ms=" + std::to_string(q.ttlMs);
        else if (q.kind == Kind::Extend)
            detail = "holder=" + q.holder + " ttl_ms=" + std::to_string(q.ttlMs);
        else if (q.kind == Kind::SetCounter)
            detail = "value=" + std::to_string(q.value);
        else if (q.kind == Kind::ResetCounter)
            detail = "value=0";
        if (!found.empty())
            detail +=
                (q.kind == Kind::ForceRelease || q.kind == Kind::Extend ? " found=" : " was=") +
                found;
        std::string where = server;
        if (where.empty())
            for (const auto& n : nodes_) where += (where.empty() ? "" : ",") + n.display();
        if (auto problem = appendAudit({where, auditAction(q.kind), q.key, detail, outcome}))
            r.message += QObject::tr(" Warning: %1.").arg(QString::fromStdString(*problem));
    }

    void post(const ActionResult& r) {
        QMetaObject::invokeMethod(
            service_, [s = service_, r] { s->deliver(r); }, Qt::QueuedConnection);
    }

    void postLeaseEvent(const ActionResult& r) {
        QMetaObject::invokeMethod(
            service_, [s = service_, r] { emit s->leaseEvent(r); }, Qt::QueuedConnection);
    }

    void publishLeases() {
        std::vector<HeldLease> list;
        for (const auto& h : held_) list.push_back(h->info);
        QMetaObject::invokeMethod(
            service_,
            [s = service_, list = std::move(list)] {
                s->leases_ = list;
                emit s->leasesChanged();
            },
            Qt::QueuedConnection);
    }

    Held* find(quint64 leaseId) {
        for (auto& h : held_)
            if (h->info.id == leaseId) return h.get();
        return nullptr;
    }
    Held* find(const std::string& key, const std::string& holder) {
        for (auto& h : held_)
            if (h->info.key == key && h->info.token == holder) return h.get();
        return nullptr;
    }
    void drop(Held* h) {
        // Destroying the strategy stops its own renewals (beater, watchdog) and closes its links.
        // The timer may be the one whose timeout is running now: delete it later.
        h->timer->stop();
        h->timer->deleteLater();
        std::erase_if(held_, [h](const auto& p) { return p.get() == h; });
        publishLeases();
    }

    void acquire(const ActionRequest& q, ActionResult& r) {
        const auto* info = locks::findLockStrategy(q.strategy);
        if (q.key.empty())
            return refuse(r, QObject::tr("bad input"), QObject::tr("Give the lock a key."));
        if (!info)
            return refuse(
                r, QObject::tr("bad input"),
                QObject::tr("Unknown lock strategy '%1'.").arg(QString::fromStdString(q.strategy)));
        if (q.ttlMs <= 0)
            return refuse(r, QObject::tr("bad input"),
                          QObject::tr("The TTL must be at least 1 ms."));
        if (!info->multiNode && nodes_.size() > 1)
            return refuse(
                r, QObject::tr("bad input"),
                QObject::tr("%1 works on one server, and this dashboard follows %2 nodes: use "
                            "redlock.")
                    .arg(QString::fromStdString(q.strategy))
                    .arg(nodes_.size()));
        const milliseconds ttl(q.ttlMs);
        locks::LockContext ctx;
        ctx.nodes = nodes_;
        ctx.connect = connectOptions();
        ctx.owner = owner_;
        const bool selfRenewing = q.strategy == "reentrant" || q.strategy == "heartbeat";
        milliseconds acquireTtl = ttl;
        if (q.strategy == "reentrant" && q.hold) {
            // Held the way Redisson holds it: watchdog mode, lease = the TTL, renewed at TTL/3.
            ctx.config.watchdogTimeout = ttl;
            acquireTtl = milliseconds(0);
        }
        if (q.strategy == "heartbeat") ctx.config.autoBeat = q.hold;
        auto lock = locks::makeLockStrategy(q.strategy, ctx);
        if (q.hold && !selfRenewing && !lock->supportsExtend())
            return refuse(r, QObject::tr("bad input"),
                          QObject::tr("%1 leases cannot be renewed: acquire without holding.")
                              .arg(QString::fromStdString(q.strategy)));
        std::optional<locks::Lease> lease;
        if (q.waitMs > 0) {
            locks::WaitOptions wait;
            wait.timeout = milliseconds(q.waitMs);
            wait.cancel = stopping_.get();
            lease = lock->acquire(q.key, acquireTtl, wait);
        } else {
            lease = lock->tryAcquire(q.key, acquireTtl);
        }
        if (!lease) {
            auto now = lock->inspect(q.key);
            r.holder = now.holder;
            return refuse(
                r, QObject::tr("busy"),
                QObject::tr("%1 is busy%2%3.")
                    .arg(displayText(q.key),
                         now.held ? QObject::tr(" (held by %1, %2)")
                                        .arg(displayText(now.holder), ttlText(now.ttl.count()))
                                  : QString(),
                         q.waitMs > 0 ? QObject::tr(" after waiting %1 ms").arg(q.waitMs)
                                      : QString()));
        }
        auto h = std::make_unique<Held>();
        h->info.id = ++leaseSeq_;
        h->info.key = q.key;
        h->info.strategy = q.strategy;
        h->info.token = lease->token;
        h->info.ttlMs = q.ttlMs;
        h->info.renewing = q.hold;
        h->info.acquiredWallMs = QDateTime::currentMSecsSinceEpoch();
        h->selfRenewing = selfRenewing;
        h->lock = std::move(lock);
        h->lease = std::move(*lease);
        Held* raw = h.get();
        h->timer = new QTimer(this);
        h->timer->setInterval(std::max<long long>(50, q.ttlMs / 3));
        const quint64 leaseId = h->info.id;
        connect(h->timer, &QTimer::timeout, this, [this, leaseId] { tick(leaseId); });
        h->timer->start();
        held_.push_back(std::move(h));
        r.holder = raw->info.token;
        r.outcome = QObject::tr("done");
        r.message =
            QObject::tr("Acquired %1 (%2, TTL %3)%4.")
                .arg(displayText(q.key), QString::fromStdString(q.strategy), ttlText(q.ttlMs),
                     q.hold ? QObject::tr(", held and renewed until you release it") : QString());
        publishLeases();
    }

    // Every TTL/3 per lease: renew a held lease, or check that a lease is still ours.
    void tick(quint64 leaseId) {
        Held* h = find(leaseId);
        if (!h || stopping_->load()) return;
        bool ours = true;
        try {
            if (h->info.renewing && !h->selfRenewing) {
                ours = h->lock->extend(h->lease, milliseconds(h->info.ttlMs));
            } else {
                auto info = h->lock->inspect(h->info.key);
                ours = info.held && info.holder.find(h->info.token) != std::string::npos;
            }
        } catch (const redis::Error&) {
            return;  // unreachable for now: try again at the next tick, the lease may still be
                     // valid
        }
        if (ours) return;
        ActionResult r;
        r.id = 0;
        r.kind = Kind::Acquire;
        r.key = h->info.key;
        r.status = Status::Refused;
        r.outcome = h->info.renewing ? QObject::tr("lost") : QObject::tr("expired");
        r.message = h->info.renewing
                        ? QObject::tr(
                              "Lost the lease on %1: its renewal found it gone or held by "
                              "someone else.")
                              .arg(displayText(h->info.key))
                        : QObject::tr("The lease on %1 ran out.").arg(displayText(h->info.key));
        drop(h);
        postLeaseEvent(r);
    }

    void release(const ActionRequest& q, ActionResult& r) {
        Held* h = find(q.leaseId);
        if (!h)
            return refuse(
                r, QObject::tr("not held"),
                QObject::tr("This dashboard no longer holds that lease (it ran out or was "
                            "released)."));
        r.key = h->info.key;
        r.holder = h->info.token;
        const auto result = h->lock->release(h->lease);
        drop(h);
        using RR = locks::ReleaseResult;
        if (result == RR::Released || result == RR::StillHeld) {
            r.outcome = QObject::tr("done");
            r.message = QObject::tr("Released %1.").arg(displayText(r.key));
        } else if (result == RR::NotOwner) {
            refuse(r, QObject::tr("not owner"),
                   QObject::tr("%1 was not released: someone else holds it now (our lease had run "
                               "out).")
                       .arg(displayText(r.key)));
        } else {
            refuse(r, QObject::tr("not held"),
                   QObject::tr("%1 was not held any more (it expired).").arg(displayText(r.key)));
        }
    }

    void extend(const ActionRequest& q, ActionResult& r) {
        if (q.ttlMs <= 0)
            return refuse(r, QObject::tr("bad input"),
                          QObject::tr("The TTL must be at least 1 ms."));
        if (Held* h = find(q.key, q.holder)) {
            if (!h->lock->supportsExtend())
                return refuse(r, QObject::tr("not supported"),
                              QObject::tr("%1 locks cannot be extended.")
                                  .arg(QString::fromStdString(h->info.strategy)));
            if (!h->lock->extend(h->lease, milliseconds(q.ttlMs))) {
                refuse(r, QObject::tr("lost"),
                       QObject::tr("%1 was not extended: this dashboard's lease on it is gone.")
                           .arg(displayText(q.key)));
                drop(h);
                return;
            }
            h->info.ttlMs = q.ttlMs;
            h->timer->setInterval(std::max<long long>(50, q.ttlMs / 3));
            publishLeases();
            r.outcome = QObject::tr("done");
            r.message = QObject::tr("Extended %1 to %2.").arg(displayText(q.key), ttlText(q.ttlMs));
            return;
        }
        // Someone else's lock: compare-and-extend with the holder the user saw, logged.
        int done = 0;
        locks::HolderOpResult last;
        for (size_t i = 0; i < nodes_.size(); ++i) {
            auto res = locks::extendIfHolder(conn(i), q.key, q.holder, milliseconds(q.ttlMs));
            audit(q, r, nodes_[i].display(),
                  res.outcome == Outcome::Done ? "done"
                                               : std::string(locks::outcomeName(res.outcome)),
                  res.currentHolder);
            if (res.outcome == Outcome::Done)
                ++done;
            else
                last = res;
        }
        if (done > 0) {
            r.outcome = QObject::tr("done");
            r.message = QObject::tr("Extended %1 to %2%3.")
                            .arg(displayText(q.key), ttlText(q.ttlMs), nodesText(done));
            return;
        }
        holderOpRefusal(r, last, QObject::tr("extended"));
    }

    QString nodesText(int done) const {
        return nodes_.size() > 1 ? QObject::tr(" on %1/%2 nodes").arg(done).arg(nodes_.size())
                                 : QString();
    }

    void holderOpRefusal(ActionResult& r, const locks::HolderOpResult& last, const QString& verb) {
        r.holder = last.currentHolder;
        switch (last.outcome) {
            case Outcome::HolderChanged:
                return refuse(
                    r, QObject::tr("holder changed"),
                    QObject::tr("%1 was not %2: the holder changed — it is now held by %3. "
                                "Look at it again before acting.")
                        .arg(displayText(r.key), verb, displayText(last.currentHolder)));
            case Outcome::NotHeld:
                return refuse(r, QObject::tr("not held"),
                              QObject::tr("%1 was not %2: nobody holds it any more.")
                                  .arg(displayText(r.key), verb));
            case Outcome::NotALock:
                return refuse(
                    r, QObject::tr("not a lock"),
                    QObject::tr("%1 was not %2: it is a %3, not a lock.")
                        .arg(displayText(r.key), verb, QString::fromStdString(last.type)));
            case Outcome::NoTtl:
                return refuse(
                    r, QObject::tr("no TTL"),
                    QObject::tr("%1 was not %2: heartbeat locks live by their beat and have no "
                                "TTL.")
                        .arg(displayText(r.key), verb));
            case Outcome::Done:
                break;
        }
    }

    void forceRelease(const ActionRequest& q, ActionResult& r) {
        if (q.holder.empty())
            return refuse(r, QObject::tr("bad input"),
                          QObject::tr("%1 has no holder to compare with: nothing to force-release.")
                              .arg(displayText(q.key)));
        // Our own lease: stop renewing it first, or a renewal could race with the delete.
        if (Held* h = find(q.key, q.holder)) drop(h);
        int done = 0;
        locks::HolderOpResult last;
        for (size_t i = 0; i < nodes_.size(); ++i) {
            auto res = locks::deleteIfHolder(conn(i), q.key, q.holder);
            audit(q, r, nodes_[i].display(),
                  res.outcome == Outcome::Done ? "done"
                                               : std::string(locks::outcomeName(res.outcome)),
                  res.currentHolder);
            if (res.outcome == Outcome::Done)
                ++done;
            else
                last = res;
        }
        if (done > 0) {
            r.holder = q.holder;
            r.outcome = QObject::tr("done");
            r.message = QObject::tr("Force-released %1%2 (logged to %3).")
                            .arg(displayText(q.key), nodesText(done),
                                 QString::fromStdString(auditLogPath()));
            return;
        }
        holderOpRefusal(r, last, QObject::tr("released"));
    }

    void setCounter(const ActionRequest& q, ActionResult& r) {
        const long long value = q.kind == Kind::ResetCounter ? 0 : q.value;
        int done = 0;
        std::string previous;
        std::string problem;
        for (size_t i = 0; i < nodes_.size(); ++i) {
            auto reply = conn(i).eval(setCounterScript(), {q.key}, {value});
            const std::string outcome(reply[0].str());
            const std::string detail(reply[1].str());
            if (outcome == "done") {
                ++done;
                previous = detail;
                audit(q, r, nodes_[i].display(), "done", detail);
            } else {
                audit(q, r, nodes_[i].display(), outcome);
                if (outcome == "not-a-counter") problem = detail;
            }
        }
        if (done > 0) {
            r.outcome = QObject::tr("done");
            r.message =
                QObject::tr("%1 %2 to %3 (was %4)%5.")
                    .arg(q.kind == Kind::ResetCounter ? QObject::tr("Reset") : QObject::tr("Set"),
                         displayText(q.key))
                    .arg(value)
                    .arg(QString::fromStdString(previous), nodesText(done));
            return;
        }
        if (!problem.empty())
            return refuse(r, QObject::tr("not a counter"),
                          QObject::tr("%1 was not changed: it holds a %2 that is not a counter.")
                              .arg(displayText(q.key), QString::fromStdString(problem)));
        refuse(r, QObject::tr("missing"),
               QObject::tr("%1 was not changed: the key does not exist (any more).")
                   .arg(displayText(q.key)));
    }

    ActionService* service_;  // only to post results to; it outlives this worker
    std::shared_ptr<std::atomic<bool>> readOnly_;
    std::shared_ptr<std::atomic<bool>> stopping_;
    locks::Owner owner_;
    std::vector<redis::Endpoint> nodes_;
    std::vector<std::optional<redis::Connection>> conns_;
    std::vector<std::unique_ptr<Held>> held_;
    quint64 leaseSeq_ = 0;
};

ActionService::ActionService(QObject* parent)
    : QObject(parent),
      readOnly_(std::make_shared<std::atomic<bool>>(false)),
      stopping_(std::make_shared<std::atomic<bool>>(false)) {
    thread_.setObjectName("lockscope-actions");
    worker_ = new Worker(this, readOnly_, stopping_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.start();
}

ActionService::~ActionService() {
    stopping_->store(true);  // a waiting acquire gives up at once
    thread_.quit();
    thread_.wait();
}

void ActionService::setNodes(std::vector<redis::Endpoint> nodes) {
    nodes_ = nodes;
    QMetaObject::invokeMethod(
        worker_,
        [w = worker_, nodes = std::move(nodes)]() mutable { w->setNodes(std::move(nodes)); },
        Qt::QueuedConnection);
}

void ActionService::setReadOnly(bool readOnly) { readOnly_->store(readOnly); }

quint64 ActionService::submit(ActionRequest request) {
    const quint64 id = ++nextId_;
    ++pending_;
    emit started(id, request);
    if (readOnly_->load()) {
        // Refused here, without queuing behind a long acquire; the worker checks again for
        // requests queued before read-only mode was switched on.
        QString message =
            tr("Read-only mode: %1 of %2 was not sent. Turn off Actions > Read-only mode to "
               "write.")
                .arg(actionName(request.kind), displayText(request.key));
        if (isDestructive(request.kind)) {
            std::string where;
            for (const auto& n : nodes_) where += (where.empty() ? "" : ",") + n.display();
            const std::string detail =
                request.kind == Kind::ForceRelease
                    ? "holder=" + request.holder
                    : "value=" +
                          std::to_string(request.kind == Kind::SetCounter ? request.value : 0);
            if (auto problem = appendAudit(
                    {where, auditAction(request.kind), request.key, detail, "refused-read-only"}))
                message += tr(" Warning: %1.").arg(QString::fromStdString(*problem));
        }
        refuseLater(id, request, tr("read-only"), message);
        return id;
    }
    if (router_ && request.nodes.empty() && request.kind != Kind::Release) {
        request.nodes = router_(request.key);
        if (request.nodes.empty()) {
            refuseLater(
                id, request, tr("no node"),
                tr("%1 of %2 was not sent: no server is known to hold this key yet (the cluster's "
                   "slot map or the Sentinels' master is still being read). Try again in a moment.")
                    .arg(actionName(request.kind), displayText(request.key)));
            return id;
        }
    }
    QMetaObject::invokeMethod(
        worker_, [w = worker_, id, request] { w->run(id, request); }, Qt::QueuedConnection);
    return id;
}

void ActionService::refuseLater(quint64 id, const ActionRequest& request, const QString& outcome,
                                const QString& message) {
    ActionResult r;
    r.id = id;
    r.kind = request.kind;
    r.key = request.key;
    r.status = ActionResult::Status::Refused;
    r.outcome = outcome;
    r.message = message;
    // Never synchronously: callers get the id first, as for requests that reach Redis.
    QMetaObject::invokeMethod(
        this, [this, r] { deliver(r); }, Qt::QueuedConnection);
}

void ActionService::deliver(const ActionResult& result) {
    --pending_;
    emit finished(result);
}

quint64 ActionService::acquire(const std::string& key, const std::string& strategy, long long ttlMs,
                               bool hold, long long waitMs) {
    ActionRequest q;
    q.kind = Kind::Acquire;
    q.key = key;
    q.strategy = strategy;
    q.ttlMs = ttlMs;
    q.hold = hold;
    q.waitMs = waitMs;
    return submit(std::move(q));
}

quint64 ActionService::release(quint64 leaseId) {
    ActionRequest q;
    q.kind = Kind::Release;
    q.leaseId = leaseId;
    for (const auto& l : leases_)
        if (l.id == leaseId) q.key = l.key;
    return submit(std::move(q));
}

quint64 ActionService::extend(const std::string& key, const std::string& holder, long long ttlMs) {
    ActionRequest q;
    q.kind = Kind::Extend;
    q.key = key;
    q.holder = holder;
    q.ttlMs = ttlMs;
    return submit(std::move(q));
}

quint64 ActionService::forceRelease(const std::string& key, const std::string& holderShown,
                                    long long ttlShownMs) {
    ActionRequest q;
    q.kind = Kind::ForceRelease;
    q.key = key;
    q.holder = holderShown;
    q.ttlMs = ttlShownMs;
    return submit(std::move(q));
}

quint64 ActionService::setCounter(const std::string& key, long long value) {
    ActionRequest q;
    q.kind = Kind::SetCounter;
    q.key = key;
    q.value = value;
    return submit(std::move(q));
}

quint64 ActionService::resetCounter(const std::string& key) {
    ActionRequest q;
    q.kind = Kind::ResetCounter;
    q.key = key;
    return submit(std::move(q));
}

const HeldLease* ActionService::leaseFor(const std::string& key, const std::string& holder) const {
    for (const auto& l : leases_)
        if (l.key == key && l.token == holder) return &l;
    return nullptr;
}

}  // namespace lockscope::ui
