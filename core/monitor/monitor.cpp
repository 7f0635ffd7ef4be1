#include "monitor/monitor.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "monitor/classifier.h"
#include "monitor/merge.h"
#include "monitor/scan.h"
#include "redis/cluster.h"
#include "redis/error.h"
#include "redis/sentinel.h"

namespace lockscope::monitor {
namespace {

constexpr size_t kMaxMessages = 50;
constexpr milliseconds kMaxBackoff{2000};
constexpr milliseconds kStateRefresh{500};
constexpr milliseconds kHistoryEvery{1000};

bool has(std::string_view s, char c) { return s.find(c) != std::string_view::npos; }

std::string infoField(std::string_view info, std::string_view name) {
    std::string key = std::string(name) + ":";
    auto at = info.find(key);
    if (at == std::string_view::npos) return {};
    auto end = info.find_first_of("\r\n", at);
    return std::string(info.substr(at + key.size(), end - at - key.size()));
}

// Records differ in a way a viewer would notice (a TTL that just counts down does not).
bool differs(const KeyState& a, const KeyState& b, Steady::time_point now) {
    if (a.kind != b.kind || a.format != b.format || a.state != b.state || a.holder != b.holder ||
        a.number != b.number || a.holdCount != b.holdCount || a.nodesHolding != b.nodesHolding ||
        a.nodesTotal != b.nodesTotal || a.periodMs != b.periodMs || a.node != b.node)
        return true;
    if ((a.ttlMs < 0) != (b.ttlMs < 0)) return true;
    // Extended or shortened: more than 100 ms away from where the countdown would be.
    return a.ttlMs >= 0 && std::llabs(a.ttlNow(now) - b.ttlNow(now)) > 100;
}

}  // namespace

bool notificationsSufficient(std::string_view flags) {
    if (!has(flags, 'K')) return false;
    if (has(flags, 'A')) return true;
    return has(flags, 'g') && has(flags, '$') && has(flags, 'h') && has(flags, 'x');
}

std::string withNeededNotificationFlags(std::string_view flags) {
    std::string out(flags);
    if (!has(out, 'K')) out += 'K';
    if (!has(out, 'A')) out += 'A';
    return out;
}

struct Monitor::Impl {
    struct Node {
        int index = 0;
        // Where this node is now. A Sentinel target's node and a cluster's masters are repointed
        // by the watcher thread (failover); `generation` counts the moves, so the node's threads
        // notice, drop their connections and reconnect. Empty until first resolved.
        mutable std::mutex endpointMutex;
        std::optional<redis::Endpoint> endpointValue;
        std::vector<redis::SlotRange> ranges;  // cluster: the slots it serves (endpointMutex)
        std::atomic<std::uint32_t> generation{0};
        std::atomic<bool> retired{false};  // cluster: it serves no slot any more
        std::thread inspector;
        std::thread subscriber;

        std::optional<redis::Endpoint> endpoint() const {
            std::lock_guard<std::mutex> g(endpointMutex);
            return endpointValue;
        }
        std::string where() const {
            std::lock_guard<std::mutex> g(endpointMutex);
            return endpointValue ? endpointValue->display() : "(not resolved yet)";
        }
        bool serves(int slot) const {
            std::lock_guard<std::mutex> g(endpointMutex);
            for (const auto& r : ranges)
                if (slot >= r.first && slot <= r.last) return true;
            return false;
        }
        void setRanges(std::vector<redis::SlotRange> r) {
            std::lock_guard<std::mutex> g(endpointMutex);
            ranges = std::move(r);
        }

        std::mutex dirtyMutex;
        std::condition_variable dirtyCv;
        // Keys a notification said changed, oldest first; `dirtySet` coalesces repeats, so a
        // storm on few keys costs one inspection each and no key waits behind later ones.
        std::deque<std::string> dirty;
        std::unordered_set<std::string> dirtySet;
        std::atomic<bool> rescanRequested{false};
        std::atomic<bool> enableRequested{false};
        std::atomic<bool> scanAllowed{true};
        std::atomic<bool> eventsSeen{false};

        std::mutex eventMutex;
        std::vector<KeyEvent> eventBuffer;  // recent notifications for viewers (bounded)
        unsigned long long eventsNotShown = 0;
        std::atomic<unsigned long long> eventsTotal{0};
    };

    struct InboxItem {
        enum class What { Records, ScanDone, Retired } what;
        int node = 0;
        std::uint32_t epoch = 0;
        std::vector<KeyRecord> records;
    };

    struct NodeSlot {
        std::optional<KeyRecord> record;
        std::uint32_t epoch = 0;
    };

    struct Entry {
        KeyState record;                               // the name is the map key
        std::uint32_t epoch = 0;                       // single node: scan that last saw it
        std::unique_ptr<std::vector<NodeSlot>> slots;  // Redlock group only
        std::unique_ptr<RateTracker> rate;             // counters that ever moved
        bool queued = false;                           // in Pending::changed, not yet published
    };

    Impl(const MonitorTarget& tgt, const MonitorOptions& opts, const Clock* clk)
        : target(tgt), options(opts), clock(clk), group(tgt.kind == TargetKind::Group) {
        status.kind = target.kind;
        status.target = target.display();
        switch (target.kind) {
            case TargetKind::Single:
            case TargetKind::Group:
                for (const auto& e : target.nodes) addNode(e);
                discovered = true;
                break;
            case TargetKind::Sentinel:
                addNode(std::nullopt);
                editNode(0, [&](NodeStatus& st) {
                    st.node = "master " + target.masterName + " (asking the Sentinels)";
                });
                discovered = true;
                break;
            case TargetKind::Cluster:
                break;  // the watcher adds a node per master once it has read the slot map
        }
    }

    const MonitorTarget& target;
    const MonitorOptions& options;
    const Clock* clock;
    const bool group;  // a Redlock group: one record per key, merged over the nodes
    Listener listener;
    std::atomic<bool> stopping{false};
    std::atomic<bool> running{false};  // start() ran: nodes added later start their threads at once
    std::atomic<bool> discovered{false};        // the nodes to follow are known
    std::atomic<bool> refreshRequested{false};  // re-read where the master(s) are, now
    mutable std::mutex nodesMutex;
    std::vector<std::unique_ptr<Node>> nodes;  // only ever grows (nodes are retired, not erased)
    std::thread engine;
    std::thread watcher;  // Sentinel / cluster: follows the topology

    std::mutex inboxMutex;
    std::condition_variable inboxCv;
    std::vector<InboxItem> inbox;

    mutable std::mutex storeMutex;
    std::unordered_map<std::string, Entry> store;
    std::unordered_set<std::string> moving;  // counters with a rate tracker worth refreshing

    mutable std::mutex statusMutex;
    MonitorStatus status;
    std::vector<bool> nodeScanned;  // engine thread only

    // ---- shared helpers -------------------------------------------------------------------

