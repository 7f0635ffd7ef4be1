// Token-compare primitives shared by the string-valued lock strategies.
//
// Thread contract: free functions over a caller-owned Connection.
#pragma once

#include <chrono>
#include <string_view>

#include "locks/lock_strategy.h"
#include "redis/connection.h"
#include "redis/script.h"

namespace lockscope::locks {

// KEYS[1] = lock, ARGV[1] = token. Returns 1 deleted, 0 no such key, -1 held by another token.
const redis::Script& compareAndDeleteScript();
// KEYS[1] = lock, ARGV[1] = token, ARGV[2] = ttl ms. Returns 1 extended, 0 absent, -1 other token.
const redis::Script& compareAndExpireScript();

// Maps the scripts' 1 / 0 / -1 to a ReleaseResult.
ReleaseResult releaseResultFromCode(long long code);

// Deletes `key` only if it still holds `token`, by Lua (atomic on the server).
ReleaseResult compareAndDeleteLua(redis::Connection& c, std::string_view key,
                                  std::string_view token);
// The same with WATCH / GET / MULTI / DEL / EXEC, retried while the key changes under it — the
// recipe of seeds 000 and 003 (docs/seed-recipes.md#seed-common-watch-release), for servers where
// scripting is disabled.
ReleaseResult compareAndDeleteWatch(redis::Connection& c, std::string_view key,
                                    std::string_view token);
ReleaseResult compareAndDelete(redis::Connection& c, LockConfig::CompareVia via,
                               std::string_view key, std::string_view token);

// PEXPIRE only if `key` still holds `token`.
bool compareAndExpire(redis::Connection& c, std::string_view key, std::string_view token,
                      std::chrono::milliseconds ttl);

// GET + PTTL in one round trip, as LockInfo (holder = value, held = key exists).
LockInfo inspectStringLock(redis::Connection& c, std::string_view key);

}  // namespace lockscope::locks
