#include "ui/actions/action_service.h"

#include "locks/primitive_state.h"
#include "ui/actions/action_worker.h"
#include "ui/common/display_text.h"

namespace lockscope::ui {
namespace {

using Kind = ActionRequest::Kind;
using Outcome = ActionResult::Outcome;

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

ActionResult::Status ActionResult::statusOf(Outcome outcome) {
    switch (outcome) {
        case Outcome::Done:
            return Status::Done;
        case Outcome::Followed:
            return Status::Done;
        case Outcome::NotConnected:
        case Outcome::Error:
        case Outcome::Partial:
        case Outcome::AuditFailed:
            return Status::Failed;
        default:
            return Status::Refused;
    }
}

QString outcomeText(ActionResult::Outcome outcome) {
    switch (outcome) {
        case Outcome::Done:
            return QObject::tr("done");
        case Outcome::ReadOnly:
            return QObject::tr("read-only");
        case Outcome::NoNode:
            return QObject::tr("no node");
        case Outcome::BadInput:
            return QObject::tr("bad input");
        case Outcome::Busy:
            return QObject::tr("busy");
        case Outcome::HolderChanged:
            return QObject::tr("holder changed");
        case Outcome::NotHeld:
            return QObject::tr("not held");
        case Outcome::NotOwner:
            return QObject::tr("not owner");
        case Outcome::NotALock:
            return QObject::tr("not a lock");
        case Outcome::NoTtl:
            return QObject::tr("no TTL");
        case Outcome::NotSupported:
            return QObject::tr("not supported");
        case Outcome::Lost:
            return QObject::tr("lost");
        case Outcome::Followed:
            return QObject::tr("followed");
        case Outcome::Expired:
            return QObject::tr("expired");
        case Outcome::NotACounter:
            return QObject::tr("not a counter");
        case Outcome::Missing:
            return QObject::tr("missing");
        case Outcome::ServerRefused:
            return QObject::tr("refused");
        case Outcome::NotConnected:
            return QObject::tr("not connected");
        case Outcome::Error:
            return QObject::tr("error");
        case Outcome::Partial:
            return QObject::tr("partial");
        case Outcome::AuditFailed:
            return QObject::tr("audit log failed");
    }
    return {};
}

ActionService::ActionService(QObject* parent)
    : QObject(parent),
      readOnly_(std::make_shared<std::atomic<bool>>(false)),
      stopping_(std::make_shared<std::atomic<bool>>(false)) {
    worker_ = new ActionWorker(readOnly_, stopping_);
    workerMail_ = new Mailbox(worker_);
    mail_ = new Mailbox(this);
    // The worker's answers, in the order it emits them: taken in its thread (direct) and posted
    // here, built before the hand-over.
    connect(
        worker_, &ActionWorker::finished, worker_,
        [this](const ActionResult& r) { mail_->post([this, r] { deliver(r); }); },
        Qt::DirectConnection);
    connect(
        worker_, &ActionWorker::leaseEvent, worker_,
        [this](const ActionResult& r) { mail_->post([this, r] { emit leaseEvent(r); }); },
        Qt::DirectConnection);
    connect(
        worker_, &ActionWorker::leasesChanged, worker_,
        [this](const std::vector<HeldLease>& leases) {
            mail_->post([this, leases] {
                leases_ = leases;
                emit leasesChanged();
            });
        },
        Qt::DirectConnection);
    thread_.start(worker_);
}

ActionService::~ActionService() {
    stopping_->store(true);  // a waiting acquire gives up at once
    thread_.stop();
}

void ActionService::setNodes(std::vector<redis::Endpoint> nodes) {
    nodes_ = nodes;
    workerMail_->post([w = worker_, nodes = std::move(nodes)] { w->setNodes(nodes); });
}

void ActionService::setTarget(monitor::MonitorTarget target) {
    workerMail_->post([w = worker_, target = std::move(target)] { w->setTarget(target); });
}

void ActionService::setReadOnly(bool readOnly) { readOnly_->store(readOnly); }

quint64 ActionService::submit(ActionRequest request) {
    const quint64 id = ++nextId_;
    ++pending_;
    emit started(id, request);
    if (readOnly_->load()) {
        // Refused here, without queuing behind a long acquire; the worker checks again for
        // requests queued before read-only mode was switched on.
        deliverLater(refusedReadOnly(id, request, nodes_));
        return id;
    }
    if (router_ && request.nodes.empty() && request.kind != Kind::Release) {
        request.nodes = router_(request.key);
        if (request.nodes.empty()) {
            refuseLater(
                id, request, Outcome::NoNode,
                tr("%1 of %2 was not sent: no server is known to hold this key yet (the cluster's "
                   "slot map or the Sentinels' master is still being read). Try again in a moment.")
                    .arg(actionName(request.kind), displayText(request.key)));
            return id;
        }
    }
    workerMail_->post([w = worker_, id, request] { w->run(id, request); });
    return id;
}

void ActionService::refuseLater(quint64 id, const ActionRequest& request, Outcome outcome,
                                const QString& message) {
    ActionResult r;
    r.id = id;
    r.kind = request.kind;
    r.key = request.key;
    r.outcome = outcome;
    r.message = message;
    deliverLater(r);
}

void ActionService::deliverLater(const ActionResult& result) {
    // Never synchronously: callers get the id first, as for requests that reach Redis.
    mail_->post([this, result] { deliver(result); });
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
                                    long long ttlShownMs, bool acceptGuess) {
    ActionRequest q;
    q.kind = Kind::ForceRelease;
    q.key = key;
    q.holder = holderShown;
    q.ttlMs = ttlShownMs;
    q.acceptGuess = acceptGuess;
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
    // A plain semaphore's holder is the count taken ("taken:1/3"), never a token: a permit this
    // dashboard holds on it is its own (adv14e item 4: Release My Lease stayed disabled).
    if (locks::parsePlainPermitsHolder(holder))
        for (const auto& l : leases_)
            if (l.key == key && l.strategy == "semaphore") return &l;
    return nullptr;
}

}  // namespace lockscope::ui
