#include "monitor/monitor.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include "monitor/key_store.h"
#include "monitor/node_worker.h"
#include "monitor/shared_state.h"
#include "monitor/topology_follower.h"
#include "redis/error.h"
#include "util/thread_name.h"

namespace lockscope::monitor {
namespace {

constexpr milliseconds kStateRefresh{500};
constexpr milliseconds kHistoryEvery{1000};

bool has(std::string_view s, char c) { return s.find(c) != std::string_view::npos; }

KeyStore::Layout layoutOf(TargetKind kind) {
    switch (kind) {
        case TargetKind::Group:
            return KeyStore::Layout::Group;
        case TargetKind::Cluster:
            return KeyStore::Layout::Cluster;
        case TargetKind::Single:
        case TargetKind::Sentinel:
            break;
    }
    return KeyStore::Layout::PerNode;
}

KeyStoreOptions storeOptions(const MonitorOptions& o) {
    KeyStoreOptions s;
    s.expiringSoon = o.expiringSoon;
    s.rateWindow = o.rateWindow;
    s.historyLength = o.historyLength;
    s.freeLinger = o.freeLinger;
    return s;
}

}  // namespace

bool notificationsSufficient(std::string_view flags) {
    if (!has(flags, 'K')) return false;
    if (has(flags, 'A')) return true;
    return has(flags, 'g') && has(flags, '$') && has(flags, 'h') && has(flags, 'x');
}

std::string withNeededNotificationFlags(std::string_view flags, std::string_view version) {
    std::string out(flags);
    if (!has(out, 'K')) out += 'K';
    if (!has(out, 'A')) out += 'A';
    if (redisMajorVersion(version) >= 7 && !has(out, 'n')) out += 'n';
    return out;
}

int redisMajorVersion(std::string_view version) {
    int major = 0;
    size_t i = 0;
    for (; i < version.size() && i < 4 && version[i] >= '0' && version[i] <= '9'; ++i)
        major = major * 10 + (version[i] - '0');
    return i > 0 && (i == version.size() || version[i] == '.') ? major : 0;
}

std::string NodeStatus::display() const {
    if (endpoint) return endpoint->display();
    if (!masterName.empty()) return "master " + masterName + " (asking the Sentinels)";
    return {};
}

// The facade's state and the engine thread: it takes what the node threads inspected, keeps the
// key store (key_store.h) and calls the listener.
struct Monitor::Impl {
    Impl(const MonitorTarget& target, const MonitorOptions& options, const Clock* clock)
        : shared(target, options, clock),
          store(layoutOf(target.kind), target.nodes.size(), storeOptions(options), clock),
          follower(shared) {
        switch (target.kind) {
            case TargetKind::Single:
            case TargetKind::Group:
                for (const auto& e : target.nodes) shared.addNode(e);
                shared.discovered = true;
                break;
            case TargetKind::Sentinel:
                shared.addNode(std::nullopt);
                shared.editNode(0, [&](NodeStatus& st) { st.masterName = target.masterName; });
                shared.discovered = true;
                break;
            case TargetKind::Cluster:
                break;  // the topology follower adds a node per master once it has read the map
        }
    }

    void engineLoop();
    void apply(std::vector<InboxItem>& items);
    void setCounts(const KeyStore::Counts& c);
    void publish(bool inventoryDone);