    std::vector<Node*> nodeList() const {
        std::lock_guard<std::mutex> g(nodesMutex);
        std::vector<Node*> out;
        out.reserve(nodes.size());
        for (const auto& n : nodes) out.push_back(n.get());
        return out;
    }

    bool followsMaster() const {
        return target.kind == TargetKind::Sentinel || target.kind == TargetKind::Cluster;
    }

    bool alive(const Node& n) const { return !stopping.load() && !n.retired.load(); }

    Node* addNode(std::optional<redis::Endpoint> endpoint) {
        auto n = std::make_unique<Node>();
        Node* raw = n.get();
        {
            std::lock_guard<std::mutex> g(statusMutex);
            NodeStatus st;
            if (endpoint) st.node = endpoint->display();
            status.nodes.push_back(std::move(st));
        }
        {
            std::lock_guard<std::mutex> g(nodesMutex);
            raw->index = static_cast<int>(nodes.size());
            raw->endpointValue = std::move(endpoint);
            nodes.push_back(std::move(n));
        }
        return raw;
    }

    void startNode(Node& n) {
        Node* node = &n;
        node->inspector = std::thread([this, node] { inspectorLoop(*node); });
        if (options.subscribe)
            node->subscriber = std::thread([this, node] { subscriberLoop(*node); });
    }

    void requestRefresh() { refreshRequested = true; }

    void message(std::string text) {
        std::lock_guard<std::mutex> g(statusMutex);
        status.messages.push_back({clock->wallMillis(), std::move(text)});
        if (status.messages.size() > kMaxMessages) status.messages.erase(status.messages.begin());
    }

    template <typename F>
    void editNode(int i, F&& f) {
        std::lock_guard<std::mutex> g(statusMutex);
        NodeStatus& st = status.nodes[static_cast<size_t>(i)];
        f(st);
        // Derived, in one place: only a live subscription to notifications that are on spares
        // the polling.
        st.polling = !(st.notifications == NodeStatus::Notifications::On && st.subscribed);
    }

    bool sleepFor(milliseconds d) {
        // Interruptible sleep for the node threads: wakes at stop.
        const auto until = Steady::now() + d;
        while (!stopping.load() && Steady::now() < until)
            std::this_thread::sleep_for(
                std::min<Steady::duration>(milliseconds(20), until - Steady::now()));
        return !stopping.load();
    }

    void post(InboxItem item) {
        {
            std::lock_guard<std::mutex> g(inboxMutex);
            inbox.push_back(std::move(item));
        }
        inboxCv.notify_one();
    }

    redis::ConnectOptions connectOptions() const {
        redis::ConnectOptions o = options.connect;
        o.clientName = "lockscope-monitor";
        return o;
    }

    static std::string channelPattern(const redis::Endpoint& e, const std::string& pattern) {
        return "__keyspace@" + std::to_string(e.db) + "__:" + pattern;
    }

    // ---- node: inspector thread -----------------------------------------------------------

    struct NodeScan {
        explicit NodeScan(const InspectOptions& o)
            : inspector(o), rescanInspector(withoutIdle(o)) {}
        static InspectOptions withoutIdle(InspectOptions o) {
            o.idleTime = false;
            return o;
        }
        Inspector inspector;  // the first inventory: OBJECT IDLETIME gives lock ages
        // Everything after it skips OBJECT IDLETIME (a third of the server's work per key): a key
        // named by a notification was just written, known keys keep the age they have, and a key
        // a rescan finds for the first time appeared less than one scan interval ago.
        Inspector rescanInspector;
        bool inventoried = false;
        std::uint32_t epoch = 0;
        std::unordered_map<std::string, std::string> clients;
        bool clientsKnown = false;
        bool clientListWarned = false;
        Steady::time_point nextClientList{};
        Steady::time_point nextFullScan{};
        Steady::time_point nextPing{};
        milliseconds lastScanTook{0};
    };

    ClassifyContext contextFor(const NodeScan& s) const {
        ClassifyContext ctx;
        ctx.wallNowMs = clock->wallMillis();
        ctx.now = clock->steadyNow();
        ctx.expiringSoon = options.expiringSoon;
        ctx.lockscopeClientsByTag = s.clientsKnown ? &s.clients : nullptr;
        return ctx;
    }

    void post(Node& n, NodeScan& s, std::vector<Inspected>&& inspected) {
        for (auto* in : {&s.inspector, &s.rescanInspector})
            for (auto& note : in->takeNotes()) message(n.where() + ": " + note);
        if (inspected.empty()) return;
        InboxItem item{InboxItem::What::Records, n.index, s.epoch, {}};
        item.records.reserve(inspected.size());
        ClassifyContext ctx = contextFor(s);
        std::vector<std::pair<std::string, std::string>> moved;  // key, "host:port"
        bool asked = false;
        for (auto& in : inspected) {
            if (in.observation.type == "moved") {
                moved.emplace_back(std::move(in.observation.key),
                                   std::move(in.observation.movedTo));
                continue;
            }
            // ASK: a slot being migrated. Its key is found where the migration ends, once the slot
            // map says so (a bounce between the two nodes meanwhile would never settle).
            if (in.observation.type == "ask") {
                asked = true;
                continue;
            }
            ctx.companions = in.companions;
            item.records.push_back(classify(std::move(in.observation), ctx));
        }
        if (!item.records.empty()) post(std::move(item));
        if (!moved.empty()) followRedirects(n, moved);
        if (asked) requestRefresh();
    }

    // Keys a cluster node answered MOVED / ASK for: it no longer serves their slot. They are
    // inspected on the node named in the redirect, and the slot map is re-read (resharding or a
    // failover changed it). A key is never shown as gone on the word of a node that lost it.
    void followRedirects(Node& from, std::vector<std::pair<std::string, std::string>>& moved) {
        requestRefresh();
        for (Node* other : nodeList()) {
            if (other == &from || other->retired.load()) continue;
            auto ep = other->endpoint();
            if (!ep) continue;
            const std::string addr = ep->tcp.display();
            bool any = false;
            {
                std::lock_guard<std::mutex> g(other->dirtyMutex);
                for (auto& [key, to] : moved) {
                    if (to != addr || key.empty()) continue;
                    if (other->dirtySet.insert(key).second) other->dirty.push_back(key);
                    key.clear();  // handed over
                    any = true;
                }
            }
            if (any) other->dirtyCv.notify_one();
        }
        // Redirected to a node not followed yet: the refreshed map adds it, and its scan finds
        // them.
    }

    void processDirty(Node& n, NodeScan& s, redis::Connection& c) {
        while (!stopping.load()) {
            std::vector<std::string> keys;
            {
                std::lock_guard<std::mutex> g(n.dirtyMutex);
                if (n.dirty.empty()) return;
                while (!n.dirty.empty() && keys.size() < options.batchSize) {
                    n.dirtySet.erase(n.dirty.front());
                    keys.push_back(std::move(n.dirty.front()));
                    n.dirty.pop_front();
                }
            }
            // The key was just written: OBJECT IDLETIME would say 0, so it is not asked.
            post(n, s, s.rescanInspector.inspect(c, keys));
        }
    }

