// Issue 11, adversarial round 6 (notes: adv11f_s12 items 1, 2, 4, 7, 8, 12): account-lockout
// times, past-event times, Chinese names of the English rules' word classes, settings and
// metrics after a lock word, a person as a JSON owner, pickled / Marshal'd cache locks, ip:port
// holders, a JSON lock's expiry in its detail, and the counting word named.
#include <QtTest>

#include "monitor/classifier.h"

using namespace lockscope::monitor;
using namespace std::chrono_literals;

namespace {

constexpr long long kWallNow = 1'800'000'000'000;  // 2027-01-15
constexpr long long kNowS = kWallNow / 1000;

Observation str(std::string key, std::string value, long long pttl) {
    Observation o;
    o.key = std::move(key);
    o.type = "string";
    o.value = std::move(value);
    o.length = static_cast<long long>(o.value.size());
    o.pttlMs = pttl;
    return o;
}

template <size_t N>
std::string bytes(const char (&a)[N]) {
    return std::string(a, N - 1);
}

ClassifyContext ctxAt() {
    ClassifyContext c;
    c.wallNowMs = kWallNow;
    c.now = Steady::time_point(100s);
    c.expiringSoon = 1000ms;
    return c;
}

QString whyNotOf(const Observation& o) {
    const KeyRecord r = classify(o, ctxAt());
    return QString::fromStdString(whyNot(o, r, nullptr));
}

}  // namespace

class TestClassifierRound6 : public QObject {
    Q_OBJECT
private slots:
    // Item 1: lock_until / lockUntil / lock_end hold an account lockout's end, as the
    // already-excluded locked_until and lock_expires_at do; force-release deleted one.
    void accountLockoutTimesAreNoLocks() {
        for (const char* k : {"user:42:lock_until", "user:42:lockUntil", "lock_until:user:42",
                              "login:lock_until:42", "member:42:lock_end", "user:42:lock_expires",
                              "user:42:locked_until", "user:42:lock_expires_at"}) {
            for (long long at : {kNowS + 900, kNowS - 100000}) {
                const auto o = str(k, std::to_string(at), -1);
                const KeyRecord r = classify(o, ctxAt());
                QVERIFY2(!r.isLock(), k);
            }
        }
        for (const char* k : {"user:42:lock_until", "user:42:lockUntil", "member:42:lock_end"}) {
            const QString text = whyNotOf(str(k, std::to_string(kNowS + 900), -1));
            QVERIFY2(text.contains("names when a lock ends"), qPrintable(text));
        }
        // A lock named with more words stays one (malkusch/lock's lock_<name>).
        QVERIFY(classify(str("lock_end_of_day_report", "worker-1", 30000), ctxAt()).isLock());
    }

    // Item 1: a time after a past-event word is when something happened, not an expiry.
    void pastEventTimesAreNoLocks() {
        for (const char* k :
             {"cron:lock:last_run", "lock:created", "lock:job:started", "mutex:last_used",
              "lock:lastRun", "lock:stats:last_release", "lock:last_acquired_at"}) {
            for (const std::string& v :
                 {std::to_string(kNowS - 120), std::to_string(kWallNow - 120000),
                  std::string("2027-01-15T08:00:00Z")}) {
                const auto o = str(k, v, -1);
                const KeyRecord r = classify(o, ctxAt());
                QVERIFY2(!r.isLock(), (std::string(k) + " = " + v).c_str());
            }
        }
        const QString text = whyNotOf(str("cron:lock:last_run", std::to_string(kNowS - 120), -1));
        QVERIFY2(text.contains("'last_run'") && text.contains("when something happened"),
                 qPrintable(text));
        // The lock itself, and another value under an event word, stay locks.
        QVERIFY(classify(str("cron:lock", std::to_string(kNowS - 120), -1), ctxAt()).isLock());
        QVERIFY(classify(str("lock:job:started", "worker-1", 30000), ctxAt()).isLock());
    }

