// Every write the dashboard makes to Redis: acquire (optionally holding the lease with renewals
// until released), release of its own leases, extend, force-release, set and reset of a counter.
//
// The work runs on the "lockscope-actions" QThread, in an ActionWorker (action_worker.h) with its
// own connections (named after this dashboard's owner, like LockScope's own lock clients);
// requests are queued to it and answered by `finished`, in order. Held leases live on that
// thread: a lease held "until released" is renewed there every TTL/3 by a locks::LeaseKeeper,
// which follows a Sentinel group's master (asked anew at each renewal); a renewal that finds the
// lease gone, or that gets through to no master within the lease, reports it lost at once
// (leaseEvent, the action log).
//
// Safety rules, enforced here and not only in the UI:
//   - read-only mode refuses every request (also ones already queued when it was switched on);
//     leases taken before it keep being renewed — letting them lapse would be a write nobody asked
//     for — and are released when the dashboard exits;
//   - force-release and extending someone else's lock act only on a key the monitor's classifier
//     recognises as a lock, with its format's own semantics, and only if it still has the holder
//     the operator was shown, on every node (actions/lock_actions.h); otherwise the user is told
//     why (holder changed, not a lock, which node could not be reached);
//   - force-release, extending someone else's lock and counter writes are appended to the audit log
//     (util/audit.h) before they are reported, refusals and errors included; a write whose audit
//     log cannot be opened is not sent, and one that could not be logged says so (AuditFailed);
//   - nothing is ever retried or replayed on its own.
//
// Thread contract: create, call and destroy on the GUI thread; signals are emitted on it.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "monitor/target.h"
#include "redis/url.h"
#include "ui/common/hand_over.h"

namespace lockscope::ui {

class ActionWorker;

struct ActionRequest {
    enum class Kind { Acquire, Release, Extend, ForceRelease, SetCounter, ResetCounter };
    Kind kind = Kind::Acquire;
    std::string key;
    std::string strategy;  // Acquire: lock strategy id
    std::string holder;    // Extend, ForceRelease: the holder the user was shown
    long long ttlMs = 0;   // Acquire, Extend: the TTL; ForceRelease: the TTL the user was shown
    long long waitMs = 0;  // Acquire: wait this long for a busy lock (0: one try)
    bool hold = false;     // Acquire: keep the lease, renewing it, until released
    quint64 leaseId = 0;   // Release: which of this dashboard's leases
    long long value = 0;   // SetCounter
    // ForceRelease of an integer lock: watch it this long for a beat first (ms; -1: the default,
    // actions::kDefaultIntegerWatch). The dialog sets it from a measured heartbeat period.
    long long observeMs = -1;
    // Force-release of an integer lock: how long the dashboard had seen its value unchanged.
    long long quietSeenMs = 0;
    // ForceRelease, Extend of a lock LockScope only guessed: the operator ticked "I checked
    // that it is a lock" (actions::LockActionRequest::acceptGuess).
    bool acceptGuess = false;
    // ForceRelease of a plain semaphore: how many permits to give back (0: the default, one).
    // Acquire of a semaphore: its size when the acquire creates it (0: one).
    long long permits = 0;
    bool readMode = false;  // Acquire, read-write: a read lock (else a write lock)
    // The servers this request goes to; empty: the service's nodes (setNodes). Filled by submit()
    // from the router, when one is set.
    std::vector<redis::Endpoint> nodes;
};

QString actionName(ActionRequest::Kind kind);

struct ActionResult {
    // How an action ended. Decisions are made on this; outcomeText() is for people.
    enum class Outcome {
        Done,
        // Refused: nothing was changed on purpose.
        ReadOnly,       // read-only mode
        NoNode,         // no server is known to hold the key yet (slot map, Sentinels' master)
        BadInput,       // no key, unknown strategy, TTL below 1 ms, a lease that cannot renew...
        Busy,           // acquire: someone else holds the lock
        HolderChanged,  // the lock has another holder than the one the user was shown
        NotHeld,        // nobody holds the lock (any more), or not this dashboard
        NotOwner,       // release: our lease had run out and someone else holds the lock now
        NotALock,       // the key holds something else
        NoTtl,          // heartbeat locks live by their beat and have no TTL to extend
        NotSupported,   // the strategy cannot extend
        Lost,           // a held lease is gone: its renewal or extension found it gone
        Followed,       // a held lease's master moved: renewed on the new one (a lease event)
        Expired,        // a lease not held ran out
        NotACounter,    // the key holds something that is not a counter
        Missing,        // the counter does not exist (any more)
        ServerRefused,  // the server refused the request as invalid
        // Failed: the server could not be reached or answered with an error.
        NotConnected,
        Error,
        Partial,      // done on some nodes of a group, not on others (the message names them)
        AuditFailed,  // the audit log could not be written: not sent, or done but not on record
    };
    enum class Status {
        Done,
        Refused,  // nothing was changed on purpose: read-only, holder changed, busy, bad input
        Failed,   // the server could not be reached or answered with an error
    };
    quint64 id = 0;
    ActionRequest::Kind kind = ActionRequest::Kind::Acquire;
    std::string key;
    Outcome outcome = Outcome::Done;
    QString message;     // one sentence for the user: what happened and what to do
    std::string holder;  // Acquire: the token taken; ForceRelease/Extend: the holder found
    static Status statusOf(Outcome outcome);
    Status status() const { return statusOf(outcome); }
    bool ok() const { return outcome == Outcome::Done; }
};

// Short, for the log: "done", "holder changed", "read-only", "busy", ...
QString outcomeText(ActionResult::Outcome outcome);

// A lock this dashboard holds.
struct HeldLease {
    quint64 id = 0;
    std::string key;
    std::string strategy;
    std::string token;  // the holder string the Locks view shows for it
    long long ttlMs = 0;
    bool renewing = false;  // held until released (renewed by the service)
    qint64 acquiredWallMs = 0;
    std::string node;     // where it lives now (a Sentinel failover moves it)
    std::string problem;  // why renewals fail right now ("" while they get through)
};

class ActionService : public QObject {
    Q_OBJECT
public:
    explicit ActionService(QObject* parent = nullptr);
    // Releases the leases still held (best effort, short timeouts) and stops the thread.
    ~ActionService() override;

