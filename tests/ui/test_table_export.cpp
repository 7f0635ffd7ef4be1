// File > Export (issue 15.5): the Locks and Counters tables as JSON and CSV carry the fields of
// `lockscope-cli locks --json` / `counters --json` on the same real server — the same keys, field
// names in the same order, the same values where they do not move with time — and the CSV is that
// JSON flattened (a header of the field names, one row per record).
#include <QtTest>

#include "redis/connection.h"
#include "redis/url.h"
#include "sandbox/topology.h"
#include "test_support.h"
#include "ui/counters/counter_table_model.h"
#include "ui/locks/lock_table_model.h"
#include "ui/main_window.h"

using namespace lockscope;
using Table = ui::MainWindow::Table;

namespace {

// Fields that move between two reads (time left, time since, a measured rate, text naming them).
const QStringList kMoving = {"ttl_ms", "age_ms",        "rate_per_s",
                             "detail", "expires_at_ms", "period_ms"};

QJsonArray parseArray(const QByteArray& text) {
    QJsonParseError error{};
    const auto doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) qWarning("%s", text.constData());
    return doc.array();
}

QMap<QString, QJsonObject> byKey(const QJsonArray& a) {
    QMap<QString, QJsonObject> m;
    for (const auto& v : a) m.insert(v.toObject().value("key").toString(), v.toObject());
    return m;
}

// RFC 4180 lines, enough for what the export writes.
QList<QStringList> parseCsv(const QString& text) {
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row << cell;
            cell.clear();
        } else if (c == '\r') {
        } else if (c == '\n') {
            row << cell;
            rows << row;
            row.clear();
            cell.clear();
        } else {
            cell += c;
        }
    }
    return rows;
}

}  // namespace

class TestTableExport : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir;
    std::unique_ptr<sandbox::RedisServer> server;

    void compareWithCli(ui::MainWindow& w, Table table, const std::string& command) {
        auto cli = test::runCli({"--url", server->url(), command, "--json"});
        QVERIFY2(cli.exitCode == 0, cli.err.c_str());
        const QJsonArray theirs = parseArray(QByteArray::fromStdString(cli.out));
        QVERIFY(!theirs.isEmpty());
        QAbstractItemModel* model = table == Table::Locks
                                        ? static_cast<QAbstractItemModel*>(w.lockModel())
                                        : static_cast<QAbstractItemModel*>(w.counterModel());
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), int(theirs.size()), 10000);
        const QJsonArray ours = parseArray(w.exportTable(table, ui::ExportFormat::Json));
        QCOMPARE(ours.size(), theirs.size());
        const auto a = byKey(ours), b = byKey(theirs);
        QCOMPARE(a.keys(), b.keys());
        for (const QString& key : b.keys()) {
            // The same fields, in the same order.
            QCOMPARE(a[key].keys(), b[key].keys());
            for (const QString& field : b[key].keys()) {
                if (kMoving.contains(field)) continue;
                QVERIFY2(a[key].value(field) == b[key].value(field),
                         qPrintable(key + "." + field + ": " +
                                    QJsonDocument(a[key]).toJson(QJsonDocument::Compact) + " vs " +
                                    QJsonDocument(b[key]).toJson(QJsonDocument::Compact)));
            }
        }

        // CSV: a header of the JSON's field names (owner.host for nested ones), a row each.
        const auto csv = parseCsv(QString::fromUtf8(w.exportTable(table, ui::ExportFormat::Csv)));
        QCOMPARE(csv.size(), ours.size() + 1);
        const QStringList header = csv.front();
        for (const auto& v : ours) {
            const QJsonObject o = v.toObject();
            for (const QString& field : o.keys()) {
                if (o.value(field).isObject()) {
                    for (const QString& sub : o.value(field).toObject().keys())
                        QVERIFY2(header.contains(field + "." + sub), qPrintable(field + "." + sub));
                } else {
                    QVERIFY2(header.contains(field), qPrintable(field));
                }
            }
        }
        const int keyColumn = header.indexOf("key");
        const int formatColumn = header.indexOf("format");
        QCOMPARE(keyColumn, 0);  // as in the JSON: key first
        for (int i = 1; i < csv.size(); ++i) {
            QCOMPARE(csv[i].size(), header.size());
            const QString key = csv[i][keyColumn];
            QVERIFY2(a.contains(key), qPrintable(key));
            QCOMPARE(csv[i][formatColumn], a[key].value("format").toString());
        }
    }

