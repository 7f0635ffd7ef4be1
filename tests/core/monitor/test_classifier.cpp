// Classification rules, one observation at a time: every format of docs/client-formats.md, the
// generic fallbacks, the states, and what is deliberately *not* a lock.
#include <QtTest>

#include "monitor/classifier.h"

using namespace lockscope::monitor;
using namespace std::chrono_literals;

namespace {

constexpr long long kWallNow = 1'800'000'000'000;  // 2027-01-15

Observation str(std::string key, std::string value, long long pttl) {
    Observation o;
    o.key = std::move(key);
    o.type = "string";
    o.value = std::move(value);
    o.length = static_cast<long long>(o.value.size());
    o.pttlMs = pttl;
    return o;
}

Observation hash(std::string key, std::vector<std::pair<std::string, std::string>> fields,
                 long long pttl) {
    Observation o;
    o.key = std::move(key);
    o.type = "hash";
    o.fields = std::move(fields);
    o.length = static_cast<long long>(o.fields.size());
    o.pttlMs = pttl;
    return o;
}

Observation zset(std::string key, std::vector<std::pair<std::string, std::string>> members,
                 long long pttl) {
    Observation o = hash(std::move(key), std::move(members), pttl);
    o.type = "zset";
    return o;
}

ClassifyContext ctxAt(Steady::time_point now = Steady::time_point(100s)) {
    ClassifyContext c;
    c.wallNowMs = kWallNow;
    c.now = now;
    c.expiringSoon = 1000ms;
    return c;
}

const char* kUuidField = "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:47";
const char* kToken = "lockscope:set-nx-px:host-1:4242:0123abcd:0123456789abcdef";

}  // namespace

Q_DECLARE_METATYPE(Observation)

