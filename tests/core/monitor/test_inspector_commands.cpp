// What the inspector asks a server per key (issue 12: the classified inventory within 2.5× of a
// bare SCAN), counted by the server itself (INFO commandstats), and that asking less tells the
// same: a Redisson-style hash costs one HSCAN after round 1 (no TYPE, no HLEN) unless HSCAN cannot
// tell; a batch of counters one EXISTS for all their companions, not one each; a batch of
// Redisson locks one EXISTS for all their companions — and every observation as before: big
// hashes, lists, gone keys, companions that exist. In the inventory (scanAndInspect) the counters'
// question rides in the next batch's pipeline: no round trip of its own on the detail connection.
#include <QtTest>
#include <map>

#include "locks/primitive_state.h"
#include "monitor/inspector.h"
#include "monitor/scan.h"
#include "sandbox/redis_server.h"

using namespace lockscope;

namespace {

// Calls per command since the last CONFIG RESETSTAT ("hscan" → 12), INFO's own excluded.
std::map<std::string, long long> callsSinceReset(redis::Connection& c) {
    const std::string info(c.command({"INFO", "commandstats"}).str());
    std::map<std::string, long long> calls;
    size_t at = 0;
    while ((at = info.find("cmdstat_", at)) != std::string::npos) {
        const size_t colon = info.find(':', at);
        const std::string name = info.substr(at + 8, colon - at - 8);
        const size_t n = info.find("calls=", colon) + 6;
        calls[name] = std::stoll(info.substr(n, info.find(',', n) - n));
        at = colon;
    }
    calls.erase("info");
    return calls;
}

const monitor::Observation& obsOf(const std::vector<monitor::Inspected>& all,
                                  const std::string& key) {
    for (const auto& in : all)
        if (in.observation.key == key) return in.observation;
    throw std::runtime_error("not inspected: " + key);
}

const monitor::Companions& companionsOf(const std::vector<monitor::Inspected>& all,
                                        const std::string& key) {
    for (const auto& in : all)
        if (in.observation.key == key) return in.companions;
    throw std::runtime_error("not inspected: " + key);
}

const char* kField = "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:1";

}  // namespace

class TestInspectorCommands : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;