private slots:
    void initTestCase() {
        test::isolateSettings(settingsDir.path(), "test_table_export");
        server = std::make_unique<sandbox::RedisServer>();
        redis::Connection c(server->endpoint());
        const std::string token = "lockscope:set-nx-px:host-a:4242:0123abcd:0123456789abcdef";
        c.command({"SET", "lock:orders", token, "PX", 600000});
        c.command({"SET", "lock:no-ttl", "worker-7"});  // stuck-no-ttl, by evidence
        c.command({"HSET", "lock:reentrant", "0b5c9a3e-1f2d-4c1b-9a8e-7d6c5b4a3f21:1", 2});
        c.command({"PEXPIRE", "lock:reentrant", 600000});
        c.command({"SET", "page:hits", 41});
        c.command({"INCR", "page:hits"});
        c.command({"SET", "votes:total", 7});
        c.command({"INCRBY", "votes:total", 3});
    }

    void locksAndCountersMatchTheCli() {
        ui::MainWindow w;
        w.show();
        w.connectTo({server->endpoint()}, "export");
        compareWithCli(w, Table::Locks, "locks");
        if (QTest::currentTestFailed()) return;
        compareWithCli(w, Table::Counters, "counters");
    }

    // On a Sentinel group `locks --json` names each record's node; the export does too.
    void theNodeOfEachRecordOnASentinelGroup() {
        sandbox::TopologyOptions o;
        o.kind = sandbox::TopologyKind::Sentinel;
        sandbox::Topology group(o);
        const std::string key = test::keyPrefix("export-node") + "lock:orders";
        {
            redis::Connection c(group.dataEndpoints().front());  // the master at start
            c.command({"SET", key, "worker-7", "PX", 600000});
        }
        auto cli = test::runCli({"--url", group.url(), "locks", "--json"});
        QVERIFY2(cli.exitCode == 0, cli.err.c_str());
        const auto theirs = byKey(parseArray(QByteArray::fromStdString(cli.out)));
        QVERIFY2(theirs.contains(QString::fromStdString(key)), cli.out.c_str());
        const QString node = theirs[QString::fromStdString(key)].value("node").toString();
        QVERIFY2(!node.isEmpty(), cli.out.c_str());

        ui::MainWindow w;
        w.show();
        w.connectTo(monitor::MonitorTarget::fromUrl(redis::parseUrl(group.url())), "sentinel");
        QTRY_VERIFY_WITH_TIMEOUT(w.lockModel()->rowCount() >= 1, 15000);
        const auto ours = byKey(parseArray(w.exportTable(Table::Locks, ui::ExportFormat::Json)));
        QVERIFY(ours.contains(QString::fromStdString(key)));
        QCOMPARE(ours[QString::fromStdString(key)].value("node").toString(), node);
        const QString csv = QString::fromUtf8(w.exportTable(Table::Locks, ui::ExportFormat::Csv));
        QVERIFY2(csv.section('\n', 0, 0).split(',').contains("node"), qPrintable(csv));
    }

    void writesTheFile() {
        ui::MainWindow w;
        w.show();
        w.connectTo({server->endpoint()}, "export");
        QTRY_VERIFY_WITH_TIMEOUT(w.lockModel()->rowCount() >= 2, 10000);
        QTemporaryDir dir;
        QString error;
        const QString path = dir.filePath("locks.json");
        QVERIFY2(w.exportTable(Table::Locks, ui::ExportFormat::Json, path, &error),
                 qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(parseArray(f.readAll()).size(), w.lockModel()->rowCount());
        QVERIFY(
            !w.exportTable(Table::Locks, ui::ExportFormat::Csv, "/nonexistent/dir/x.csv", &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_MAIN(TestTableExport)
#include "test_table_export.moc"