class TestClassifier : public QObject {
    Q_OBJECT
private slots:
    void formats_data() {
        QTest::addColumn<Observation>("obs");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("state");  // "" for counters
        QTest::addColumn<QString>("holder");

        QTest::newRow("lockscope set-nx-px") << str("k", kToken, 5000) << "set-nx-px"
                                             << "held" << kToken;
        QTest::newRow("lockscope unsafe-del")
            << str("k", "lockscope:unsafe-del:h:1:0123abcd:0123456789abcdef", 5000) << "unsafe-del"
            << "held"
            << "lockscope:unsafe-del:h:1:0123abcd:0123456789abcdef";
        QTest::newRow("lockscope setnx-expire crashed")
            << str("k", "lockscope:setnx-expire:h:1:0123abcd:0123456789abcdef", -1)
            << "setnx-expire"
            << "stuck-no-ttl"
            << "lockscope:setnx-expire:h:1:0123abcd:0123456789abcdef";
        QTest::newRow("lockscope unknown strategy")
            << str("k", "lockscope:future-lock:h:1:0123abcd:0123456789abcdef", 5000) << "token"
            << "held"
            << "lockscope:future-lock:h:1:0123abcd:0123456789abcdef";
        QTest::newRow("expiring") << str("k", kToken, 400) << "set-nx-px"
                                  << "expiring" << kToken;
        QTest::newRow("redis-py uuid1 no ttl")
            << str("lock:x", "5f0e4d2a3b1c11ee9a3b0242ac120002", -1) << "redis-py"
            << "stuck-no-ttl"
            << "5f0e4d2a3b1c11ee9a3b0242ac120002";
        QTest::newRow("redis-py with ttl")
            << str("x:lock", "5f0e4d2a3b1c11ee8a3b0242ac120002", 9000) << "redis-py"
            << "held"
            << "5f0e4d2a3b1c11ee8a3b0242ac120002";
        QTest::newRow("node-redlock hex")
            << str("locks:res", "9c4b2f0e7a6d5c3b1a0f9e8d7c6b5a49", 9000) << "node-redlock"
            << "held"
            << "9c4b2f0e7a6d5c3b1a0f9e8d7c6b5a49";
        QTest::newRow("python-redis-lock")
            << str("lock:job", "AbCdEfGhIjKlMnOpQrSt+/09", 9000) << "python-redis-lock"
            << "held"
            << "AbCdEfGhIjKlMnOpQrSt+/09";
        QTest::newRow("base64 without lock: prefix is a token")
            << str("job:lock", "AbCdEfGhIjKlMnOpQrSt+/09", 9000) << "token"
            << "held"
            << "AbCdEfGhIjKlMnOpQrSt+/09";
        QTest::newRow("setnx-getset future")
            << str("lock:k", std::to_string(kWallNow + 5000), -1) << "setnx-getset"
            << "held" << QString::number(kWallNow + 5000);
        QTest::newRow("setnx-getset past")
            << str("lock:k", std::to_string(kWallNow - 5000), -1) << "setnx-getset"
            << "expired-timestamp" << QString::number(kWallNow - 5000);
        // Issue 16.4: a client that also sets a TTL as a safety net (or a PEXPIRE on it).
        QTest::newRow("setnx-getset with a ttl")
            << str("lock:job", std::to_string(kWallNow + 5000), 30000) << "setnx-getset"
            << "held" << QString::number(kWallNow + 5000);
        QTest::newRow("generic token with ttl")
            << str("session-guard", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", 3000) << "token"
            << "held"
            << "f81d4fae-7dec-11d0-a765-00a0c91e6bf6";
        QTest::newRow("generic token, lock-like name, no ttl")
            << str("mutex:billing", "Zx81Qp0Lm2Nb7Vc4", -1) << "token"
            << "stuck-no-ttl"
            << "Zx81Qp0Lm2Nb7Vc4";
        QTest::newRow("redisson lock")
            << hash("order", {{kUuidField, "2"}}, 30000) << "redisson-lock"
            << "held" << kUuidField;
        QTest::newRow("redisson lock no ttl")
            << hash("order", {{kUuidField, "1"}}, -1) << "redisson-lock"
            << "stuck-no-ttl" << kUuidField;
        QTest::newRow("redisson rwlock readers")
            << hash("rw",
                    {{"mode", "read"},
                     {"b1f0c7e2-3f4d-4a6b-9c1d-6e5f4a3b2c1d:9", "1"},
                     {kUuidField, "1"}},
                    30000)
            << "redisson-rwlock"
            << "held" << QString(kUuidField) + ",b1f0c7e2-3f4d-4a6b-9c1d-6e5f4a3b2c1d:9";
        QTest::newRow("redisson rwlock writer")
            << hash("rw", {{"mode", "write"}, {std::string(kUuidField) + ":write", "1"}}, 30000)
            << "redisson-rwlock"
            << "held" << QString(kUuidField) + ":write";
        QTest::newRow("heartbeat")
            << hash("hb", {{"owner", kToken}, {"beat", "7"}, {"period_ms", "1000"}}, -1)
            << "heartbeat"
            << "held" << kToken;
        // Issue 11: hand-rolled locks, judged by evidence (name word + value shape + TTL).
        QTest::newRow("seed 003 flag, EXPIRE came") << str("lock:order:42", "1", 600000) << "flag"
                                                    << "held"
                                                    << "1";
        QTest::newRow("seed 003 flag, EXPIRE never came") << str("lock:order:42", "1", -1) << "flag"
                                                          << "stuck-no-ttl"
                                                          << "1";
        QTest::newRow("word flag, no ttl") << str("app:mutex:x", "locked", -1) << "flag"
                                           << "stuck-no-ttl"
                                           << "locked";
        QTest::newRow("true flag, camelCase name") << str("reportJobLock", "true", 30000) << "flag"
                                                   << "held"
                                                   << "true";
        // One look cannot tell seed 001's beat counter from a process id, nor whether it is
        // stuck: `unknown` until seen beating (issue 11 round 6).
        QTest::newRow("seed 001 counter at first sight") << str("mylock", "17", -1) << "identity"
                                                         << "unknown"
                                                         << "17";
        QTest::newRow("host name holder") << str("app:lock:job", "worker-3", 60000) << "identity"
                                          << "held"
                                          << "worker-3";
        QTest::newRow("fqdn holder, no ttl")
            << str("leader:billing", "web-01.prod.example.com", -1) << "identity"
            << "stuck-no-ttl"
            << "web-01.prod.example.com";
        QTest::newRow("jvm pid@host holder")
            << str("orders-lock", "4242@web-01", 30000) << "identity"
            << "held"
            << "4242@web-01";
        QTest::newRow("seed 000 epoch seconds, future")
            << str("lock:report", std::to_string(kWallNow / 1000 + 60), -1) << "expiry-timestamp"
            << "held" << QString::number(kWallNow / 1000 + 60);
        // adv11d item 5: with a live TTL a past time in the value is when it was taken (Go's
        // time.Now().Unix() with EX): the TTL decides, held — no waiter takes a live key over.
        QTest::newRow("epoch seconds, past, with a ttl: acquisition time")
            << str("lock:report", std::to_string(kWallNow / 1000 - 60), 5000) << "expiry-timestamp"
            << "held" << QString::number(kWallNow / 1000 - 60);
        QTest::newRow("seed 000 epoch seconds, past, no ttl")
            << str("lock:report", std::to_string(kWallNow / 1000 - 60), -1) << "expiry-timestamp"
            << "expired-timestamp" << QString::number(kWallNow / 1000 - 60);
        QTest::newRow("seed 000 time.time() + timeout (fraction)")
            << str("counter_lock", "1800000061.2503", -1) << "expiry-timestamp"
            << "held"
            << "1800000061.2503";
        QTest::newRow("json owner")
            << str("lock:job:nightly", R"({"owner":"web-01","since":1})", 30000) << "json"
            << "held"
            << R"({"owner":"web-01","since":1})";
        QTest::newRow("json host under lock name")
            << str("lock:sync", R"({"host": "web-02", "pid": 77})", -1) << "json"
            << "stuck-no-ttl"
            << R"({"host": "web-02", "pid": 77})";
        QTest::newRow("chinese name, uuid, ttl")
            << str("锁:订单:42", "f81d4fae-7dec-41d0-a765-00a0c91e6bf6", 5000) << "token"
            << "held"
            << "f81d4fae-7dec-41d0-a765-00a0c91e6bf6";
        QTest::newRow("chinese name, flag") << str("分布式锁:库存", "1", -1) << "flag"
                                            << "stuck-no-ttl"
                                            << "1";
        // Issue 11.4: more libraries, read from their sources.
        QTest::newRow("shedlock") << str("job-lock:default:report",
                                         "ADDED:2026-12-06T07:45:00.123Z@web-01", 30000)
                                  << "shedlock"
                                  << "held"
                                  << "ADDED:2026-12-06T07:45:00.123Z@web-01";
        QTest::newRow("shedlock with uuid, any key")
            << str("tasks:report",
                   "ADDED:2026-12-06T07:45:00Z@web-01:2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d", 30000)
            << "shedlock"
            << "held"
            << "ADDED:2026-12-06T07:45:00Z@web-01:2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d";
        QTest::newRow("node redis-lock")
            << str("lock.sendmail", std::to_string(kWallNow + 5000), 6000) << "node-redis-lock"
            << "held" << QString::number(kWallNow + 5000);
        QTest::newRow("node redis-lock past, its TTL live: the TTL decides")
            << str("lock.sendmail", std::to_string(kWallNow - 5000), 6000) << "node-redis-lock"
            << "held" << QString::number(kWallNow - 5000);
        QTest::newRow("node redis-lock past, no ttl")
            << str("lock.sendmail", std::to_string(kWallNow - 5000), -1) << "node-redis-lock"
            << "expired-timestamp" << QString::number(kWallNow - 5000);
        QTest::newRow("counter") << str("hits", "42", -1) << "counter"
                                 << ""
                                 << "";
        QTest::newRow("negative counter") << str("delta", "-7", -1) << "counter"
                                          << ""
                                          << "";
        QTest::newRow("counter with ttl") << str("rate:ip", "3", 1000) << "counter"
                                          << ""
                                          << "";
        QTest::newRow("versioned counter")
            << hash("vc", {{"value", "10"}, {"version", "3"}}, -1) << "versioned"
            << ""
            << "";
    }
    void formats() {
        QFETCH(Observation, obs);
        QFETCH(QString, format);
        QFETCH(QString, state);
        QFETCH(QString, holder);
        KeyRecord r = classify(obs, ctxAt());
        QCOMPARE(QString::fromStdString(std::string(formatName(r.format))), format);
        if (state.isEmpty()) {
            QVERIFY(r.isCounter());
        } else {
            QVERIFY(r.isLock());
            QCOMPARE(QString::fromStdString(std::string(lockStateName(r.state))), state);
            QCOMPARE(QString::fromStdString(r.holder), holder);
        }
    }

    // F11d item 1: Symfony Lock >= 5.2's zset (RedisStore): token → expiry ms, `__write__`
    // beside an exclusive holder's; under any name; members whose lease ran out hold nothing.
    void symfonyLockZset() {
        const std::string a = std::string(43, 'a') + "=", b = std::string(43, 'B') + "=",
                          old = std::string(42, 'c') + "0=";
        const std::string later = std::to_string(kWallNow + 300000);
        const std::string past = std::to_string(kWallNow - 1000);
        KeyRecord w =
            classify(zset("pdf-creation", {{a, later}, {"__write__", later}}, 300000), ctxAt());
        QVERIFY(w.isLock());
        QCOMPARE(formatName(w.format), std::string_view("symfony-lock"));
        QVERIFY(byKnownLayout(w));
        QCOMPARE(w.holder, a);
        QCOMPARE(w.number, 1LL);  // write
        QCOMPARE(w.state, LockState::Held);
        QVERIFY2(describe(w, kWallNow).find("write") != std::string::npos,
                 describe(w, kWallNow).c_str());
        QVERIFY2(why(w).find("Symfony Lock") != std::string::npos, why(w).c_str());
        // Readers only (no `__write__`): a lock word in the name is the evidence (adv11d item 1).
        KeyRecord r =
            classify(zset("report:lock", {{b, later}, {old, past}, {a, later}}, 300000), ctxAt());
        QVERIFY(r.isLock());
        QCOMPARE(r.holder, std::min(a, b) + "," + std::max(a, b));
        QCOMPARE(r.holdCount, 2);
        QCOMPARE(r.number, 0LL);  // readers
        // Every lease ran out: nobody holds it.
        const auto allOld = zset("gone:lock", {{old, past}}, 500);
        KeyRecord g = classify(allOld, ctxAt());
        QVERIFY(!g.isLock());
        QVERIFY2(whyNot(allOld, g, nullptr).find("run out") != std::string::npos,
                 whyNot(allOld, g, nullptr).c_str());
        // Not Symfony's: a member that is no token, a score that is no time, no TTL.
        for (const auto& o :
             {zset("lock:q", {{"job-1", later}}, 300000), zset("lock:board", {{a, "12"}}, 300000),
              zset("lock:x", {{a, later}}, -1)}) {
            KeyRecord n = classify(o, ctxAt());
            QVERIFY2(!n.isLock(), o.key.c_str());
            QVERIFY2(!whyNot(o, n, nullptr).empty(), o.key.c_str());
        }
    }

    // F11d item 2: a hand-rolled hash lock (HSET lock:report-gen owner web-1 pid 4242
    // acquired_at ...) under a lock-like name: its owner-like field is the holder, a pid beside
    // it is read; a hash with other data, or under no lock word, is not a lock.
    void hashOwnerLock() {
        const auto obs =
            hash("lock:report-gen",
                 {{"owner", "web-1"}, {"pid", "4242"}, {"acquired_at", "1796600000"}}, 600000);
        KeyRecord r = classify(obs, ctxAt());
        QVERIFY(r.isLock());
        QCOMPARE(formatName(r.format), std::string_view("hash-owner"));
        QVERIFY(!byKnownLayout(r));
        // The whole identity (adv11d item 2): the owner, then the pid and when it was taken.
        QCOMPARE(r.holder, std::string("web-1; acquired_at=1796600000; pid=4242"));
        const auto parts = holderParts(r);
        QVERIFY(parts);
        QCOMPARE(parts->name, std::string("web-1"));
        QCOMPARE(parts->pid, 4242LL);
        QVERIFY2(why(r).find("name has 'lock'; value is a hash with an owner field") !=
                     std::string::npos,
                 why(r).c_str());
        // The best-ranked field names the holder: owner before host and pid.
        KeyRecord h =
            classify(hash("job:lock:7", {{"hostname", "web-2"}, {"Owner", "ci-bot"}}, -1), ctxAt());
        QCOMPARE(h.holder, std::string("ci-bot; hostname=web-2"));
        QCOMPARE(h.state, LockState::StuckNoTtl);
        KeyRecord p = classify(hash("lock:cron", {{"pid", "77"}, {"host", "db-1"}}, 5000), ctxAt());
        QCOMPARE(p.holder, std::string("db-1; pid=77"));
        // Not locks: other data beside the owner, no lock word, no owner-like field.
        for (const auto& o :
             {hash("lock:meta", {{"owner", "team-a"}, {"description", "payments"}}, -1),
              hash("report-gen", {{"owner", "web-1"}, {"pid", "4242"}}, 600000),
              hash("lock:stats", {{"acquired_at", "1796600000"}, {"count", "3"}}, -1)}) {
            KeyRecord n = classify(o, ctxAt());
            QVERIFY2(!n.isLock(), o.key.c_str());
        }
    }

    void notLocks_data() {
        QTest::addColumn<Observation>("obs");
        QTest::newRow("plain text") << str("greeting", "hello world", -1);
        QTest::newRow("short word with ttl") << str("cache:x", "ok", 5000);
        QTest::newRow("random-looking value, no ttl, ordinary name")
            << str("user:42:avatar", "a8F3kL0pQz7Xw2Nc", -1);
        QTest::newRow("leading zero number") << str("zip", "01234", -1);
        QTest::newRow("truncated big value") << [] {
            auto o = str("blob", std::string(256, 'x'), -1);
            o.truncated = true;
            o.length = 1 << 20;
            return o;
        }();
        QTest::newRow("ordinary hash") << hash("user:1", {{"name", "ann"}, {"age", "3"}}, -1);
        // Issue 11's negative cases.
        QTest::newRow("json session with ttl")
            << str("session:9f2c", R"({"user_id":42,"csrf":"x8Hk2p","roles":["admin"]})", 3600000);
        QTest::newRow("cache string with ttl, no lock name")
            << str("cache:page:/home", "<html><body>hello</body></html>", 60000);
        QTest::newRow("host name without lock name")
            << str("config:primary", "db-01.example.com", -1);
        QTest::newRow("unlock word") << str("user:42:unlock", "true", -1);
        QTest::newRow("list") << [] {
            Observation o;
            o.key = "queue";
            o.type = "list";
            o.pttlMs = -1;
            return o;
        }();
    }
    void notLocks() {
        QFETCH(Observation, obs);
        KeyRecord r = classify(obs, ctxAt());
        QVERIFY2(!r.isLock() && !r.isCounter(), std::string(formatName(r.format)).c_str());
    }

    // Issue 11: integers that look like lock counters by name but are counts.
    void countsStayCounters_data() {
        QTest::addColumn<Observation>("obs");
        QTest::newRow("lockout") << str("lockout:user:42", "3", 600000);
        QTest::newRow("unlock count") << str("stats:unlock_count", "12", -1);
        QTest::newRow("redisson semaphore permits") << str("semaphore:pool", "5", -1);
        QTest::newRow("redisson count-down latch") << str("jobLatch", "2", -1);
        QTest::newRow("lock count") << str("lock:count", "5", -1);
        QTest::newRow("clock") << str("clock:skew", "1", -1);
        QTest::newRow("block") << str("blocks:mined", "1", -1);
        QTest::newRow("deadlock counter") << str("db:deadlocks", "4", -1);
        QTest::newRow("chinese unlock count") << str("解锁次数", "3", -1);
        QTest::newRow("zero under lock name") << str("lock:job", "0", -1);
    }
    void countsStayCounters() {
        QFETCH(Observation, obs);
        KeyRecord r = classify(obs, ctxAt());
        QVERIFY2(r.isCounter(), std::string(formatName(r.format)).c_str());
    }

    // Issue 11 adversarial round 3, defect 4: names whose lock word names no lock — a lockout
    // spelled with a separator, a lock file, a door's or a car's lock, a package called
    // redis-lock, an id / PIN / code kept about a lock, a wiki page, a guard's name, a DHCP
    // lease, setting words. force-release deleted a login lockout. Counters may stay counters.
    void namesOfNoLock_data() {
        QTest::addColumn<Observation>("obs");
        QTest::addColumn<QString>("whyNot");
        QTest::newRow("lock_out") << str("lock_out:user:42", "3", 900000)
                                  << "'lock_out' is a lockout";
        QTest::newRow("lock-out") << str("lock-out:10.0.0.5", "5", 900000)
                                  << "'lock-out' is a lockout";
        QTest::newRow("lockOut") << str("user:42:lockOut", "2", 900000) << "'lockOut' is a lockout";
        QTest::newRow("door") << str("door:front:lock", "locked", -1) << "'door'";
        QTest::newRow("car") << str("car:42:lock", "locked", -1) << "'car'";
        QTest::newRow("vehicle") << str("vehicle:VIN123:door_lock", "locked", -1) << "'vehicle'";
        QTest::newRow("yarn.lock")
            << str("yarn.lock", "d41d8cd98f00b204e9800998ecf8427e", -1) << "'yarn.lock' is a file";
        QTest::newRow("composer.lock md5")
            << str("composer.lock:hash", "0123456789abcdef0123456789abcdef", -1)
            << "'composer.lock' is a file";
        QTest::newRow("Gemfile.lock") << str("cache:Gemfile.lock", "abcdef", -1) << "Gemfile.lock";
        QTest::newRow("app.lock path")
            << str("file:/var/run/app.lock", "present", -1) << "'app.lock' is a file";
        QTest::newRow("github stars")
            << str("github:repo:redis-lock:stars", "1200", -1) << "'github'";
        QTest::newRow("npm version") << str("npm:pkg:redis-lock:version", "1.0.0", -1) << "'npm'";
        QTest::newRow("lock_code") << str("hotel:room:101:lock_code", "4821", -1) << "an id, a PIN";
        QTest::newRow("lock_pin") << str("user:42:lock_pin", "1234", -1) << "an id, a PIN";
        QTest::newRow("lock_id") << str("order:42:payment_lock_id", "pl_123", -1) << "an id, a PIN";
        QTest::newRow("lock_id token")
            << str("order:42:payment_lock_id", "pl_9f2cA8kQ3xZ7mB1v", -1) << "an id, a PIN";
        QTest::newRow("wiki") << str("wiki:page:mutex", "Mutex is a synchronisation primitive", -1)
                              << "'wiki'";
        QTest::newRow("guard's name") << str("guard:shift:night", "Bob Smith", -1)
                                      << "'guard' names a contract or a person's post";
        QTest::newRow("dhcp lease")
            << str("dhcp:lease:10.0.0.5", "aa:bb:cc:dd:ee:ff", 3600000) << "'dhcp'";
        for (const char* k : {"cfg:lock", "featureflag:lock", "flag:lock", "opts:lock",
                              "params:lock", "experiments:redis_lock", "ab:lock_v2", "env:lock"})
            QTest::newRow(k) << str(k, "true", -1) << "makes the lock word a setting's";
    }
    void namesOfNoLock() {
        QFETCH(Observation, obs);
        QFETCH(QString, whyNot);
        KeyRecord r = classify(obs, ctxAt());
        QVERIFY2(!r.isLock(), lockscope::monitor::why(r).c_str());
        const auto text = QString::fromStdString(lockscope::monitor::whyNot(obs, r, nullptr));
        QVERIFY2(text.contains(whyNot), qPrintable(text));
    }
    // ...while the locks next to them stay locks.
    void namesOfLocksNextToThem_data() {
        QTest::addColumn<Observation>("obs");
        QTest::newRow("lock:out") << str("lock:out:42", "worker-1", 30000);
        QTest::newRow("lock_outbox") << str("lock_outbox", "worker-1", 30000);
        QTest::newRow("lock.name (node redis-lock)") << str("lock.report", "worker-1", 30000);
        QTest::newRow("env deploy lock") << str("env:prod:deploy:lock", "web-1", 30000);
        QTest::newRow("flag after lock") << str("lock:flag:sync", "web-1", 30000);
        QTest::newRow("jobs redis-lock") << str("jobs:redis-lock", "web-1", 30000);
        QTest::newRow("guard token")
            << str("session-guard", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", 3000);
        QTest::newRow("guard host") << str("guard:shift", "web-1", 30000);
        QTest::newRow("md5 under a lock")
            << str("deploy:lock", "0123456789abcdef0123456789abcdef", 30000);
        // Letters inside a hex id are no words of a setting: a UUID's "ff1c" or "…90ab" before
        // the lock word voided it (ff = feature flag, ab = an A/B test).
        QTest::newRow("uuid with ff before lock")
            << str("job:5f0e4d2a-ff1c-4b3d-9e2f-0123456789ab:lock", "worker-3", 30000);
        QTest::newRow("hex id ending ab right before lock")
            << str("task:3f9c90ab:lock", "worker-3", 30000);
        QTest::newRow("hex id with faq before mutex") << str("t:9faq2:mutex", "worker-3", 30000);
    }
    void namesOfLocksNextToThem() {
        QFETCH(Observation, obs);
        KeyRecord r = classify(obs, ctxAt());
        QVERIFY2(r.isLock(), obs.key.c_str());
        // Defect 8: 32 hex chars are not known to be random (an md5 looks the same): the why
        // says what was seen.
        const auto w = lockscope::monitor::why(r);
        QVERIFY2(w.find("random") == std::string::npos || r.format != Format::NodeRedlock,
                 w.c_str());
    }
    // Defect 8: lock_timeout_cleanup (a malkusch lock's name) holding 1 is a flag lock, as
    // lock_state_sync is — not "a counter" for its word 'timeout'.
    void malkuschNamesHoldFlags() {
        for (const char* k : {"lock_timeout_cleanup", "lock_state_sync", "lock_type_report"}) {
            KeyRecord r = classify(str(k, "1", 300000), ctxAt());
            QVERIFY2(r.isLock() && r.format == Format::Flag, k);
        }
        QVERIFY(classify(str("lock_timeout", "30", -1), ctxAt()).isCounter());
        QVERIFY(classify(str("lock:timeout", "30", -1), ctxAt()).isCounter());
    }

    // Defect 5: JSON records that say they are released are not held (like the plain value
    // `released`); an ISO-8601 expiry reads as the numeric one.
    void jsonReleasedAndIsoExpiry() {
        for (const char* v :
             {R"({"owner":"web-3","released":true})", R"({"owner":"web-3","status":"released"})",
              R"({"owner":"web-3","state":"unlocked"})", R"({"locked":false,"owner":"web-3"})",
              R"({"isLocked":false,"lockedBy":"web-3"})", R"({"locked":false,"by":"alice"})"}) {
            const auto obs = str("lock:j", v, -1);
            KeyRecord r = classify(obs, ctxAt());
            QVERIFY2(!r.isLock(), v);
            const auto text = QString::fromStdString(whyNot(obs, r, nullptr));
            QVERIFY2(text.contains("the value says released"), qPrintable(text));
        }
        // Still held: locked true, a status that is not released.
        QVERIFY(classify(str("lock:j", R"({"locked":true,"by":"alice"})", -1), ctxAt()).isLock());
        QVERIFY(classify(str("lock:j", R"({"owner":"web-3","status":"running"})", -1), ctxAt())
                    .isLock());
        // kWallNow is 2027-01-15: 2023 is past, 2030 ahead.
        for (const char* v : {R"({"holder":"web-3","expires_at":"2023-11-14T22:13:20Z"})",
                              R"({"holder":"web-3","expiresAt":"2023-11-14T22:13:20.000Z"})",
                              R"({"holder":"web-3","expiresAt":"2023-11-14T23:13:20+01:00"})",
                              R"({"holder":"web-3","expires_at":1700000000})"}) {
            KeyRecord r = classify(str("lock:j5", v, -1), ctxAt());
            QVERIFY2(r.isLock() && r.state == LockState::ExpiredTimestamp, v);
            QCOMPARE(r.number, 1'700'000'000'000LL);
        }
        KeyRecord ahead = classify(
            str("lock:j6", R"({"holder":"web-3","expires_at":"2030-01-01T00:00:00Z"})", -1),
            ctxAt());
        QCOMPARE(ahead.state, LockState::Held);
        QCOMPARE(ahead.number, 1'893'456'000'000LL);
    }
    // Defect 8: a time in µs / ns (Go's UnixMicro / UnixNano) or RFC 3339 under a lock name is
    // a time read as its expiry, not "a process id or a heartbeat" / "a random token".
    void timesAreTimes_data() {
        QTest::addColumn<Observation>("obs");
        QTest::addColumn<long long>("ms");
        QTest::newRow("ns") << str("lock:go:nano", "1700000000123456789", 30000)
                            << 1'700'000'000'123LL;
        QTest::newRow("us") << str("lock:go:us", "1700000000123456", 30000) << 1'700'000'000'123LL;
        QTest::newRow("rfc3339") << str("lock:go:rfc", "2023-11-14T22:13:20Z", 30000)
                                 << 1'700'000'000'000LL;
        QTest::newRow("rfc3339 no ttl")
            << str("lock:go:rfcold", "2023-01-01T00:00:00Z", -1) << 1'672'531'200'000LL;
        QTest::newRow("rfc3339 offset")
            << str("lock:go:off", "2030-01-01T02:00:00.5+02:00", -1) << 1'893'456'000'500LL;
        // adv11d item 9: Python's isoformat() of a naive time (no offset) is a time (read as
        // UTC), not "a random token" or "a host or process name".
        QTest::newRow("isoformat us, no offset")
            << str("lock:backup2", "2026-12-07T06:00:00.123456", 600000) << 1'796'623'200'123LL;
        QTest::newRow("isoformat, no offset")
            << str("lock:backup", "2026-12-07T06:00:00", 600000) << 1'796'623'200'000LL;
        QTest::newRow("isoformat, no offset, no ttl")
            << str("lock:backup3", "2026-12-07T06:00:00", -1) << 1'796'623'200'000LL;
    }
    void timesAreTimes() {
        QFETCH(Observation, obs);
        QFETCH(long long, ms);
        KeyRecord r = classify(obs, ctxAt());
        QVERIFY(r.isLock());
        QCOMPARE(r.format, Format::ExpiryTimestamp);
        QCOMPARE(r.number, ms);
        // adv11d item 5: with a TTL the TTL decides (a past time is when it was taken); without
        // one a time ahead is the expiry, an ISO time past is when it was taken: stuck.
        const bool iso = obs.value.find('-') != std::string::npos;
        QCOMPARE(r.state, obs.pttlMs >= 0 ? LockState::Held
                          : ms > kWallNow ? LockState::Held
                          : iso           ? LockState::StuckNoTtl
                                          : LockState::ExpiredTimestamp);
        const auto w = QString::fromStdString(lockscope::monitor::why(r));
        QVERIFY2(w.contains("value is a time") && !w.contains("token") && !w.contains("process id"),
                 qPrintable(w));
        QVERIFY2(w.contains(obs.pttlMs >= 0 ? "the TTL ends it"
                            : ms > kWallNow ? "the time is its expiry"
                                            : "when it was taken"),
                 qPrintable(w));
    }
    // adv11d item 5: a time in the value with a live TTL is when it was taken: the TTL decides
    // (held, then expiring), never expired-timestamp; a "time" more than a year ahead (a
    // Snowflake id) is no time; the detail says when it was taken, not "expired".
    void timeInValueWithTtlIsAcquisition() {
        for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
                 {"lock:go:acqtime", std::to_string(kWallNow / 1000 - 10)},
                 {"lock:ms:now", std::to_string(kWallNow - 38)},
                 {"lock:go:nano", std::to_string(kWallNow - 5) + "000000"},
                 {"lock:acq:iso", "2027-01-15T07:59:50.000Z"}}) {
            KeyRecord r = classify(str(key, value, 590000), ctxAt());
            QVERIFY2(r.isLock(), key.c_str());
            QVERIFY2(r.state == LockState::Held, key.c_str());
            // Time passing does not turn it into expired-timestamp: the TTL's end makes it
            // expiring.
            QVERIFY(!refreshState(r, ctxAt().now + 1s, kWallNow + 1000, 1000ms));
            QCOMPARE(r.state, LockState::Held);
            QVERIFY(refreshState(r, ctxAt().now + 589500ms, kWallNow + 589500, 1000ms));
            QCOMPARE(r.state, LockState::Expiring);
            const auto d = describe(r, kWallNow);
            QVERIFY2(d.find("expired") == std::string::npos &&
                         d.find("when it was taken") != std::string::npos,
                     d.c_str());
        }
        // An ISO acquisition time without a TTL: stuck, as before the ISO reading.
        KeyRecord stuck = classify(str("lock:acq:isostuck", "2026-11-01T00:00:00Z", -1), ctxAt());
        QCOMPARE(stuck.state, LockState::StuckNoTtl);
        QVERIFY2(describe(stuck, kWallNow).find("expired") == std::string::npos,
                 describe(stuck, kWallNow).c_str());
        // Snowflake ids: in 2037 as ns — no expiry; an integer lock (a process id or a beat).
        KeyRecord sf = classify(str("lock:order:42", "2143981510456250375", -1), ctxAt());
        QVERIFY(sf.isLock());
        QVERIFY2(sf.format != Format::ExpiryTimestamp && sf.format != Format::SetnxGetset,
                 std::string(formatName(sf.format)).c_str());
        QVERIFY(sf.state != LockState::Held);
        // Epoch ms and seconds more than a year ahead: the same.
        for (long long v :
             {kWallNow + 400LL * 86'400'000, (kWallNow + 400LL * 86'400'000) / 1000}) {
            KeyRecord far = classify(str("lock:far", std::to_string(v), -1), ctxAt());
            QVERIFY2(far.format != Format::ExpiryTimestamp && far.format != Format::SetnxGetset,
                     std::to_string(v).c_str());
        }
        // Within the year: still the expiry (seed 000).
        KeyRecord near = classify(str("lock:near", std::to_string(kWallNow + 60000), -1), ctxAt());
        QCOMPARE(near.format, Format::SetnxGetset);
    }