    // Round 7 (adv11g items 1 and 5), regressions of the round-5/6 fixes:
    // - any `<word>_cache:` key holding 16 letters and digits was a Laravel lock (force-release
    //   deleted `token_cache:user:42`): Laravel's keys carry the Redis connection's `_database_`
    //   prefix, and Str::random mixes both cases;
    // - a time with a TTL under a past-event word is when the lock was taken: a lock.
    void roundSevenRegressions() {
        for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
                 {"token_cache:user:42", "aB3dE5fG7hJ9kL1m"},
                 {"session_cache:9f2c", "Zq8Lm2Np4Rt6Vx1Y"},
                 {"page_cache:etag:/home", "5f0c6c1e0b1f4f2e"},
                 {"laravel_database_laravel_cache:etag", "5f0c6c1e0b1f4f2e"}}) {
            const KeyRecord r = classify(str(k, v, 3600000), ctxAt());
            QVERIFY2(r.format != Format::LaravelCacheLock, (k + " = " + v).c_str());
        }
        QCOMPARE(classify(str("laravel_database_laravel_cache:processing-order-42",
                              "aB3dE5fG7hJ9kL1m", 60000),
                          ctxAt())
                     .format,
                 Format::LaravelCacheLock);
        for (const char* k : {"lock:job:started", "lock:created", "mutex:last_used"}) {
            QVERIFY2(classify(str(k, std::to_string(kNowS), 60000), ctxAt()).isLock(), k);
            QVERIFY2(!classify(str(k, std::to_string(kNowS - 120), -1), ctxAt()).isLock(), k);
        }
    }

    // Item 2: the Chinese twins of names the English rules keep out.
    void chineseWordClassesKeepOut() {
        for (const auto& o :
             {str("翻译:按钮:锁", "锁定", -1), str("商品:智能锁:标题", "智能门锁 X1 旗舰版", -1),
              str("门锁:42:状态", "已锁", -1), str("车锁:状态", "1", -1),
              str("密码锁:pin", "1234", -1), str("分布式锁:超时时间", "30000", -1),
              str("商品:智能锁:价格", "1299", -1), str("门锁:front", "locked", 30000)}) {
            const KeyRecord r = classify(o, ctxAt());
            QVERIFY2(!r.isLock(), o.key.c_str());
        }
        QVERIFY2(whyNotOf(str("分布式锁:超时时间", "30000", -1)).contains("'超时时间'"),
                 qPrintable(whyNotOf(str("分布式锁:超时时间", "30000", -1))));
        QVERIFY2(whyNotOf(str("门锁:42:状态", "已锁", -1)).contains("'门锁'"),
                 qPrintable(whyNotOf(str("门锁:42:状态", "已锁", -1))));
        QVERIFY2(whyNotOf(str("翻译:按钮:锁", "锁定", -1)).contains("'翻译'"),
                 qPrintable(whyNotOf(str("翻译:按钮:锁", "锁定", -1))));
        // Chinese lock names stay locks.
        for (const auto& o :
             {str("分布式锁:订单:42", "web-01", 600000), str("订单锁:42", "web-01", 600000),
              str("锁:库存:42", "worker-3", 30000), str("互斥锁:任务", "1", 30000),
              str("门锁:42", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", 30000)}) {
            const KeyRecord r = classify(o, ctxAt());
            QVERIFY2(r.isLock(), o.key.c_str());
        }
    }

    // Item 2: settings, a switch's reason, a gauge and a metric after a lock word.
    void englishSettingsAndMetricsKeepOut() {
        for (const auto& o :
             {str("lock:global:enabled", "1", -1), str("lock:screen:user:42", "enabled", -1),
              str("lock:reason:user:42", "fraud suspected", -1), str("lock:max_wait", "30", -1),
              str("locks:held", "3", -1), str("lock:acquisitions", "5123", -1),
              str("user:42:lock", R"({"locked_by":"admin","reason":"fraud"})", -1),
              str("user:42:lock", R"({"locked_by":"moderator-bob"})", -1)}) {
            const KeyRecord r = classify(o, ctxAt());
            QVERIFY2(!r.isLock(), o.key.c_str());
        }
        // The metric and the gauge are counters (not a heartbeat when they go up).
        QVERIFY(classify(str("lock:acquisitions", "5123", -1), ctxAt()).isCounter());
        QVERIFY(classify(str("locks:held", "3", -1), ctxAt()).isCounter());
        QVERIFY2(whyNotOf(str("lock:max_wait", "30", -1)).contains("'max_wait'"),
                 qPrintable(whyNotOf(str("lock:max_wait", "30", -1))));
        QVERIFY2(whyNotOf(str("lock:reason:user:42", "fraud suspected", -1)).contains("'reason'"),
                 qPrintable(whyNotOf(str("lock:reason:user:42", "fraud suspected", -1))));
        const QString json = whyNotOf(str("user:42:lock", R"({"locked_by":"admin"})", -1));
        QVERIFY2(json.contains("person or a role ('admin')"), qPrintable(json));
        // Next to them, locks stay locks: a holder's JSON with a TTL or a process as owner, a
        // lock whose name goes on, a singular lock word before a state word.
        for (const auto& o :
             {str("user:42:lock", R"({"locked_by":"admin","reason":"fraud"})", 60000),
              str("user:42:lock", R"({"locked_by":"worker-3"})", -1),
              str("lock:held:job", "web-1", 30000), str("lock:global", "1", 30000),
              str("lock:user:42", "web-1", 30000), str("lock:enabled_jobs:sync", "web-1", 30000)}) {
            const KeyRecord r = classify(o, ctxAt());
            QVERIFY2(r.isLock(), (o.key + " = " + o.value).c_str());
        }
    }

    // Item 12: the counting word is named.
    void whyNotNamesTheCountingWord() {
        const QString text = whyNotOf(str("lock:hb:ttl", "57", 30000));
        QVERIFY2(text.contains("a word that counts ('ttl')"), qPrintable(text));
        const QString acq = whyNotOf(str("lock:acquisitions", "5123", -1));
        QVERIFY2(acq.contains("('acquisitions')"), qPrintable(acq));
        const QString ms = whyNotOf(str("lock:last_acquired_ms", "17", -1));
        QVERIFY2(ms.contains("('ms')"), qPrintable(ms));
    }

    // Item 4: django-redis / Celery cache locks (pickled values) and Rails' Marshal'd true.
    void pickledAndMarshalledCacheLocks() {
        const std::string uuid = "178093de-5a7c-4c1e-9f0e-2b6d8c3a1f00";
        const std::string key = ":1:tasks.import_feed-lock-5f0c6c1e0b1f4f2e9a4f2a1c2b3d4e5f";
        for (const std::string& v :
             {bytes("\x80\x05\x95(\x00\x00\x00\x00\x00\x00\x00\x8c$") + uuid + bytes("\x94."),
              bytes("\x80\x02X$\x00\x00\x00") + uuid + bytes("q\x00.")}) {
            const KeyRecord r = classify(str(key, v, 600000), ctxAt());
            QVERIFY(r.isLock());
            QCOMPARE(r.format, Format::Token);
            QCOMPARE(r.holder, v);  // the stored bytes: what force-release compares
            const auto parts = holderParts(r);
            QVERIFY(parts);
            QCOMPARE(parts->name, uuid);
            QVERIFY2(
                why(r).find("binary (a Python pickle / Ruby Marshal value)") != std::string::npos,
                why(r).c_str());
        }
        for (const std::string& v :
             {bytes("\x80\x05\x88."), bytes("\x80\x02\x88."), bytes("\x04\x08T")}) {
            const KeyRecord r = classify(str(":1:report_lock", v, 600000), ctxAt());
            QVERIFY(r.isLock());
            QCOMPARE(r.format, Format::Flag);
            QVERIFY2(why(r).find("binary") != std::string::npos, why(r).c_str());
        }
        const std::string worker = bytes("\x80\x05\x95\x13\x00\x00\x00\x00\x00\x00\x00\x8c\x0f") +
                                   "celery@worker-1" + bytes("\x94.");
        const KeyRecord named = classify(str(":1:report_lock", worker, 600000), ctxAt());
        QCOMPARE(named.format, Format::Identity);
        QCOMPARE(holderParts(named)->name, std::string("celery@worker-1"));
        const std::string marshal = bytes("\x04\x08I\"\x0dworker-1\x06:\x06") + "ET";
        QVERIFY(classify(str("lock:rails", marshal, 60000), ctxAt()).isLock());
        // Without a TTL (a cached value), false, or under no lock word: no lock, and said so.
        const auto noTtl = str(":1:report_lock", bytes("\x80\x05\x88."), -1);
        QVERIFY(!classify(noTtl, ctxAt()).isLock());
        QVERIFY2(whyNotOf(noTtl).contains("binary (a Python pickle / Ruby Marshal value)"),
                 qPrintable(whyNotOf(noTtl)));
        QVERIFY(!classify(str(":1:report_lock", bytes("\x80\x05\x89."), 600000), ctxAt()).isLock());
        QVERIFY(!classify(str(":1:report", bytes("\x80\x05\x88."), 600000), ctxAt()).isLock());
        const auto other = str(":1:report_lock", bytes("\x80\x05K\x05."), 600000);  // int 5
        QVERIFY(!classify(other, ctxAt()).isLock());
        QVERIFY2(whyNotOf(other).contains("binary"), qPrintable(whyNotOf(other)));
    }

    // The pickle / Marshal reader on every prefix and every one-byte change of real values:
    // each is classified and explained (a lock says why, anything else why not), nothing reads
    // past the value.
    void serializedReaderTakesAnyBytes() {
        const std::string uuid = "178093de-5a7c-4c1e-9f0e-2b6d8c3a1f00";
        const std::vector<std::string> seeds = {
            bytes("\x80\x05\x95(\x00\x00\x00\x00\x00\x00\x00\x8c$") + uuid + bytes("\x94."),
            bytes("\x80\x02X$\x00\x00\x00") + uuid + bytes("q\x00."), bytes("\x80\x05\x88."),
            bytes("\x04\x08I\"\x0dworker-1\x06:\x06") + "ET", bytes("\x04\x08T")};
        int checked = 0;
        for (const auto& seed : seeds) {
            std::vector<std::string> values;
            for (size_t n = 0; n <= seed.size(); ++n) values.push_back(seed.substr(0, n));
            for (size_t i = 0; i < seed.size(); ++i)
                for (int b : {0x00, 0x01, 0x06, 0x2e, 0x7f, 0x80, 0x94, 0xff}) {
                    std::string v = seed;
                    v[i] = static_cast<char>(b);
                    values.push_back(v);
                }
            for (const auto& v : values)
                for (long long ttl : {-1LL, 600000LL}) {
                    const auto o = str(":1:report_lock", v, ttl);
                    const KeyRecord r = classify(o, ctxAt());
                    if (r.isLock()) {
                        QVERIFY(!why(r).empty());
                        (void)holderParts(r);
                        (void)describe(r, kWallNow);
                    } else {
                        QVERIFY(!whyNot(o, r, nullptr).empty());
                    }
                    ++checked;
                }
        }
        QVERIFY(checked > 1000);
    }

    // Item 7: an IP address and a number a port can be is an address; a host name and a
    // number stay host and pid.
    void ipAndPortIsAnAddress() {
        const KeyRecord r = classify(str("leader:scheduler", "10.0.3.17:8080", 15000), ctxAt());
        QVERIFY(r.isLock());
        auto p = holderParts(r);
        QVERIFY(p);
        QCOMPARE(p->host, std::string("10.0.3.17:8080"));
        QCOMPARE(p->pid, -1LL);
        p = holderParts(classify(str("lock:x", "[2001:db8::1]:8080", 15000), ctxAt()));
        QCOMPARE(p->host, std::string("[2001:db8::1]:8080"));
        QCOMPARE(p->pid, -1LL);
        p = holderParts(classify(str("lock:x", "10.0.3.17:4194300", 15000), ctxAt()));
        QCOMPARE(p->host, std::string("10.0.3.17"));
        QCOMPARE(p->pid, 4194300LL);
        p = holderParts(classify(str("lock:x", "web-1:4242", 15000), ctxAt()));
        QCOMPARE(p->host, std::string("web-1"));
        QCOMPARE(p->pid, 4242LL);
        // A host name with a service's well-known port is an endpoint too (adv11g item 7).
        for (const char* v : {"web-1:6379", "db.internal:5432", "kafka-2:9092", "api:8080"}) {
            p = holderParts(classify(str("leader:scheduler", v, 15000), ctxAt()));
            QVERIFY2(p, v);
            QCOMPARE(p->host, std::string(v));
            QCOMPARE(p->pid, -1LL);
        }
    }

    // Item 8: a JSON lock past its expires_at (no TTL) says when it expired.
    void jsonExpiryIsInTheDetail() {
        const auto past = str(
            "lock:j1", R"({"owner":"web-1","expires_at":)" + std::to_string(kNowS - 300) + "}", -1);
        const KeyRecord r = classify(past, ctxAt());
        QCOMPARE(r.state, LockState::ExpiredTimestamp);
        QCOMPARE(describe(r, kWallNow), std::string("expired 5 min ago by this clock"));
        const auto ahead = str(
            "lock:j2", R"({"owner":"web-1","expires_at":)" + std::to_string(kNowS + 120) + "}", -1);
        QCOMPARE(describe(classify(ahead, ctxAt()), kWallNow),
                 std::string("expires in 2 min by this clock"));
        // With a TTL the TTL ends it: no expiry clause.
        auto ttl = ahead;
        ttl.pttlMs = 30000;
        QCOMPARE(describe(classify(ttl, ctxAt()), kWallNow), std::string());
    }

    // Round 8 (adv11g's open items). A timed moderation switch — lock_<things> on a person, or
    // under a ban / permission word — written `1` with a TTL is a ban that lasts that long, not a
    // lease: listed as a held flag, force-release could lift it. A lock on a person's things
    // without the verb phrase, and a job's lock on invoices, stay locks.
    void timedBansAreNoLocks() {
        for (const char* k :
             {"user:42:lock_comments", "ban:user:42:lock_uploads", "perm:user:42:lock_posts",
              "member:7:lock_replies", "moderation:lock_messages", "用户:42:lock_comments"}) {
            const auto o = str(k, "1", 86400000);
            QVERIFY2(!classify(o, ctxAt()).isLock(), k);
            QVERIFY2(whyNotOf(o).contains("switch on a person"), qPrintable(whyNotOf(o)));
        }
        for (const auto& o :
             {str("billing:lock_invoices", "1", 300000), str("user:42:lock", "1", 30000),
              str("lock:user:42", "1", 30000),
              str("user:42:lock_comments", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", 30000)})
            QVERIFY2(classify(o, ctxAt()).isLock(), o.key.c_str());
    }

    // Round 8: a UI or translation word (i18n, 翻译) keeps out a cached string, not a job's
    // lock holding a generated token with a TTL (翻译:任务:锁 is the translation job's lock).
    void translationJobLocksAreLocks() {
        const std::string uuid = "f81d4fae-7dec-11d0-a765-00a0c91e6bf6";
        for (const auto& o : {str("翻译:任务:锁", uuid, 30000), str("i18n:sync:lock", uuid, 30000),
                              str("文案:发布:锁", uuid, 60000)}) {
            const KeyRecord r = classify(o, ctxAt());
            QVERIFY2(r.isLock(), o.key.c_str());
            // Its why names the lock word (adv11h item 10: "name has ''").
            const std::string w = why(r);
            QVERIFY2(w.find("name has ''") == std::string::npos &&
                         (w.find("name has '锁'") != std::string::npos ||
                          w.find("name has 'lock'") != std::string::npos),
                     w.c_str());
        }
        for (const auto& o :
             {str("翻译:按钮:锁", "锁定", 3600000), str("i18n:zh:lock", "锁", 3600000),
              str("i18n:buttons:lock", "Lock", -1), str("翻译:任务:锁", uuid, -1),
              str("prefs:screen_lock", uuid, 30000), str("用户:42:锁屏", uuid, 30000)})
            QVERIFY2(!classify(o, ctxAt()).isLock(), o.key.c_str());
    }

    // The inventory skips nameClues for names that cannot hold a lock word (issue 11's
    // benchmark): every lock-word form nameClues knows passes the pre-check, and the names it
    // rejects have no lock clue of any kind.
    void nameCluesSkippedOnlyWithoutALockStem() {
        for (const char* k : {"RWLOCK:x",
                              "app:myMutex",
                              "fenbushisuo:1",
                              "suo:order:42",
                              "uniquejobs:ab:LOCKED",
                              "laravel_unique_job:App\\Jobs\\X",
                              "framework/schedule-0a1b",
                              "job-lock:prod:x",
                              "semaphores:x",
                              "latches:y",
                              "permits:z",
                              "LEADER",
                              "guard:x",
                              "leases:x",
                              "sperre:x",
                              "Verrou:x",
                              "cerrojo:1",
                              "bloqueo:1",
                              "trava:1",
                              "锁:订单:42",
                              "注文ロック:1",
                              "user:42:lock_comments",
                              "i18n:sync:lock",
                              "yarn.lock"}) {
            QVERIFY2(mayNameALock(k), k);
            const NameClues c = nameClues(k);
            QVERIFY2(!c.lockWord.empty() || !c.voidedLockWord.empty() ||
                         !c.uiVoidedLockWord.empty() || !c.lockAttribute.empty() || c.countWord,
                     k);
        }
        for (const char* k : {"ctr:42", "session:abc", "user:42:profile", "cache:page:/home",
                              "rate:api:42", "queue:jobs", "stats:hits", "leaderboard"}) {
            const NameClues c = nameClues(k);
            if (mayNameALock(k)) continue;  // "leaderboard": conservative, read in full
            QVERIFY2(c.lockWord.empty() && c.voidedLockWord.empty() && c.uiVoidedLockWord.empty() &&
                         c.lockAttribute.empty() && !c.countWord,
                     k);
        }
        QVERIFY(!mayNameALock("ctr:42"));
        QVERIFY(!mayNameALock("session:abc"));
    }

    // adv11h items 3 and 4: exact layouts read too much into a shape. A hash of several
    // `<uuid>:<n>` fields without `mode` (a cart) is no Redisson lock (one holder field, or a
    // read-write lock's readers with `mode`); python-redis-lock's `lock:<name>` and node
    // redis-lock's `lock.<name>` do not override a name about a device, a UI string or an event.
    void exactLayoutsKeepToTheirShape() {
        Observation cart;
        cart.key = "cart:session:9";
        cart.type = "hash";
        cart.pttlMs = 3600000;
        cart.fields = {{"2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:1", "2"},
                       {"2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:3", "1"}};
        cart.length = 2;
        QVERIFY(!classify(cart, ctxAt()).isLock());
        Observation one = cart;
        one.key = "rlock:order";
        one.fields.resize(1);
        one.length = 1;
        QCOMPARE(classify(one, ctxAt()).format, Format::RedissonLock);
        one.fields[0].second = "yes";  // no hold count
        QVERIFY(!classify(one, ctxAt()).isLock());
        const std::string b64 = "QUJDREVGR0hJSktMTU5PUFFS";  // 24 characters: 18 bytes
        QVERIFY(classify(str("lock:report", b64, 30000), ctxAt()).format ==
                Format::PythonRedisLock);
        for (const char* k : {"lock:device:42:serial", "lock:i18n:title"})
            QVERIFY2(classify(str(k, b64, -1), ctxAt()).format != Format::PythonRedisLock, k);
        const std::string ms = std::to_string(kNowS * 1000 + 30000);
        QCOMPARE(classify(str("lock.report", ms, -1), ctxAt()).format, Format::NodeRedisLock);
        QVERIFY(classify(str("lock.created_at", ms, -1), ctxAt()).format != Format::NodeRedisLock);
        // adv11i items 2 and 3: a dotted device / account path, a credential after an id.
        for (const char* k : {"lock.device.42.battery", "lock.device.42.last_seen",
                              "lock.user.42.locked_until", "lock.user.42.ban_until"})
            QVERIFY2(classify(str(k, ms, -1), ctxAt()).format != Format::NodeRedisLock, k);
        for (const char* k : {"lock:device:42:session", "lock:device:42:access_token",
                              "lock:door:42:access_code", "lock:device:42:otp"}) {
            const KeyRecord r = classify(str(k, b64, 3600000), ctxAt());
            QVERIFY2(r.format != Format::PythonRedisLock, k);
            QVERIFY2(!r.isLock() || r.guessed(), k);  // at most a guess: never acted on unasked
        }
        QCOMPARE(classify(str("lock:orders:nightly", b64, 30000), ctxAt()).format,
                 Format::PythonRedisLock);
    }

    // adv11h item 12: released words and an ISO 8601 duration are no holders.
    void releasedWordsAndIsoDurations() {
        for (const char* v : {"not-locked", "unheld", "expired", "undefined", "NOT_LOCKED"})
            QVERIFY2(!classify(str("lock:report", v, 30000), ctxAt()).isLock(), v);
        for (const char* v : {"PT30S", "PT1H30M", "P1D", "pt5m"})
            QVERIFY2(!classify(str("lock:ttl", v, -1), ctxAt()).isLock(), v);
        QVERIFY(classify(str("lock:report", "web-01", 30000), ctxAt()).isLock());
        QVERIFY(classify(str("lock:report", "PTX-7", 30000), ctxAt()).isLock());
    }
};

QTEST_APPLESS_MAIN(TestClassifierRound6)
#include "test_classifier_round6.moc"