private slots:
    void initTestCase() { server = std::make_unique<sandbox::RedisServer>(); }
    void init() { redis::Connection(server->endpoint()).command({"FLUSHALL"}); }

    // 50 Redisson locks (no companions) and 50 counters: after round 1 (OBJECT IDLETIME, PTTL,
    // GETRANGE per key), one HSCAN per hash and two EXISTS for the whole batch.
    void commonKeysCostFewCommands() {
        redis::Connection c(server->endpoint());
        std::vector<std::string> keys;
        for (int i = 0; i < 50; ++i) {
            const std::string k = "rlock:" + std::to_string(i);
            c.command({"HSET", k, kField, 1});
            c.command({"PEXPIRE", k, 60000});
            keys.push_back(k);
            const std::string n = "ctr:" + std::to_string(i);
            c.command({"SET", n, 100000 + i});
            keys.push_back(n);
        }
        c.command({"CONFIG", "RESETSTAT"});
        monitor::Inspector inspector;
        const auto out = inspector.inspect(c, keys);
        auto calls = callsSinceReset(c);

        QCOMPARE(out.size(), keys.size());
        for (int i = 0; i < 50; ++i) {
            const auto& h = obsOf(out, "rlock:" + std::to_string(i));
            QCOMPARE(h.type, std::string("hash"));
            QCOMPARE(h.length, 1LL);
            QVERIFY(!h.truncated);
            QCOMPARE(h.fields.size(), size_t(1));
            QCOMPARE(h.fields[0].first, std::string(kField));
            QCOMPARE(h.fields[0].second, std::string("1"));
            QVERIFY(h.pttlMs > 0);
            const auto& comp = companionsOf(out, "rlock:" + std::to_string(i));
            QVERIFY(!comp.redissonToken && !comp.redissonQueue);
            const auto& n = obsOf(out, "ctr:" + std::to_string(i));
            QCOMPARE(n.type, std::string("string"));
            QCOMPARE(n.value, std::to_string(100000 + i));
            QCOMPARE(n.pttlMs, -1LL);
            QVERIFY(companionsOf(out, "ctr:" + std::to_string(i)).primitive.metaKind.empty());
        }
        QCOMPARE(calls["object|idletime"], 100LL);
        QCOMPARE(calls["pttl"], 100LL);
        QCOMPARE(calls["getrange"], 100LL);
        QCOMPARE(calls["hscan"], 50LL);
        // What HSCAN told already (before: one TYPE and one HLEN per hash).
        QCOMPARE(calls["type"], 0LL);
        QCOMPARE(calls["hlen"], 0LL);
        // One EXISTS over the 100 Redisson companions, one over the 100 counters' (before: 50
        // GETs, and 50 EXISTS).
        QCOMPARE(calls["get"], 0LL);
        QCOMPARE(calls["exists"], 2LL);
    }

    // Sets, lists and sorted sets (a third of a production keyspace): GETRANGE and HSCAN are both
    // refused with WRONGTYPE, after which TYPE alone names the type (before: TYPE, HLEN and a
    // second HSCAN, two of them refused again).
    void otherTypesCostOneTypeEach() {
        redis::Connection c(server->endpoint());
        std::vector<std::string> keys;
        for (int i = 0; i < 30; ++i) {
            const std::string n = std::to_string(i);
            c.command({"SADD", "tags:item:" + n, "red", "sale"});
            c.command({"RPUSH", "queue:mail:" + n, "welcome"});
            c.command({"ZADD", "board:" + n, 1, "ann"});
            keys.insert(keys.end(), {"tags:item:" + n, "queue:mail:" + n, "board:" + n});
        }
        c.command({"CONFIG", "RESETSTAT"});
        monitor::Inspector inspector;
        const auto out = inspector.inspect(c, keys);
        auto calls = callsSinceReset(c);

        QCOMPARE(out.size(), keys.size());
        for (int i = 0; i < 30; ++i) {
            const std::string n = std::to_string(i);
            QCOMPARE(obsOf(out, "tags:item:" + n).type, std::string("set"));
            QCOMPARE(obsOf(out, "queue:mail:" + n).type, std::string("list"));
            QCOMPARE(obsOf(out, "board:" + n).type, std::string("zset"));
            QCOMPARE(obsOf(out, "board:" + n).pttlMs, -1LL);
        }
        QCOMPARE(calls["getrange"], 90LL);
        QCOMPARE(calls["hscan"], 90LL);
        QCOMPARE(calls["type"], 90LL);
        QCOMPARE(calls["hlen"], 0LL);
    }

    // Where HSCAN cannot tell, or a companion exists, each key is read as before: the same
    // observations.
    void rareKeysReadAsBefore() {
        redis::Connection c(server->endpoint());
        // A hash too big for one HSCAN page (hashtable encoded: HSCAN returns a cursor).
        for (int f = 0; f < 300; ++f) c.command({"HSET", "big", "f" + std::to_string(f), f});
        c.command({"RPUSH", "list", "a", "b", "c"});
        c.command({"ZADD", "zset", 1, "m"});
        // Redisson locks with a fenced token counter and a fair queue; one without.
        c.command({"HSET", "fencedlock", kField, 1});
        c.command({"SET", "redisson_lock_token:{fencedlock}", 41});
        c.command({"HSET", "fairlock", kField, 1});
        c.command({"RPUSH", "redisson_lock_queue:{fairlock}", "waiter"});
        c.command({"HSET", "plainlock", kField, 1});
        // A counter with LockScope's semaphore record beside it; two plain counters.
        c.command({"SET", "sem", 3});
        c.command({"HSET", locks::lockscopeMetaKey("sem"), "kind", "semaphore", "size", 5});
        c.command({"SET", "plain1", 12345});
        c.command({"SET", "plain2", 54321});
        const std::vector<std::string> keys = {"big",      "list",      "zset", "fencedlock",
                                               "fairlock", "plainlock", "sem",  "plain1",
                                               "plain2",   "gone"};
        monitor::Inspector inspector;
        const auto out = inspector.inspect(c, keys);

        const auto& big = obsOf(out, "big");
        QCOMPARE(big.type, std::string("hash"));
        QCOMPARE(big.length, 300LL);
        QVERIFY(big.truncated);
        QVERIFY(!big.fields.empty() && big.fields.size() <= 64);
        QCOMPARE(obsOf(out, "list").type, std::string("list"));
        QCOMPARE(obsOf(out, "zset").type, std::string("zset"));
        QCOMPARE(obsOf(out, "gone").type, std::string("none"));
        QCOMPARE(companionsOf(out, "fencedlock").redissonToken, std::optional<long long>(41));
        QVERIFY(!companionsOf(out, "fencedlock").redissonQueue);
        QVERIFY(companionsOf(out, "fairlock").redissonQueue);
        QVERIFY(!companionsOf(out, "fairlock").redissonToken);
        QVERIFY(!companionsOf(out, "plainlock").redissonQueue);
        QVERIFY(!companionsOf(out, "plainlock").redissonToken);
        QCOMPARE(companionsOf(out, "sem").primitive.metaKind, std::string("semaphore"));
        QCOMPARE(companionsOf(out, "sem").primitive.metaSize, std::optional<long long>(5));
        QVERIFY(companionsOf(out, "plain1").primitive.metaKind.empty());
        QVERIFY(!companionsOf(out, "plain1").primitive.metaSize);
    }

    // Issue 11's benchmark (bisect: 3358c3a): in the inventory, each batch's question about its
    // counters (semaphore or latch evidence) rode in a round trip of its own on the detail
    // connection, which waited on the server behind the next batch's round 1. Now the next
    // batch's pipeline carries it: the detail connection asks nothing for keys without
    // companions, the server runs the same one EXISTS per batch, and a semaphore or a latch in
    // any batch (the last one too) is still found.
    void inventoryAsksAboutCountersWithoutARoundOfTheirOwn() {
        redis::Connection c(server->endpoint());
        for (int i = 0; i < 400; ++i) c.command({"SET", "ctr:" + std::to_string(i), 1000 + i});
        for (int i = 0; i < 40; ++i)
            c.command({"SET", "cache:" + std::to_string(i), "v" + std::to_string(i)});
        redis::Connection scanConn(server->endpoint());
        redis::Connection detail(server->endpoint());
        auto inventory = [&](monitor::Inspector& inspector, int& batches) {
            std::map<std::string, monitor::Inspected> seen;
            const auto refusal = monitor::scanAndInspect(
                scanConn, detail, inspector, {}, 40, [&](std::vector<monitor::Inspected>&& batch) {
                    ++batches;
                    for (auto& in : batch) {
                        const std::string key = in.observation.key;
                        if (!seen.emplace(key, std::move(in)).second)
                            throw std::runtime_error("inspected twice: " + key);
                    }
                    return true;
                });
            if (refusal) throw std::runtime_error(*refusal);
            return seen;
        };
        c.command({"CONFIG", "RESETSTAT"});
        monitor::Inspector inspector;
        int batches = 0;
        auto seen = inventory(inspector, batches);
        auto calls = callsSinceReset(c);
        QCOMPARE(seen.size(), size_t(440));
        for (int i = 0; i < 400; ++i) {
            const auto& in = seen.at("ctr:" + std::to_string(i));
            QCOMPARE(in.observation.value, std::to_string(1000 + i));
            QVERIFY(in.companions.primitive.metaKind.empty());
        }
        QVERIFY2(batches >= 8, std::to_string(batches).c_str());
        // The server's work as before: one EXISTS per batch holding counters.
        QVERIFY2(calls.at("exists") <= batches, std::to_string(calls.at("exists")).c_str());
        // On the detail connection only the last batch's (no next pipeline carries it); before,
        // one per batch.
        const size_t own = inspector.takeRoundTrips();
        QVERIFY2(own <= 1, std::to_string(own).c_str());

        // Synchronisers in the keyspace, wherever their batch falls: still found.
        for (const char* k : {"sem:a", "sem:b", "latch:c"}) {
            c.command({"SET", k, 2});
            c.command({"HSET", locks::lockscopeMetaKey(k), "kind",
                       std::string(k).rfind("latch", 0) == 0 ? "latch" : "semaphore", "size", 4});
        }
        monitor::Inspector second;
        batches = 0;
        seen = inventory(second, batches);
        QCOMPARE(seen.size(), size_t(446));  // the three records are keys too
        QCOMPARE(seen.at("sem:a").companions.primitive.metaKind, std::string("semaphore"));
        QCOMPARE(seen.at("sem:b").companions.primitive.metaSize, std::optional<long long>(4));
        QCOMPARE(seen.at("latch:c").companions.primitive.metaKind, std::string("latch"));
        QVERIFY(seen.at("ctr:7").companions.primitive.metaKind.empty());
    }

    // F11d item 1: a zset's members are read (one ZSCAN) only when it has a TTL, as Symfony
    // Lock's zset always does; a zset without one (a leaderboard, a queue) costs nothing more
    // than before (TYPE, HLEN, HSCAN of the round that finds its type).
    void zsetMembersOnlyWithTtl() {
        redis::Connection c(server->endpoint());
        const std::string token(43, 'A');
        for (int i = 0; i < 10; ++i)
            c.command({"ZADD", "board:" + std::to_string(i), 1, "alice", 2, "bob"});
        c.command(
            {"ZADD", "pdf-creation", 1796600000000LL, token + "=", 1796600000000LL, "__write__"});
        c.command({"PEXPIRE", "pdf-creation", 300000});
        std::vector<std::string> keys = {"pdf-creation"};
        for (int i = 0; i < 10; ++i) keys.push_back("board:" + std::to_string(i));
        c.command({"CONFIG", "RESETSTAT"});
        monitor::Inspector inspector;
        const auto out = inspector.inspect(c, keys);
        auto calls = callsSinceReset(c);
        const auto& sym = obsOf(out, "pdf-creation");
        QCOMPARE(sym.type, std::string("zset"));
        QCOMPARE(sym.length, 2LL);
        QVERIFY(!sym.truncated);
        QCOMPARE(sym.fields.size(), size_t(2));
        QCOMPARE(sym.fields[0].second, std::string("1796600000000"));
        for (int i = 0; i < 10; ++i) {
            const auto& b = obsOf(out, "board:" + std::to_string(i));
            QCOMPARE(b.type, std::string("zset"));
            QVERIFY(b.fields.empty());
        }
        QCOMPARE(calls["zscan"], 1LL);
        QCOMPARE(calls["type"], 11LL);
    }
};

QTEST_GUILESS_MAIN(TestInspectorCommands)
#include "test_inspector_commands.moc"