    void refreshClients(Node& n, NodeScan& s, redis::Connection& c) {
        s.nextClientList = Steady::now() + options.clientListInterval;
        auto reply = c.raw({"CLIENT", "LIST"});
        if (reply.isError()) {
            s.clientsKnown = false;
            if (!s.clientListWarned)
                message(n.where() + ": CLIENT LIST refused (" +
                        std::string(reply.errorMessage().substr(0, 100)) +
                        "): orphaned locks cannot be detected");
            s.clientListWarned = true;
            s.nextClientList = Steady::now() + milliseconds(60000);
            return;
        }
        s.clients = lockscopeClientsFromClientList(reply.str());
        s.clientsKnown = true;
    }

    // Round 1 and SCAN on `scanConn`; everything else (follow-up rounds, live changes) on `work`.
    void fullScan(Node& n, NodeScan& s, redis::Connection& scanConn, redis::Connection& work) {
        const auto started = Steady::now();
        ++s.epoch;
        Inspector& inspector = s.inventoried ? s.rescanInspector : s.inspector;
        auto refusal = scanAndInspect(scanConn, work, inspector, options.patterns,
                                      options.scanCount, [&](std::vector<Inspected>&& batch) {
                                          post(n, s, std::move(batch));
                                          processDirty(n, s, work);  // live changes keep flowing
                                          return alive(n);
                                      });
        if (refusal) {
            n.scanAllowed = false;
            message(n.where() + ": SCAN refused (" + refusal->substr(0, 100) +
                    "): keys are discovered from keyspace notifications only");
            return;
        }
        if (!alive(n)) return;
        post({InboxItem::What::ScanDone, n.index, s.epoch, {}});
        s.inventoried = true;
        s.lastScanTook = std::chrono::duration_cast<milliseconds>(Steady::now() - started);
    }

    milliseconds scanInterval(const Node& n, const NodeScan& s) {
        bool live;
        {
            std::lock_guard<std::mutex> g(statusMutex);
            live = !status.nodes[static_cast<size_t>(n.index)].polling;
        }
        // A big keyspace is not rescanned more often than every 2 scan durations (polling) or
        // 20 (safety net).
        milliseconds base = live ? options.rescanInterval : options.pollInterval;
        return std::max(base, s.lastScanTook * (live ? 20 : 2));
    }

    void onConnected(Node& n, redis::Connection& c, bool reconnect, bool repointed,
                     Steady::time_point lostAt) {
        auto info = c.raw({"INFO"});
        std::string version, role;
        if (!info.isError() && info.isString()) {
            version = infoField(info.str(), "redis_version");
            role = infoField(info.str(), "role");
        }
        auto cfg = c.raw({"CONFIG", "GET", "notify-keyspace-events"});
        NodeStatus::Notifications notif = NodeStatus::Notifications::Unknown;
        std::string flags;
        bool canConfigure = true;
        if (!cfg.isError() && cfg.isArray() && cfg.size() == 2) {
            flags = std::string(cfg[1].str());
            notif = notificationsSufficient(flags) ? NodeStatus::Notifications::On
                                                   : NodeStatus::Notifications::Off;
        } else {
            canConfigure = false;
        }
        if (!options.subscribe && notif == NodeStatus::Notifications::On)
            notif = NodeStatus::Notifications::Off;
        editNode(n.index, [&](NodeStatus& st) {
            st.link = NodeStatus::Link::Connected;
            st.node = c.endpoint().display();
            st.version = version;
            st.role = role;
            st.notifyFlags = flags;
            st.canConfigure = canConfigure;
            if (st.notifications != NodeStatus::Notifications::Unavailable)
                st.notifications = notif;
            if (reconnect) ++st.reconnects;
        });
        const std::string where = c.endpoint().display();
        if (reconnect && !repointed) {
            auto down = std::chrono::duration_cast<milliseconds>(Steady::now() - lostAt).count();
            message(where + ": reconnected after " + std::to_string(down) +
                    " ms; resubscribing and rescanning");
        }
        if (!options.subscribe) return;
        if (cfg.isError()) {
            message(where + ": cannot read notify-keyspace-events (" +
                    std::string(cfg.errorMessage().substr(0, 80)) +
                    "); subscribing anyway and polling every " +
                    std::to_string(options.pollInterval.count()) + " ms until events arrive");
        } else if (notif == NodeStatus::Notifications::Off && (!reconnect || repointed)) {
            const auto& tcp = c.endpoint().tcp;
            message(where + ": keyspace notifications are off (notify-keyspace-events is '" +
                    flags + "'); following by polling every " +
                    std::to_string(options.pollInterval.count()) +
                    " ms. To follow live: redis-cli -h " + tcp.host + " -p " +
                    std::to_string(tcp.port) + " CONFIG SET notify-keyspace-events " +
                    withNeededNotificationFlags(flags) + " (or enable them from LockScope)");
        }
    }

    void enableNotifications(Node& n, redis::Connection& c) {
        const std::string where = c.endpoint().display();
        auto cfg = c.raw({"CONFIG", "GET", "notify-keyspace-events"});
        if (cfg.isError()) {
            message(where +
                    ": cannot enable keyspace notifications: " + std::string(cfg.errorMessage()));
            return;
        }
        std::string before(cfg.isArray() && cfg.size() == 2 ? cfg[1].str() : "");
        std::string after = withNeededNotificationFlags(before);
        auto set = c.raw({"CONFIG", "SET", "notify-keyspace-events", after});
        if (set.isError()) {
            editNode(n.index, [](NodeStatus& st) { st.canConfigure = false; });
            message(where +
                    ": cannot enable keyspace notifications: " + std::string(set.errorMessage()));
            return;
        }
        auto now = c.raw({"CONFIG", "GET", "notify-keyspace-events"});
        std::string effective(now.isArray() && now.size() == 2 ? now[1].str() : after);
        editNode(n.index, [&](NodeStatus& st) {
            st.notifyFlags = effective;
            st.notifications = NodeStatus::Notifications::On;
        });
        message(where + ": keyspace notifications enabled (notify-keyspace-events was '" + before +
                "', now '" + effective + "')");
    }

