#include "util/audit.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <utility>

#include "util/text.h"

namespace lockscope {

std::string_view auditActionName(AuditedAction::Kind kind) {
    switch (kind) {
        case AuditedAction::Kind::ForceRelease:
            return "force-release";
        case AuditedAction::Kind::Release:
            return "release";
        case AuditedAction::Kind::Extend:
            return "extend";
        case AuditedAction::Kind::SetCounter:
            return "set-counter";
        case AuditedAction::Kind::ResetCounter:
            return "reset-counter";
    }
    return "action";
}

AuditEntry auditEntry(const AuditedAction& a, std::string server, std::string outcome,
                      std::string_view found) {
    using K = AuditedAction::Kind;
    std::string detail;
    switch (a.kind) {
        case K::ForceRelease:
            detail = "holder=" + a.holder + " ttl_shown_ms=" +
                     (a.ttlShownMs ? std::to_string(*a.ttlShownMs) : std::string()) + " found=";
            break;
        case K::Release:
            detail = "holder=" + a.holder + " found=";
            break;
        case K::Extend:
            detail = "holder=" + a.holder + " ttl_ms=" + std::to_string(a.ttlMs) + " found=";
            break;
        case K::SetCounter:
        case K::ResetCounter:
            detail = "value=" + std::to_string(a.kind == K::SetCounter ? a.value : 0) + " was=";
            break;
    }
    detail += found;
    return {std::move(server), std::string(auditActionName(a.kind)), a.key, std::move(detail),
            std::move(outcome)};
}

std::string auditLogPath() {
    if (const char* p = std::getenv("LOCKSCOPE_AUDIT_LOG"); p && *p) return p;
    std::filesystem::path base;
    if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) {
        base = x;
    } else {
        const char* home = std::getenv("HOME");
        if (!home || !*home) {
            const passwd* pw = ::getpwuid(::getuid());
            home = pw ? pw->pw_dir : "/tmp";
        }
        base = std::filesystem::path(home) / ".local" / "state";
    }
    return (base / "lockscope" / "audit.log").string();
}

AuditLog AuditLog::open() {
    AuditLog log;
    log.path_ = auditLogPath();
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(log.path_).parent_path(), ec);
    log.fd_ = ::open(log.path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log.fd_ < 0)
        log.problem_ = "cannot open the audit log " + log.path_ + ": " + std::strerror(errno);
    return log;
}

AuditLog::AuditLog(AuditLog&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      problem_(std::move(other.problem_)) {}

AuditLog& AuditLog::operator=(AuditLog&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
        problem_ = std::move(other.problem_);
    }
    return *this;
}

AuditLog::~AuditLog() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> AuditLog::append(const AuditEntry& e) {
    if (fd_ < 0) return problem_;
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const passwd* pw = ::getpwuid(::getuid());
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    auto field = [](const std::string& s) {
        std::string d = displayBytes(s);
        for (char& c : d)
            if (c == '\t') c = ' ';
        return d;
    };
    std::string line = std::string(when) + "\t" + (pw ? pw->pw_name : std::to_string(::getuid())) +
                       "\t" + host + "\t" + field(e.server) + "\t" + field(e.action) + "\t" +
                       field(e.key) + "\t" + field(e.detail) + "\t" + field(e.outcome) + "\n";
    // One write() of the whole line: O_APPEND keeps lines of concurrent writers apart.
    const ssize_t n = ::write(fd_, line.data(), line.size());
    if (n != static_cast<ssize_t>(line.size()))
        return "cannot write the audit log " + path_ + ": " +
               (n < 0 ? std::string(std::strerror(errno)) : std::string("short write"));
    return std::nullopt;
}

std::optional<std::string> appendAudit(const AuditEntry& e) { return AuditLog::open().append(e); }

}  // namespace lockscope
