// How a connection attempt failed, for the transport tests (TLS, SSH): the error kind, its
// one-line message and how long it took — and the check that it is one line naming the cause.
#pragma once

#include <QtTest>
#include <chrono>
#include <string>

#include "redis/connection.h"
#include "redis/error.h"

namespace lockscope::test {

struct ConnectFailure {
    redis::ErrorKind kind = redis::ErrorKind::Server;
    std::string message;
    std::chrono::milliseconds took{0};
};

// Connects to `endpoint` and sends PING; kind Server with "(connected)" when nothing failed.
inline ConnectFailure connectFailure(const redis::Endpoint& endpoint,
                                     std::chrono::milliseconds timeout) {
    redis::ConnectOptions co;
    co.connectTimeout = timeout;
    const auto start = std::chrono::steady_clock::now();
    try {
        redis::Connection c(endpoint, co);
        c.command({"PING"});
    } catch (const redis::Error& e) {
        return {e.kind(), e.what(),
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - start)};
    }
    return {redis::ErrorKind::Server, "(connected)", std::chrono::milliseconds(0)};
}

// The failure is of `kind`, mentions `mentions`, and is one line.
inline void expectOneLine(const ConnectFailure& f, redis::ErrorKind kind, const char* mentions) {
    QVERIFY2(f.kind == kind, qPrintable(QString::fromStdString(
                                 std::string(redis::errorKindName(f.kind)) + ": " + f.message)));
    QVERIFY2(f.message.find(mentions) != std::string::npos, f.message.c_str());
    QVERIFY2(f.message.find('\n') == std::string::npos, f.message.c_str());
}

}  // namespace lockscope::test
