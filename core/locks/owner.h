// Who holds a lock: the identity LockScope writes into its lock values and connection names.
//
// Token format of LockScope's own strategies (the monitor parses it back):
//
//     lockscope:<strategy>:<host>:<pid>:<tag>:<nonce>
//
//   strategy  the id of the strategy that wrote it (set-nx-px, redlock, ...), so a monitor can
//             tell strategies with the same layout apart
//   host   gethostname(), with ':' and whitespace replaced by '_'
//   pid    the holder's process id, decimal
//   tag    8 lowercase hex chars naming one lock client (one strategy instance); its connections
//          are named "lockscope:<host>:<pid>:<tag>" with CLIENT SETNAME, so a monitor can tell
//          that a holder's connection is gone (orphaned lock)
//   nonce  16 lowercase hex chars, new for every acquisition
//
// The Redisson-compatible `reentrant` strategy cannot use this format (its hash field must be
// "<uuid>:<threadId>"); its instance UUID begins with the tag instead, see reentrant.h.
//
// Thread contract: value types, no shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lockscope::locks {

inline constexpr std::string_view kTokenPrefix = "lockscope:";

struct Owner {
    std::string host;
    long pid = 0;
    std::string tag;

    // This process, with a fresh random tag.
    static Owner create();
    std::string clientName() const;  // "lockscope:<host>:<pid>:<tag>"
    // "lockscope:<strategy>:<host>:<pid>:<tag>:" + 16 fresh hex chars
    std::string newToken(std::string_view strategy) const;
};

struct TokenInfo {
    std::string strategy;
    std::string host;
    long pid = 0;
    std::string tag;
    std::string nonce;
    std::string clientName() const;
};

// Parses a LockScope token; nullopt for anything else (another client's value).
std::optional<TokenInfo> parseToken(std::string_view token);

// The same without copying: views into `token` (the monitor parses millions of values).
struct TokenView {
    std::string_view strategy, host, tag, nonce;
    long pid = 0;
};
std::optional<TokenView> parseTokenView(std::string_view token);

}  // namespace lockscope::locks
