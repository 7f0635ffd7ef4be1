#include "monitor/node_worker.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <unordered_map>

#include "monitor/classifier.h"
#include "monitor/scan.h"
#include "redis/error.h"
#include "redis/info.h"
#include "util/thread_name.h"

namespace lockscope::monitor {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kMaxBackoff{2000};

InspectOptions withoutIdle(InspectOptions o) {
    o.idleTime = false;
    return o;
}

// ---- the inspector thread -----------------------------------------------------------------

class InspectorThread {
public:
    InspectorThread(SharedState& shared, Node& n)
        : sh_(shared),
          n_(n),
          options_(shared.options),
          inspector_(options_.inspect),
          rescanInspector_(withoutIdle(options_.inspect)) {}

    void run();

private:
    ClassifyContext context() const;
    void post(std::vector<Inspected>&& inspected);
    void followRedirects(std::vector<std::pair<std::string, std::string>>& moved);
    void processDirty(redis::Connection& c);
    void refreshClients(redis::Connection& c);
    void fullScan(redis::Connection& scanConn, redis::Connection& work);
    milliseconds scanInterval() const;
    void onConnected(redis::Connection& c, bool reconnect, bool repointed,
                     Steady::time_point lostAt);
    void enableNotifications(redis::Connection& c);
    void ping(redis::Connection& c, bool& replicaReported);

