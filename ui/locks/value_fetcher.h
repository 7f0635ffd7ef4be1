// Reads the raw content of one key for the detail pane — a string's bytes or a hash's fields — on
// every node the dashboard follows, off the GUI thread: a worker on the "lockscope-values" QThread
// with its own connections. Big values are previewed, never fetched whole: GETRANGE for strings,
// a bounded HSCAN for hashes (TYPE, PTTL and the full length come along, so the pane can say what
// it left out), and for a hash, the waiting queue a Redisson fair lock keeps beside it; for the
// synchronisers, what locks::readPrimitiveState reads (a few commands, for the selected key only).
// Only the newest request counts: a selection that moves on drops older ones.
//
// Thread contract: create, call and destroy on the GUI thread; `fetched` is emitted on it.
#pragma once

#include <QObject>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "locks/primitive_ops.h"
#include "locks/primitive_state.h"
#include "monitor/fair_queue.h"
#include "redis/url.h"
#include "ui/common/hand_over.h"

namespace lockscope::ui {

struct FetchLimits {
    size_t previewBytes = 4096;  // a string (or each hash value) is shown up to this many bytes
    size_t maxFields = 200;      // hash fields read at most (HSCAN stops there)
    size_t scanCount = 100;      // HSCAN COUNT per round trip
};

struct NodeValue {
    std::string node;  // endpoint display
    std::string type;  // Redis TYPE; "none" when the key is gone
    long long pttlMs = -2;
    long long length = 0;  // string: STRLEN; hash: HLEN; other types: their element count
    std::string value;     // string: the first previewBytes bytes
    std::vector<std::pair<std::string, std::string>> fields;  // hash: values cut at previewBytes
    // A Redisson fair lock's waiters in order (redisson_lock_queue:{key}, up to maxFields), each
    // with when its wait runs out (redisson_lock_timeout:{key}).
    std::vector<monitor::FairWaiter> queue;
    // The synchronisers (read-write lock, semaphores, latch; a fair lock's queue is `queue`):
    // readers' leases, permits and their leases, a latch's count (locks/primitive_state.h).
    std::optional<locks::PrimitiveState> primitive;
    // A hash whose fields are "<uuid>:<thread>" (reentrant, fair, read-write; their waiters): the
    // connected LockScope clients whose tag begins one of those uuids, tag → connection name
    // ("lockscope:<host>:<pid>:<tag>", CLIENT LIST) — the process behind a reader's id. Empty
    // when CLIENT LIST is refused.
    std::unordered_map<std::string, std::string> holderClients;
    // The ids above (and an expirable semaphore's permit tokens) were looked for in CLIENT LIST:
    // holderClients maps each tag looked for and not found to "" (not connected). False: not
    // looked for, or CLIENT LIST refused.
    bool holderClientsRead = false;
    // A plain semaphore's permit tokens recorded by LockScope's clients, with the process each
    // names and whether it is still connected (locks::recordedPermits; adv14e item 6).
    std::vector<locks::RecordedPermit> recordedPermits;
    bool truncated = false;  // the value, a field value or the field list is not complete
    std::string error;       // why this node could not be read ("" when it could)
};

// The process a LockScope connection name "lockscope:<host>:<pid>:<tag>" names; nullopt for
// another name.
struct ClientProcess {
    std::string host;
    long pid = 0;
};
std::optional<ClientProcess> clientProcess(std::string_view clientName);

// A recorded plain permit's process and connection, for people: "host vm, pid 42, connected",
// "host vm, pid 42, not connected: its holder is gone, its permit leaked" (as `lock inspect`
// says it).
QString recordedPermitText(const locks::RecordedPermit& p);

struct FetchedValue {
    std::string key;
    quint64 generation = 0;
    std::vector<NodeValue> nodes;
};
using FetchedPtr = std::shared_ptr<const FetchedValue>;

class ValueFetcher : public QObject {
    Q_OBJECT
public:
    explicit ValueFetcher(FetchLimits limits = {}, QObject* parent = nullptr);
    ~ValueFetcher() override;

    void setNodes(std::vector<redis::Endpoint> nodes);
    // Reads `key` on every node; a later fetch() supersedes this one. Returns its generation.
    quint64 fetch(const std::string& key);
    // Forget the current request (its result, if it arrives, is dropped).
    void cancel();
    const FetchLimits& limits() const { return limits_; }

signals:
    void fetched(lockscope::ui::FetchedPtr value);

private:
    class Worker;
    FetchLimits limits_;
    WorkerThread thread_{"lockscope-values"};
    Worker* worker_;       // lives on thread_, deleted there when it finishes
    Mailbox* workerMail_;  // the worker's: fetches run on thread_
    Mailbox* mail_;        // ours: results run on the GUI thread
    std::shared_ptr<std::atomic<quint64>> latest_;
};

}  // namespace lockscope::ui