    // adv11d item 1: a token store (random 44-char tokens scored by their expiry in ms, with a
    // TTL) under a name without a lock word is no Symfony lock; `__write__` (Symfony's exclusive
    // save() writes it) or a lock word is the evidence.
    void symfonyNeedsMoreThanTheMembers() {
        const std::string a = std::string(43, 'a') + "=", b = std::string(43, 'B') + "=";
        const std::string later = std::to_string(kWallNow + 3600000);
        const auto tokens = zset("user:42:refresh_tokens", {{a, later}, {b, later}}, 86400000);
        KeyRecord r = classify(tokens, ctxAt());
        QVERIFY(!r.isLock());
        const auto text = whyNot(tokens, r, nullptr);
        QVERIFY2(text.find("token store") != std::string::npos &&
                     text.find("__write__") != std::string::npos,
                 text.c_str());
        // With a lock word, or `__write__`: Symfony's.
        QVERIFY(classify(zset("lock:report", {{a, later}, {b, later}}, 300000), ctxAt()).isLock());
        QVERIFY(
            classify(zset("report", {{a, later}, {"__write__", later}}, 300000), ctxAt()).isLock());
        // A rule makes it one.
        LockRules rules;
        rules.lockPatterns = {"user:*:refresh_tokens"};
        auto c = ctxAt();
        c.rules = &rules;
        QVERIFY(classify(tokens, c).isLock());
    }