    void inspectorLoop(Node& n) {
        // Behind the subscriber: under a notification storm a late inspection costs a little
        // freshness, while a subscriber that falls behind is disconnected by the server
        // (client-output-buffer-limit pubsub) and loses events. Lowering one's own priority needs
        // no privilege; if refused, it just runs at normal priority.
        ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 5);
        NodeScan s(options.inspect);
        std::optional<redis::Connection> conn;      // commands, live changes, follow-up rounds
        std::optional<redis::Connection> scanConn;  // SCAN + round 1 of inventories
        milliseconds backoff{100};
        bool everConnected = false;
        bool connectFailureReported = false;
        bool replicaReported = false;
        std::uint32_t connectedGeneration = 0;
        bool repointed = false;
        Steady::time_point lostAt{};
        while (alive(n)) {
            try {
                if (everConnected && n.generation.load() != connectedGeneration && !repointed) {
                    // The watcher moved this node (a failover): reconnect there. It said so.
                    conn.reset();
                    scanConn.reset();
                    lostAt = Steady::now();
                    repointed = true;
                    connectFailureReported = false;
                }
                if (!conn) {
                    const std::uint32_t generation = n.generation.load();  // before the address
                    auto endpoint = n.endpoint();
                    if (!endpoint) {  // a Sentinel target before the first answer
                        sleepFor(milliseconds(20));
                        continue;
                    }
                    conn.emplace(*endpoint, connectOptions());
                    scanConn.emplace(*endpoint, connectOptions());
                    connectedGeneration = generation;
                    onConnected(n, *conn, everConnected, repointed, lostAt);
                    everConnected = true;
                    repointed = false;
                    replicaReported = false;
                    connectFailureReported = false;
                    backoff = milliseconds(100);
                    s.nextFullScan = Steady::now();
                    s.nextClientList = Steady::now();
                    s.nextPing = Steady::now();
                }
                if (n.enableRequested.exchange(false)) enableNotifications(n, *conn);
                const auto now = Steady::now();
                if (now >= s.nextClientList) refreshClients(n, s, *conn);
                if (n.rescanRequested.exchange(false) ||
                    (n.scanAllowed.load() && now >= s.nextFullScan)) {
                    fullScan(n, s, *scanConn, *conn);
                    s.nextFullScan = Steady::now() + scanInterval(n, s);
                }
                processDirty(n, s, *conn);
                if (Steady::now() >= s.nextPing) {
                    const auto t0 = Steady::now();
                    if (followsMaster()) {
                        // ROLE costs what PING costs and tells a master that was demoted.
                        auto role = conn->command({"ROLE"});
                        const std::string r(role.isArray() && role.size() > 0 ? role[0].str() : "");
                        if (r != "master") {
                            if (!replicaReported)
                                message(conn->endpoint().display() + " is a " +
                                        (r == "slave" ? "replica" : r) +
                                        " now: asking where the master went");
                            replicaReported = true;
                            requestRefresh();
                        }
                        editNode(n.index, [&](NodeStatus& st) { st.role = r; });
                    } else {
                        conn->command({"PING"});
                    }
                    const auto us =
                        std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - t0)
                            .count();
                    editNode(n.index, [&](NodeStatus& st) { st.latencyUs = us; });
                    s.nextPing = Steady::now() + milliseconds(1000);
                }
                std::unique_lock<std::mutex> lock(n.dirtyMutex);
                auto wake = std::min({s.nextPing, s.nextClientList,
                                      n.scanAllowed.load() ? s.nextFullScan : s.nextPing});
                n.dirtyCv.wait_until(lock, std::min(wake, Steady::now() + milliseconds(100)), [&] {
                    return !alive(n) || !n.dirty.empty() || n.rescanRequested.load() ||
                           n.enableRequested.load() || n.generation.load() != connectedGeneration;
                });
            } catch (const redis::Error& e) {
                const std::string where = conn ? conn->endpoint().display() : n.where();
                if (conn && !e.breaksConnection()) {  // e.g. a command the ACL refuses
                    message(where + ": " + e.what());
                    sleepFor(milliseconds(1000));
                    continue;
                }
                // A master that went away may have been replaced: ask at once.
                if (followsMaster()) requestRefresh();
                // Say it on the transitions only, not on every failed retry.
                if (conn) {
                    message(where + ": connection lost (" + e.what() + "); reconnecting");
                    lostAt = Steady::now();
                } else if ((!everConnected || repointed) && !connectFailureReported) {
                    message(where + ": cannot connect (" + e.what() + "); retrying");
                    connectFailureReported = true;
                }
                conn.reset();
                scanConn.reset();
                editNode(n.index, [&](NodeStatus& st) {
                    st.link = everConnected ? NodeStatus::Link::Reconnecting
                                            : NodeStatus::Link::Connecting;
                    st.latencyUs = -1;
                });
                // A repointed node reconnects at once; a lost one backs off.
                const std::uint32_t before = n.generation.load();
                const auto until = Steady::now() + backoff;
                while (alive(n) && Steady::now() < until && n.generation.load() == before)
                    std::this_thread::sleep_for(milliseconds(20));
                backoff = std::min(backoff * 2, kMaxBackoff);
            }
        }
        if (!n.retired.load())
            editNode(n.index, [](NodeStatus& st) { st.link = NodeStatus::Link::Stopped; });
    }

    // ---- node: subscriber thread ----------------------------------------------------------

    // The subscriber's hot path (hundreds of thousands of messages a second in a storm): events
    // for viewers are only built while the viewers' buffer has room.
    struct Received {
        std::vector<std::string> keys;
        std::vector<KeyEvent> events;
        size_t eventRoom = 0;
        unsigned long long notShown = 0;
    };

    void handleMessage(Node& n, const redis::ReplyView& m, Received& r) {
        // pmessage <pattern> <channel> <event>
        if (!m.isArray() || m.size() != 4 || m[0].str() != "pmessage") return;
        std::string_view channel = m[2].str();
        auto colon = channel.find("__:");
        if (colon == std::string_view::npos) return;
        r.keys.emplace_back(channel.substr(colon + 3));
        if (r.events.size() < r.eventRoom)
            r.events.push_back({0, n.index, r.keys.back(), std::string(m[3].str())});
        else
            ++r.notShown;
    }

    void subscriberLoop(Node& n) {
        milliseconds backoff{100};
        bool everSubscribed = false;
        std::uint32_t subscribedGeneration = 0;
        std::vector<std::string> patterns = options.patterns;
        if (patterns.empty()) patterns.push_back("*");
        while (alive(n)) {
            std::string where = n.where();
            try {
                const std::uint32_t generation = n.generation.load();  // before the address
                auto endpoint = n.endpoint();
                if (!endpoint) {
                    sleepFor(milliseconds(20));
                    continue;
                }
                where = endpoint->display();
                redis::ConnectOptions co = connectOptions();
                co.clientName = "lockscope-monitor-events";
                redis::Connection sub(*endpoint, co);
                for (const auto& p : patterns)
                    sub.send({"PSUBSCRIBE", channelPattern(*endpoint, p)});
                for (size_t i = 0; i < patterns.size(); ++i) sub.receive().throwIfError();
                backoff = milliseconds(100);
                // Changes made while we were not subscribed produced no events: rescan.
                if (everSubscribed) {
                    n.rescanRequested = true;
                    n.dirtyCv.notify_one();
                }
                // Another server (a failover): its notifications may be off; say when they arrive.
                if (everSubscribed && generation != subscribedGeneration) n.eventsSeen = false;
                everSubscribed = true;
                subscribedGeneration = generation;
                editNode(n.index, [](NodeStatus& st) { st.subscribed = true; });
                Received r;
                // Node-local events: when the watcher moves this node, subscribe at its new
                // address.
                while (alive(n) && n.generation.load() == generation) {
                    auto first = sub.receiveFor(milliseconds(200));
                    if (!first) continue;
                    {
                        std::lock_guard<std::mutex> g(n.eventMutex);
                        r.eventRoom = options.maxEventsPerUpdate -
                                      std::min(options.maxEventsPerUpdate, n.eventBuffer.size());
                    }
                    handleMessage(n, *first, r);
                    // Drain what is already here, then hand it over under one lock.
                    while (r.keys.size() < 8192) {
                        auto more = sub.receiveFor(milliseconds(0));
                        if (!more) break;
                        handleMessage(n, *more, r);
                    }
                    deliver(n, r);
                }
                editNode(n.index, [](NodeStatus& st) { st.subscribed = false; });
            } catch (const redis::Error& e) {
                bool wasUp = false;
                editNode(n.index, [&](NodeStatus& st) {
                    wasUp = st.subscribed;
                    st.subscribed = false;
                    if (wasUp) ++st.subscriptionDrops;
                });
                // The inspector reports a server that went away; a subscription dropped on its own
                // (client-output-buffer-limit pubsub, CLIENT KILL) is news of its own.
                if (wasUp && alive(n))
                    message(where + ": keyspace-notification subscription lost (" + e.what() +
                            "); resubscribing and rescanning");
                const auto k = e.kind();
                if (k == redis::ErrorKind::NoPermission || k == redis::ErrorKind::UnknownCommand) {
                    editNode(n.index, [](NodeStatus& st) {
                        st.notifications = NodeStatus::Notifications::Unavailable;
                    });
                    message(where + ": cannot subscribe to keyspace notifications (" + e.what() +
                            "); following by polling every " +
                            std::to_string(options.pollInterval.count()) + " ms");
                    return;
                }
                // Connection problems are reported by the inspector thread; just retry (at once
                // when the node was moved meanwhile).
                const std::uint32_t before = n.generation.load();
                const auto until = Steady::now() + backoff;
                while (alive(n) && Steady::now() < until && n.generation.load() == before)
                    std::this_thread::sleep_for(milliseconds(20));
                backoff = std::min(backoff * 2, kMaxBackoff);
            }
        }
    }

    void deliver(Node& n, Received& r) {
        if (r.keys.empty()) return;
        const long long wall = clock->wallMillis();
        n.eventsTotal += r.keys.size();
        if (!n.eventsSeen.exchange(true)) {
            bool wasOff = false;
            editNode(n.index, [&](NodeStatus& st) {
                wasOff = st.notifications != NodeStatus::Notifications::On;
                st.notifications = NodeStatus::Notifications::On;
            });
            if (wasOff)
                message(n.where() + ": keyspace notifications are arriving; following them live");
        }
        {
            std::lock_guard<std::mutex> g(n.eventMutex);
            for (auto& e : r.events) {
                e.wallMs = wall;
                n.eventBuffer.push_back(std::move(e));
            }
            n.eventsNotShown += r.notShown;
        }
        {
            std::lock_guard<std::mutex> g(n.dirtyMutex);
            for (auto& k : r.keys)
                if (n.dirtySet.insert(k).second) n.dirty.push_back(std::move(k));
        }
        n.dirtyCv.notify_one();
        r.keys.clear();
        r.events.clear();
        r.notShown = 0;
    }

    // ---- watcher thread: where the master(s) are ----------------------------------------

    // Points `n` at `address` (a failover, or the first answer); its threads reconnect there,
    // resubscribe and rescan. Returns false when it already was there.
    // The watcher's connections: a paused or unreachable Sentinel / node must not hold up the
    // question for the full command timeout while the others could answer.
    redis::ConnectOptions watcherOptions(const char* name) const {
        redis::ConnectOptions co = connectOptions();
        co.clientName = name;
        const milliseconds cap{1000};
        if (co.connectTimeout.count() == 0 || co.connectTimeout > cap) co.connectTimeout = cap;
        if (co.commandTimeout.count() == 0 || co.commandTimeout > cap) co.commandTimeout = cap;
        return co;
    }

    bool repoint(Node& n, const redis::HostPort& address) {
        redis::Endpoint e = target.dataEndpoint(address);
        {
            std::lock_guard<std::mutex> g(n.endpointMutex);
            if (n.endpointValue && n.endpointValue->tcp == address) return false;
            n.endpointValue = e;
        }
        ++n.generation;
        editNode(n.index, [&](NodeStatus& st) {
            // Until its threads have reconnected and resubscribed there, it is neither.
            st.node = e.display();
            st.role.clear();
            if (st.link == NodeStatus::Link::Connected) st.link = NodeStatus::Link::Reconnecting;
            st.subscribed = false;
            st.latencyUs = -1;
        });
        n.dirtyCv.notify_all();
        return true;
    }

    void sentinelWatcher() {
        Node& n = *nodeList().front();
        const redis::ConnectOptions co = watcherOptions("lockscope-monitor-sentinel");
        std::optional<redis::Connection> sub;  // +switch-master, on one Sentinel at a time
        size_t subIndex = 0;
        auto nextAsk = Steady::now();
        auto nextSubscribe = Steady::now();
        std::string lastProblem;
        const std::string name = target.masterName;
        while (!stopping.load()) {
            if (refreshRequested.exchange(false) || Steady::now() >= nextAsk) {
                nextAsk = Steady::now() + options.topologyRefresh;
                try {
                    // Every Sentinel is asked and the newest knowledge (config epoch) wins:
                    // right after a failover some still name the old master.
                    auto answer =
                        redis::askSentinels(target.nodes, name, co, target.user, target.password);
                    const std::string before = n.where();
                    const bool first = !n.endpoint();
                    if (repoint(n, answer.master)) {
                        if (first)
                            message("master " + name + " is " + answer.master.display() +
                                    " (Sentinel " + answer.sentinel + ", config epoch " +
                                    std::to_string(answer.configEpoch) + "); following it");
                        else
                            message("master " + name + " moved from " + before + " to " +
                                    answer.master.display() + " (Sentinel " + answer.sentinel +
                                    ", config epoch " + std::to_string(answer.configEpoch) +
                                    "); reconnecting, resubscribing and rescanning");
                    }
                    lastProblem.clear();
                } catch (const redis::Error& e) {
                    const std::string problem = e.what();
                    if (problem != lastProblem)
                        message("cannot ask the Sentinels where master " + name +
                                " is: " + problem);
                    lastProblem = problem;
                }
            }
            // The Sentinels announce a completed failover on +switch-master: the fastest sign.
            if (!sub && Steady::now() >= nextSubscribe) {
                const auto& sentinel = target.nodes[subIndex % target.nodes.size()];
                try {
                    sub.emplace(redis::connectSentinel(sentinel, co, target.user, target.password));
                    sub->send({"SUBSCRIBE", "+switch-master"});
                    sub->receive().throwIfError();
                } catch (const redis::Error&) {
                    sub.reset();
                    ++subIndex;  // try the next Sentinel; the periodic question covers meanwhile
                    nextSubscribe = Steady::now() + milliseconds(500);
                }
            }
            if (!sub) {
                sleepFor(milliseconds(50));
                continue;
            }
            try {
                auto m = sub->receiveFor(milliseconds(50));
                if (!m || !m->isArray() || m->size() != 3 || (*m)[0].str() != "message") continue;
                auto sw = redis::parseSwitchMaster((*m)[2].str());
                if (!sw || sw->name != name) continue;
                const std::string before = n.where();
                if (repoint(n, sw->to))
                    message("master " + name + " moved from " + before + " to " + sw->to.display() +
                            " (+switch-master from Sentinel " +
                            target.nodes[subIndex % target.nodes.size()].tcp.display() +
                            "); reconnecting, resubscribing and rescanning");
            } catch (const redis::Error&) {
                sub.reset();
                ++subIndex;
            }
        }
    }

    static int overlap(const std::vector<redis::SlotRange>& a,
                       const std::vector<redis::SlotRange>& b) {
        int n = 0;
        for (const auto& x : a)
            for (const auto& y : b)
                n += std::max(0, std::min(x.last, y.last) - std::max(x.first, y.first) + 1);
        return n;
    }

    // Matches the followed nodes to the masters of a fresh slot map: a node whose address is still
    // a master stays; one that is not (a failover) follows the master that took over most of its
    // slots; masters nobody follows get a node of their own; a node left without slots retires.
    void reconcile(const redis::ClusterMap& map) {
        const auto list = nodeList();
        std::vector<bool> taken(map.masters.size(), false);
        std::vector<Node*> lost;
        std::string changes;
        for (Node* n : list) {
            if (n->retired.load()) continue;
            auto ep = n->endpoint();
            size_t i = 0;
            for (; i < map.masters.size(); ++i)
                if (!taken[i] && ep && map.masters[i].address == ep->tcp) break;
            if (i == map.masters.size()) {
                lost.push_back(n);
                continue;
            }
            taken[i] = true;
            if (n->ranges != map.masters[i].ranges) {
                if (!n->ranges.empty()) {
                    changes += (changes.empty() ? "" : ", ") + ep->tcp.display() + " now serves " +
                               redis::slotsText(map.masters[i].ranges);
                    // Resharding: what it gained is found by a scan (a migrated key raises no
                    // event where it lands that the node would answer before the slot is its own).
                    n->rescanRequested = true;
                    n->dirtyCv.notify_all();
                }
                n->setRanges(map.masters[i].ranges);
                editNode(n->index,
                         [&](NodeStatus& st) { st.servedSlots = redis::slotsText(n->ranges); });
            }
        }
        for (Node* n : lost) {
            size_t best = map.masters.size();
            int bestOverlap = 0;
            for (size_t i = 0; i < map.masters.size(); ++i) {
                if (taken[i]) continue;
                const int o = overlap(n->ranges, map.masters[i].ranges);
                if (o > bestOverlap) {
                    best = i;
                    bestOverlap = o;
                }
            }
            const std::string before = n->where();
            if (best == map.masters.size()) {
                n->retired = true;
                ++n->generation;
                n->dirtyCv.notify_all();
                editNode(n->index, [](NodeStatus& st) {
                    st.link = NodeStatus::Link::Stopped;
                    st.servedSlots.clear();
                    st.subscribed = false;
                });
                message("cluster: " + before +
                        " no longer serves any slot; its keys are listed where they went");
                post({InboxItem::What::Retired, n->index, 0, {}});
                continue;
            }
            taken[best] = true;
            const auto& m = map.masters[best];
            repoint(*n, m.address);
            n->setRanges(m.ranges);
            editNode(n->index,
                     [&](NodeStatus& st) { st.servedSlots = redis::slotsText(m.ranges); });
            message("cluster: slots " + redis::slotsText(m.ranges) + " moved from " + before +
                    " to " + m.address.display() +
                    " (failover); reconnecting, resubscribing and rescanning");
        }
        const bool first = list.empty();
        std::string added;
        for (size_t i = 0; i < map.masters.size(); ++i) {
            if (taken[i]) continue;
            const auto& m = map.masters[i];
            Node* n = addNode(target.dataEndpoint(m.address));
            n->setRanges(m.ranges);
            editNode(n->index,
                     [&](NodeStatus& st) { st.servedSlots = redis::slotsText(m.ranges); });
            added += (added.empty() ? "" : ", ") + m.address.display() + " (" +
                     redis::slotsText(m.ranges) + ")";
            if (running.load() && !stopping.load()) startNode(*n);
        }
        if (first)
            message("cluster: " + std::to_string(map.masters.size()) + " masters — " + added +
                    "; scanning and subscribing on each");
        else if (!added.empty())
            message("cluster: new master(s) " + added + "; following them too");
        if (!changes.empty()) message("cluster: slot map changed: " + changes);
    }

    void clusterWatcher() {
        const redis::ConnectOptions co = watcherOptions("lockscope-monitor-cluster");
        auto next = Steady::now();
        std::string lastProblem;
        while (!stopping.load()) {
            if (refreshRequested.exchange(false) || Steady::now() >= next) {
                next = Steady::now() + options.topologyRefresh;
                // Ask the masters we follow first (they know a failover they took part in), then
                // the seeds of the URL.
                std::vector<redis::Endpoint> ask;
                for (Node* n : nodeList())
                    if (auto ep = n->endpoint(); ep && !n->retired.load()) ask.push_back(*ep);
                ask.insert(ask.end(), target.nodes.begin(), target.nodes.end());
                try {
                    auto map = redis::discoverCluster(ask, co);
                    reconcile(map);
                    discovered = true;
                    lastProblem.clear();
                } catch (const redis::Error& e) {
                    const std::string problem = e.what();
                    if (problem != lastProblem)
                        message("cannot read the cluster's slot map: " + problem);
                    lastProblem = problem;
                }
            }
            sleepFor(milliseconds(50));
        }
    }

    // ---- engine thread --------------------------------------------------------------------

    struct Pending {
        std::vector<std::string> changed;  // keys to publish; an entry's `queued` dedupes them
        std::vector<std::string> removed;
    };

    static void queue(Pending& p, Entry& e, const std::string& key) {
        if (e.queued) return;
        e.queued = true;
        p.changed.push_back(key);
    }

    void markGone(Entry& e, const std::string& key, Pending& p, Steady::time_point now) {
        if (e.record.isLock()) {
            if (e.record.state != LockState::Free) {
                e.record.state = LockState::Free;
                e.record.ttlMs = -2;
                e.record.observedAt = now;
                queue(p, e, key);
            }
            return;
        }
        p.removed.push_back(key);
        moving.erase(key);
        store.erase(key);
    }

    void applyRecord(int node, std::uint32_t epoch, KeyRecord&& rec, Pending& p) {
        const auto now = rec.observedAt;
        auto it = store.find(rec.key);
        const bool gone = rec.state == LockState::Free && rec.kind == Kind::Other;
        const bool tracked = rec.kind == Kind::Lock || rec.kind == Kind::Counter;
        if (!group) {
            // Each key lives on one node (a single server, a Sentinel master, a cluster master).
            rec.node = static_cast<std::int16_t>(node);
            // A key that moved to another node (resharding, a redirect followed) is that node's:
            // the old owner's word that it is gone, or a scan there that missed it, is stale.
            if (it != store.end() && it->second.record.node != rec.node && !tracked) return;
            // Nor has a cluster node that no longer serves the key's slot (the slot map moved on).
            if (!tracked && target.kind == TargetKind::Cluster && !nodeServes(node, rec.key))
                return;
            if (!tracked) {
                if (it != store.end()) {
                    if (gone)
                        markGone(it->second, it->first, p, now);
                    else {  // the key now holds something that is neither lock nor counter
                        p.removed.push_back(rec.key);
                        moving.erase(rec.key);
                        store.erase(it);
                    }
                }
                return;
            }
            if (it == store.end()) {
                auto at = store.try_emplace(std::move(rec.key)).first;
                Entry& e = at->second;
                e.record = std::move(static_cast<KeyState&>(rec));
                e.epoch = epoch;
                queue(p, e, at->first);
                return;
            }
            Entry& e = it->second;
            updateEntry(it->first, e, std::move(rec), p, now);
            e.epoch = epoch;
            return;
        }
        // Redlock group: keep each node's view, publish the merge.
        if (it == store.end()) {
            if (!tracked) return;
            it = store.emplace(rec.key, Entry{}).first;
            it->second.slots = std::make_unique<std::vector<NodeSlot>>(nodeList().size());
            it->second.record.kind = Kind::Other;
        }
        Entry& e = it->second;
        auto& slot = (*e.slots)[static_cast<size_t>(node)];
        slot.epoch = epoch;
        if (tracked)
            slot.record = std::move(rec);
        else
            slot.record.reset();
        remerge(it, p, now);
    }

    void remerge(std::unordered_map<std::string, Entry>::iterator it, Pending& p,
                 Steady::time_point now) {
        Entry& e = it->second;
        std::vector<const KeyRecord*> views;
        for (const auto& s : *e.slots) views.push_back(s.record ? &*s.record : nullptr);
        auto merged = mergeNodes(views);
        if (!merged) {
            if (e.record.kind == Kind::Other) {  // never published
                store.erase(it);
                return;
            }
            markGone(e, it->first, p, now);
            return;
        }
        updateEntry(it->first, e, std::move(*merged), p, now);
    }

    void updateEntry(const std::string& key, Entry& e, KeyState&& fresh, Pending& p,
                     Steady::time_point now) {
        if (e.record.kind == Kind::Other) {  // first merge of a group key
            e.record = std::move(fresh);
            queue(p, e, key);
            return;
        }
        carryOver(e.record, fresh);
        if (fresh.isCounter()) {
            if (e.record.isCounter() && fresh.number != e.record.number) {
                if (!e.rate) {
                    e.rate =
                        std::make_unique<RateTracker>(options.rateWindow, options.historyLength);
                    e.rate->add(e.record.observedAt, e.record.number);
                }
                moving.insert(key);
            }
            if (e.rate) e.rate->add(fresh.observedAt, fresh.number);
            fresh.ratePerSecond = e.record.ratePerSecond;
        }
        const bool noticeable = differs(e.record, fresh, now);
        e.record = std::move(fresh);
        if (noticeable) queue(p, e, key);
    }

    bool nodeServes(int node, const std::string& key) const {
        const auto list = nodeList();
        return static_cast<size_t>(node) < list.size() &&
               list[static_cast<size_t>(node)]->serves(redis::keyHashSlot(key));
    }

    // Keys of `node` its scan `epoch` did not see are gone — except, in a cluster, keys whose slot
    // it no longer serves: they moved, and their new node lists them. `force` (a retired node):
    // everything still filed under it.
    void sweep(int node, std::uint32_t epoch, Pending& p, Steady::time_point now,
               bool force = false) {
        const bool cluster = target.kind == TargetKind::Cluster && !force;
        Node* owner = nullptr;
        if (cluster) {
            const auto list = nodeList();
            if (static_cast<size_t>(node) < list.size()) owner = list[static_cast<size_t>(node)];
        }
        for (auto it = store.begin(); it != store.end();) {
            auto next = std::next(it);
            Entry& e = it->second;
            if (!e.slots) {
                if (e.record.node == node && e.epoch < epoch && e.record.state != LockState::Free &&
                    (!owner || owner->serves(redis::keyHashSlot(it->first))))
                    markGone(e, it->first, p, now);
            } else {
                auto& slot = (*e.slots)[static_cast<size_t>(node)];
                if (slot.record && slot.epoch < epoch) {
                    slot.record.reset();
                    remerge(it, p, now);
                }
            }
            it = next;
        }
    }

    // Time-dependent states, lingering free locks, and the counts in the status: one pass.
    void refreshTimeStates(Pending& p, Steady::time_point now) {
        const long long wall = clock->wallMillis();
        size_t locks = 0, counters = 0;
        for (auto it = store.begin(); it != store.end();) {
            auto next = std::next(it);
            Entry& e = it->second;
            if (e.record.state == LockState::Free && e.record.isLock()) {
                if (now - e.record.observedAt >= options.freeLinger) {
                    p.removed.push_back(it->first);
                    store.erase(it);
                    it = next;
                    continue;
                }
            } else if (refreshState(e.record, now, wall, options.expiringSoon)) {
                queue(p, e, it->first);
            }
            if (e.record.isLock())
                ++locks;
            else if (e.record.isCounter())
                ++counters;
            it = next;
        }
        std::lock_guard<std::mutex> g(statusMutex);
        status.keysTracked = store.size();
        status.locks = locks;
        status.counters = counters;
    }

    void refreshRates(Pending& p, Steady::time_point now, bool sampleHistory) {
        const long long wall = clock->wallMillis();
        for (auto it = moving.begin(); it != moving.end();) {
            auto s = store.find(*it);
            if (s == store.end() || !s->second.rate) {
                it = moving.erase(it);
                continue;
            }
            Entry& e = s->second;
            const double rate = e.rate->rateAt(now);
            if (sampleHistory) e.rate->sampleHistory(wall, rate);
            const float old = e.record.ratePerSecond;
            e.record.ratePerSecond = static_cast<float>(rate);
            if (std::abs(rate - old) > 0.01 * std::max(1.0, std::abs(static_cast<double>(old))))
                queue(p, e, *it);
            // A counter that stopped keeps its history but leaves the refresh set.
            if (rate == 0 && old == 0)
                it = moving.erase(it);
            else
                ++it;
        }
    }

    void publish(Pending& p, bool inventoryDone) {
        std::vector<KeyEvent> events;
        unsigned long long notShown = 0, total = 0;
        for (Node* n : nodeList()) {
            std::lock_guard<std::mutex> g(n->eventMutex);
            for (auto& e : n->eventBuffer) events.push_back(std::move(e));
            n->eventBuffer.clear();
            notShown += std::exchange(n->eventsNotShown, 0);
            total += n->eventsTotal.load();
        }
        do {
            MonitorUpdate u;
            {
                std::lock_guard<std::mutex> g(storeMutex);
                size_t taken = 0;
                for (; taken < p.changed.size() && u.changed.size() < options.maxRecordsPerUpdate;
                     ++taken) {
                    auto s = store.find(p.changed[taken]);
                    if (s == store.end() || !s->second.queued) continue;  // gone, or a duplicate
                    s->second.queued = false;
                    u.changed.emplace_back(s->second.record, s->first);
                }
                p.changed.erase(p.changed.begin(), p.changed.begin() + static_cast<long>(taken));
            }
            if (p.changed.empty()) {
                u.removed = std::move(p.removed);
                p.removed.clear();
                u.events = std::move(events);
                events.clear();
                u.eventsNotShown = notShown;
            }
            {
                std::lock_guard<std::mutex> g(statusMutex);
                status.eventsReceived = total;
                if (p.changed.empty() && inventoryDone) status.inventoryComplete = true;
                u.status = status;
            }
            if (listener) listener(std::move(u));  // also without changes: status moves on
        } while (!p.changed.empty());
    }

    void engineLoop() {
        Pending p;
        auto now = Steady::now();
        auto nextPublish = now + options.publishInterval;
        auto nextStates = now + kStateRefresh;
        auto nextHistory = now + kHistoryEvery;
        unsigned long long lastEvents = 0;
        auto lastEventsAt = now;
        bool inventoryDone = false;
        while (!stopping.load()) {
            std::vector<InboxItem> items;
            {
                std::unique_lock<std::mutex> lock(inboxMutex);
                inboxCv.wait_until(lock, nextPublish,
                                   [&] { return stopping.load() || !inbox.empty(); });
                items.swap(inbox);
            }
            {
                std::lock_guard<std::mutex> g(storeMutex);
                for (auto& item : items) {
                    if (nodeScanned.size() <= static_cast<size_t>(item.node))
                        nodeScanned.resize(static_cast<size_t>(item.node) + 1, false);
                    if (item.what == InboxItem::What::ScanDone) {
                        sweep(item.node, item.epoch, p, clock->steadyNow());
                        nodeScanned[static_cast<size_t>(item.node)] = true;
                        continue;
                    }
                    if (item.what == InboxItem::What::Retired) {
                        // Everything still filed under it is gone (what moved is filed elsewhere).
                        sweep(item.node, std::numeric_limits<std::uint32_t>::max(), p,
                              clock->steadyNow(), true);
                        nodeScanned[static_cast<size_t>(item.node)] = true;
                        continue;
                    }
                    for (auto& rec : item.records)
                        applyRecord(item.node, item.epoch, std::move(rec), p);
                }
            }
            now = clock->steadyNow();
            const auto realNow = Steady::now();
            if (realNow < nextPublish && p.changed.size() < options.maxRecordsPerUpdate) continue;
            {
                std::lock_guard<std::mutex> g(storeMutex);
                if (realNow >= nextStates) {
                    refreshTimeStates(p, now);
                    // A full pass over the store: while the first inventory is still coming in (its
                    // records carry fresh states), once every 2 s is enough.
                    nextStates = realNow + (inventoryDone ? kStateRefresh : 4 * kStateRefresh);
                }
                const bool history = realNow >= nextHistory;
                refreshRates(p, now, history);
                if (history) nextHistory = realNow + kHistoryEvery;
            }
            unsigned long long total = 0;
            const auto list = nodeList();
            for (Node* n : list) total += n->eventsTotal.load();
            if (nodeScanned.size() < list.size()) nodeScanned.resize(list.size(), false);
            const double secs = std::chrono::duration<double>(realNow - lastEventsAt).count();
            if (secs >= 1.0) {
                std::lock_guard<std::mutex> g(statusMutex);
                status.eventsPerSecond = static_cast<double>(total - lastEvents) / secs;
                lastEvents = total;
                lastEventsAt = realNow;
            }
            if (!inventoryDone && discovered.load() && !nodeScanned.empty() &&
                std::all_of(nodeScanned.begin(), nodeScanned.end(), [](bool b) { return b; })) {
                inventoryDone = true;
                std::lock_guard<std::mutex> g(storeMutex);
                refreshTimeStates(p,
                                  now);  // exact counts in the update that completes the inventory
            }
            publish(p, inventoryDone);
            nextPublish = Steady::now() + options.publishInterval;
        }
    }
};

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
    impl_->stopping = false;
    impl_->engine = std::thread([this] { impl_->engineLoop(); });
    for (Impl::Node* node : impl_->nodeList()) impl_->startNode(*node);
    impl_->running = true;
    if (target_.kind == TargetKind::Sentinel)
        impl_->watcher = std::thread([this] { impl_->sentinelWatcher(); });
    else if (target_.kind == TargetKind::Cluster)
        impl_->watcher = std::thread([this] { impl_->clusterWatcher(); });
}