    SharedState shared;
    Listener listener;
    mutable std::mutex storeMutex;  // the engine writes the store; snapshot() and history() read
    KeyStore store;
    std::vector<bool> nodeScanned;   // engine thread only
    std::vector<bool> nodeReserved;  // engine thread only: the store made room for its keys
    // The Node::generation (address) each node's records were last published under: a scan under
    // a newer one (a failover) publishes them all again, with their new node.
    std::vector<std::int64_t> nodeGeneration;  // engine thread only; -1 before the first scan
    std::thread engine;
    TopologyFollower follower;  // Sentinel / cluster
};

void Monitor::Impl::apply(std::vector<InboxItem>& items) {
    std::lock_guard<std::mutex> g(storeMutex);
    // The store judges a cluster node's word by the slots it serves now: at least as new as
    // what the items were inspected under.
    if (shared.target.kind == TargetKind::Cluster && !items.empty())
        for (Node* n : shared.nodeList()) store.setServedSlots(n->index, n->ranges());
    for (auto& item : items) {
        if (nodeScanned.size() <= static_cast<size_t>(item.node))
            nodeScanned.resize(static_cast<size_t>(item.node) + 1, false);
        switch (item.what) {
            case InboxItem::What::ScanDone: {
                store.scanDone(item.node, item.epoch);
                nodeScanned[static_cast<size_t>(item.node)] = true;
                if (nodeGeneration.size() <= static_cast<size_t>(item.node))
                    nodeGeneration.resize(static_cast<size_t>(item.node) + 1, -1);
                auto& published = nodeGeneration[static_cast<size_t>(item.node)];
                if (published >= 0 && published != item.generation) store.requeueNode(item.node);
                published = item.generation;
                break;
            }
            case InboxItem::What::Stale:
                store.markNodeStale(item.node, item.stale);
                break;
            case InboxItem::What::Retired:
                store.retire(item.node);
                nodeScanned[static_cast<size_t>(item.node)] = true;
                break;
            case InboxItem::What::Records: {
                // A node's first inventory: room for its keys that this first batch says will be
                // tracked (locks and counters), once.
                const auto i = static_cast<size_t>(item.node);
                if (nodeReserved.size() <= i) nodeReserved.resize(i + 1, false);
                if (!nodeScanned[i] && !nodeReserved[i] && item.dbSize > 0 &&
                    item.records.size() >= 100) {
                    nodeReserved[i] = true;
                    size_t tracked = 0;
                    for (const auto& rec : item.records) tracked += rec.isLock() || rec.isCounter();
                    // A tenth more than the estimate: one batch's share is only an estimate,
                    // and ending a little short would move every entry once more at the end.
                    const double share = 1.1 * static_cast<double>(tracked) /
                                         static_cast<double>(item.records.size());
                    store.reserve(store.size() +
                                  static_cast<size_t>(share * static_cast<double>(item.dbSize)));
                }
                for (auto& rec : item.records) store.apply(item.node, item.epoch, std::move(rec));
                break;
            }
        }
    }
}

void Monitor::Impl::setCounts(const KeyStore::Counts& c) {
    shared.editStatus([&](MonitorStatus& s) {
        s.keysTracked = c.keys;
        s.locks = c.locks;
        s.counters = c.counters;
        s.stale = c.stale;
    });
}

void Monitor::Impl::publish(bool inventoryDone) {
    std::vector<KeyEvent> events;
    unsigned long long notShown = 0, total = 0;
    for (Node* n : shared.nodeList()) {
        std::lock_guard<std::mutex> g(n->eventMutex);
        for (auto& e : n->eventBuffer) events.push_back(std::move(e));
        n->eventBuffer.clear();
        notShown += std::exchange(n->eventsNotShown, 0);
        total += n->eventsTotal.load();
    }
    bool last = false;
    while (!last) {
        MonitorUpdate u;
        {
            std::lock_guard<std::mutex> g(storeMutex);
            u.changed = store.takeChanged(shared.options.maxRecordsPerUpdate);
            for (const auto& r : u.changed)
                if (r.isLock())
                    if (const LockStats* s = store.lockStats(r.key))
                        u.stats.push_back(summarize(r.key, *s));
            last = store.queuedChanges() == 0;
            if (last) u.removed = store.takeRemoved();
        }
        if (last) {
            u.events = std::move(events);
            u.eventsNotShown = notShown;
        }
        shared.editStatus([&](MonitorStatus& s) {
            s.eventsReceived = total;
            if (last && inventoryDone) s.inventoryComplete = true;
            u.status = s;
        });
        if (listener) listener(std::move(u));  // also without changes: status moves on
    }
}

void Monitor::Impl::engineLoop() {
    const MonitorOptions& options = shared.options;
    auto now = Steady::now();
    auto nextPublish = now + options.publishInterval;
    auto nextStates = now + kStateRefresh;
    auto nextHistory = now + kHistoryEvery;
    unsigned long long lastEvents = 0;
    auto lastEventsAt = now;
    bool inventoryDone = false;
    while (!shared.stopping.load()) {
        auto items = shared.waitForInbox(nextPublish);
        apply(items);
        now = Steady::now();
        if (now < nextPublish && store.queuedChanges() < options.maxRecordsPerUpdate) continue;
        {
            std::lock_guard<std::mutex> g(storeMutex);
            if (now >= nextStates) {
                // Visits only what may change by time soon (key_store.h): cheap at any size.
                setCounts(store.refreshTimeStates());
                nextStates = now + kStateRefresh;
            }
            const bool history = now >= nextHistory;
            store.refreshRates(history);
            if (history) nextHistory = now + kHistoryEvery;
        }
        unsigned long long total = 0;
        const auto list = shared.nodeList();
        for (Node* n : list) total += n->eventsTotal.load();
        if (nodeScanned.size() < list.size()) nodeScanned.resize(list.size(), false);
        const double secs = std::chrono::duration<double>(now - lastEventsAt).count();
        if (secs >= 1.0) {
            shared.editStatus([&](MonitorStatus& s) {
                s.eventsPerSecond = static_cast<double>(total - lastEvents) / secs;
            });
            lastEvents = total;
            lastEventsAt = now;
        }
        if (!inventoryDone && shared.discovered.load() && !nodeScanned.empty() &&
            std::all_of(nodeScanned.begin(), nodeScanned.end(), [](bool b) { return b; })) {
            inventoryDone = true;
            std::lock_guard<std::mutex> g(storeMutex);
            // Exact counts in the update that completes the inventory.
            setCounts(store.refreshTimeStates());
        }
        publish(inventoryDone);
        nextPublish = Steady::now() + options.publishInterval;
    }
}

Monitor::Monitor(std::vector<redis::Endpoint> nodes, MonitorOptions options, const Clock* clock)
    : Monitor(MonitorTarget::group(std::move(nodes)), std::move(options), clock) {}

Monitor::Monitor(const redis::Url& url, MonitorOptions options, const std::string& fallbackPassword,
                 const Clock* clock)
    : Monitor(MonitorTarget::fromUrl(url, fallbackPassword), std::move(options), clock) {}

Monitor::Monitor(MonitorTarget target, MonitorOptions options, const Clock* clock)
    : target_(std::move(target)), options_(std::move(options)) {
    if (target_.nodes.empty())
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "the monitor needs at least one server");
    if (target_.kind == TargetKind::Sentinel && target_.masterName.empty())
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "a Sentinel target needs a master name");
    if (options_.batchSize == 0 || options_.scanCount == 0)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "batch size and SCAN COUNT must be positive");
    impl_ = std::make_unique<Impl>(target_, options_, clock);
}

