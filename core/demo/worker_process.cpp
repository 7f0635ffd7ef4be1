#include "demo/worker_process.h"

#include <cstring>
#include <thread>

extern char** environ;

namespace lockscope::demo {
namespace {

SpawnOptions workerOptions(const std::string& password, const std::vector<std::string>& secrets) {
    SpawnOptions o;
    o.in = Stdio::Pipe;
    o.out = Stdio::Pipe;
    o.err = Stdio::Pipe;
    o.newProcessGroup = true;
    std::vector<std::string> replaced = {"LOCKSCOPE_PASSWORD="};
    for (const auto& s : secrets) replaced.push_back(s.substr(0, s.find('=') + 1));
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        bool keep = true;
        for (const auto& name : replaced)
            if (std::strncmp(*e, name.c_str(), name.size()) == 0) keep = false;
        if (keep) env.emplace_back(*e);
    }
    if (!password.empty()) env.push_back("LOCKSCOPE_PASSWORD=" + password);
    env.insert(env.end(), secrets.begin(), secrets.end());
    o.environment = std::move(env);
    return o;
}

std::vector<std::string> commandLine(const std::string& executable,
                                     const std::vector<std::string>& args) {
    std::vector<std::string> argv{executable};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

}  // namespace

WorkerProcess::WorkerProcess(const std::string& executable, const std::vector<std::string>& args,
                             const std::string& password, const std::vector<std::string>& secrets)
    : process_(Subprocess::spawn(commandLine(executable, args), workerOptions(password, secrets))) {
}

bool WorkerProcess::sendLine(const std::string& line) { return process_.writeInput(line + "\n"); }

std::vector<std::string> WorkerProcess::readLines() {
    process_.readOutput(outBuffer_);
    std::vector<std::string> lines;
    size_t start = 0;
    while (true) {
        const auto nl = outBuffer_.find('\n', start);
        if (nl == std::string::npos) break;
        lines.push_back(outBuffer_.substr(start, nl - start));
        start = nl + 1;
    }
    outBuffer_.erase(0, start);
    return lines;
}

const std::string& WorkerProcess::errorText() {
    process_.readError(errText_);
    return errText_;
}

bool WorkerProcess::pause(std::chrono::milliseconds confirm) {
    if (!process_.signal(SIGSTOP)) return false;
    const auto deadline = std::chrono::steady_clock::now() + confirm;
    while (running() && !stopped() && std::chrono::steady_clock::now() < deadline) {
        poll();
        if (!stopped()) std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return running() && stopped();
}

}  // namespace lockscope::demo
