// lockscope-cli's JSON builders (cli/json.h) fed what the engines can hand them: non-finite
// measurements (null, never `nan`), bytes that are not UTF-8 (escaped as displayBytes() shows
// them, never mangled or thrown on), and the field order the contract lists. Every document is
// parsed back with Qt's parser, which rejects what nlohmann would refuse to print.
#include <QtTest>
#include <cmath>
#include <limits>
#include <sstream>

#include "cli/json.h"
#include "util/text.h"

using namespace lockscope;
using cli::Json;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// Prints like the CLI does and parses the text back; fails the test on invalid JSON.
QJsonObject printedObject(Json j, std::string* text = nullptr) {
    std::ostringstream out;
    cli::printJsonLine(out, std::move(j));
    if (text) *text = out.str();
    QJsonParseError error{};
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(out.str()), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qWarning("not a JSON object (%s): %s", qPrintable(error.errorString()), out.str().c_str());
    return doc.object();
}

monitor::KeyRecord counterRecord(float rate) {
    monitor::KeyRecord r;
    r.key = "hits";
    r.kind = monitor::Kind::Counter;
    r.format = monitor::Format::Counter;
    r.number = 42;
    r.ratePerSecond = rate;
    return r;
}

monitor::KeyRecord lockRecord(std::string key, std::string holder) {
    monitor::KeyRecord r;
    r.key = std::move(key);
    r.holder = std::move(holder);
    r.kind = monitor::Kind::Lock;
    r.format = monitor::Format::Token;
    r.ttlMs = 5000;
    const auto now = monitor::Steady::now();
    r.observedAt = now;
    r.lastChange = now;
    return r;
}

}  // namespace

class TestCliJson : public QObject {
    Q_OBJECT
private slots:
    // No engine path produces one today (every division is guarded); a future one must still
    // print valid JSON. Old output: "ops_per_s":nan, which no parser accepts.
    void nonFiniteMeasurementsAreNull_data() {
        QTest::addColumn<double>("value");
        QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("-nan") << -std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("inf") << std::numeric_limits<double>::infinity();
        QTest::newRow("-inf") << -std::numeric_limits<double>::infinity();
    }
    void nonFiniteMeasurementsAreNull() {
        QFETCH(double, value);
        demo::CounterDemoResult c;
        c.strategy = "incr";
        c.opsPerSecond = c.p50Micros = c.p99Micros = c.seconds = value;
        const auto counter = printedObject(cli::counterDemoJson(c));
        for (const char* k : {"ops_per_s", "p50_us", "p99_us", "seconds"}) {
            QVERIFY2(counter.contains(k), k);  // present, as documented, and null
            QVERIFY2(counter[k].isNull(), k);
        }
        QCOMPARE(counter["strategy"].toString(), QString("incr"));

        demo::LockDemoResult l;
        l.strategy = "fenced";
        l.opsPerSecond = l.waitP50Micros = l.waitP99Micros = l.seconds = value;
        const auto lock = printedObject(cli::lockDemoJson(l));
        for (const char* k : {"ops_per_s", "wait_p50_us", "wait_p99_us", "seconds"}) {
            QVERIFY2(lock.contains(k), k);
            QVERIFY2(lock[k].isNull(), k);
        }

        const auto rate = printedObject(cli::keyRecordJson(counterRecord(static_cast<float>(value)),
                                                           0, monitor::Steady::now()));
        QVERIFY(rate.contains("rate_per_s"));
        QVERIFY(rate["rate_per_s"].isNull());
        QCOMPARE(rate["value"].toInteger(), 42LL);
    }

    void measurementsKeepTheirDecimals() {
        demo::CounterDemoResult c;
        c.opsPerSecond = 1234.5678;
        c.p99Micros = 17.04;
        c.seconds = 1.23456;
        std::string text;
        const auto o = printedObject(cli::counterDemoJson(c), &text);
        QCOMPARE(o["ops_per_s"].toDouble(), 1234.6);
        QCOMPARE(o["p99_us"].toDouble(), 17.0);
        QCOMPARE(o["seconds"].toDouble(), 1.235);
        QVERIFY2(text.find("\"ops_per_s\":1234.6,") != std::string::npos, text.c_str());
        const auto r =
            printedObject(cli::keyRecordJson(counterRecord(199.987f), 0, monitor::Steady::now()));
        QCOMPARE(r["rate_per_s"].toDouble(), 199.99);
    }

