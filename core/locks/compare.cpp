#include "locks/compare.h"

#include "redis/error.h"

namespace lockscope::locks {

const redis::Script& compareAndDeleteScript() {
    static const redis::Script script(R"lua(
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
if v == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
return -1
)lua");
    return script;
}

const redis::Script& compareAndExpireScript() {
    static const redis::Script script(R"lua(
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return -1
)lua");
    return script;
}

ReleaseResult releaseResultFromCode(long long code) {
    if (code == 1) return ReleaseResult::Released;
    if (code == 0) return ReleaseResult::NotHeld;
    return ReleaseResult::NotOwner;
}

ReleaseResult compareAndDeleteLua(redis::Connection& c, std::string_view key,
                                  std::string_view token) {
    return releaseResultFromCode(c.eval(compareAndDeleteScript(), {key}, {token}).integer());
}

ReleaseResult compareAndDeleteWatch(redis::Connection& c, std::string_view key,
                                    std::string_view token) {
    // Unlike the seeds' `while True`, give up after a bounded number of races: a key rewritten
    // 100 times in a row by others is not ours anyway.
    for (int attempt = 0; attempt < 100; ++attempt) {
        c.command({"WATCH", key});
        auto value = c.command({"GET", key}).optString();
        if (!value) {
            c.command({"UNWATCH"});
            return ReleaseResult::NotHeld;
        }
        if (*value != token) {
            c.command({"UNWATCH"});
            return ReleaseResult::NotOwner;
        }
        auto tx = c.pipeline();
        tx.add({"MULTI"}).add({"DEL", key}).add({"EXEC"});
        auto replies = tx.exec();
        for (auto& r : replies) r.throwIfError();
        if (!replies[2].isNil()) return ReleaseResult::Released;  // nil EXEC: the key changed
    }
    return ReleaseResult::NotOwner;
}

ReleaseResult compareAndDelete(redis::Connection& c, LockConfig::CompareVia via,
                               std::string_view key, std::string_view token) {
    return via == LockConfig::CompareVia::Lua ? compareAndDeleteLua(c, key, token)
                                              : compareAndDeleteWatch(c, key, token);
}

bool compareAndExpire(redis::Connection& c, std::string_view key, std::string_view token,
                      std::chrono::milliseconds ttl) {
    return c.eval(compareAndExpireScript(), {key}, {token, ttl.count()}).integer() == 1;
}

LockInfo inspectStringLock(redis::Connection& c, std::string_view key) {
    auto p = c.pipeline();
    p.add({"GET", key}).add({"PTTL", key});
    auto replies = p.exec();
    LockInfo info;
    auto value = replies[0].optString();
    info.ttl = std::chrono::milliseconds(replies[1].integer());
    if (value) {
        info.held = true;
        info.holder = *value;
    }
    return info;
}

}  // namespace lockscope::locks