void Monitor::stop() {
    if (!impl_ || impl_->stopping.exchange(true)) return;
    impl_->inboxCv.notify_all();
    // The watcher first: it is the one that adds nodes (and starts their threads).
    if (impl_->watcher.joinable()) impl_->watcher.join();
    for (Impl::Node* n : impl_->nodeList()) {
        n->dirtyCv.notify_all();
        if (n->inspector.joinable()) n->inspector.join();
        if (n->subscriber.joinable()) n->subscriber.join();
    }
    if (impl_->engine.joinable()) impl_->engine.join();
}

std::vector<KeyRecord> Monitor::snapshot() const {
    std::lock_guard<std::mutex> g(impl_->storeMutex);
    std::vector<KeyRecord> out;
    out.reserve(impl_->store.size());
    for (const auto& [k, e] : impl_->store) out.emplace_back(e.record, k);
    return out;
}

MonitorStatus Monitor::status() const {
    std::lock_guard<std::mutex> g(impl_->statusMutex);
    return impl_->status;
}

std::vector<RatePoint> Monitor::history(const std::string& key) const {
    std::lock_guard<std::mutex> g(impl_->storeMutex);
    auto it = impl_->store.find(key);
    if (it == impl_->store.end() || !it->second.rate) return {};
    const auto& h = it->second.rate->history();
    return {h.begin(), h.end()};
}

void Monitor::requestRescan() {
    for (Impl::Node* n : impl_->nodeList()) {
        n->rescanRequested = true;
        n->dirtyCv.notify_all();
    }
}

void Monitor::requestEnableNotifications() {
    for (Impl::Node* n : impl_->nodeList()) {
        n->enableRequested = true;
        n->dirtyCv.notify_all();
    }
}

}  // namespace lockscope::monitor
