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
    enum class Kind { ForceRelease, Extend, SetCounter, ResetCounter };
    Kind kind = Kind::ForceRelease;
    std::string key;
    std::string holder;  // ForceRelease, Extend: the holder the operator saw
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
//   extend         holder=H ttl_ms=T found=F
//   set / reset    value=V was=P
AuditEntry auditEntry(const AuditedAction& action, std::string server, std::string outcome,
                      std::string_view found = {});

std::string auditLogPath();
// Appends one line; returns an error message when the log could not be written (the action
// itself is not undone — the caller reports the failure).
std::optional<std::string> appendAudit(const AuditEntry& entry);

}  // namespace lockscope
