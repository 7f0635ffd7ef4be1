#include "sshd_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sandbox/redis_server.h"
#include "test_support.h"

namespace lockscope::test {
namespace {

namespace fs = std::filesystem;

void run(const std::vector<std::string>& argv) {
    const CliResult r = runProgram(argv, 20000);
    if (r.exitCode != 0)
        throw std::runtime_error(argv[0] + " failed (" + std::to_string(r.exitCode) +
                                 "): " + r.err);
}

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool accepts(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

void makeKey(const std::string& path, const std::string& passphrase) {
    run({"ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "lockscope-test", "-f",
         path});
}

}  // namespace

TestSshd::TestSshd(const std::string& dir) : dir_(dir) {
    if (!fs::exists("/usr/sbin/sshd"))
        throw std::runtime_error("no /usr/sbin/sshd — install openssh-server");
    std::error_code ec;
    fs::create_directories("/run/sshd", ec);  // sshd's privilege-separation directory
    const passwd* pw = ::getpwuid(::geteuid());
    user_ = pw ? pw->pw_name : "root";
    makeKey(dir_ + "/hostkey", "");
    makeKey(dir_ + "/otherhostkey", "");
    identity = dir_ + "/id_client";
    makeKey(identity, "");
    encryptedIdentity = dir_ + "/id_client_encrypted";
    fs::copy_file(identity, encryptedIdentity);
    ::chmod(encryptedIdentity.c_str(), 0600);
    run({"ssh-keygen", "-q", "-p", "-P", "", "-N", passphrase, "-f", encryptedIdentity});
    strangerIdentity = dir_ + "/id_stranger";
    makeKey(strangerIdentity, "");
    std::ofstream(dir_ + "/authorized_keys") << readAll(identity + ".pub");
    port_ = sandbox::pickFreePort(20000, 45000, false);
    auto keyLine = [&](const std::string& pub) {
        std::istringstream in(readAll(pub));
        std::string type, key;
        in >> type >> key;
        return "[127.0.0.1]:" + std::to_string(port_) + " " + type + " " + key + "\n";
    };
    knownHosts = dir_ + "/known_hosts";
    std::ofstream(knownHosts) << keyLine(dir_ + "/hostkey.pub");
    changedKnownHosts = dir_ + "/known_hosts_changed";
    std::ofstream(changedKnownHosts) << keyLine(dir_ + "/otherhostkey.pub");
    emptyKnownHosts = dir_ + "/known_hosts_empty";
    std::ofstream(emptyKnownHosts) << "";
    config_ = dir_ + "/sshd_config";
    logPath = dir_ + "/sshd.log";
    start();
}

TestSshd::~TestSshd() { process_.kill(); }

std::string TestSshd::destination() const { return user_ + "@127.0.0.1:" + std::to_string(port_); }

void TestSshd::writeConfig() {
    std::ofstream c(config_);
    c << "Port " << port_ << "\n"
      << "ListenAddress 127.0.0.1\n"
      << "HostKey " << dir_ << "/hostkey\n"
      << "PidFile " << dir_ << "/sshd.pid\n"
      << "AuthorizedKeysFile " << dir_ << "/authorized_keys\n"
      << "PermitRootLogin prohibit-password\n"
      << "PasswordAuthentication no\n"
      << "KbdInteractiveAuthentication no\n"
      << "StrictModes no\n"
      << "UsePAM no\n"
      << "AllowTcpForwarding " << (allowForwarding_ ? "yes" : "no") << "\n"
      << "AllowStreamLocalForwarding no\n"
      << "LogLevel VERBOSE\n";
}

void TestSshd::start() {
    writeConfig();
    SpawnOptions so;
    so.newProcessGroup = true;
    process_ = Subprocess::spawn({"/usr/sbin/sshd", "-D", "-f", config_, "-E", logPath}, so);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!accepts(port_)) {
        if (process_.poll()) throw std::runtime_error("sshd exited at start: " + readAll(logPath));
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("sshd did not listen on " + std::to_string(port_));
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void TestSshd::stop() {
    if (!process_.running()) return;
    process_.signal(SIGTERM);
    if (!process_.wait(std::chrono::seconds(5))) process_.kill();
}

void TestSshd::setAllowTcpForwarding(bool allow) { allowForwarding_ = allow; }

std::vector<int> childPids(int parent, const std::string& comm) {
    std::vector<int> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        const std::string stat = readAll(entry.path() / "stat");
        // pid (comm) state ppid ...
        const auto open = stat.find('('), close = stat.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;
        if (stat.substr(open + 1, close - open - 1) != comm) continue;
        std::istringstream rest(stat.substr(close + 2));
        char state = 0;
        int ppid = 0;
        rest >> state >> ppid;
        if (ppid == parent && state != 'Z') out.push_back(std::stoi(name));
    }
    return out;
}

}  // namespace lockscope::test
