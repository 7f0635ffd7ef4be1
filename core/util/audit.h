// The audit trail of destructive actions (force-release, counter resets): one line per action
// appended to $LOCKSCOPE_AUDIT_LOG, or $XDG_STATE_HOME/lockscope/audit.log, or
// ~/.local/state/lockscope/audit.log. Lines are tab-separated: ISO time, user, host, server,
// action, key, detail, outcome — keys and holders escaped with displayBytes().
//
// Thread contract: appendAudit may be called from any thread (O_APPEND writes of whole lines).
#pragma once

#include <optional>
#include <string>

namespace lockscope {

struct AuditEntry {
    std::string server;  // endpoint display
    std::string action;  // "force-release", "reset-counter", ...
    std::string key;
    std::string detail;   // e.g. "holder=<what the operator saw>"
    std::string outcome;  // "done", "holder-changed", ...
};

std::string auditLogPath();
// Appends one line; returns an error message when the log could not be written (the action
// itself is not undone — the caller reports the failure).
std::optional<std::string> appendAudit(const AuditEntry& entry);

}  // namespace lockscope
