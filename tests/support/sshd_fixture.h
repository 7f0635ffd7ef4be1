// A real OpenSSH server (Debian's /usr/sbin/sshd) for tunnel tests: started on a free loopback
// port with its own host key and one authorized client key, all in a directory the caller owns
// (the test's temp dir), and stopped by pid. Also writes the known_hosts files a test needs: the
// right key, a different key for the same host (a "changed" host key), and an empty one.
//
// Thread contract: one owner thread (the test's main thread).
#pragma once

#include <string>
#include <vector>

#include "util/subprocess.h"

namespace lockscope::test {

class TestSshd {
public:
    // Throws std::runtime_error (no sshd, or it did not start).
    explicit TestSshd(const std::string& dir);
    ~TestSshd();
    TestSshd(const TestSshd&) = delete;
    TestSshd& operator=(const TestSshd&) = delete;

    int port() const { return port_; }
    std::string destination() const;  // "root@127.0.0.1:PORT" (the user running the tests)
    std::string identity;             // the authorized private key (no passphrase)
    std::string encryptedIdentity;    // the same key protected with `passphrase`
    std::string passphrase = "open sesame";
    std::string strangerIdentity;   // a key the server does not know
    std::string knownHosts;         // the server's real host key
    std::string changedKnownHosts;  // another key recorded for [127.0.0.1]:PORT
    std::string emptyKnownHosts;    // nothing recorded
    std::string logPath;

    void stop();   // SIGTERM the listener and wait (sessions it forked keep running)
    void start();  // again, on the same port
    void setAllowTcpForwarding(bool allow);  // takes effect at the next start()

private:
    void writeConfig();
    std::string dir_;
    std::string config_;
    std::string user_;
    int port_ = 0;
    bool allowForwarding_ = true;
    Subprocess process_;
};

// Pids of the running children of `parent` whose command name is `comm` (from /proc).
std::vector<int> childPids(int parent, const std::string& comm);

}  // namespace lockscope::test
