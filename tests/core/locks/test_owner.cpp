// The LockScope token format: what Owner writes, parseToken reads back, and nothing else parses.
#include <unistd.h>

#include <QtTest>

#include "locks/owner.h"

using namespace lockscope::locks;

class TestOwner : public QObject {
    Q_OBJECT
private slots:
    void roundTrip() {
        Owner owner = Owner::create();
        QCOMPARE(owner.pid, long(::getpid()));
        QCOMPARE(owner.tag.size(), size_t(8));
        std::string token = owner.newToken("set-nx-px");
        auto parsed = parseToken(token);
        QVERIFY(parsed);
        QCOMPARE(QString::fromStdString(parsed->strategy), QString("set-nx-px"));
        QCOMPARE(QString::fromStdString(parsed->host), QString::fromStdString(owner.host));
        QCOMPARE(parsed->pid, owner.pid);
        QCOMPARE(QString::fromStdString(parsed->tag), QString::fromStdString(owner.tag));
        QCOMPARE(parsed->nonce.size(), size_t(16));
        QCOMPARE(QString::fromStdString(parsed->clientName()),
                 QString::fromStdString(owner.clientName()));
        QVERIFY(owner.newToken("set-nx-px") != token);  // a new nonce per acquisition
        QVERIFY(Owner::create().tag != owner.tag);      // a new tag per lock client
    }
    void hostWithDots() {
        auto p = parseToken("lockscope:redlock:db-1.prod.example:4242:0123abcd:0123456789abcdef");
        QVERIFY(p);
        QCOMPARE(QString::fromStdString(p->host), QString("db-1.prod.example"));
        QCOMPARE(p->pid, 4242L);
        QCOMPARE(QString::fromStdString(p->strategy), QString("redlock"));
    }
    void rejects_data() {
        QTest::addColumn<QString>("token");
        QTest::newRow("redis-py uuid1") << "5f0e4d2a3b1c11ee9a3b0242ac120002";
        QTest::newRow("empty") << "";
        QTest::newRow("prefix only") << "lockscope:";
        QTest::newRow("no strategy") << "lockscope:h:1:0123abcd:0123456789abcdef";
        QTest::newRow("no host") << "lockscope:set-nx-px::1:0123abcd:0123456789abcdef";
        QTest::newRow("pid not number") << "lockscope:set-nx-px:h:x1:0123abcd:0123456789abcdef";
        QTest::newRow("short tag") << "lockscope:set-nx-px:h:1:0123abc:0123456789abcdef";
        QTest::newRow("upper hex") << "lockscope:set-nx-px:h:1:0123ABCD:0123456789abcdef";
        QTest::newRow("short nonce") << "lockscope:set-nx-px:h:1:0123abcd:0123";
        QTest::newRow("zero pid") << "lockscope:set-nx-px:h:0:0123abcd:0123456789abcdef";
        QTest::newRow("extra part") << "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef:x";
        QTest::newRow("bad strategy chars") << "lockscope:Set_Nx:h:1:0123abcd:0123456789abcdef";
    }
    void rejects() {
        QFETCH(QString, token);
        QVERIFY(!parseToken(token.toStdString()));
    }
};

QTEST_APPLESS_MAIN(TestOwner)
#include "test_owner.moc"
