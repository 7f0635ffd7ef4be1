#include "test_support.h"

#include <QCoreApplication>
#include <QSettings>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "redis/connection.h"
#include "util/random.h"

#ifndef LOCKSCOPE_TEST_TIME_SCALE
#define LOCKSCOPE_TEST_TIME_SCALE 1
#endif

namespace lockscope::test {

double testTimeScale() {
    static const double scale = [] {
        const char* env = std::getenv("LOCKSCOPE_TEST_TIME_SCALE");
        if (!env || !*env) return double(LOCKSCOPE_TEST_TIME_SCALE);
        char* end = nullptr;
        const double v = std::strtod(env, &end);
        if (*end != '\0' || !std::isfinite(v) || v < 1 || v > 1000) {
            std::fprintf(stderr,
                         "LOCKSCOPE_TEST_TIME_SCALE='%s': expected a number from 1 to 1000 (how "
                         "many times longer the tests may wait), or unset it\n",
                         env);
            std::exit(2);
        }
        return v;
    }();
    return scale;
}

int scaled(int ms) { return int(std::lround(ms * testTimeScale())); }

std::chrono::milliseconds scaled(std::chrono::milliseconds ms) {
    return std::chrono::milliseconds(std::llround(double(ms.count()) * testTimeScale()));
}

std::string keyPrefix(const std::string& testName) {
    return "t:" + testName + ":" + randomHex(6) + ":";
}

CliResult runProgram(const std::vector<std::string>& argv, int timeoutMs) {
    ChildProcess child = ChildProcess::spawn(argv);
    CliResult result;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    std::optional<int> code;
    // Drain while waiting, so a chatty child never blocks on a full pipe.
    while (!(code = child.wait(std::chrono::milliseconds(20))) &&
           std::chrono::steady_clock::now() < deadline) {
        result.out += child.drainStdout();
        result.err += child.drainStderr();
    }
    result.out += child.drainStdout();
    result.err += child.drainStderr();
    result.exitCode = code ? *code : -1;  // -1: timed out (the destructor kills it)
    return result;
}

locks::LockContext contextFor(const sandbox::RedisServer& server) {
    locks::LockContext ctx;
    ctx.nodes = {server.endpoint()};
    return ctx;
}

locks::LockContext contextFor(const std::vector<const sandbox::RedisServer*>& servers) {
    locks::LockContext ctx;
    for (const auto* s : servers) ctx.nodes.push_back(s->endpoint());
    return ctx;
}

bool everyReplicaHasAll(sandbox::Topology& topo, size_t master, std::chrono::milliseconds timeout) {
    const long long replicas = static_cast<long long>(topo.dataNodes().size()) - 1;
    const auto until = std::chrono::steady_clock::now() + timeout;
    do {
        try {
            redis::Connection c(topo.server(master).endpoint());
            c.command({"PUBLISH", "lockscope-test:replication-mark", "1"});
            if (c.command({"WAIT", replicas, 1000}).integer() >= replicas) return true;
        } catch (const redis::Error&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    } while (std::chrono::steady_clock::now() < until);
    return false;
}

void isolateSettings(const QString& dir, const char* testName) {
    QCoreApplication::setOrganizationName("LockScopeTest");
    QCoreApplication::setApplicationName(testName);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir);
    // The rules file (docs/rules.md) too: a developer's own rules must not change what tests see.
    qputenv("XDG_CONFIG_HOME", dir.toLocal8Bit());
}

}  // namespace lockscope::test