    // adv11d item 2: a hash-owner lock's holder is its whole identity (owner, pid, thread,
    // token, acquired_at...), so force-release's compare refuses another process on the host.
    void hashOwnerHolderIsTheWholeIdentity() {
        KeyRecord a = classify(hash("lock:rg",
                                    {{"owner", "web-1"},
                                     {"pid", "4242"},
                                     {"acquired_at", "1796600000"},
                                     {"renewed_at", "1796600100"}},
                                    600000),
                               ctxAt());
        QCOMPARE(a.holder, std::string("web-1; acquired_at=1796600000; pid=4242"));
        KeyRecord b = classify(hash("lock:rg",
                                    {{"owner", "web-1"},
                                     {"pid", "5151"},
                                     {"acquired_at", "1796600000"},
                                     {"renewed_at", "1796600100"}},
                                    600000),
                               ctxAt());
        QVERIFY(a.holder != b.holder);
        // A renewal (renewed_at) is the same holder.
        KeyRecord renewed = classify(hash("lock:rg",
                                          {{"owner", "web-1"},
                                           {"pid", "4242"},
                                           {"acquired_at", "1796600000"},
                                           {"renewed_at", "1796600200"}},
                                          600000),
                                     ctxAt());
        QCOMPARE(renewed.holder, a.holder);
        const auto parts = holderParts(a);
        QVERIFY(parts);
        QCOMPARE(parts->name, std::string("web-1"));
        QCOMPARE(parts->pid, 4242LL);
        // An owner alone stays just its value.
        QCOMPARE(classify(hash("lock:x", {{"owner", "web-1"}}, 600000), ctxAt()).holder,
                 std::string("web-1"));
    }

    // adv11d item 3: a lock word near a setting / catalog / thing / file word names a lock when
    // the value is a generated token with a TTL; those words void only weak evidence.
    void tokensWithTtlAreLocksNearContextWords_data() {
        QTest::addColumn<QString>("key");
        for (const char* k : {"gitlab:exclusive_lease:project_housekeeping:4",
                              "lock:stock",
                              "lock:product:42:stock",
                              "lock:inventory:stock",
                              "lock:sku:42:stock",
                              "lock:sync:prices",
                              "lock:images",
                              "lock:thumbnail",
                              "lock:report:summary",
                              "lock:ratings",
                              "lock:reviews",
                              "lock:user:42:name",
                              "config:reload:lock",
                              "configs:sync:lock",
                              "settings:migrate:lock",
                              "cfg:reload:lock",
                              "feature_flags:sync:lock",
                              "experiments:assign:lock",
                              "wiki:page:42:lock",
                              "wiki:reindex:lock",
                              "faq:rebuild:lock",
                              "myapp.scheduler.lock",
                              "com.acme.billing.InvoiceJob.lock",
                              "order.service.lock",
                              "scheduler.lock:nightly",
                              "cron.lock",
                              "backup.lock",
                              "car:42:booking_lock",
                              "vehicle:VIN123:reservation:lock",
                              "cart:checkout_lock:42",
                              "inventory:reserve_lock:sku42",
                              "product:42:stock_lock",
                              "gate:deploy:lock",
                              "door:sync:lock"})
            QTest::newRow(k) << QString(k);
    }
    void tokensWithTtlAreLocksNearContextWords() {
        QFETCH(QString, key);
        const std::string k = key.toStdString();
        for (const char* v : {"6f1c2a4e-9b3d-4c7a-8e2f-0a1b2c3d4e5f", "Zk3pQ9xV7mB2nL8cR4tY"}) {
            KeyRecord r = classify(str(k, v, 300000), ctxAt());
            QVERIFY2(r.isLock(), v);
            const auto w = why(r);
            QVERIFY2(w.find("name has ''") == std::string::npos && w.find("name has '") == 0,
                     w.c_str());
        }
        // Weak evidence there stays out: a flag, a plain word; and a token without a TTL.
        QVERIFY(!classify(str(k, "true", 300000), ctxAt()).isLock() ||
                nameClues(k).voidedLockWord.empty());
        QVERIFY(!classify(str(k, "6f1c2a4e-9b3d-4c7a-8e2f-0a1b2c3d4e5f", -1), ctxAt()).isLock() ||
                nameClues(k).voidedLockWord.empty());
    }
    void contextNegativesStayOut() {
        // Last round's negatives (adv11c item 4) with their values, and an md5 under a file's
        // name even with a TTL (a cached hash of a lock file).
        for (const auto& o :
             {str("yarn.lock", "d41d8cd98f00b204e9800998ecf8427e", -1),
              str("cache:yarn.lock:md5", "d41d8cd98f00b204e9800998ecf8427e", 3600000),
              str("door:front:lock", "locked", -1), str("lock_out:user:42", "3", 900000),
              str("user:42:lock_pin", "1234", -1),
              str("order:42:payment_lock_id", "pl_9f2cA8kQ3xZ7mB1v", 300000),
              str("config:lock", "true", 300000),
              str("catalog:smart-lock:title", "Smart Lock Pro", 300000)}) {
            KeyRecord r = classify(o, ctxAt());
            QVERIFY2(!r.isLock(), o.key.c_str());
        }
    }

    // adv11d item 7: pinyin "suo" as a word, Traditional 鎖, Korean 락 / 잠금 compounds; not
    // jiesuo, suoding, 锁定, 解锁 (nor 解鎖, 연락 "contact").
    void namesInOtherLanguages() {
        for (const char* k :
             {"suo:order:42", "fenbushisuo:order:42", "redis_suo:kucun", "dingdan:suo:42",
              "fenbushi_suo:order", "分佈式鎖:庫存", "鎖:訂單:42", "互斥鎖:訂單", "讀寫鎖:庫存",
              "분산락:주문:42", "재고락:42", "주문잠금:42", "분산잠금"}) {
            KeyRecord r = classify(str(k, "web-01", 600000), ctxAt());
            QVERIFY2(r.isLock(), k);
        }
        for (const char* k : {"jiesuo:user:42", "suoding:user:42", "锁定:用户:42", "解锁:用户:42",
                              "解鎖:用戶:42", "연락:42", "고객연락:42", "화면잠금"}) {
            KeyRecord r = classify(str(k, "web-01", 600000), ctxAt());
            QVERIFY2(!r.isLock(), k);
        }
    }