Monitor::~Monitor() { stop(); }

void Monitor::setListener(Listener listener) { impl_->listener = std::move(listener); }

void Monitor::start() {
    if (impl_->engine.joinable()) return;
    impl_->shared.stopping = false;
    impl_->engine = std::thread([this] {
        setThreadName("ls-mon-engine");
        impl_->engineLoop();
    });
    for (Node* node : impl_->shared.nodeList()) startNodeThreads(impl_->shared, *node);
    impl_->shared.running = true;
    impl_->follower.start();
}

void Monitor::stop() {
    if (!impl_ || impl_->shared.stopping.exchange(true)) return;
    impl_->shared.wakeEngine();
    // The topology follower first: it is the one that adds nodes (and starts their threads).
    impl_->follower.join();
    for (Node* n : impl_->shared.nodeList()) joinNodeThreads(*n);
    if (impl_->engine.joinable()) impl_->engine.join();
}

std::vector<KeyRecord> Monitor::snapshot() const {
    std::lock_guard<std::mutex> g(impl_->storeMutex);
    return impl_->store.snapshot();
}

MonitorStatus Monitor::status() const { return impl_->shared.status(); }

std::vector<RatePoint> Monitor::history(const std::string& key) const {
    std::lock_guard<std::mutex> g(impl_->storeMutex);
    return impl_->store.history(key);
}

std::optional<LockStats> Monitor::lockStats(const std::string& key) const {
    std::lock_guard<std::mutex> g(impl_->storeMutex);
    const LockStats* s = impl_->store.lockStats(key);
    return s ? std::optional<LockStats>(*s) : std::nullopt;
}

std::vector<std::pair<std::string, LockStats>> Monitor::allLockStats() const {
    std::lock_guard<std::mutex> g(impl_->storeMutex);
    const auto& all = impl_->store.allLockStats();
    return {all.begin(), all.end()};
}

void Monitor::requestRescan() {
    for (Node* n : impl_->shared.nodeList()) {
        n->rescanRequested = true;
        n->dirtyCv.notify_all();
    }
}

void Monitor::setRules(LockRules rules) {
    {
        // Before the new rules reach a classification: what they reveal was there all along.
        std::lock_guard<std::mutex> g(impl_->storeMutex);
        impl_->store.rulesChanged();
    }
    impl_->shared.setRules(std::move(rules));
    requestRescan();  // what was classified under the old rules is read again
}

LockRules Monitor::rules() const { return *impl_->shared.rules(); }

void Monitor::requestEnableNotifications() {
    for (Node* n : impl_->shared.nodeList()) {
        n->enableRequested = true;
        n->dirtyCv.notify_all();
    }
}

}  // namespace lockscope::monitor
