// The audit trail of destructive actions (force-release, counter resets): one line per action
// appended to $LOCKSCOPE_AUDIT_LOG, or $XDG_STATE_HOME/lockscope/audit.log, or
// ~/.local/state/lockscope/audit.log. Lines are tab-separated: ISO time, user, host, server,
// action, key, detail, outcome — keys and holders escaped with displayBytes().
//
// The dashboard and the CLI build their entries with auditEntry(), so that the same action is
// logged the same way whoever made it, refused attempts included.
//
// Thread contract: any thread (pure functions; appendAudit makes O_APPEND writes of whole lines).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lockscope {

struct AuditEntry {
    std::string server;  // endpoint display
    std::string action;  // "force-release", "reset-counter", ...
    std::string key;
    std::string detail;   // e.g. "holder=<what the operator saw>"
    std::string outcome;  // "done", "holder-changed", ...
};

// An audited action: what the operator asked for and what they were shown when they asked.
struct AuditedAction {
    enum class Kind { ForceRelease, Release, Extend, SetCounter, ResetCounter };
    Kind kind = Kind::ForceRelease;
    std::string key;
    std::string holder;  // ForceRelease, Release, Extend: the holder (token) the operator gave
    // ForceRelease: the TTL the operator saw (-1: no TTL); the CLI shows none, so it is unknown.
    std::optional<long long> ttlShownMs;
    long long ttlMs = 0;  // Extend: the TTL asked for
    long long value = 0;  // SetCounter: the value asked for (ResetCounter: always 0)
};

std::string_view auditActionName(AuditedAction::Kind kind);  // "force-release", "extend", ...

// The line for `action` on `server`, ending with `outcome` ("done", "holder-changed",
// "refused-read-only", "error: ..."); `found` is what the server had: the holder found (lock
// actions) or the value before (counters). The detail always carries every field of its kind, in
// this order, an unknown value written empty:
//   force-release  holder=H ttl_shown_ms=T found=F
//   release        holder=H found=F
//   extend         holder=H ttl_ms=T found=F
//   set / reset    value=V was=P
AuditEntry auditEntry(const AuditedAction& action, std::string server, std::string outcome,
                      std::string_view found = {});

std::string auditLogPath();

// The audit log opened before an action is taken, so that an action whose record cannot be
// written is refused instead of done unrecorded; append() then writes each outcome before the
// caller reports it. Move-only; closes the file when destroyed.
class AuditLog {
public:
    // Opens (creating directories and the file, mode 0600) auditLogPath() for appending.
    static AuditLog open();
    AuditLog(AuditLog&& other) noexcept;
    AuditLog& operator=(AuditLog&& other) noexcept;
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;
    ~AuditLog();

    bool ok() const { return fd_ >= 0; }
    // Why it could not be opened ("cannot open the audit log PATH: Not a directory").
    const std::string& problem() const { return problem_; }
    const std::string& path() const { return path_; }
    // Appends one whole line; an error message when it could not be written.
    std::optional<std::string> append(const AuditEntry& entry);

private:
    AuditLog() = default;
    int fd_ = -1;
    std::string path_;
    std::string problem_;
};

// Opens the log and appends one line; an error message when it could not be written (the caller
// reports the failure).
std::optional<std::string> appendAudit(const AuditEntry& entry);

}  // namespace lockscope