    // adv11d item 8: "leader" with a person's name or a record's id and no TTL is a team's
    // leader (the rule lease and guard have); lock:ttl = 30s is a setting's value.
    void leadersAndDurationsAreNoLocks() {
        for (const auto& o :
             {str("project:7:leader", "Alice Smith", -1), str("team:42:leader", "alice", -1),
              str("squad:3:leader", "user:42", -1), str("guild:12:leader", "123456", -1),
              str("lease:car:42", R"({"customer":"Bob","owner":"ACME Leasing","monthly":299})", -1),
              str("lock:ttl", "30s", -1), str("lock:job", "5 min", 60000)}) {
            KeyRecord r = classify(o, ctxAt());
            QVERIFY2(!r.isLock(), o.key.c_str());
            const auto text = whyNot(o, r, nullptr);
            QVERIFY2(text.find("a duration") != std::string::npos ||
                         text.find("a team's leader, a contract") != std::string::npos ||
                         text.find("names a contract or a person's post") != std::string::npos ||
                         text.find("not held") != std::string::npos,
                     text.c_str());
        }
        // Elected leaders stay locks: a machine's name, a token, a TTL.
        for (const auto& o :
             {str("leader:billing", "web-01.prod.example.com", -1),
              str("leader:scheduler", "scheduler-node-3", -1),
              str("leader:x", "6f1c2a4e-9b3d-4c7a-8e2f-0a1b2c3d4e5f", -1),
              str("leader:y", "10.0.0.5:4242", -1), str("team:42:leader", "alice", 15000),
              str("leader:z", "4242", 15000)}) {
            KeyRecord r = classify(o, ctxAt());
            QVERIFY2(r.isLock(), o.key.c_str());
        }
    }

    // adv11d item 8 (F11j): `lock_<plural noun>` after other words is a verb phrase (a
    // permission), a pictograph names no holder, and a person named by a role or a record without
    // a TTL set a switch; each voids only weak evidence. A flag stuck without a TTL stays a lock,
    // its why calling it a guess.
    void permissionsPictographsAndPeopleAreNoLocks() {
        for (const auto& o :
             {str("perm:user:42:lock_posts", "1", -1), str("forum:lock-threads", "yes", -1),
              str("emoji:lock", "\xF0\x9F\x94\x92", -1),
              str("status:lock", "\xE2\x9C\x85\xEF\xB8\x8F", 60000),
              str("topic:78:lock", "moderator-bob", -1), str("board:9:mutex", "admin:alice", -1),
              str("post:1:lock", "user:42", -1)}) {
            KeyRecord r = classify(o, ctxAt());
            QVERIFY2(!r.isLock(), o.key.c_str());
            QVERIFY2(!whyNot(o, r, nullptr).empty(), o.key.c_str());
        }
        QVERIFY(whyNot(str("emoji:lock", "\xF0\x9F\x94\x92", -1),
                       classify(str("emoji:lock", "\xF0\x9F\x94\x92", -1), ctxAt()), nullptr)
                    .find("pictograph") != std::string::npos);
        QVERIFY(nameClues("perm:user:42:lock_posts").verbPhrase == "lock_posts");
        for (const auto& o :
             {str("thread:42:lock", "1", -1), str("lock_posts", "1", -1),
              str("app:lock_orders", "6f1c2a4e-9b3d-4c7a-8e2f-0a1b2c3d4e5f", 30000),
              str("ci:lock", "\xF0\x9F\x94\x92 build-bot", 30000),
              str("doc:42:edit_lock", "user:42", 30000), str("topic:78:lock", "admin-api", -1),
              str("lock:x", "user-service", -1), str("job:lock:status", "1", 30000)}) {
            KeyRecord r = classify(o, ctxAt());
            QVERIFY2(r.isLock(), o.key.c_str());
        }
        const KeyRecord stuck = classify(str("thread:42:lock", "1", -1), ctxAt());
        QCOMPARE(stuck.state, LockState::StuckNoTtl);
        QVERIFY(lockscope::monitor::why(stuck).find("a guess") != std::string::npos);
        // With a TTL, or a token, no guess is said.
        QVERIFY(lockscope::monitor::why(classify(str("thread:42:lock", "1", 30000), ctxAt()))
                    .find("a guess") == std::string::npos);
    }

    // sidekiq-unique-jobs v7+ (its lock.lua): `<digest>:LOCKED` = job id → the time it was
    // locked, in epoch seconds — a known layout, holders the job ids sorted.
    void sidekiqUniqueJobsHash() {
        KeyRecord r = classify(hash("uniquejobs:5f1c:LOCKED",
                                    {{"b2f6a1c4d8e90f1a2b3c4d5e", "1796620000.5234"},
                                     {"0f3c2a1b4d5e6f708192a3b4", "1796620003"}},
                                    -1),
                               ctxAt());
        QVERIFY(r.isLock());
        QCOMPARE(r.format, Format::SidekiqUniqueJobs);
        QVERIFY(byKnownLayout(r));
        QCOMPARE(r.state, LockState::Held);  // no TTL by design (until_executed)
        QCOMPARE(r.holder, std::string("0f3c2a1b4d5e6f708192a3b4,b2f6a1c4d8e90f1a2b3c4d5e"));
        QCOMPARE(r.holdCount, 2);
        QCOMPARE(r.number, 1796620000523LL);
        QCOMPARE(holderParts(r)->since, std::string("1796620000.523"));
        QVERIFY(lockscope::monitor::why(r).find("sidekiq-unique-jobs") != std::string::npos);
        QCOMPARE(formatName(r.format), std::string_view("sidekiq-unique-jobs"));
        // Not its layout: another suffix, a value that is no time, a field that is no id.
        for (const auto& o :
             {hash("uniquejobs:5f1c:INFO", {{"b2f6a1c4d8e90f1a2b3c4d5e", "1796620000.5"}}, -1),
              hash("uniquejobs:5f1c:LOCKED", {{"b2f6a1c4d8e90f1a2b3c4d5e", "running"}}, -1),
              hash("uniquejobs:5f1c:LOCKED", {{"job one", "1796620000.5"}}, -1)})
            QVERIFY2(classify(o, ctxAt()).format != Format::SidekiqUniqueJobs, o.key.c_str());
    }

