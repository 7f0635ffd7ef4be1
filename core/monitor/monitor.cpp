#include "monitor/monitor.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "monitor/classifier.h"
#include "monitor/merge.h"
#include "monitor/scan.h"
#include "redis/error.h"

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
        a.nodesTotal != b.nodesTotal || a.periodMs != b.periodMs)
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
        redis::Endpoint endpoint;
        std::thread inspector;
        std::thread subscriber;

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
        std::vector<KeyEvent> eventBuffer;   // recent notifications for viewers (bounded)
        unsigned long long eventsNotShown = 0;
        std::atomic<unsigned long long> eventsTotal{0};
    };

    struct InboxItem {
        enum class What { Records, ScanDone } what;
        int node = 0;
        std::uint32_t epoch = 0;
        std::vector<KeyRecord> records;
    };

    struct NodeSlot {
        std::optional<KeyRecord> record;
        std::uint32_t epoch = 0;
    };

    struct Entry {
        KeyState record;  // the name is the map key
        std::uint32_t epoch = 0;                     // single node: scan that last saw it
        std::unique_ptr<std::vector<NodeSlot>> slots;  // Redlock group only
        std::unique_ptr<RateTracker> rate;           // counters that ever moved
        bool queued = false;                         // in Pending::changed, not yet published
    };

    Impl(std::vector<redis::Endpoint> endpoints, const MonitorOptions& opts, const Clock* clk)
        : options(opts), clock(clk) {
        status.nodes.resize(endpoints.size());
        for (size_t i = 0; i < endpoints.size(); ++i) {
            auto n = std::make_unique<Node>();
            n->index = static_cast<int>(i);
            n->endpoint = endpoints[i];
            status.nodes[i].node = endpoints[i].display();
            nodes.push_back(std::move(n));
        }
        nodeScanned.assign(nodes.size(), false);
    }

    const MonitorOptions& options;
    const Clock* clock;
    Listener listener;
    std::atomic<bool> stopping{false};
    std::vector<std::unique_ptr<Node>> nodes;
    std::thread engine;

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
            std::this_thread::sleep_for(std::min<Steady::duration>(milliseconds(20), until - Steady::now()));
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

    std::string channelPattern(const Node& n, const std::string& pattern) const {
        return "__keyspace@" + std::to_string(n.endpoint.db) + "__:" + pattern;
    }

    // ---- node: inspector thread -----------------------------------------------------------

    struct NodeScan {
        explicit NodeScan(const InspectOptions& o) : inspector(o), rescanInspector(withoutIdle(o)) {}
        static InspectOptions withoutIdle(InspectOptions o) {
            o.idleTime = false;
            return o;
        }
        Inspector inspector;        // the first inventory: OBJECT IDLETIME gives lock ages
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
            for (auto& note : in->takeNotes()) message(n.endpoint.display() + ": " + note);
        if (inspected.empty()) return;
        InboxItem item{InboxItem::What::Records, n.index, s.epoch, {}};
        item.records.reserve(inspected.size());
        ClassifyContext ctx = contextFor(s);
        for (auto& in : inspected) {
            ctx.companions = in.companions;
            item.records.push_back(classify(std::move(in.observation), ctx));
        }
        post(std::move(item));
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
                message(n.endpoint.display() + ": CLIENT LIST refused (" +
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
        auto refusal = scanAndInspect(scanConn, work, inspector, options.patterns, options.scanCount,
                                      [&](std::vector<Inspected>&& batch) {
                                          post(n, s, std::move(batch));
                                          processDirty(n, s, work);  // live changes keep flowing
                                          return !stopping.load();
                                      });
        if (refusal) {
            n.scanAllowed = false;
            message(n.endpoint.display() + ": SCAN refused (" + refusal->substr(0, 100) +
                    "): keys are discovered from keyspace notifications only");
            return;
        }
        if (stopping.load()) return;
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

    void onConnected(Node& n, redis::Connection& c, bool reconnect, Steady::time_point lostAt) {
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
            st.version = version;
            st.role = role;
            st.notifyFlags = flags;
            st.canConfigure = canConfigure;
            if (st.notifications != NodeStatus::Notifications::Unavailable) st.notifications = notif;
            if (reconnect) ++st.reconnects;
        });
        const std::string where = n.endpoint.display();
        if (reconnect) {
            auto down = std::chrono::duration_cast<milliseconds>(Steady::now() - lostAt).count();
            message(where + ": reconnected after " + std::to_string(down) + " ms; resubscribing and rescanning");
        }
        if (!options.subscribe) return;
        if (cfg.isError()) {
            message(where + ": cannot read notify-keyspace-events (" +
                    std::string(cfg.errorMessage().substr(0, 80)) +
                    "); subscribing anyway and polling every " +
                    std::to_string(options.pollInterval.count()) + " ms until events arrive");
        } else if (notif == NodeStatus::Notifications::Off && !reconnect) {
            const auto& tcp = n.endpoint.tcp;
            message(where + ": keyspace notifications are off (notify-keyspace-events is '" + flags +
                    "'); following by polling every " + std::to_string(options.pollInterval.count()) +
                    " ms. To follow live: redis-cli -h " + tcp.host + " -p " + std::to_string(tcp.port) +
                    " CONFIG SET notify-keyspace-events " + withNeededNotificationFlags(flags) +
                    " (or enable them from LockScope)");
        }
    }

    void enableNotifications(Node& n, redis::Connection& c) {
        const std::string where = n.endpoint.display();
        auto cfg = c.raw({"CONFIG", "GET", "notify-keyspace-events"});
        if (cfg.isError()) {
            message(where + ": cannot enable keyspace notifications: " + std::string(cfg.errorMessage()));
            return;
        }
        std::string before(cfg.isArray() && cfg.size() == 2 ? cfg[1].str() : "");
        std::string after = withNeededNotificationFlags(before);
        auto set = c.raw({"CONFIG", "SET", "notify-keyspace-events", after});
        if (set.isError()) {
            editNode(n.index, [](NodeStatus& st) { st.canConfigure = false; });
            message(where + ": cannot enable keyspace notifications: " + std::string(set.errorMessage()));
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
        Steady::time_point lostAt{};
        while (!stopping.load()) {
            try {
                if (!conn) {
                    conn.emplace(n.endpoint, connectOptions());
                    scanConn.emplace(n.endpoint, connectOptions());
                    onConnected(n, *conn, everConnected, lostAt);
                    everConnected = true;
                    backoff = milliseconds(100);
                    s.nextFullScan = Steady::now();
                    s.nextClientList = Steady::now();
                }
                if (n.enableRequested.exchange(false)) enableNotifications(n, *conn);
                const auto now = Steady::now();
                if (now >= s.nextClientList) refreshClients(n, s, *conn);
                if (n.rescanRequested.exchange(false) || (n.scanAllowed.load() && now >= s.nextFullScan)) {
                    fullScan(n, s, *scanConn, *conn);
                    s.nextFullScan = Steady::now() + scanInterval(n, s);
                }
                processDirty(n, s, *conn);
                if (Steady::now() >= s.nextPing) {
                    const auto t0 = Steady::now();
                    conn->command({"PING"});
                    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - t0).count();
                    editNode(n.index, [&](NodeStatus& st) { st.latencyUs = us; });
                    s.nextPing = Steady::now() + milliseconds(1000);
                }
                std::unique_lock<std::mutex> lock(n.dirtyMutex);
                auto wake = std::min({s.nextPing, s.nextClientList,
                                      n.scanAllowed.load() ? s.nextFullScan : s.nextPing});
                n.dirtyCv.wait_until(lock, std::min(wake, Steady::now() + milliseconds(100)), [&] {
                    return stopping.load() || !n.dirty.empty() || n.rescanRequested.load() ||
                           n.enableRequested.load();
                });
            } catch (const redis::Error& e) {
                if (conn && !e.breaksConnection()) {  // e.g. a command the ACL refuses
                    message(n.endpoint.display() + ": " + e.what());
                    sleepFor(milliseconds(1000));
                    continue;
                }
                // Say it on the transitions only, not on every failed retry.
                if (conn) {
                    message(n.endpoint.display() + ": connection lost (" + e.what() + "); reconnecting");
                    lostAt = Steady::now();
                } else if (!everConnected && !connectFailureReported) {
                    message(n.endpoint.display() + ": cannot connect (" + e.what() + "); retrying");
                    connectFailureReported = true;
                }
                conn.reset();
                scanConn.reset();
                editNode(n.index, [&](NodeStatus& st) {
                    st.link = everConnected ? NodeStatus::Link::Reconnecting : NodeStatus::Link::Connecting;
                    st.latencyUs = -1;
                });
                sleepFor(backoff);
                backoff = std::min(backoff * 2, kMaxBackoff);
            }
        }
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
        std::vector<std::string> patterns = options.patterns;
        if (patterns.empty()) patterns.push_back("*");
        while (!stopping.load()) {
            try {
                redis::ConnectOptions co = connectOptions();
                co.clientName = "lockscope-monitor-events";
                redis::Connection sub(n.endpoint, co);
                for (const auto& p : patterns) sub.send({"PSUBSCRIBE", channelPattern(n, p)});
                for (size_t i = 0; i < patterns.size(); ++i) sub.receive().throwIfError();
                backoff = milliseconds(100);
                // Changes made while we were not subscribed produced no events: rescan.
                if (everSubscribed) {
                    n.rescanRequested = true;
                    n.dirtyCv.notify_one();
                }
                everSubscribed = true;
                editNode(n.index, [](NodeStatus& st) { st.subscribed = true; });
                Received r;
                while (!stopping.load()) {
                    auto first = sub.receiveFor(milliseconds(200));
                    if (!first) continue;
                    {
                        std::lock_guard<std::mutex> g(n.eventMutex);
                        r.eventRoom = options.maxEventsPerUpdate - std::min(options.maxEventsPerUpdate, n.eventBuffer.size());
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
            } catch (const redis::Error& e) {
                bool wasUp = false;
                editNode(n.index, [&](NodeStatus& st) {
                    wasUp = st.subscribed;
                    st.subscribed = false;
                    if (wasUp) ++st.subscriptionDrops;
                });
                // The inspector reports a server that went away; a subscription dropped on its own
                // (client-output-buffer-limit pubsub, CLIENT KILL) is news of its own.
                if (wasUp && !stopping.load())
                    message(n.endpoint.display() + ": keyspace-notification subscription lost (" +
                            e.what() + "); resubscribing and rescanning");
                const auto k = e.kind();
                if (k == redis::ErrorKind::NoPermission || k == redis::ErrorKind::UnknownCommand) {
                    editNode(n.index, [](NodeStatus& st) {
                        st.notifications = NodeStatus::Notifications::Unavailable;
                    });
                    message(n.endpoint.display() + ": cannot subscribe to keyspace notifications (" +
                            e.what() + "); following by polling every " +
                            std::to_string(options.pollInterval.count()) + " ms");
                    return;
                }
                // Connection problems are reported by the inspector thread; just retry.
                sleepFor(backoff);
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
            if (wasOff) message(n.endpoint.display() + ": keyspace notifications are arriving; following them live");
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
        const bool multi = nodes.size() > 1;
        if (!multi) {
            if (!tracked) {
                if (it != store.end()) {
                    if (gone) markGone(it->second, it->first, p, now);
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
            it->second.slots = std::make_unique<std::vector<NodeSlot>>(nodes.size());
            it->second.record.kind = Kind::Other;
        }
        Entry& e = it->second;
        auto& slot = (*e.slots)[static_cast<size_t>(node)];
        slot.epoch = epoch;
        if (tracked) slot.record = std::move(rec);
        else slot.record.reset();
        remerge(it, p, now);
    }

    void remerge(std::unordered_map<std::string, Entry>::iterator it, Pending& p, Steady::time_point now) {
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
                    e.rate = std::make_unique<RateTracker>(options.rateWindow, options.historyLength);
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

    void sweep(int node, std::uint32_t epoch, Pending& p, Steady::time_point now) {
        for (auto it = store.begin(); it != store.end();) {
            auto next = std::next(it);
            Entry& e = it->second;
            if (!e.slots) {
                if (e.epoch < epoch && e.record.state != LockState::Free) markGone(e, it->first, p, now);
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
            if (e.record.isLock()) ++locks;
            else if (e.record.isCounter()) ++counters;
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
            if (rate == 0 && old == 0) it = moving.erase(it);
            else ++it;
        }
    }

    void publish(Pending& p, bool inventoryDone) {
        std::vector<KeyEvent> events;
        unsigned long long notShown = 0, total = 0;
        for (auto& n : nodes) {
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
                for (; taken < p.changed.size() && u.changed.size() < options.maxRecordsPerUpdate; ++taken) {
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
                inboxCv.wait_until(lock, nextPublish, [&] { return stopping.load() || !inbox.empty(); });
                items.swap(inbox);
            }
            {
                std::lock_guard<std::mutex> g(storeMutex);
                for (auto& item : items) {
                    if (item.what == InboxItem::What::ScanDone) {
                        sweep(item.node, item.epoch, p, clock->steadyNow());
                        nodeScanned[static_cast<size_t>(item.node)] = true;
                        continue;
                    }
                    for (auto& rec : item.records) applyRecord(item.node, item.epoch, std::move(rec), p);
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
            for (auto& n : nodes) total += n->eventsTotal.load();
            const double secs = std::chrono::duration<double>(realNow - lastEventsAt).count();
            if (secs >= 1.0) {
                std::lock_guard<std::mutex> g(statusMutex);
                status.eventsPerSecond = static_cast<double>(total - lastEvents) / secs;
                lastEvents = total;
                lastEventsAt = realNow;
            }
            if (!inventoryDone && std::all_of(nodeScanned.begin(), nodeScanned.end(), [](bool b) { return b; })) {
                inventoryDone = true;
                std::lock_guard<std::mutex> g(storeMutex);
                refreshTimeStates(p, now);  // exact counts in the update that completes the inventory
            }
            publish(p, inventoryDone);
            nextPublish = Steady::now() + options.publishInterval;
        }
    }
};

Monitor::Monitor(std::vector<redis::Endpoint> nodes, MonitorOptions options, const Clock* clock)
    : options_(std::move(options)) {
    if (nodes.empty())
        throw redis::Error(redis::ErrorKind::InvalidArgument, "the monitor needs at least one server");
    if (options_.batchSize == 0 || options_.scanCount == 0)
        throw redis::Error(redis::ErrorKind::InvalidArgument, "batch size and SCAN COUNT must be positive");
    impl_ = std::make_unique<Impl>(std::move(nodes), options_, clock);
}

Monitor::~Monitor() { stop(); }

void Monitor::setListener(Listener listener) { impl_->listener = std::move(listener); }

void Monitor::start() {
    if (impl_->engine.joinable()) return;
    impl_->stopping = false;
    impl_->engine = std::thread([this] { impl_->engineLoop(); });
    for (auto& n : impl_->nodes) {
        Impl::Node* node = n.get();
        node->inspector = std::thread([this, node] { impl_->inspectorLoop(*node); });
        if (options_.subscribe)
            node->subscriber = std::thread([this, node] { impl_->subscriberLoop(*node); });
    }
}

void Monitor::stop() {
    if (!impl_ || impl_->stopping.exchange(true)) return;
    impl_->inboxCv.notify_all();
    for (auto& n : impl_->nodes) {
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
    for (auto& n : impl_->nodes) {
        n->rescanRequested = true;
        n->dirtyCv.notify_all();
    }
}

void Monitor::requestEnableNotifications() {
    for (auto& n : impl_->nodes) {
        n->enableRequested = true;
        n->dirtyCv.notify_all();
    }
}

}  // namespace lockscope::monitor