    // Redis strings are bytes: valid UTF-8 passes exactly (quotes, control characters and
    // backslashes escaped the JSON way), anything else is the displayBytes() form of the whole
    // string, which parseDisplayedBytes() turns back into the bytes. Keys and holders, which
    // scripts pass back to `lock force-release`, are in the displayBytes() form whenever it
    // differs (a backslash, a control character), flagged "<name>_escaped".
    void bytesBecomeValidJsonStrings_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("shown");
        QTest::newRow("0xff 0xfe") << QByteArray("\xff\xfe", 2) << "\\xff\\xfe";
        QTest::newRow("invalid, with a backslash")
            << QByteArray("a\\\xc3", 3) << "a\\\\\\xc3";  // a, '\' doubled, \xc3
        QTest::newRow("truncated 3-byte sequence") << QByteArray("x\xe2\x82", 3) << "x\\xe2\\x82";
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80", 3) << "\\xed\\xa0\\x80";
        QTest::newRow("valid UTF-8 stays") << QByteArray("caf\xc3\xa9 \xe9\x94\x81") << "café 锁";
        QTest::newRow("quotes, control, backslash")
            << QByteArray("a\"b\\c\n\x01", 7) << QString("a\"b\\c\n") + QChar(1);
        QTest::newRow("NUL") << QByteArray("a\0b", 3) << QString("a") + QChar(0) + "b";
        // Issue 16.10: valid UTF-8 that could make one holder read as another is escaped too.
        QTest::newRow("bidi override U+202E") << QByteArray(
                                                     "alice\xe2\x80\xae"
                                                     "gnp")
                                              << "alice\\xe2\\x80\\xaegnp";
        QTest::newRow("line separator U+2028") << QByteArray(
                                                      "a\xe2\x80\xa8"
                                                      "b")
                                               << "a\\xe2\\x80\\xa8b";
    }
    void bytesBecomeValidJsonStrings() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, shown);
        const std::string raw = bytes.toStdString();
        const bool escaped = !isPlainText(raw);
        const QString typed = escaped ? QString::fromStdString(displayBytes(raw)) : shown;
        std::string text;

        const auto rec = printedObject(
            cli::keyRecordJson(lockRecord(raw, raw), 0, monitor::Steady::now()), &text);
        QVERIFY2(isValidUtf8(text), text.c_str());
        QCOMPARE(rec["key"].toString(), typed);
        QCOMPARE(rec["holder"].toString(), typed);
        QCOMPARE(rec["key_escaped"].toBool(), escaped);
        QCOMPARE(rec.contains("key_escaped"), escaped);  // only there when it is true
        QCOMPARE(rec.contains("holder_escaped"), escaped);
        QCOMPARE(*parseDisplayedBytes(rec["key"].toString().toStdString()), raw);
        QCOMPARE(*parseDisplayedBytes(rec["holder"].toString().toStdString()), raw);

        const auto removed = printedObject(cli::removedKeyJson(raw));
        QCOMPARE(removed["key"].toString(), typed);
        QVERIFY(removed["removed"].toBool());

        locks::LockInfo info;
        info.held = true;
        info.holder = raw;
        info.detail = raw;
        info.nodes.push_back({"127.0.0.1:1", true, raw, std::chrono::milliseconds(5)});
        const auto inspected = printedObject(cli::lockInfoJson(raw, "redlock", info));
        QCOMPARE(inspected["key"].toString(), typed);
        QCOMPARE(inspected.contains("key_escaped"), escaped);  // fuzz_json: was never flagged
        QCOMPARE(inspected["holder"].toString(), shown);
        QCOMPARE(inspected["detail"].toString(), shown);
        QCOMPARE(inspected["per_node"].toArray()[0].toObject()["value"].toString(), shown);

        locks::Lease lease;
        lease.key = raw;
        lease.token = raw;
        const auto acquired =
            printedObject(cli::leaseJson("set-nx-px", lease, std::chrono::steady_clock::now()));
        QCOMPARE(acquired["token"].toString(), shown);
        QCOMPARE(acquired["key"].toString(), typed);
        QCOMPARE(acquired.contains("key_escaped"), escaped);

        demo::LockDemoResult l;
        l.events.push_back({std::chrono::milliseconds(3), raw});
        const auto demo = printedObject(cli::lockDemoJson(l));
        QCOMPARE(demo["events"].toArray()[0].toObject()["text"].toString(), shown);
    }

    // adv14d item 11: the `locks --observe` record of a freed read-write lock said
    // "holder":null,"state":"free" beside "mode":"write","writer":"…:write","hold_count":1 — the
    // last holder's fields in a free record. Free, it names no mode, reader, writer or hold count;
    // a latch gone is open (count 0).
    void freeRecordKeepsNoLastHolder() {
        auto r = lockRecord("rw", "0123abcd-1111-4222-8333-944445555666:77:write");
        r.format = monitor::Format::ReadWrite;
        r.holdCount = 1;
        const auto held = printedObject(cli::keyRecordJson(r, 0, monitor::Steady::now()));
        QCOMPARE(held["mode"].toString(), QString("write"));  // held: all of it, as before
        QCOMPARE(held["hold_count"].toInt(), 1);
        r.state = monitor::LockState::Free;
        r.ttlMs = -2;
        const auto freed = printedObject(cli::keyRecordJson(r, 0, monitor::Steady::now()));
        QCOMPARE(freed["state"].toString(), QString("free"));
        QVERIFY(freed["holder"].isNull());
        QVERIFY2(freed["mode"].isNull(), qPrintable(freed["mode"].toString()));
        QVERIFY2(freed["writer"].isNull(), qPrintable(freed["writer"].toString()));
        QCOMPARE(freed["readers"].toArray().size(), 0);
        QVERIFY2(!freed.contains("hold_count"), "a free lock with its last holder's hold count");

        auto latch = lockRecord("lt", "count:1/3");
        latch.format = monitor::Format::Latch;
        latch.number = 1;
        latch.holdCount = 3;
        latch.state = monitor::LockState::Free;
        latch.ttlMs = -2;
        const auto open = printedObject(cli::keyRecordJson(latch, 0, monitor::Steady::now()));
        QCOMPARE(open["count"].toInt(), 0);
        // Issue 14 open defect 3: a latch's own words — `open` once opened, `closed` with counts
        // left (not `free` / `held`).
        QCOMPARE(open["state"].toString(), QString("open"));
        latch.state = monitor::LockState::Held;
        latch.ttlMs = -1;
        const auto closed = printedObject(cli::keyRecordJson(latch, 0, monitor::Steady::now()));
        QCOMPARE(closed["state"].toString(), QString("closed"));
        QCOMPARE(closed["holder"].toString(), QString("count:1/3"));

        // Open defect 1: a fair lock listed from its queue (key missing, waiters live).
        monitor::KeyRecord queued;
        queued.key = "fq";
        queued.kind = monitor::Kind::Lock;
        queued.format = monitor::Format::RedissonFairLock;
        queued.state = monitor::LockState::Free;
        queued.ttlMs = -2;
        queued.queueOnly = true;
        queued.queued = 2;
        const auto q = printedObject(cli::keyRecordJson(queued, 0, monitor::Steady::now()));
        QCOMPARE(q["state"].toString(), QString("free"));
        QVERIFY(q["holder"].isNull());
        QCOMPARE(q["waiting"].toInt(), 2);
        QVERIFY2(q["why"].toString().contains("2 live waiter(s)"), qPrintable(q["why"].toString()));
        QVERIFY(!printedObject(cli::keyRecordJson(latch, 0, monitor::Steady::now()))
                     .contains("waiting"));
    }

    // Scripts read fields by name, people read them in order: the order of the lists in
    // docs/cli-contract.md.
    void fieldsKeepTheirOrder() {
        auto r = lockRecord("k", "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef");
        r.format = monitor::Format::Heartbeat;
        r.holdCount = 2;
        r.nodesTotal = 3;
        r.key = std::string("\xff", 1);
        const Json record = cli::keyRecordJson(r, 0, monitor::Steady::now());
        std::vector<std::string> names;
        for (const auto& [name, value] : record.items()) names.push_back(name);
        // Issue 11: `basis` and `why` follow `owner`, as in docs/cli-contract.md.
        const std::vector<std::string> expected = {
            "key",    "key_escaped", "format",         "holder",      "ttl_ms",
            "state",  "stale",       "nodes",          "nodes_total", "owner",
            "basis",  "why",         "hold_count",     "beat",        "period_ms",
            "age_ms", "age_exact",   "orphan_checked", "detail"};
        QCOMPARE(names, expected);

        const Json row = cli::counterDemoJson({});
        std::vector<std::string> counter;
        for (const auto& [name, value] : row.items()) counter.push_back(name);
        QCOMPARE(counter.front(), std::string("strategy"));
        QCOMPARE(counter.back(), std::string("explanation"));
        QCOMPARE(counter.size(), size_t(20));
    }

    // Arrays: one element per line, so `grep` and `head` work on them; empty is "[]".
    void arraysPrintOneElementPerLine() {
        std::ostringstream out;
        cli::printJsonArray(out, cli::strategiesJson());
        const auto size = static_cast<qsizetype>(locks::lockStrategies().size());
        QCOMPARE(q(out.str()).count('\n'), size + 2);
        QJsonParseError error{};
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(out.str()), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.array().size(), size);
        const auto first = doc.array()[0].toObject();
        for (const char* k : {"id", "summary", "hazard", "safe", "multi_node"})
            QVERIFY2(first.contains(k), k);

        std::ostringstream empty;
        cli::printJsonArray(empty, Json::array());
        QCOMPARE(q(empty.str()), QString("[]\n"));
    }
};

QTEST_APPLESS_MAIN(TestCliJson)
#include "test_cli_json.moc"
