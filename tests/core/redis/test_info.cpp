// Fields of an INFO reply: found at the start of a line only, with either line ending, at the end
// of the text, or not at all.
#include <QtTest>

#include "redis/info.h"

using lockscope::redis::infoField;

namespace {

// The shape of a real Redis 7.0 reply (INFO server + replication + cluster), CRLF endings.
const char* kInfo =
    "# Server\r\n"
    "redis_version:7.0.15\r\n"
    "redis_mode:standalone\r\n"
    "os:Linux 6.1.0 x86_64\r\n"
    "\r\n"
    "# Replication\r\n"
    "role:master\r\n"
    "connected_slaves:0\r\n"
    "master_failover_state:no-failover\r\n"
    "\r\n"
    "# Cluster\r\n"
    "cluster_enabled:0\r\n";

}  // namespace

class TestInfo : public QObject {
    Q_OBJECT
private slots:
    void field_data() {
        QTest::addColumn<QString>("info");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        auto row = [](const char* name, const char* info, const char* field, const char* value) {
            QTest::newRow(name) << QString(info) << QString(field) << QString(value);
        };
        row("first field", kInfo, "redis_version", "7.0.15");
        row("value with spaces", kInfo, "os", "Linux 6.1.0 x86_64");
        row("later section", kInfo, "role", "master");
        row("last line", kInfo, "cluster_enabled", "0");
        row("name inside another name is not it", kInfo, "mode", "");
        row("suffix of another field is not it", kInfo, "state", "");
        row("prefix of another field is not it", kInfo, "redis", "");
        row("section header is not a field", kInfo, "# Server", "");
        row("missing", kInfo, "cluster_state", "");
        row("LF endings", "a:1\nrole:slave\nb:2", "role", "slave");
        row("no ending at all", "role:slave", "role", "slave");
        row("empty value", "a:\r\nb:2\r\n", "a", "");
        row("value with a colon", "executable:/usr/bin:x\r\n", "executable", "/usr/bin:x");
        row("empty reply", "", "role", "");
    }
    void field() {
        QFETCH(QString, info);
        QFETCH(QString, field);
        QFETCH(QString, value);
        QCOMPARE(QString::fromStdString(infoField(info.toStdString(), field.toStdString())), value);
    }
};

QTEST_APPLESS_MAIN(TestInfo)
#include "test_info.moc"
