// Pure logic of the demos: the latency histogram, the fault table and its verdicts (one for the
// contention runs and the failover scenario), and the worker command line round trip.
#include <QtTest>

#include "demo/faults.h"
#include "demo/histogram.h"
#include "demo/lock_worker.h"
#include "demo/readers_writers_demo.h"
#include "demo/verdict.h"
#include "locks/lock_strategy.h"
#include "redis/error.h"

using namespace lockscope;
using namespace std::chrono_literals;
using demo::Expect;
using demo::Fault;

class TestDemoUnits : public QObject {
    Q_OBJECT

private slots:
    void histogramIsExactBelow128us() {
        demo::LatencyHistogram h;
        for (int v = 1; v <= 100; ++v) h.recordMicros(static_cast<std::uint64_t>(v));
        QCOMPARE(h.count(), 100u);
        QCOMPARE(h.percentileMicros(0.50), 50.0);
        QCOMPARE(h.percentileMicros(0.99), 99.0);
        QCOMPARE(h.percentileMicros(1.0), 100.0);
        QCOMPARE(demo::LatencyHistogram().percentileMicros(0.5), 0.0);
    }

    void histogramErrorStaysWithinTwoPercent_data() {
        QTest::addColumn<qulonglong>("value");
        for (qulonglong v :
             {128ull, 129ull, 1000ull, 4095ull, 65537ull, 10'000'000ull, 3'600'000'000ull})
            QTest::newRow(QByteArray::number(v).constData()) << v;
    }
    void histogramErrorStaysWithinTwoPercent() {
        QFETCH(qulonglong, value);
        demo::LatencyHistogram h;
        h.recordMicros(value);
        const double got = h.percentileMicros(0.5);
        QVERIFY2(std::abs(got - static_cast<double>(value)) <= 0.016 * static_cast<double>(value),
                 qPrintable(QString("%1 reported as %2").arg(value).arg(got)));
    }

    void histogramMergesAndTravelsAsText() {
        demo::LatencyHistogram a, b;
        for (int i = 0; i < 90; ++i) a.record(50us);
        for (int i = 0; i < 10; ++i) b.record(20ms);
        a.merge(b);
        QCOMPARE(a.count(), 100u);
        QCOMPARE(a.percentileMicros(0.90), 50.0);
        QVERIFY(std::abs(a.percentileMicros(0.99) - 20000) < 400);
        auto back = demo::LatencyHistogram::decode(a.encode());
        QVERIFY(back);
        QCOMPARE(back->count(), 100u);
        QCOMPARE(back->percentileMicros(0.99), a.percentileMicros(0.99));
        QVERIFY(!demo::LatencyHistogram::decode("1:2,x"));
        QVERIFY(!demo::LatencyHistogram::decode("12"));
        QCOMPARE(demo::LatencyHistogram::decode("")->count(), 0u);
    }

    void everyFaultHasANameAndAnExpectationForEveryStrategy() {
        for (const auto& f : demo::faults()) {
            QCOMPARE(demo::parseFault(f.name).value_or(Fault::None), f.fault);
            for (const auto& s : locks::lockStrategies()) {
                if (f.redlockOnly && s.id != "redlock") continue;
                for (std::string_view scope : {"", "minority", "majority"}) {
                    const auto& e = demo::expectationFor(f.fault, s.id, scope);
                    QCOMPARE(e.fault, f.fault);  // never another fault's row
                    QVERIFY(!e.outcome.empty());
                }
            }
        }
        QVERIFY(!demo::parseFault("pause"));
        QVERIFY(demo::faultNames().find("node-restart") != std::string::npos);
    }

    // What the table documents, spelled out: the tests in test_lock_demo check real runs against
    // these same rows.
    void theTableSaysWhatEachFaultDoes_data() {
        QTest::addColumn<int>("fault");
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<QString>("scope");
        QTest::addColumn<int>("violations");
        QTest::addColumn<int>("lost");
        QTest::addColumn<int>("rejected");
        QTest::addColumn<int>("flow");
        const int Z = int(Expect::Zero), P = int(Expect::AtLeastOne), A = int(Expect::Any);
        const int C = int(demo::Flow::Continues), S = int(demo::Flow::Stuck),
                  R = int(demo::Flow::StallsThenResumes);
        QTest::newRow("no fault") << int(Fault::None) << "unsafe-del"
                                  << "" << Z << Z << Z << C;
        QTest::newRow("pause set-nx-px") << int(Fault::PauseHolder) << "set-nx-px"
                                         << "" << P << P << Z << C;
        QTest::newRow("pause fenced") << int(Fault::PauseHolder) << "fenced"
                                      << "" << P << Z << P << C;
        QTest::newRow("pause redlock") << int(Fault::PauseHolder) << "redlock"
                                       << "" << P << P << Z << C;
        QTest::newRow("crash setnx-expire") << int(Fault::CrashHolder) << "setnx-expire"
                                            << "" << Z << Z << Z << S;
        QTest::newRow("crash heartbeat") << int(Fault::CrashHolder) << "heartbeat"
                                         << "" << Z << Z << Z << C;
        QTest::newRow("skew setnx-getset") << int(Fault::ClockSkew) << "setnx-getset"
                                           << "" << P << A << Z << C;
        QTest::newRow("skew behind setnx-getset") << int(Fault::ClockSkew) << "setnx-getset"
                                                  << "behind" << P << A << Z << C;
        QTest::newRow("skew small setnx-getset") << int(Fault::ClockSkew) << "setnx-getset"
                                                 << "small" << A << A << Z << C;
        QTest::newRow("skew behind redlock") << int(Fault::ClockSkew) << "redlock"
                                             << "behind" << Z << Z << Z << C;
        QTest::newRow("skew redlock") << int(Fault::ClockSkew) << "redlock"
                                      << "" << Z << Z << Z << C;
        QTest::newRow("down minority") << int(Fault::NodeDown) << "redlock"
                                       << "minority" << Z << Z << Z << C;
        QTest::newRow("down majority") << int(Fault::NodeDown) << "redlock"
                                       << "majority" << Z << Z << Z << R;
        QTest::newRow("restart") << int(Fault::NodeRestart) << "redlock"
                                 << "" << P << P << Z << C;
        QTest::newRow("restart delayed") << int(Fault::NodeRestartDelayed) << "redlock"
                                         << "" << Z << Z << Z << C;
        QTest::newRow("failover") << int(Fault::FailoverBeforeReplication) << "set-nx-px"
                                  << "" << P << P << Z << C;
        QTest::newRow("failover fenced") << int(Fault::FailoverBeforeReplication) << "fenced"
                                         << "" << P << P << Z << C;
        QTest::newRow("failover + WAIT") << int(Fault::FailoverBeforeReplication) << "set-nx-px"
                                         << "wait" << Z << Z << Z << C;
    }
    void theTableSaysWhatEachFaultDoes() {
        QFETCH(int, fault);
        QFETCH(QString, strategy);
        QFETCH(QString, scope);
        QFETCH(int, violations);
        QFETCH(int, lost);
        QFETCH(int, rejected);
        QFETCH(int, flow);
        const auto& e =
            demo::expectationFor(Fault(fault), strategy.toStdString(), scope.toStdString());
        QCOMPARE(int(e.violations), violations);
        QCOMPARE(int(e.lostUpdates), lost);
        QCOMPARE(int(e.staleWritesRejected), rejected);
        QCOMPARE(int(e.flow), flow);
    }

    void verdictsNameWhatDiffers() {
        const auto& pause = demo::expectationFor(Fault::PauseHolder, "set-nx-px");
        demo::FaultObservation o;
        o.injected = true;
        o.violations = 3;
        o.lostUpdates = 5;
        o.acquisitionsAfterFault = 10;
        QCOMPARE(QString::fromStdString(demo::mismatch(pause, o)), QString());
        o.lostUpdates = 0;
        QCOMPARE(QString::fromStdString(demo::mismatch(pause, o)),
                 QString("lost updates 0, expected >= 1"));
        o.injected = false;
        QCOMPARE(QString::fromStdString(demo::mismatch(pause, o)),
                 QString("the fault was never injected"));
        const auto& stuck = demo::expectationFor(Fault::CrashHolder, "setnx-expire");
        demo::FaultObservation s;
        s.injected = true;
        s.acquisitionsAfterFault = 2;
        QVERIFY(QString::fromStdString(demo::mismatch(stuck, s)).contains("did not stay stuck"));
    }

    // Contention on a lock with no order: the table says "uneven acquisitions"; a run whose
    // acquisitions were even (2 workers x 5 operations: least / most 1.000) says what it measured
    // instead. An uneven run keeps the table's sentence. (adv14c item 7)
    void contentionVerdictFollowsTheMeasuredFairness() {
        demo::LockDemoResult r;
        r.strategy = "semaphore";
        r.fault = "contention";
        r.workers = 2;
        r.opsPerWorker = 5;
        r.faultInjected = true;
        r.acquisitions = 10;
        r.acquisitionsAfterFault = 10;
        r.fairness = 1.0;
        auto even = r;
        demo::judgeLockRun(even, Fault::Contention);
        QVERIFY(even.asExpected);
        const QString said = QString::fromStdString(even.explanation);
        QVERIFY2(!said.contains("uneven acquisitions"), qPrintable(said));
        QVERIFY2(said.startsWith("acquisitions were about even in this run (least / most 1.000): "
                                 "with 2 workers and 5 operations each the unfairness did not "
                                 "show."),
                 qPrintable(said));
        QCOMPARE(QString::fromStdString(std::string(even.measuredOutcome.id)),
                 QString("outcome.contention.even"));

        auto uneven = r;
        uneven.fairness = 0.25;
        demo::judgeLockRun(uneven, Fault::Contention);
        QVERIFY(uneven.asExpected);
        QVERIFY(uneven.measuredOutcome.id.empty());
        QVERIFY(QString::fromStdString(uneven.explanation).contains("uneven acquisitions"));

        // The fair lock's own row already judges fairness (>= 0.8): its sentence stays.
        auto fair = r;
        fair.strategy = "fair";
        demo::judgeLockRun(fair, Fault::Contention);
        QVERIFY(fair.asExpected);
        QVERIFY(fair.measuredOutcome.id.empty());
        QVERIFY(QString::fromStdString(fair.explanation).contains("arrival order"));
    }

    // Readers-writers: "throughput grew with the share of reads" only when it grew at every step;
    // a run where 50 % reads was slower than writes only says so; 90 % reads no faster than
    // writes only is not as documented. (adv14c item 7)
    void readersWritersVerdictFollowsTheMeasuredThroughput() {
        auto run = [](double allWrites, double half, double readHeavy) {
            demo::LockDemoResult r;
            r.strategy = "read-write";
            r.fault = "readers-writers";
            r.workers = 2;
            r.faultInjected = true;
            r.acquisitions = 1000;
            r.acquisitionsAfterFault = 1000;
            const double shares[] = {0.0, 0.5, 0.9, 0.9};
            const double rates[] = {allWrites, half, readHeavy, readHeavy};
            for (int i = 0; i < 4; ++i) {
                demo::LockDemoResult::ReadShareRow row;
                row.readShare = shares[i];
                row.writerPreference = i < 3;
                row.opsPerSecond = rates[i];
                row.maxReadersTogether = i == 0 ? 0 : 2;
                row.writerWaitMaxMicros = i == 3 ? 250000 : 20000;
                r.readShares.push_back(row);
            }
            demo::judgeReadersWriters(r);
            return r;
        };
        const auto grew = run(409, 500, 900);
        QVERIFY(grew.asExpected);
        QCOMPARE(QString::fromStdString(std::string(grew.measuredOutcome.id)),
                 QString("outcome.readers-writers.grew"));
        QVERIFY2(QString::fromStdString(grew.explanation)
                     .contains("throughput grew with the share of reads (409, 500, 900 ops/s"),
                 qPrintable(QString::fromStdString(grew.explanation)));
        QVERIFY(QString::fromStdString(grew.explanation).contains("(250.0 against 20.0 ms)"));

        const auto fell = run(409, 385, 900);  // the adversarial run: 0 % → 50 % fell
        QVERIFY(fell.asExpected);
        const QString said = QString::fromStdString(fell.explanation);
        QVERIFY2(!said.contains("grew with the share"), qPrintable(said));
        QVERIFY2(said.contains("did not grow at every step in this run (385 ops/s at 50% reads)"),
                 qPrintable(said));
        QVERIFY(said.contains("(900 against 409 ops/s)"));

        const auto slower = run(409, 385, 400);
        QVERIFY(!slower.asExpected);
        QVERIFY(slower.measuredOutcome.id.empty());
        QVERIFY(QString::fromStdString(slower.explanation)
                    .startsWith("not as documented (90% reads was not faster than all writes)"));
    }

    // What a run's verdict and explanation say, whichever demo produced the counts.
    void lockRunVerdicts() {
        auto judged = [](demo::LockDemoResult r, Fault fault, std::string_view scope = {}) {
            demo::judgeLockRun(r, fault, scope);
            return r;
        };
        demo::LockDemoResult r;
        r.strategy = "unsafe-del";
        r.faultInjected = true;
        r.violations = 2;
        r.lostUpdates = 1;
        r.acquisitionsAfterFault = 5;
        const auto& pauseRow = demo::expectationFor(Fault::PauseHolder, "unsafe-del");
        auto ok = judged(r, Fault::PauseHolder);
        QVERIFY(ok.asExpected);
        QCOMPARE(QString::fromStdString(ok.mismatch), QString());
        QCOMPARE(QString::fromStdString(ok.expectedOutcome),
                 QString::fromStdString(std::string(pauseRow.outcome)));
        QCOMPARE(QString::fromStdString(ok.explanation),
                 QString::fromStdString(ok.expectedOutcome));

        auto cut = r;
        cut.interrupted = true;
        auto stopped = judged(cut, Fault::PauseHolder);
        QVERIFY(!stopped.asExpected);
        QCOMPARE(QString::fromStdString(stopped.mismatch),
                 QString("the demo did not run to its end"));

        auto early = r;
        early.faultInjected = false;
        QVERIFY(QString::fromStdString(judged(early, Fault::PauseHolder).explanation)
                    .contains("give it more --ops"));

        auto overlap = r;
        overlap.faultInjected = false;
        const auto hazard = std::string(locks::findLockStrategy("unsafe-del")->hazard);
        QCOMPARE(QString::fromStdString(judged(overlap, Fault::None).explanation),
                 QString::fromStdString("holders overlapped without any fault: " + hazard + "."));

        // failover-before-replication with WAIT ("wait" scope) expects no double grant.
        auto twice = judged(r, Fault::FailoverBeforeReplication, "wait");
        QVERIFY(!twice.asExpected);
        QCOMPARE(QString::fromStdString(twice.explanation),
                 QString::fromStdString("not as documented (" + twice.mismatch +
                                        "). Documented: " + twice.expectedOutcome));
        QVERIFY(judged(r, Fault::FailoverBeforeReplication).asExpected);
    }

    void workerCommandLineRoundTrips() {
        demo::LockWorkerSpec s;
        s.nodes = {redis::Endpoint::tcpEndpoint("127.0.0.1", 7000),
                   redis::Endpoint::tcpEndpoint("::1", 7001)};
        s.nodes[0].db = 3;
        s.nodes[0].user = s.nodes[1].user = "demo";
        s.strategy = "redlock";
        s.lockKey = "lockscope:demo:abc:lock";
        s.resourcePrefix = "lockscope:demo:abc:resource:";
        s.ops = 7;
        s.ttl = 1234ms;
        s.work = 567us;
        s.wait = 8900ms;
        s.clockOffset = -2500ms;
        auto args = demo::lockWorkerArgs(s);
        QCOMPARE(QString::fromStdString(args[0]), QString("worker"));
        QCOMPARE(QString::fromStdString(args[1]), QString("lock"));
        auto back =
            demo::parseLockWorkerArgs(std::vector<std::string>(args.begin() + 2, args.end()));
        QCOMPARE(back.nodes.size(), size_t(2));
        QCOMPARE(QString::fromStdString(back.nodes[0].display()), QString("127.0.0.1:7000/3"));
        QCOMPARE(QString::fromStdString(back.nodes[1].tcp.host), QString("::1"));
        QCOMPARE(QString::fromStdString(back.nodes[1].user), QString("demo"));
        QCOMPARE(QString::fromStdString(back.lockKey), QString::fromStdString(s.lockKey));
        QCOMPARE(back.ops, 7LL);
        QCOMPARE(back.ttl, 1234ms);
        QCOMPARE(back.work, 567us);
        QCOMPARE(back.wait, 8900ms);
        QCOMPARE(back.clockOffset, -2500ms);
        for (const auto& a : args) QVERIFY(a.find("password") == std::string::npos);

        // TLS with a client certificate and an SSH tunnel travel too; the TLS key must not be
        // taken for the lock's --key (it was: workers over TLS started without a lock key).
        for (auto& n : s.nodes) {
            n.tls.enabled = true;
            n.tls.caCert = "/pki/ca.crt";
            n.tls.cert = "/pki/client.crt";
            n.tls.key = "/pki/client.key";
            n.tls.keyPassphrase = "secret";
            n.ssh.destination = "ops@bastion:2222";
            n.ssh.knownHosts = "/pki/known_hosts";
        }
        args = demo::lockWorkerArgs(s);
        for (const auto& a : args) QVERIFY(a.find("secret") == std::string::npos);
        back = demo::parseLockWorkerArgs(std::vector<std::string>(args.begin() + 2, args.end()));
        QCOMPARE(QString::fromStdString(back.lockKey), QString::fromStdString(s.lockKey));
        for (const auto& n : back.nodes) {
            QVERIFY(n.tls.enabled);
            QCOMPARE(QString::fromStdString(n.tls.key), QString("/pki/client.key"));
            QCOMPARE(QString::fromStdString(n.tls.cert), QString("/pki/client.crt"));
            QCOMPARE(QString::fromStdString(n.tls.caCert), QString("/pki/ca.crt"));
            QCOMPARE(QString::fromStdString(n.ssh.destination), QString("ops@bastion:2222"));
            QCOMPARE(QString::fromStdString(n.ssh.knownHosts), QString("/pki/known_hosts"));
        }
        QVERIFY_THROWS_EXCEPTION(redis::Error, demo::parseLockWorkerArgs({"--ops", "x"}));
        QVERIFY_THROWS_EXCEPTION(redis::Error, demo::parseLockWorkerArgs({"--node"}));
    }
};

QTEST_APPLESS_MAIN(TestDemoUnits)
#include "test_demo_units.moc"
