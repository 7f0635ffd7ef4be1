// The one fork + exec of the code base: exit codes, a binary that cannot be run reported as an
// error by spawn() itself, the child dying with the thread that spawned it, redirects, the
// environment, process groups, signals by pid, and no leaked descriptors.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <QtTest>
#include <filesystem>
#include <fstream>
#include <thread>

#include "util/subprocess.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string readAll(const Subprocess& p) {
    std::string out;
    p.readOutput(out);
    return out;
}

}  // namespace

class TestSubprocess : public QObject {
    Q_OBJECT
private slots:
    void exitCodes() {
        auto ok = Subprocess::spawn({"true"});
        QVERIFY(ok.pid() > 0);
        QCOMPARE(ok.wait(5s), std::optional<int>(0));
        QVERIFY(!ok.running());
        auto failed = Subprocess::spawn({"false"});
        QCOMPARE(failed.wait(5s), std::optional<int>(1));
    }

    void aMissingBinaryIsAnErrorOfSpawn() {
        try {
            Subprocess::spawn({"lockscope-no-such-program"});
            QFAIL("spawned a program that does not exist");
        } catch (const SpawnError& e) {
            QCOMPARE(e.error(), ENOENT);
            QVERIFY2(q(e.what()).contains("lockscope-no-such-program"), e.what());
        }
        // A path is not looked up: the exec itself fails, and the child says so before it exits.
        try {
            Subprocess::spawn({"/nonexistent/lockscope-no-such-program", "x"});
            QFAIL("spawned a path that does not exist");
        } catch (const SpawnError& e) {
            QCOMPARE(e.error(), ENOENT);
            QVERIFY2(q(e.what()).contains("cannot run '/nonexistent/lockscope-no-such-program'"),
                     e.what());
        }
    }

    void aFileThatIsNotExecutableIsAnErrorOfSpawn() {
        QTemporaryDir dir;
        const std::string path =
            (std::filesystem::path(dir.path().toStdString()) / "data").string();
        std::ofstream(path) << "#!/bin/sh\nexit 0\n";
        try {
            Subprocess::spawn({path});
            QFAIL("ran a file without the execute bit");
        } catch (const SpawnError& e) {
            QCOMPARE(e.error(), EACCES);
            QVERIFY2(q(e.what()).contains(q(path)), e.what());
        }
    }

    void aRedirectThatCannotBeSetUpIsAnErrorOfSpawn() {
        SpawnOptions o;
        o.out = Stdio::File;
        o.outputFile = "/nonexistent/dir/out.log";
        try {
            Subprocess::spawn({"true"}, o);
            QFAIL("spawned with an output file that cannot be created");
        } catch (const SpawnError& e) {
            QCOMPARE(e.error(), ENOENT);
            QVERIFY2(q(e.what()).contains("/nonexistent/dir/out.log"), e.what());
        }
    }

    // PR_SET_PDEATHSIG fires when the spawning *thread* ends; without it the child outlives it.
    void theChildDiesWithTheThreadThatSpawnedIt() {
        for (const bool dieWithParent : {true, false}) {
            SpawnOptions o;
            o.dieWithParent = dieWithParent;
            Subprocess child;
            std::thread([&] { child = Subprocess::spawn({"sleep", "30"}, o); }).join();
            QVERIFY(child.running());
            if (dieWithParent) {
                QCOMPARE(child.wait(5s), std::optional<int>(128 + SIGKILL));
            } else {
                QVERIFY(!child.wait(300ms));
                QCOMPARE(child.kill(), 128 + SIGKILL);
            }
        }
    }

    void pipes() {
        SpawnOptions o;
        o.in = Stdio::Pipe;
        o.out = Stdio::Pipe;
        o.err = Stdio::Pipe;
        auto p = Subprocess::spawn({"sh", "-c", "read line; echo \"got $line\"; echo oops >&2"}, o);
        QVERIFY(p.inputFd() >= 0 && p.outputFd() >= 0 && p.errorFd() >= 0);
        QVERIFY(p.writeInput("hello\n"));
        QCOMPARE(p.wait(5s), std::optional<int>(0));
        QCOMPARE(q(readAll(p)), QString("got hello\n"));
        std::string err;
        p.readError(err);
        QCOMPARE(q(err), QString("oops\n"));
        // The child is gone: writing fails instead of raising SIGPIPE here.
        QVERIFY(!p.writeInput("more\n"));
    }

