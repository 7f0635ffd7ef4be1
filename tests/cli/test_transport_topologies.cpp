// lockscope-cli over TLS to a Sentinel group and a cluster whose replication, cluster bus and
// Sentinel links run over TLS too (issue 13): the nodes announce their TLS ports, so every hop the
// CLI follows — Sentinels → master, seed → CLUSTER SLOTS → each master, a MOVED — must be TLS with
// the operator's CA and client certificate. `lock acquire` / `locks` / `lock force-release` and a
// `demo lock` through rediss+sentinel://, `locks` and `watch` with live events through
// rediss+cluster://, and `watch` following a SENTINEL FAILOVER over TLS.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "locks/owner.h"
#include "redis/cluster.h"
#include "redis/connection.h"
#include "sandbox/topology.h"
#include "test_support.h"
#include "tls_pki.h"
#include "watch_lines.h"

using namespace lockscope;
using namespace std::chrono_literals;
using test::runCli;

class TestTransportTopologies : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::unique_ptr<test::TestPki> pki;
    std::string prefix;

    sandbox::TopologyOptions tlsTopology(sandbox::TopologyKind kind) const {
        sandbox::TopologyOptions o;
        o.kind = kind;
        // tls-auth-clients yes: every hop needs the client certificate too.
        o.tls = sandbox::RedisServerTls{pki->serverCert, pki->serverKey, pki->caCert, "yes", true};
        return o;
    }
    std::vector<std::string> over(const sandbox::Topology& t) const {
        return {"--url",  t.url(),         "--cacert", pki->caCert,
                "--cert", pki->clientCert, "--key",    pki->clientKey};
    }
    static std::vector<std::string> with(std::vector<std::string> a,
                                         std::initializer_list<std::string> more) {
        a.insert(a.end(), more);
        return a;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        QDir(dir.path()).mkdir("pki");
        pki = std::make_unique<test::TestPki>((dir.path() + "/pki").toStdString());
        prefix = test::keyPrefix("tls-topology");
        ::setenv("LOCKSCOPE_AUDIT_LOG", (dir.path() + "/audit.log").toLocal8Bit().constData(), 1);
    }

    void sentinelGroupOverTls() {
        sandbox::Topology t(tlsTopology(sandbox::TopologyKind::Sentinel));
        QVERIFY2(t.url().rfind("rediss+sentinel://", 0) == 0, t.url().c_str());
        const auto master = t.sentinelMaster();
        QVERIFY(master);
        redis::Connection plain(t.server(*master).endpoint());  // the fixture's own control port
        const std::string key = prefix + "sentinel:lock";

        auto a = runCli(
            with(over(t), {"lock", "acquire", key, "--strategy", "set-nx-px", "--ttl", "30000"}));
        QVERIFY2(a.exitCode == 0, a.err.c_str());
        const std::string token = a.out.substr(0, a.out.find('\n'));
        QVERIFY2(locks::parseToken(token), token.c_str());
        QCOMPARE(QString::fromStdString(*plain.command({"GET", key}).optString()),
                 QString::fromStdString(token));

        auto listed = runCli(with(over(t), {"locks", "--match", prefix + "sentinel:*", "--json"}));
        QVERIFY2(listed.exitCode == 0, listed.err.c_str());
        const auto all = QJsonDocument::fromJson(QByteArray::fromStdString(listed.out)).array();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all[0].toObject()["holder"].toString(), QString::fromStdString(token));
        // The master is named at its TLS port: that is where the CLI went.
        QCOMPARE(all[0].toObject()["node"].toString(), QString::fromStdString(t.address(*master)));

        auto released =
            runCli(with(over(t), {"lock", "force-release", key, "--holder", token, "--yes"}));
        QVERIFY2(released.exitCode == 0, released.err.c_str());
        QVERIFY(!plain.command({"GET", key}).optString());

        auto demo = runCli(with(over(t), {"demo", "lock", "--strategy", "set-nx-px", "--workers",
                                          "3", "--ops", "20", "--json"}),
                           60000);
        QVERIFY2(demo.exitCode == 0, (demo.err + demo.out).c_str());
        const auto o = QJsonDocument::fromJson(QByteArray::fromStdString(demo.out)).object();
        QVERIFY2(o["acquisitions"].toInt() >= 60, demo.out.c_str());
        QCOMPARE(o["lost_updates"].toInt(), 0);
    }

    void watchFollowsATlsFailover() {
        sandbox::Topology t(tlsTopology(sandbox::TopologyKind::Sentinel));
        const std::string key = prefix + "failover:lock";
        const std::string holder = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c";  // node-redlock
        {
            redis::Connection m(t.server(*t.sentinelMaster()).endpoint());
            m.command({"SET", key, holder, "PX", 120000});
            QCOMPARE(m.command({"WAIT", 1, 5000}).integer(), 1LL);
        }
        std::vector<std::string> argv = {test::cliPath()};
        const auto how = over(t);
        argv.insert(argv.end(), how.begin(), how.end());
        argv.insert(argv.end(), {"watch", "--match", prefix + "failover:*", "--json"});
        auto watch = test::ChildProcess::spawn(argv);
        std::string said;
        auto first = test::watchLineFor(watch, key, said, 100);
        QVERIFY2(first, said.c_str());
        QCOMPARE((*first)["state"].toString(), QString("held"));

        const auto f = t.failover();
        // Live events from the promoted master, over TLS: a key written there shows up.
        const std::string later = prefix + "failover:later:lock";
        std::optional<QJsonObject> seen;
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        while (!seen && std::chrono::steady_clock::now() < deadline) {
            for (size_t i : t.dataNodes())
                if (t.address(i) == f.to)
                    redis::Connection(t.server(i).endpoint())
                        .command({"SET", later, holder, "PX", 120000});
            seen = test::watchLineFor(watch, later, said, 10);
        }
        QVERIFY2(seen, said.c_str());
        QCOMPARE((*seen)["node"].toString(), QString::fromStdString(f.to));
        QVERIFY2(said.find("moved from " + f.from + " to " + f.to) != std::string::npos,
                 said.c_str());
        watch.terminate();
        QCOMPARE(watch.wait(5000ms).value_or(-1), 0);
    }

    void clusterOverTls() {
        sandbox::Topology t(tlsTopology(sandbox::TopologyKind::Cluster));
        QVERIFY2(t.url().rfind("rediss+cluster://", 0) == 0, t.url().c_str());
        // Keys on every master, written through the cluster's own routing.
        auto map = redis::discoverCluster(t.dataEndpoints(), {});
        std::vector<std::string> keys;
        for (int i = 0; i < 12; ++i) keys.push_back(prefix + "cluster:lock:" + std::to_string(i));
        const std::string holder = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c";
        for (const auto& k : keys) {
            const auto* owner = map.ownerOf(redis::keyHashSlot(k));
            QVERIFY(owner);
            auto idx = t.indexOf(owner->address);
            QVERIFY(idx);
            redis::Connection(t.server(*idx).endpoint()).command({"SET", k, holder, "PX", 120000});
        }
        auto listed = runCli(with(over(t), {"locks", "--match", prefix + "cluster:*", "--json"}));
        QVERIFY2(listed.exitCode == 0, listed.err.c_str());
        const auto all = QJsonDocument::fromJson(QByteArray::fromStdString(listed.out)).array();
        QCOMPARE(all.size(), int(keys.size()));

        std::vector<std::string> argv = {test::cliPath()};
        const auto how = over(t);
        argv.insert(argv.end(), how.begin(), how.end());
        argv.insert(argv.end(), {"watch", "--match", prefix + "cluster:*", "--json"});
        auto watch = test::ChildProcess::spawn(argv);
        QTest::qWait(1500);
        const std::string fresh = prefix + "cluster:new:lock";
        const auto* owner = map.ownerOf(redis::keyHashSlot(fresh));
        redis::Connection(t.server(*t.indexOf(owner->address)).endpoint())
            .command({"SET", fresh, holder, "PX", 120000});
        std::string said;
        auto seen = test::watchLineFor(watch, fresh, said, 100);
        QVERIFY2(seen, said.c_str());
        QCOMPARE((*seen)["state"].toString(), QString("held"));
        // Named at its TLS port (discovered here over the plain control port, which a Redis 7
        // cluster answers with plain ports).
        QCOMPARE((*seen)["node"].toString(),
                 QString::fromStdString(t.address(*t.indexOf(owner->address))));
        watch.terminate();
        QCOMPARE(watch.wait(5000ms).value_or(-1), 0);
    }
};

QTEST_GUILESS_MAIN(TestTransportTopologies)
#include "test_transport_topologies.moc"
