// The worker behind ActionService: runs every request against Redis on its own connections (named
// after this dashboard's owner), holds the dashboard's leases and renews them every TTL/3 (and at
// once when their master moves: asked every second, as the CLI's holder does), writes
// the audit log, and answers with signals the service receives queued, in order. The safety rules
// of action_service.h are enforced here: read-only mode (checked again for requests queued before
// it was switched on), compare-with-the-holder-shown, nothing retried on its own.
//
// Thread contract: created on the GUI thread and moved to the service's "lockscope-actions"
// thread, then called (queued), run and destroyed only there; its signals are emitted there.
#pragma once

#include <QObject>
#include <QTimer>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "locks/lease_keeper.h"
#include "locks/lock_strategy.h"
#include "locks/owner.h"
#include "monitor/target.h"
#include "redis/connection.h"
#include "ui/actions/action_service.h"
#include "util/audit.h"

namespace lockscope::ui {

// Whether `kind` is written to the audit log whatever comes of it (force-release and counter
// writes; an extension is logged only when it reaches someone else's lock). The log is opened
// before such a write is sent: a write whose record cannot be kept is not made.
bool auditedWhenRefused(ActionRequest::Kind kind);
// The audit log's view of a request (kinds that are never audited map to Extend).
AuditedAction auditedAction(const ActionRequest& request);
// Read-only mode's answer to `request`, logged to the audit log (on `nodes`) when the kind is.
ActionResult refusedReadOnly(quint64 id, const ActionRequest& request,
                             const std::vector<redis::Endpoint>& nodes);

class ActionWorker : public QObject {
    Q_OBJECT
public:
    ActionWorker(std::shared_ptr<std::atomic<bool>> readOnly,
                 std::shared_ptr<std::atomic<bool>> stopping);
    // The dashboard is closing: gives back the leases it holds rather than leaving them to the TTL.
    ~ActionWorker() override;

    // Leases belong to the servers they were taken on; a new target keeps them (they are still
    // renewed and released on their own connections).
    void setNodes(std::vector<redis::Endpoint> nodes);
    // What the dashboard follows: leases taken from now on follow its master (Sentinel) or the
    // master of their slot (cluster) at every renewal, asking the target's resolver anew.
    void setTarget(monitor::MonitorTarget target);
    // Runs one request; `finished` answers it.
    void run(quint64 id, const ActionRequest& request);

signals:
    void finished(const lockscope::ui::ActionResult& result);
    // A held lease was lost (its renewal failed) or ran out.
    void leaseEvent(const lockscope::ui::ActionResult& result);
    void leasesChanged(const std::vector<lockscope::ui::HeldLease>& leases);

private:
    struct Held {
        HeldLease info;
        // Renews (following the master), releases; for a lease not held, its strategy checks
        // that it is still ours.
        std::unique_ptr<locks::LeaseKeeper> keeper;
        QTimer* timer = nullptr;  // renewal (or, for a lease not held, the check that it ran out)
    };
    // A routed request (a cluster key's master) uses its own servers, then the usual ones again.
    class Routed;

    redis::ConnectOptions connectOptions() const;
    redis::Connection& conn(size_t i);
    void audit(AuditLog& log, const ActionRequest& q, ActionResult& r, const std::string& server,
               const std::string& outcome, const std::string& found = {});
    // The operator's write on a lock by its holder: every node, classified, audited.
    void holderAction(const ActionRequest& q, ActionResult& r);
    void publishLeases();
    Held* find(quint64 leaseId);
    Held* find(const std::string& key, const std::string& holder);
    void drop(Held* h);
    QString nodesText(int done) const;

    void acquire(const ActionRequest& q, ActionResult& r);
    void tick(quint64 leaseId);
    // Every second while a held lease follows a master: asks where it lives now and renews at
    // once a lease whose master moved (as `lock acquire --hold` does), not at its next TTL/3.
    void followMasters();
    void release(const ActionRequest& q, ActionResult& r);
    void extend(const ActionRequest& q, ActionResult& r);
    void forceRelease(const ActionRequest& q, ActionResult& r);
    void setCounter(const ActionRequest& q, ActionResult& r);

    std::shared_ptr<std::atomic<bool>> readOnly_;
    std::shared_ptr<std::atomic<bool>> stopping_;
    locks::Owner owner_;
    std::vector<redis::Endpoint> nodes_;
    std::optional<monitor::MonitorTarget> target_;
    std::vector<std::optional<redis::Connection>> conns_;
    std::vector<std::unique_ptr<Held>> held_;
    QTimer* follow_ = nullptr;  // followMasters(), running while a held lease follows a master
    quint64 leaseSeq_ = 0;
};

}  // namespace lockscope::ui