    void closingStdinIsEndOfInput() {
        SpawnOptions o;
        o.in = Stdio::Pipe;
        o.out = Stdio::Pipe;
        auto cat = Subprocess::spawn({"cat"}, o);
        QVERIFY(cat.writeInput("abc"));
        cat.closeInput();
        QCOMPARE(cat.wait(5s), std::optional<int>(0));
        QCOMPARE(q(readAll(cat)), QString("abc"));
        o.in = Stdio::Null;
        auto empty = Subprocess::spawn({"cat"}, o);
        QCOMPARE(empty.wait(5s), std::optional<int>(0));
        QCOMPARE(q(readAll(empty)), QString());
    }

    void stdoutAndStderrToOneFile() {
        QTemporaryDir dir;
        SpawnOptions o;
        o.out = Stdio::File;
        o.err = Stdio::File;
        o.outputFile = (std::filesystem::path(dir.path().toStdString()) / "tool.log").string();
        std::ofstream(o.outputFile) << "left over from before\n";
        auto p = Subprocess::spawn({"sh", "-c", "echo one; echo two >&2"}, o);
        QCOMPARE(p.wait(5s), std::optional<int>(0));
        std::ifstream in(o.outputFile);
        const std::string text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        QCOMPARE(q(text), QString("one\ntwo\n"));
    }

    void environment() {
        SpawnOptions o;
        o.out = Stdio::Pipe;
        o.environment = std::vector<std::string>{"LOCKSCOPE_T=42"};
        auto p = Subprocess::spawn({"sh", "-c", "echo \"$LOCKSCOPE_T ${HOME:-none}\""}, o);
        QCOMPARE(p.wait(5s), std::optional<int>(0));
        QCOMPARE(q(readAll(p)), QString("42 none\n"));
    }

    void processGroup() {
        SpawnOptions o;
        auto same = Subprocess::spawn({"sleep", "30"}, o);
        o.newProcessGroup = true;
        auto own = Subprocess::spawn({"sleep", "30"}, o);
        QCOMPARE(::getpgid(same.pid()), ::getpgrp());
        // The child sets its group before exec; spawn() returns after the exec.
        QCOMPARE(::getpgid(own.pid()), own.pid());
    }

    void signalsByPid() {
        auto p = Subprocess::spawn({"sleep", "30"});
        QVERIFY(p.signal(SIGSTOP));
        QTRY_VERIFY((p.poll(), p.stopped()));
        QVERIFY(p.signal(SIGCONT));
        QVERIFY(!p.stopped());
        QVERIFY(p.signal(SIGTERM));
        QCOMPARE(p.wait(5s), std::optional<int>(128 + SIGTERM));
        QVERIFY(!p.signal(SIGTERM));  // reaped: its pid may be someone else's now
        QCOMPARE(p.kill(), 128 + SIGTERM);
    }

    void theDestructorKillsAndReaps() {
        pid_t pid = -1;
        {
            auto p = Subprocess::spawn({"sleep", "30"});
            pid = p.pid();
            QCOMPARE(::kill(pid, 0), 0);
        }
        QVERIFY(::kill(pid, 0) != 0);  // gone, and no zombie left
    }

    // A descriptor another thread opened without O_CLOEXEC must not keep a pipe open in a child.
    void descriptorsDoNotLeak() {
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        auto p = Subprocess::spawn({"sleep", "30"});
        ::close(fds[1]);
        pollfd pfd{fds[0], POLLIN, 0};
        QCOMPARE(::poll(&pfd, 1, 2000), 1);  // EOF: the child does not hold the write end
        char c;
        QCOMPARE(::read(fds[0], &c, 1), ssize_t(0));
        ::close(fds[0]);
    }

    void forkCall() {
        SpawnOptions o;
        o.out = Stdio::Pipe;
        auto ok = Subprocess::forkCall([] { [[maybe_unused]] auto n = ::write(1, "x", 1); }, o);
        QCOMPARE(ok.wait(5s), std::optional<int>(0));
        QCOMPARE(q(readAll(ok)), QString("x"));
        auto threw = Subprocess::forkCall([] { throw std::runtime_error("no"); });
        QCOMPARE(threw.wait(5s), std::optional<int>(3));
    }
};

QTEST_GUILESS_MAIN(TestSubprocess)
#include "test_subprocess.moc"