    void setNodes(std::vector<redis::Endpoint> nodes);
    // What the dashboard follows: held leases follow its master (Sentinel) or their slot's master
    // (cluster) at every renewal.
    void setTarget(monitor::MonitorTarget target);
    // Where a request for `key` goes, asked at submit() time (a cluster: the master serving its
    // slot; a Sentinel group: the current master). Empty answer: the request is refused, nothing
    // is sent. Unset: every request goes to the service's nodes.
    using Router = std::function<std::vector<redis::Endpoint>(const std::string& key)>;
    void setRouter(Router router) { router_ = std::move(router); }
    const std::vector<redis::Endpoint>& nodes() const { return nodes_; }
    void setReadOnly(bool readOnly);
    bool readOnly() const { return readOnly_->load(); }

    // Queues a request and returns its id; `started` is emitted now, `finished` when it is done
    // (never synchronously). Requests refused by read-only mode finish without reaching Redis.
    quint64 submit(ActionRequest request);
    quint64 acquire(const std::string& key, const std::string& strategy, long long ttlMs, bool hold,
                    long long waitMs = 0);
    quint64 release(quint64 leaseId);
    quint64 extend(const std::string& key, const std::string& holder, long long ttlMs);
    quint64 forceRelease(const std::string& key, const std::string& holderShown,
                         long long ttlShownMs, bool acceptGuess = false);
    quint64 setCounter(const std::string& key, long long value);
    quint64 resetCounter(const std::string& key);

    // This dashboard's leases, as last reported by the worker.
    const std::vector<HeldLease>& leases() const { return leases_; }
    // The lease of `key` held with `holder`, if this dashboard holds it. A plain semaphore's
    // holder is the count taken ("taken:1/3"): then a permit this dashboard holds on `key`.
    const HeldLease* leaseFor(const std::string& key, const std::string& holder) const;
    // Requests submitted and not finished yet.
    int pending() const { return pending_; }

signals:
    void started(quint64 id, const lockscope::ui::ActionRequest& request);
    void finished(const lockscope::ui::ActionResult& result);
    // A held lease was lost (its renewal failed) or ran out; reported like an action.
    void leaseEvent(const lockscope::ui::ActionResult& result);
    void leasesChanged();

private:
    void deliver(const ActionResult& result);
    void refuseLater(quint64 id, const ActionRequest& request, ActionResult::Outcome outcome,
                     const QString& message);
    void deliverLater(const ActionResult& result);

    WorkerThread thread_{"lockscope-actions"};
    ActionWorker* worker_;  // lives on thread_, deleted there when it finishes
    Mailbox* workerMail_;   // the worker's: calls run on thread_
    Mailbox* mail_;         // ours: the worker's answers run on the GUI thread
    std::shared_ptr<std::atomic<bool>> readOnly_;
    std::shared_ptr<std::atomic<bool>> stopping_;
    std::vector<redis::Endpoint> nodes_;
    Router router_;
    std::vector<HeldLease> leases_;
    quint64 nextId_ = 0;
    int pending_ = 0;
};

}  // namespace lockscope::ui

Q_DECLARE_METATYPE(lockscope::ui::ActionRequest)
Q_DECLARE_METATYPE(lockscope::ui::ActionResult)
Q_DECLARE_METATYPE(std::vector<lockscope::ui::HeldLease>)