    // adv11e item 5: a TTL is a lease's evidence. Under a setting / thing / file word or a
    // verb phrase, a flag, a host or a time WITH a TTL is the SETNX + EXPIRE recipe; without a
    // TTL the words keep it out as before.
    void ttlRevivesFlagHostAndTimeUnderContextWords() {
        const std::string epoch = std::to_string(kWallNow / 1000);
        const std::vector<std::tuple<std::string, std::string, long long>> locks = {
            {"lock:stock", "1", 30000},
            {"lock:images", "web-01", 300000},
            {"lock:sync:prices", "1", 30000},
            {"config:reload:lock", "web-01", 300000},
            {"wiki:reindex:lock", "1", 30000},
            {"cron.lock", "web-01", 300000},
            {"billing:lock_invoices", "1", 300000},
            {"app:lock_users", "web-01:4242", 60000},
            {"etl:lock_tables", epoch, 600000},
            {"job:lock_invoices", "web-01", 60000}};
        for (const auto& [k, v, ttl] : locks) {
            const KeyRecord r = classify(str(k, v, ttl), ctxAt());
            QVERIFY2(r.isLock(), (k + " = " + v + " with a TTL is not listed").c_str());
            QCOMPARE(r.state, LockState::Held);
            // Without a TTL: a setting, a thing, a file's record or a permission, as before.
            QVERIFY2(!classify(str(k, v, -1), ctxAt()).isLock(), (k + " without a TTL").c_str());
        }
        // Still out with a TTL: a product's record (one in stock), a file's hash, a price, text,
        // a lockout's count, a counter, a session, a cache string without a lock word.
        const std::vector<std::pair<std::string, std::string>> out = {
            {"product:smart-lock:stock", "1"},
            {"cache:yarn.lock", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
            {"cache:product:door-lock:price", "49.99"},
            {"cache:product:smart-lock:title", "Smart Lock Pro"},
            {"lockout:user:42", "3"},
            {"stats:unlock_count", "5"},
            {"session:9f3c", R"({"user_id":42,"owner":"web-01"})"},
            {"cache:page:home", "web-01"}};
        for (const auto& [k, v] : out)
            QVERIFY2(!classify(str(k, v, 300000), ctxAt()).isLock(), (k + " = " + v).c_str());
        QVERIFY(!classify(str("perm:user:42:lock_posts", "1", -1), ctxAt()).isLock());
    }

    // adv11e item 6: words after the lock word that are a device's attributes make the key a
    // smart lock's record (as lock_state does), with a why that says so.
    void smartLockDeviceRecordsAreNotLocks() {
        for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
                 {"lock:device:42:status", "locked"},
                 {"lock:device:42:battery", "87"},
                 {"smart_lock:42:state", "locked"},
                 {"smart_lock:42:firmware", "1.4.2"}}) {
            const Observation o = str(k, v, -1);
            const KeyRecord r = classify(o, ctxAt());
            QVERIFY2(!r.isLock(), k.c_str());
            QVERIFY2(lockscope::monitor::whyNot(o, r, nullptr).find("device") != std::string::npos,
                     lockscope::monitor::whyNot(o, r, nullptr).c_str());
            // A status cached with a TTL is still a device's.
            QVERIFY2(!classify(str(k, v, 60000), ctxAt()).isLock(), k.c_str());
        }
        // A lock's own status word without a device word stays a lock.
        QVERIFY(classify(str("lock:order:42:status", "web-01", 60000), ctxAt()).isLock());
    }

    // adv11e item 7: job and cache libraries whose key prefix and value the library fixes are
    // known layouts (they were "not a lock": a session id as likely / a counter).
    void jobAndCacheLibraryLayouts() {
        struct Case {
            Observation obs;
            Format format;
            const char* library;
        };
        const std::vector<Case> cases = {
            {str("activejob_uniqueness:process_order_job:9b1c2d3e",
                 "f81d4fae-7dec-41d0-a765-00a0c91e6bf6", 86400000),
             Format::ActiveJobUniqueness, "activejob-uniqueness"},
            {str("qo_tasks.send_email_a-1_b-2", "6f1c2a4e9b3d11ef8e2f0a1b2c3d4e5f", 3600000),
             Format::CeleryOnce, "celery_once"},
            {str("qo_tasks.send_email_a-1_b-2", std::to_string(kWallNow / 1000 + 3600), 3600000),
             Format::CeleryOnce, "celery_once"},
            {str("laravel_database_laravel_cache:processing-order-42", "aB3dE5fG7hJ9kL1m", 60000),
             Format::LaravelCacheLock, "Cache::lock"},
            {str("laravel_database_laravel_cache_processing-order-42", "aB3dE5fG7hJ9kL1m", 60000),
             Format::LaravelCacheLock, "Cache::lock"},
            {str("bull:emails:1234:lock", "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:3", 30000),
             Format::BullMq, "BullMQ"}};
        for (const auto& c : cases) {
            const KeyRecord r = classify(c.obs, ctxAt());
            QVERIFY2(r.isLock(), c.obs.key.c_str());
            QCOMPARE(r.format, c.format);
            QVERIFY(byKnownLayout(r));
            QCOMPARE(r.state, LockState::Held);
            QCOMPARE(r.holder, c.obs.value);
            const std::string w = lockscope::monitor::why(r);
            QVERIFY2(w.find(c.library) != std::string::npos, w.c_str());
            QCOMPARE(formatFromName(formatName(r.format)), std::optional<Format>(c.format));
        }
        // Not theirs: a PHP-serialized cache value, a number, a UUID under another prefix, a qo_
        // key without a TTL, a BullMQ-like value under a key that is no job lock.
        for (const auto& o :
             {str("laravel_database_laravel_cache:user:42", R"(s:16:"aB3dE5fG7hJ9kL1m";)", 60000),
              str("laravel_database_laravel_cache:visits", "1234567890123456", 60000),
              str("laravel_database_laravel_cache:page", "processingorders", 60000),
              str("activejob_uniquenessx:job", "f81d4fae-7dec-41d0-a765-00a0c91e6bf6", 60000),
              str("qo_tasks.send_email", "6f1c2a4e9b3d11ef8e2f0a1b2c3d4e5f", -1),
              str("bull:emails:1234", "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:3", 30000)})
            QVERIFY2(!byKnownLayout(classify(o, ctxAt())), o.key.c_str());
    }

    // The why names the shape truly: Sidekiq's host:pid:nonce is no random token, a person's
    // name is no host, BullMQ's worker token is its layout.
    void whyNamesTheRightShape() {
        const KeyRecord leader =
            classify(str("dear-leader", "web-1:12345:ca9d96379b93", 30000), ctxAt());
        QVERIFY(leader.isLock());
        QCOMPARE(leader.shape(), ValueShape::ProcessNonce);
        QVERIFY2(lockscope::monitor::why(leader).find("host:pid:nonce") != std::string::npos,
                 lockscope::monitor::why(leader).c_str());
        const KeyRecord admin = classify(str("lock:admin", "alice", 60000), ctxAt());
        QVERIFY(admin.isLock());
        QVERIFY2(lockscope::monitor::why(admin).find("host or process") == std::string::npos,
                 lockscope::monitor::why(admin).c_str());
        QVERIFY(lockscope::monitor::why(admin).find("person") != std::string::npos);
        const KeyRecord bull = classify(
            str("bull:emails:1234:lock", "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:3", 30000), ctxAt());
        QVERIFY2(lockscope::monitor::why(bull).find("host or process") == std::string::npos,
                 lockscope::monitor::why(bull).c_str());
    }

    // adv11e item 4: the layout needs the library's evidence — the digest under `uniquejobs:`
    // (or a rule, for a configured lock_prefix) and fields that are Sidekiq job ids (24 lowercase
    // hex). A `*:LOCKED` hash of doors or accounts stamped with times is no job's lock.
    void sidekiqUniqueJobsNeedsItsEvidence() {
        const std::string jid = "0123456789abcdef01234567";
        for (const auto& o :
             {hash("doors:LOCKED", {{"front", "1796620000"}, {"back", "1796620000"}}, -1),
              hash("accounts:LOCKED", {{"42", "1796620000.1"}, {"43", "1796620000.2"}}, -1),
              hash("user:42:LOCKED", {{jid, "1796620000.5"}}, -1),
              hash("uniquejobs:5f1c:LOCKED", {{"front", "1796620000"}}, -1),
              hash("myuniquejobs:5f1c:LOCKED", {{jid, "1796620000"}}, -1)}) {
            const KeyRecord r = classify(o, ctxAt());
            QVERIFY2(r.format != Format::SidekiqUniqueJobs, o.key.c_str());
            QVERIFY2(!r.isLock(), o.key.c_str());
        }
        // A string under such a name is no sidekiq lock either.
        QVERIFY(!classify(str("accounts:LOCKED", "alice", -1), ctxAt()).isLock());
        // Under a namespace (redis-namespace's `myapp:`) the prefix is still the library's.
        QCOMPARE(classify(hash("myapp:uniquejobs:5f1c:LOCKED", {{jid, "1796620000"}}, -1), ctxAt())
                     .format,
                 Format::SidekiqUniqueJobs);
        // A configured lock_prefix: a rule names it.
        LockRules rules;
        rules.lockPatterns = {"jobs_lock:*:LOCKED"};
        ClassifyContext c = ctxAt();
        c.rules = &rules;
        QCOMPARE(classify(hash("jobs_lock:5f1c:LOCKED", {{jid, "1796620000"}}, -1), c).format,
                 Format::SidekiqUniqueJobs);
    }

    // Cosmetic: a record gone free keeps no detail of its last value ("hold count 1", ShedLock's
    // "may outlive its task").
    void freeRecordsHaveNoDetails() {
        KeyRecord shed = classify(
            str("job-lock:default:report",
                "ADDED:2026-12-06T07:45:00Z@web-01:2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d", 30000),
            ctxAt());
        QVERIFY(!describe(shed, kWallNow).empty());
        shed.state = LockState::Free;
        QCOMPARE(describe(shed, kWallNow), std::string());
        KeyRecord rl = classify(hash("order", {{kUuidField, "1"}}, 30000), ctxAt());
        QVERIFY(describe(rl, kWallNow).find("hold count 1") != std::string::npos);
        rl.state = LockState::Free;
        QCOMPARE(describe(rl, kWallNow), std::string());
    }

    void whyNamesTheEvidence_data() {
        QTest::addColumn<Observation>("obs");
        QTest::addColumn<QString>("why");
        QTest::newRow("flag") << str("lock:order:42", "1", 600000)
                              << "name has 'lock'; value is a flag; TTL set";
        QTest::newRow("host")
            << str("app:lock:job", "worker-3", 60000)
            << "name has 'lock'; value is a name (a host's, a process's or a person's); TTL set";
        QTest::newRow("stuck word")
            << str("app:mutex:x", "locked", -1)
            << "name has 'mutex'; value is a flag; no TTL; a guess: a SETNX that never got its "
               "EXPIRE, or a switch an application set (a forum thread a moderator locked) — if "
               "it is no lock, a not-lock rule keeps it out";
        QTest::newRow("token by ttl alone") << str("job:lock", "AbCdEfGhIjKlMnOpQrSt+/09", 9000)
                                            << "name has 'lock'; value is a random token; TTL set";
        QTest::newRow("chinese") << str("锁:订单:42", "f81d4fae-7dec-41d0-a765-00a0c91e6bf6", 5000)
                                 << "name has '锁'; value is a UUID; TTL set";
        QTest::newRow("redisson")
            << hash("order", {{kUuidField, "1"}}, 30000)
            << "known layout: hash of <uuid>:<threadId> hold counts (Redisson RLock); TTL set";
    }
    void whyNamesTheEvidence() {
        QFETCH(Observation, obs);
        QFETCH(QString, why);
        KeyRecord r = classify(obs, ctxAt());
        QVERIFY(r.isLock());
        QCOMPARE(QString::fromStdString(lockscope::monitor::why(r)), why);
        QCOMPARE(isKnownLayout(r.format), r.format == Format::RedissonLock);
    }

    void shedLockHolderIsParsed() {
        KeyRecord r = classify(
            str("job-lock:default:report",
                "ADDED:2026-12-06T07:45:00Z@web-01:2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d", 30000),
            ctxAt());
        auto parts = holderParts(r);
        QVERIFY(parts);
        QCOMPARE(parts->host, std::string("web-01"));
        QCOMPARE(parts->since, std::string("2026-12-06T07:45:00Z"));
        QVERIFY(describe(r, kWallNow).find("lockAtLeastFor") != std::string::npos);
        // Shown in parentheses after the holder: no parentheses of its own (adv11b cosmetic).
        QVERIFY2(describe(r, kWallNow).find('(') == std::string::npos,
                 describe(r, kWallNow).c_str());
        // ShedLock never renews (its TTL is lockAtMostFor): the held state's meaning must not
        // say the key frees itself only when a holder stops renewing it.
        const std::string held{lockscope::monitor::lockStateExplanation(LockState::Held)};
        QVERIFY2(held.find("stops renewing") == std::string::npos, held.c_str());
        QVERIFY2(held.find("TTL runs out") != std::string::npos, held.c_str());
    }

    void whyNotExplains_data() {
        QTest::addColumn<Observation>("obs");
        QTest::addColumn<QString>("contains");
        QTest::newRow("lockout") << str("lockout:user:42", "3", 600000) << "no lock-like word";
        // adv11b cosmetic: a flag word and a holder-like name are said to be such (what is
        // missing is a lock-like name), not "text of no lock shape".
        QTest::newRow("flag word")
            << str("beta:dark_mode", "true", -1) << "value is a flag word ('true')";
        QTest::newRow("holder name") << str("jobs:nightly", "worker-3", 60000)
                                     << "value could be a holder's name ('worker-3')";
        QTest::newRow("holder name says what is missing")
            << str("jobs:nightly", "worker-3", 60000) << "the name has no lock-like word";
        QTest::newRow("semaphore") << str("semaphore:pool", "5", -1) << "which counts";
        QTest::newRow("cache") << str("cache:x", "hello there", 5000)
                               << "a TTL alone makes a cache entry";
        QTest::newRow("session") << str("session:1", R"({"user":1})", 5000)
                                 << "JSON without an owner field";
        QTest::newRow("token without ttl")
            << str("user:42:avatar", "a8F3kL0pQz7Xw2Nc", -1) << "looks like a token";
    }
    void whyNotExplains() {
        QFETCH(Observation, obs);
        QFETCH(QString, contains);
        KeyRecord r = classify(obs, ctxAt());
        QVERIFY(!r.isLock());
        const auto text = QString::fromStdString(whyNot(obs, r, nullptr));
        QVERIFY2(text.contains(contains), qPrintable(text));
    }

    // Issue 11.5: the user's rules come first.
    void userRules() {
        LockRules rules;
        rules.lockPatterns = {"semaphore:*", "jobs:*"};
        rules.notLockPatterns = {"lock:order:*"};
        ClassifyContext ctx = ctxAt();
        ctx.rules = &rules;
        // A semaphore's count is a lock when a rule says so; its value is the holder.
        KeyRecord sem = classify(str("semaphore:pool", "5", -1), ctx);
        QVERIFY(sem.isLock());
        QCOMPARE(sem.format, Format::UserRule);
        QCOMPARE(sem.state, LockState::StuckNoTtl);
        QCOMPARE(sem.holder, std::string("5"));
        // Issue 11 round 5 (9): the rule is named, not passed off as a --lock-pattern flag.
        QCOMPARE(lockscope::monitor::why(sem, &rules).substr(0, 34),
                 std::string("the rule 'lock semaphore:*' matche"));
        QVERIFY(lockscope::monitor::why(sem).find("--lock-pattern") == std::string::npos);
        // A value of no lock shape, too.
        KeyRecord job = classify(str("jobs:nightly", "running since 3am", 5000), ctx);
        QVERIFY(job.isLock());
        QCOMPARE(job.state, LockState::Held);
        // A recognised lock keeps its format, marked as matched by the rule.
        KeyRecord tok = classify(str("jobs:x", kToken, 5000), ctx);
        QCOMPARE(tok.format, Format::SetNxPx);
        QVERIFY(tok.byRule());
        // not-lock wins, even over a known layout.
        auto out = str("lock:order:42", kToken, 5000);
        KeyRecord excluded = classify(out, ctx);
        QVERIFY(!excluded.isLock() && !excluded.isCounter());
        QVERIFY(QString::fromStdString(whyNot(out, excluded, &rules))
                    .contains("not-lock lock:order:*"));
        // not-lock keeps locks out, not counters.
        rules.notLockPatterns.push_back("hits:*");
        QVERIFY(classify(str("hits:today", "42", -1), ctx).isCounter());
        // A counter under a lock rule is a lock.
        QCOMPARE(classify(str("jobs:x", "1", -1), ctx).format, Format::UserRule);
    }

    void globMatchesAsRedisDoes_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("match");
        QTest::newRow("star") << "lock:*"
                              << "lock:a:b" << true;
        QTest::newRow("star none") << "lock:*"
                                   << "lock:" << true;
        QTest::newRow("prefix miss") << "lock:*"
                                     << "locks:a" << false;
        QTest::newRow("question") << "job?"
                                  << "job1" << true;
        QTest::newRow("question short") << "job?"
                                        << "job" << false;
        QTest::newRow("set") << "job[12]"
                             << "job2" << true;
        QTest::newRow("negated set") << "job[^12]"
                                     << "job2" << false;
        QTest::newRow("range") << "job[a-c]"
                               << "jobb" << true;
        QTest::newRow("escape") << "a\\*b"
                                << "a*b" << true;
        QTest::newRow("escape literal") << "a\\*b"
                                        << "axb" << false;
        QTest::newRow("stars backtrack") << "*a*b*c"
                                         << "xxaxxbxxc" << true;
        QTest::newRow("stars fail") << "*a*b*c"
                                    << "xxaxxbxx" << false;
        QTest::newRow("utf-8") << "锁:*"
                               << "锁:订单:42" << true;
    }
    void globMatchesAsRedisDoes() {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(bool, match);
        QCOMPARE(globMatch(pattern.toStdString(), text.toStdString()), match);
    }

    void rulesFileRoundTrip() {
        const auto parsed =
            parseRules("# comment\n\nlock jobs:*\n  not-lock   cache:lock:*  \r\nbogus x\nlock\n");
        QCOMPARE(parsed.rules.lockPatterns, std::vector<std::string>{"jobs:*"});
        QCOMPARE(parsed.rules.notLockPatterns, std::vector<std::string>{"cache:lock:*"});
        QCOMPARE(parsed.errors.size(), size_t(2));
        QVERIFY(QString::fromStdString(parsed.errors[0]).startsWith("line 5:"));
        QCOMPARE(parseRules(formatRules(parsed.rules)).rules, parsed.rules);
    }

    // Issue 11 round 5 (12, 9): a BOM is skipped, ' #' starts a trailing comment, globs that
    // cannot be meant are refused with their line, and each rule knows where it came from.
    void rulesFileProblems() {
        const auto parsed = parseRules(
            "\xef\xbb\xbflock jobs:* # nightly\nnot-lock a\\#b #x\nlock [ab\nlock x\\\n"
            "lock # only a comment\n",
            "rules file /r");
        QCOMPARE(parsed.rules.lockPatterns, std::vector<std::string>{"jobs:*"});
        QCOMPARE(parsed.rules.notLockPatterns, std::vector<std::string>{"a\\#b"});
        QCOMPARE(parsed.errors.size(), size_t(3));
        QVERIFY2(QString::fromStdString(parsed.errors[0]).startsWith("line 3:") &&
                     QString::fromStdString(parsed.errors[0]).contains("unclosed '['"),
                 parsed.errors[0].c_str());
        QVERIFY(QString::fromStdString(parsed.errors[1]).startsWith("line 4:"));
        QVERIFY(QString::fromStdString(parsed.errors[1]).contains("lone"));
        QVERIFY(QString::fromStdString(parsed.errors[2]).startsWith("line 5:"));
        const auto* rule = parsed.rules.lockRuleFor("jobs:7");
        QCOMPARE(parsed.rules.describe(rule),
                 std::string("the rule 'lock jobs:*' (rules file /r line 1)"));
        QVERIFY(!globProblem("a[bc]*"));
        QVERIFY(globProblem(""));
        QVERIFY(globProblem("a[bc"));
        QVERIFY(globProblem("ab\\"));
        // adv11b cosmetic: a quoted glob (the quotes would be part of the key) and an empty set
        // match nothing: refused with their line and why, not accepted silently.
        const auto odd = parseRules("lock \"jobs:*\"\nlock jobs:[]\nlock 'x:*'\nlock a\\\"b\"\n");
        QCOMPARE(odd.errors.size(), size_t(3));
        QVERIFY2(QString::fromStdString(odd.errors[0]).startsWith("line 1:") &&
                     QString::fromStdString(odd.errors[0]).contains("quotes"),
                 odd.errors[0].c_str());
        QVERIFY2(QString::fromStdString(odd.errors[1]).startsWith("line 2:") &&
                     QString::fromStdString(odd.errors[1]).contains("empty '[]'"),
                 odd.errors[1].c_str());
        QVERIFY(QString::fromStdString(odd.errors[2]).startsWith("line 3:"));
        QCOMPARE(odd.rules.lockPatterns, std::vector<std::string>{"a\\\"b\""});
        QVERIFY(!globProblem("SINGLETONLOCK_x[\"42\"]"));
        // A pattern with ' #' survives the file (escaped there: '\#' matches '#').
        LockRules withHash;
        withHash.lockPatterns = {"job #1"};
        const auto back = parseRules(formatRules(withHash)).rules;
        QCOMPARE(back.lockPatterns.size(), size_t(1));
        QVERIFY(back.lockRuleFor("job #1"));
        QVERIFY(!back.lockRuleFor("job "));

        // Issue 11 adversarial s7: `lock jobs:nightly jobs:hourly` is two rules (it was one glob
        // with a space, matching neither key); a blank in a key is written `\ ` or `[ ]`, and a
        // pattern with a blank survives the file escaped.
        const auto two = parseRules("lock jobs:nightly jobs:hourly\nnot-lock a\\ b c[ ]d\n");
        QCOMPARE(two.errors.size(), size_t(0));
        QCOMPARE(two.rules.lockPatterns, (std::vector<std::string>{"jobs:nightly", "jobs:hourly"}));
        QVERIFY(two.rules.lockRuleFor("jobs:hourly"));
        QVERIFY(two.rules.notLockRuleFor("a b"));
        QVERIFY(two.rules.notLockRuleFor("c d"));
        LockRules withBlank;
        withBlank.lockPatterns = {"my lock:*", "a\\ b"};
        const auto blank = parseRules(formatRules(withBlank)).rules;
        QCOMPARE(blank.lockPatterns.size(), size_t(2));
        QVERIFY(blank.lockRuleFor("my lock:1"));
        QVERIFY(blank.lockRuleFor("a b"));
        QVERIFY(!blank.lockRuleFor("my"));
    }

    void companionsAreNotListed_data() {
        QTest::addColumn<QString>("key");
        QTest::newRow("lockscope fence") << "lockscope_fence:{lock:a}";
        QTest::newRow("redisson token") << "redisson_lock_token:{order}";
        QTest::newRow("redisson queue") << "redisson_lock_queue:{order}";
        QTest::newRow("redisson timeout") << "redisson_lock_timeout:{order}";
        QTest::newRow("python-redis-lock signal") << "lock-signal:job";
        // Issue 16.12: a Redisson read-write lock's lease key per read hold.
        QTest::newRow("redisson rwlock_timeout, hash-tagged name")
            << "{orders}:2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:47:rwlock_timeout:1";
        QTest::newRow("redisson rwlock_timeout, second hold")
            << "{orders}:2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:1:rwlock_timeout:2";
    }
    void companionsAreNotListed() {
        QFETCH(QString, key);
        KeyRecord r = classify(str(key.toStdString(), "12", -1), ctxAt());
        QCOMPARE(r.kind, Kind::Companion);
    }

    // Issue 16.12: only that exact shape — a counter merely named like it stays a counter.
    void rwlockTimeoutLookalikesStayCounters_data() {
        QTest::addColumn<QString>("key");
        QTest::newRow("no uuid") << "{orders}:abc:47:rwlock_timeout:1";
        QTest::newRow("no count")
            << "{orders}:2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:47:rwlock_timeout:";
        QTest::newRow("other suffix") << "{orders}:2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:47:hits";
    }
    void rwlockTimeoutLookalikesStayCounters() {
        QFETCH(QString, key);
        KeyRecord r = classify(str(key.toStdString(), "12", -1), ctxAt());
        QVERIFY(r.isCounter());
    }

    // Issue 18.1: a key the server would not let us read (CLUSTERDOWN, BUSY, NOPERM...) is not
    // "gone": it classifies as a stale record with the reason, never as free.
    void unreadableIsStaleNotGone_data() {
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("stale");
        QTest::newRow("clusterdown")
            << "CLUSTERDOWN The cluster is down" << int(Staleness::ClusterDown);
        QTest::newRow("busy") << "BUSY Redis is busy running a script." << int(Staleness::Busy);
        QTest::newRow("loading") << "LOADING Redis is loading the dataset in memory"
                                 << int(Staleness::Loading);
        QTest::newRow("noperm") << "NOPERM No permissions to access a key"
                                << int(Staleness::NoPermission);
        QTest::newRow("tryagain") << "TRYAGAIN Multiple keys request during rehashing of slot"
                                  << int(Staleness::TryAgain);
    }
    void unreadableIsStaleNotGone() {
        QFETCH(QString, error);
        QFETCH(int, stale);
        Observation o;
        o.key = "lock:a";
        o.type = "unreadable";
        o.error = error.toStdString();
        o.pttlMs = -2;
        KeyRecord r = classify(o, ctxAt());
        QCOMPARE(int(r.stale), stale);
        QVERIFY(r.isStale());
        QVERIFY(r.kind != Kind::Lock || r.state != LockState::Free);
    }

    void companionsShapeTheFormat() {
        auto ctx = ctxAt();
        auto obs = hash("order", {{kUuidField, "1"}}, 30000);
        QCOMPARE(companionKeys(obs).size(), size_t(2));
        ctx.companions.redissonToken = 17;
        KeyRecord fenced = classify(obs, ctx);
        QCOMPARE(fenced.format, Format::RedissonFencedLock);
        QCOMPARE(fenced.number, 17LL);
        ctx.companions = {};
        ctx.companions.redissonQueue = true;
        QCOMPARE(classify(obs, ctx).format, Format::RedissonFairLock);

        auto tok = str("lock:b", "lockscope:fenced:h:1:0123abcd:0123456789abcdef", 9000);
        QCOMPARE(companionKeys(tok), std::vector<std::string>{"lockscope_fence:{lock:b}"});
        ctx.companions = {};
        ctx.companions.lockscopeFence = 5;
        KeyRecord f = classify(tok, ctx);
        QCOMPARE(f.format, Format::Fenced);
        QCOMPARE(f.number, 5LL);
    }

    void orphanedNeedsClientList() {
        auto obs = str("k", kToken, 9000);
        auto ctx = ctxAt();
        // Without CLIENT LIST nothing is called orphaned.
        KeyRecord unknown = classify(obs, ctx);
        QCOMPARE(unknown.state, LockState::Held);
        QVERIFY(!unknown.orphanChecked);
        std::unordered_map<std::string, std::string> clients{
            {"0123abcd", "lockscope:host-1:4242:0123abcd"}};
        ctx.lockscopeClientsByTag = &clients;
        QCOMPARE(classify(obs, ctx).state, LockState::Held);
        std::unordered_map<std::string, std::string> others{
            {"ffffffff", "lockscope:host-1:1:ffffffff"}};
        ctx.lockscopeClientsByTag = &others;
        KeyRecord orphan = classify(obs, ctx);
        QCOMPARE(orphan.state, LockState::Orphaned);
        QVERIFY(orphan.orphanChecked);
        // Stuck beats orphaned: it will never heal.
        QCOMPARE(classify(str("k", kToken, -1), ctx).state, LockState::StuckNoTtl);
    }

    // Issue 18 (failover tester): a holder reconnects at its next renewal (after a failover, a
    // server timeout); while it may, a missing holder is not judged (not orphaned, not checked).
    void missingHolderMayBeReconnecting() {
        auto obs = str("k", kToken, 9000);
        auto ctx = ctxAt();
        std::unordered_map<std::string, std::string> others{
            {"ffffffff", "lockscope:host-1:1:ffffffff"}};
        ctx.lockscopeClientsByTag = &others;
        std::string askedTag;
        long long askedTtl = 0;
        bool mayReconnect = true;
        bool askedConnected = false;
        ctx.holderMayReconnect = [&](const KeyRecord& lock, const std::string& tag,
                                     bool connected) {
            askedTag = tag;
            askedTtl = lock.ttlMs;
            askedConnected = connected;
            return mayReconnect;
        };
        KeyRecord waiting = classify(obs, ctx);
        QCOMPARE(waiting.state, LockState::Held);
        QVERIFY(!waiting.orphanChecked);
        QCOMPARE(askedTag, std::string("0123abcd"));
        QCOMPARE(askedTtl, 9000LL);
        mayReconnect = false;
        KeyRecord orphan = classify(obs, ctx);
        QCOMPARE(orphan.state, LockState::Orphaned);
        QVERIFY(orphan.orphanChecked);
        // A connected holder is told about (a monitor reads the lock again when it leaves), and
        // whatever the answer, it is checked and held.
        std::unordered_map<std::string, std::string> clients{
            {"0123abcd", "lockscope:host-1:4242:0123abcd"}};
        ctx.lockscopeClientsByTag = &clients;
        mayReconnect = true;
        const KeyRecord held = classify(obs, ctx);
        QVERIFY(held.orphanChecked);
        QCOMPARE(held.state, LockState::Held);
        QVERIFY(askedConnected);
    }

    void reentrantIsRecognisedByItsClientTag() {
        // LockScope's reentrant strategy: Redisson layout, UUID starting with the owner tag.
        std::string field = "0123abcd-3f4d-4a6b-9c1d-6e5f4a3b2c1d:99";
        auto obs = hash("r", {{field, "1"}}, 30000);
        auto ctx = ctxAt();
        std::unordered_map<std::string, std::string> clients{
            {"0123abcd", "lockscope:h:1:0123abcd"}};
        ctx.lockscopeClientsByTag = &clients;
        QCOMPARE(classify(obs, ctx).format, Format::Reentrant);
        std::unordered_map<std::string, std::string> none;
        ctx.lockscopeClientsByTag = &none;
        QCOMPARE(classify(obs, ctx).format,
                 Format::RedissonLock);  // cannot tell: the holder is gone
    }

    void clientListParsing() {
        const char* text =
            "id=3 addr=127.0.0.1:5000 laddr=127.0.0.1:6379 fd=8 name=lockscope:vm:77:0123abcd "
            "age=1 cmd=get\n"
            "id=4 addr=127.0.0.1:5001 laddr=127.0.0.1:6379 fd=9 name= age=2 cmd=client|list\n"
            "id=5 addr=127.0.0.1:5002 laddr=127.0.0.1:6379 fd=10 name=lockscope-monitor age=2 "
            "cmd=scan\n"
            "id=6 addr=127.0.0.1:5003 laddr=127.0.0.1:6379 fd=11 name=lockscope:vm:78:abcdef01 "
            "age=2 cmd=set\n";
        auto clients = lockscopeClientsFromClientList(text);
        QCOMPARE(clients.size(), size_t(2));
        QCOMPARE(QString::fromStdString(clients.at("0123abcd")),
                 QString("lockscope:vm:77:0123abcd"));
        QVERIFY(clients.count("abcdef01"));
    }

    void heartbeatGoesStaleWithoutBeats() {
        const auto t0 = Steady::time_point(100s);
        auto obs = hash("hb", {{"owner", kToken}, {"beat", "7"}, {"period_ms", "1000"}}, -1);
        KeyRecord r = classify(obs, ctxAt(t0));
        QCOMPARE(r.state, LockState::Held);
        // Same beat seen 1.2 s later: still within 1.5 periods.
        KeyRecord later = classify(obs, ctxAt(t0 + 1200ms));
        carryOver(r, later);
        QCOMPARE(later.lastChange, t0);
        QCOMPARE(later.state, LockState::Held);
        QVERIFY(refreshState(later, t0 + 1600ms, kWallNow, 1000ms));
        QCOMPARE(later.state, LockState::HeartbeatStale);
        // A new beat: fresh again.
        auto beat = hash("hb", {{"owner", kToken}, {"beat", "8"}, {"period_ms", "1000"}}, -1);
        KeyRecord moved = classify(beat, ctxAt(t0 + 1700ms));
        carryOver(later, moved);
        QCOMPARE(moved.lastChange, t0 + 1700ms);
        QCOMPARE(moved.state, LockState::Held);
    }

    // A period of ~11.6 days from the client's own hash (found by fuzz_classifier: periodMs * 3
    // overflowed an int, so a fresh beat looked stale at once).
    void hugeBeatPeriodDoesNotOverflow() {
        const auto t0 = Steady::time_point(100s);
        auto obs = hash("hb", {{"owner", kToken}, {"beat", "7"}, {"period_ms", "1000000000"}}, -1);
        KeyRecord r = classify(obs, ctxAt(t0));
        QCOMPARE(r.periodMs, 1000000000);
        QCOMPARE(r.state, LockState::Held);
        QVERIFY(!refreshState(r, t0 + 1000ms, kWallNow, 1000ms));
        QCOMPARE(r.state, LockState::Held);
    }

    void firstSightAgeComesFromIdleTime() {
        auto obs = str("k", kToken, 9000);
        obs.idleSeconds = 42;
        const auto now = Steady::time_point(1000s);
        KeyRecord r = classify(obs, ctxAt(now));
        QCOMPARE(r.lastChange, now - 42s);
    }

    // OBJECT IDLETIME out of any real range (found by fuzz_classifier: the clock's nanoseconds
    // overflowed) is taken as the oldest age the clock can hold, not undefined behaviour.
    void absurdIdleTimeIsClamped() {
        auto obs = str("k", kToken, 9000);
        obs.idleSeconds = 216'437'077'221'310'464LL;
        const auto now = Steady::time_point(1000s);
        KeyRecord r = classify(obs, ctxAt(now));
        QVERIFY(r.lastChange < now - 24h * 365 * 50);
        obs.idleSeconds = -5;
        QCOMPARE(classify(obs, ctxAt(now)).lastChange, now);
    }

    void timeStatesRefresh() {
        const auto t0 = Steady::time_point(100s);
        KeyRecord r = classify(str("k", kToken, 3000), ctxAt(t0));
        QCOMPARE(r.state, LockState::Held);
        QVERIFY(!refreshState(r, t0 + 1000ms, kWallNow, 1000ms));
        QVERIFY(refreshState(r, t0 + 2500ms, kWallNow, 1000ms));
        QCOMPARE(r.state, LockState::Expiring);
        QCOMPARE(r.ttlNow(t0 + 2500ms), 500LL);
        KeyRecord g = classify(str("g:lock", std::to_string(kWallNow + 1000), -1), ctxAt(t0));
        QCOMPARE(g.state, LockState::Held);
        QVERIFY(refreshState(g, t0, kWallNow + 1500, 1000ms));
        QCOMPARE(g.state, LockState::ExpiredTimestamp);
    }

    void goneKeyIsFree() {
        Observation o;
        o.key = "k";
        o.type = "none";
        o.pttlMs = -2;
        KeyRecord r = classify(o, ctxAt());
        QCOMPARE(r.state, LockState::Free);
        QVERIFY(!r.isLock());
    }
};

QTEST_APPLESS_MAIN(TestClassifier)
#include "test_classifier.moc"