    SharedState& sh_;
    Node& n_;
    const MonitorOptions& options_;
    Inspector inspector_;  // the first inventory: OBJECT IDLETIME gives lock ages
    // Everything after it skips OBJECT IDLETIME (a third of the server's work per key): a key
    // named by a notification was just written, known keys keep the age they have, and a key a
    // rescan finds for the first time appeared less than one scan interval ago.
    Inspector rescanInspector_;
    bool inventoried_ = false;
    std::uint32_t epoch_ = 0;
    std::unordered_map<std::string, std::string> clients_;
    bool clientsKnown_ = false;
    bool clientListWarned_ = false;
    Steady::time_point nextClientList_{};
    Steady::time_point nextFullScan_{};
    Steady::time_point nextPing_{};
    milliseconds lastScanTook_{0};
};

ClassifyContext InspectorThread::context() const {
    ClassifyContext ctx;
    ctx.wallNowMs = sh_.clock->wallMillis();
    ctx.now = sh_.clock->steadyNow();
    ctx.expiringSoon = options_.expiringSoon;
    ctx.lockscopeClientsByTag = clientsKnown_ ? &clients_ : nullptr;
    return ctx;
}

void InspectorThread::post(std::vector<Inspected>&& inspected) {
    for (auto* in : {&inspector_, &rescanInspector_})
        for (auto& note : in->takeNotes()) sh_.message(n_.where() + ": " + note);
    if (inspected.empty()) return;
    InboxItem item{InboxItem::What::Records, n_.index, epoch_, {}};
    item.records.reserve(inspected.size());
    ClassifyContext ctx = context();
    std::vector<std::pair<std::string, std::string>> moved;  // key, "host:port"
    bool asked = false;
    for (auto& in : inspected) {
        if (in.observation.type == "moved") {
            moved.emplace_back(std::move(in.observation.key), std::move(in.observation.movedTo));
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
    if (!item.records.empty()) sh_.post(std::move(item));
    if (!moved.empty()) followRedirects(moved);
    if (asked) sh_.requestRefresh();
}

// Keys a cluster node answered MOVED / ASK for: it no longer serves their slot. They are inspected
// on the node named in the redirect, and the slot map is re-read (resharding or a failover changed
// it). A key is never shown as gone on the word of a node that lost it.
void InspectorThread::followRedirects(std::vector<std::pair<std::string, std::string>>& moved) {
    sh_.requestRefresh();
    for (Node* other : sh_.nodeList()) {
        if (other == &n_ || other->retired.load()) continue;
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
    // Redirected to a node not followed yet: the refreshed map adds it, and its scan finds them.
}

void InspectorThread::processDirty(redis::Connection& c) {
    while (!sh_.stopping.load()) {
        std::vector<std::string> keys = n_.takeDirty(options_.batchSize);
        if (keys.empty()) return;
        // The key was just written: OBJECT IDLETIME would say 0, so it is not asked.
        post(rescanInspector_.inspect(c, keys));
    }
}

void InspectorThread::refreshClients(redis::Connection& c) {
    nextClientList_ = Steady::now() + options_.clientListInterval;
    auto reply = c.raw({"CLIENT", "LIST"});
    if (reply.isError()) {
        clientsKnown_ = false;
        if (!clientListWarned_)
            sh_.message(n_.where() + ": CLIENT LIST refused (" +
                        std::string(reply.errorMessage().substr(0, 100)) +
                        "): orphaned locks cannot be detected");
        clientListWarned_ = true;
        nextClientList_ = Steady::now() + milliseconds(60000);
        return;
    }
    clients_ = lockscopeClientsFromClientList(reply.str());
    clientsKnown_ = true;
}

// Round 1 and SCAN on `scanConn`; everything else (follow-up rounds, live changes) on `work`.
void InspectorThread::fullScan(redis::Connection& scanConn, redis::Connection& work) {
    const auto started = Steady::now();
    ++epoch_;
    Inspector& inspector = inventoried_ ? rescanInspector_ : inspector_;
    auto refusal = scanAndInspect(scanConn, work, inspector, options_.patterns, options_.scanCount,
                                  [&](std::vector<Inspected>&& batch) {
                                      post(std::move(batch));
                                      processDirty(work);  // live changes keep flowing
                                      return sh_.alive(n_);
                                  });
    if (refusal) {
        n_.scanAllowed = false;
        sh_.message(n_.where() + ": SCAN refused (" + refusal->substr(0, 100) +
                    "): keys are discovered from keyspace notifications only");
        return;
    }
    if (!sh_.alive(n_)) return;
    sh_.post({InboxItem::What::ScanDone, n_.index, epoch_, {}});
    inventoried_ = true;
    lastScanTook_ = std::chrono::duration_cast<milliseconds>(Steady::now() - started);
}

milliseconds InspectorThread::scanInterval() const {
    const bool live = !sh_.polling(n_.index);
    // A big keyspace is not rescanned more often than every 2 scan durations (polling) or 20
    // (safety net).
    milliseconds base = live ? options_.rescanInterval : options_.pollInterval;
    return std::max(base, lastScanTook_ * (live ? 20 : 2));
}

void InspectorThread::onConnected(redis::Connection& c, bool reconnect, bool repointed,
                                  Steady::time_point lostAt) {
    auto info = c.raw({"INFO"});
    std::string version, role;
    if (!info.isError() && info.isString()) {
        version = redis::infoField(info.str(), "redis_version");
        role = redis::infoField(info.str(), "role");
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
    if (!options_.subscribe && notif == NodeStatus::Notifications::On)
        notif = NodeStatus::Notifications::Off;
    // Through a bastion, a reconnect may have needed a new SSH connection: said below.
    bool newTunnel = false;
    sh_.editNode(n_.index, [&](NodeStatus& st) {
        newTunnel = reconnect && st.transport.tunnelId != 0 &&
                    st.transport.tunnelId != c.transport().tunnelId;
        st.transport = c.transport();
        st.link = NodeStatus::Link::Connected;
        st.endpoint = c.endpoint();
        st.version = version;
        st.role = role;
        st.notifyFlags = flags;
        st.canConfigure = canConfigure;
        if (st.notifications != NodeStatus::Notifications::Unavailable) st.notifications = notif;
        if (reconnect) ++st.reconnects;
    });
    const std::string where = c.endpoint().display();
    if (reconnect && !repointed) {
        auto down = std::chrono::duration_cast<milliseconds>(Steady::now() - lostAt).count();
        sh_.message(where + ": reconnected after " + std::to_string(down) + " ms" +
                    (newTunnel ? " through a new SSH tunnel via " + c.transport().ssh +
                                     " (ssh pid " + std::to_string(c.transport().sshPid) + ")"
                               : "") +
                    "; resubscribing and rescanning");
    }
    if (!options_.subscribe) return;
    if (cfg.isError()) {
        sh_.message(where + ": cannot read notify-keyspace-events (" +
                    std::string(cfg.errorMessage().substr(0, 80)) +
                    "); subscribing anyway and polling every " +
                    std::to_string(options_.pollInterval.count()) + " ms until events arrive");
    } else if (notif == NodeStatus::Notifications::Off && (!reconnect || repointed)) {
        const auto& tcp = c.endpoint().tcp;
        sh_.message(where + ": keyspace notifications are off (notify-keyspace-events is '" +
                    flags + "'); following by polling every " +
                    std::to_string(options_.pollInterval.count()) +
                    " ms. To follow live: redis-cli -h " + tcp.host + " -p " +
                    std::to_string(tcp.port) + " CONFIG SET notify-keyspace-events " +
                    withNeededNotificationFlags(flags) + " (or enable them from LockScope)");
    }
}

void InspectorThread::enableNotifications(redis::Connection& c) {
    const std::string where = c.endpoint().display();
    auto cfg = c.raw({"CONFIG", "GET", "notify-keyspace-events"});
    if (cfg.isError()) {
        sh_.message(where +
                    ": cannot enable keyspace notifications: " + std::string(cfg.errorMessage()));
        return;
    }
    std::string before(cfg.isArray() && cfg.size() == 2 ? cfg[1].str() : "");
    std::string after = withNeededNotificationFlags(before);
    auto set = c.raw({"CONFIG", "SET", "notify-keyspace-events", after});
    if (set.isError()) {
        sh_.editNode(n_.index, [](NodeStatus& st) { st.canConfigure = false; });
        sh_.message(where +
                    ": cannot enable keyspace notifications: " + std::string(set.errorMessage()));
        return;
    }
    auto now = c.raw({"CONFIG", "GET", "notify-keyspace-events"});
    std::string effective(now.isArray() && now.size() == 2 ? now[1].str() : after);
    sh_.editNode(n_.index, [&](NodeStatus& st) {
        st.notifyFlags = effective;
        st.notifications = NodeStatus::Notifications::On;
    });
    sh_.message(where + ": keyspace notifications enabled (notify-keyspace-events was '" + before +
                "', now '" + effective + "')");
}

void InspectorThread::ping(redis::Connection& c, bool& replicaReported) {
    const auto t0 = Steady::now();
    if (sh_.followsMaster()) {
        // ROLE costs what PING costs and tells a master that was demoted.
        auto role = c.command({"ROLE"});
        const std::string r(role.isArray() && role.size() > 0 ? role[0].str() : "");
        if (r != "master") {
            if (!replicaReported)
                sh_.message(c.endpoint().display() + " is a " + (r == "slave" ? "replica" : r) +
                            " now: asking where the master went");
            replicaReported = true;
            sh_.requestRefresh();
        }
        sh_.editNode(n_.index, [&](NodeStatus& st) { st.role = r; });
    } else {
        c.command({"PING"});
    }
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - t0).count();
    sh_.editNode(n_.index, [&](NodeStatus& st) { st.latencyUs = us; });
    nextPing_ = Steady::now() + milliseconds(1000);
}

void InspectorThread::run() {
    // Behind the subscriber: under a notification storm a late inspection costs a little
    // freshness, while a subscriber that falls behind is disconnected by the server
    // (client-output-buffer-limit pubsub) and loses events. Lowering one's own priority needs no
    // privilege; if refused, it just runs at normal priority.
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 5);
    std::optional<redis::Connection> conn;      // commands, live changes, follow-up rounds
    std::optional<redis::Connection> scanConn;  // SCAN + round 1 of inventories
    milliseconds backoff{100};
    bool everConnected = false;
    bool connectFailureReported = false;
    bool replicaReported = false;
    std::uint32_t connectedGeneration = 0;
    bool repointed = false;
    Steady::time_point lostAt{};
    while (sh_.alive(n_)) {
        try {
            if (everConnected && n_.generation.load() != connectedGeneration && !repointed) {
                // The topology follower moved this node (a failover): reconnect there. It said so.
                conn.reset();
                scanConn.reset();
                lostAt = Steady::now();
                repointed = true;
                connectFailureReported = false;
            }
            if (!conn) {
                const std::uint32_t generation = n_.generation.load();  // before the address
                auto endpoint = n_.endpoint();
                if (!endpoint) {  // a Sentinel target before the first answer
                    sh_.sleepFor(milliseconds(20));
                    continue;
                }
                conn.emplace(*endpoint, sh_.connectOptions());
                scanConn.emplace(*endpoint, sh_.connectOptions());
                connectedGeneration = generation;
                onConnected(*conn, everConnected, repointed, lostAt);
                everConnected = true;
                repointed = false;
                replicaReported = false;
                connectFailureReported = false;
                backoff = milliseconds(100);
                nextFullScan_ = Steady::now();
                nextClientList_ = Steady::now();
                nextPing_ = Steady::now();
            }
            if (n_.enableRequested.exchange(false)) enableNotifications(*conn);
            const auto now = Steady::now();
            if (now >= nextClientList_) refreshClients(*conn);
            if (n_.rescanRequested.exchange(false) ||
                (n_.scanAllowed.load() && now >= nextFullScan_)) {
                fullScan(*scanConn, *conn);
                nextFullScan_ = Steady::now() + scanInterval();
            }
            processDirty(*conn);
            if (Steady::now() >= nextPing_) ping(*conn, replicaReported);
            std::unique_lock<std::mutex> lock(n_.dirtyMutex);
            auto wake = std::min(
                {nextPing_, nextClientList_, n_.scanAllowed.load() ? nextFullScan_ : nextPing_});
            n_.dirtyCv.wait_until(lock, std::min(wake, Steady::now() + milliseconds(100)), [&] {
                return !sh_.alive(n_) || !n_.dirty.empty() || n_.rescanRequested.load() ||
                       n_.enableRequested.load() || n_.generation.load() != connectedGeneration;
            });
        } catch (const redis::Error& e) {
            const std::string where = conn ? conn->endpoint().display() : n_.where();
            if (conn && !e.breaksConnection()) {  // e.g. a command the ACL refuses
                sh_.message(where + ": " + e.what());
                sh_.sleepFor(milliseconds(1000));
                continue;
            }
            // A master that went away may have been replaced: ask at once.
            if (sh_.followsMaster()) sh_.requestRefresh();
            // Say it on the transitions only, not on every failed retry.
            if (conn) {
                sh_.message(where + ": connection lost (" + e.what() + "); reconnecting");
                lostAt = Steady::now();
            } else if ((!everConnected || repointed) && !connectFailureReported) {
                sh_.message(where + ": cannot connect (" + e.what() + "); retrying");
                connectFailureReported = true;
            }
            conn.reset();
            scanConn.reset();
            sh_.editNode(n_.index, [&](NodeStatus& st) {
                st.link =
                    everConnected ? NodeStatus::Link::Reconnecting : NodeStatus::Link::Connecting;
                st.latencyUs = -1;
            });
            // A repointed node reconnects at once; a lost one backs off.
            const std::uint32_t before = n_.generation.load();
            const auto until = Steady::now() + backoff;
            while (sh_.alive(n_) && Steady::now() < until && n_.generation.load() == before)
                std::this_thread::sleep_for(milliseconds(20));
            backoff = std::min(backoff * 2, kMaxBackoff);
        }
    }
    if (!n_.retired.load())
        sh_.editNode(n_.index, [](NodeStatus& st) { st.link = NodeStatus::Link::Stopped; });
}

// ---- the subscriber thread ----------------------------------------------------------------

class SubscriberThread {
public:
    SubscriberThread(SharedState& shared, Node& n) : sh_(shared), n_(n), options_(shared.options) {}

    void run();

private:
    // The hot path (hundreds of thousands of messages a second in a storm): events for viewers
    // are only built while the viewers' buffer has room.
    struct Received {
        std::vector<std::string> keys;
        std::vector<KeyEvent> events;
        size_t eventRoom = 0;
        unsigned long long notShown = 0;
    };
    void handleMessage(const redis::ReplyView& m, Received& r) const;
    void deliver(Received& r);

    SharedState& sh_;
    Node& n_;
    const MonitorOptions& options_;
};

std::string channelPattern(const redis::Endpoint& e, const std::string& pattern) {
    return "__keyspace@" + std::to_string(e.db) + "__:" + pattern;
}

void SubscriberThread::handleMessage(const redis::ReplyView& m, Received& r) const {
    // pmessage <pattern> <channel> <event>
    if (!m.isArray() || m.size() != 4 || m[0].str() != "pmessage") return;
    std::string_view channel = m[2].str();
    auto colon = channel.find("__:");
    if (colon == std::string_view::npos) return;
    r.keys.emplace_back(channel.substr(colon + 3));
    if (r.events.size() < r.eventRoom)
        r.events.push_back({0, n_.index, r.keys.back(), std::string(m[3].str())});
    else
        ++r.notShown;
}

void SubscriberThread::deliver(Received& r) {
    if (r.keys.empty()) return;
    const long long wall = sh_.clock->wallMillis();
    n_.eventsTotal += r.keys.size();
    if (!n_.eventsSeen.exchange(true)) {
        bool wasOff = false;
        sh_.editNode(n_.index, [&](NodeStatus& st) {
            wasOff = st.notifications != NodeStatus::Notifications::On;
            st.notifications = NodeStatus::Notifications::On;
        });
        if (wasOff)
            sh_.message(n_.where() + ": keyspace notifications are arriving; following them live");
    }
    {
        std::lock_guard<std::mutex> g(n_.eventMutex);
        for (auto& e : r.events) {
            e.wallMs = wall;
            n_.eventBuffer.push_back(std::move(e));
        }
        n_.eventsNotShown += r.notShown;
    }
    n_.markDirty(std::move(r.keys));
    r.keys.clear();
    r.events.clear();
    r.notShown = 0;
}

void SubscriberThread::run() {
    milliseconds backoff{100};
    bool everSubscribed = false;
    std::uint32_t subscribedGeneration = 0;
    long long tunnelId = 0;  // the SSH connection subscribed through (0: none)
    std::vector<std::string> patterns = options_.patterns;
    if (patterns.empty()) patterns.push_back("*");
    while (sh_.alive(n_)) {
        std::string where = n_.where();
        try {
            const std::uint32_t generation = n_.generation.load();  // before the address
            auto endpoint = n_.endpoint();
            if (!endpoint) {
                sh_.sleepFor(milliseconds(20));
                continue;
            }
            where = endpoint->display();
            redis::ConnectOptions co = sh_.connectOptions();
            co.clientName = "lockscope-monitor-events";
            redis::Connection sub(*endpoint, co);
            for (const auto& p : patterns) sub.send({"PSUBSCRIBE", channelPattern(*endpoint, p)});
            for (size_t i = 0; i < patterns.size(); ++i) sub.receive().throwIfError();
            backoff = milliseconds(100);
            // A tunnel that died was replaced by the connect: say so (the loss was said below).
            const auto& transport = sub.transport();
            if (everSubscribed && tunnelId != 0 && transport.tunnelId != tunnelId)
                sh_.message(where + ": resubscribed through a new SSH tunnel via " + transport.ssh +
                            " (ssh pid " + std::to_string(transport.sshPid) + ")");
            tunnelId = transport.tunnelId;
            // Changes made while we were not subscribed produced no events: rescan.
            if (everSubscribed) {
                n_.rescanRequested = true;
                n_.dirtyCv.notify_one();
            }
            // Another server (a failover): its notifications may be off; say when they arrive.
            if (everSubscribed && generation != subscribedGeneration) n_.eventsSeen = false;
            everSubscribed = true;
            subscribedGeneration = generation;
            sh_.editNode(n_.index, [](NodeStatus& st) { st.subscribed = true; });
            Received r;
            // Node-local events: when the topology follower moves this node, subscribe at its new
            // address.
            while (sh_.alive(n_) && n_.generation.load() == generation) {
                auto first = sub.receiveFor(milliseconds(200));
                if (!first) continue;
                {
                    std::lock_guard<std::mutex> g(n_.eventMutex);
                    r.eventRoom = options_.maxEventsPerUpdate -
                                  std::min(options_.maxEventsPerUpdate, n_.eventBuffer.size());
                }
                handleMessage(*first, r);
                // Drain what is already here, then hand it over under one lock.
                while (r.keys.size() < 8192) {
                    auto more = sub.receiveFor(milliseconds(0));
                    if (!more) break;
                    handleMessage(*more, r);
                }
                deliver(r);
            }
            sh_.editNode(n_.index, [](NodeStatus& st) { st.subscribed = false; });
        } catch (const redis::Error& e) {
            bool wasUp = false;
            sh_.editNode(n_.index, [&](NodeStatus& st) {
                wasUp = st.subscribed;
                st.subscribed = false;
                if (wasUp) ++st.subscriptionDrops;
            });
            // The inspector reports a server that went away; a subscription dropped on its own
            // (client-output-buffer-limit pubsub, CLIENT KILL) is news of its own.
            if (wasUp && sh_.alive(n_))
                sh_.message(where + ": keyspace-notification subscription lost (" + e.what() +
                            "); resubscribing and rescanning");
            const auto k = e.kind();
            if (k == redis::ErrorKind::NoPermission || k == redis::ErrorKind::UnknownCommand) {
                sh_.editNode(n_.index, [](NodeStatus& st) {
                    st.notifications = NodeStatus::Notifications::Unavailable;
                });
                sh_.message(where + ": cannot subscribe to keyspace notifications (" + e.what() +
                            "); following by polling every " +
                            std::to_string(options_.pollInterval.count()) + " ms");
                return;
            }
            // Connection problems are reported by the inspector thread; just retry (at once when
            // the node was moved meanwhile).
            const std::uint32_t before = n_.generation.load();
            const auto until = Steady::now() + backoff;
            while (sh_.alive(n_) && Steady::now() < until && n_.generation.load() == before)
                std::this_thread::sleep_for(milliseconds(20));
            backoff = std::min(backoff * 2, kMaxBackoff);
        }
    }
}

}  // namespace

void startNodeThreads(SharedState& shared, Node& n) {
    SharedState* sh = &shared;
    Node* node = &n;
    node->inspector = std::thread([sh, node] {
        setThreadName("ls-mon-insp/" + std::to_string(node->index));
        InspectorThread(*sh, *node).run();
    });
    if (shared.options.subscribe)
        node->subscriber = std::thread([sh, node] {
            setThreadName("ls-mon-sub/" + std::to_string(node->index));
            SubscriberThread(*sh, *node).run();
        });
}

void joinNodeThreads(Node& n) {
    n.dirtyCv.notify_all();
    if (n.inspector.joinable()) n.inspector.join();
    if (n.subscriber.joinable()) n.subscriber.join();
}

}  // namespace lockscope::monitor
