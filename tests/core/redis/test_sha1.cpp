// SHA-1 against the FIPS 180 test vectors (the server's own SCRIPT LOAD answer is checked in
// test_connection).
#include <QtTest>

#include "redis/sha1.h"

class TestSha1 : public QObject {
    Q_OBJECT
private slots:
    void vectors_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("digest");
        QTest::newRow("empty") << QByteArray() << "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        QTest::newRow("abc") << QByteArray("abc") << "a9993e364706816aba3e25717850c26c9cd0d89d";
        QTest::newRow("448 bits") << QByteArray(
                                         "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                  << "84983e441c3bd26ebaae4aa1f95129e5e54670f1";
        QTest::newRow("896 bits")
            << QByteArray(
                   "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnop"
                   "jklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
            << "a49b2446a02c645bf419f995b67091253a04a259";
        QTest::newRow("million a")
            << QByteArray(1000000, 'a') << "34aa973cd4c4daa4f61eeb2bdbad27316534016f";
        QTest::newRow("55 bytes") << QByteArray(55, 'x') << QString();
        QTest::newRow("56 bytes") << QByteArray(56, 'x') << QString();
        QTest::newRow("64 bytes") << QByteArray(64, 'x') << QString();
        QTest::newRow("binary") << QByteArray("\x00\xff\x10", 3) << QString();
    }
    void vectors() {
        QFETCH(QByteArray, input);
        QFETCH(QString, digest);
        auto got = QString::fromStdString(
            lockscope::redis::sha1Hex(std::string_view(input.constData(), size_t(input.size()))));
        // Rows without a published digest are checked against Qt's implementation.
        if (digest.isEmpty())
            digest = QString::fromLatin1(
                QCryptographicHash::hash(input, QCryptographicHash::Sha1).toHex());
        QCOMPARE(got, digest);
    }
};

QTEST_APPLESS_MAIN(TestSha1)
#include "test_sha1.moc"
