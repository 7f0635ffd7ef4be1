// `read-write`: many readers or one writer, in Redisson's RReadWriteLock layout
// (docs/client-formats.md#format-read-write), so LockScope, Java services and the monitor read and
// write the same locks:
//
//     <key>   hash  mode = "read" | "write"
//                   "<uuid>:<threadId>"        → read holds of that thread
//                   "<uuid>:<threadId>:write"  → write holds of that thread
//     {<key>}:<uuid>:<threadId>:rwlock_timeout:<n>   string "1", PEXPIRE lease — one per read
//                   hold, so the hash lives as long as the longest reader's lease
//     unlock  PUBLISH "redisson_rwlock:{<key>}" — "0" when the last reader leaves, "1" when the
//             writer leaves (Redisson's UNLOCK / READ_UNLOCK messages)
//
// Reentrant both ways, and a writer may also read (a downgrade: take the read lock while holding
// the write lock, then release the write lock). A reader can never upgrade: asking for the write
// lock while holding a read lock waits for itself (as in Redisson) until the timeout.
//
// Which instance asks for what: LockConfig::rwMode; a write lease's token ends in ":write", so
// release() and extend() know what they hold.
//
// Writer preference (LockConfig::writerPreference, the default) is LockScope's own: a writer that
// has to wait puts its claim in the zset lockscope_rwlock_writers:{<key>} (field → deadline, server
// time, renewed every waiterTimeout / 3 like a fair lock's waiter), and new readers wait while a
// live claim exists — readers already inside may nest, or they could deadlock with the writer.
// The trade-off: a steady stream of readers can no longer starve writers, but while writes keep
// coming readers wait, and read throughput drops as the write share grows. Without it (Redisson's
// behaviour, and what a Redisson reader does regardless of our claims) readers always join
// readers: under a read-heavy load a writer can wait for as long as any reader is inside, which
// `demo lock --fault readers-writers` shows. A dead writer's claim runs out after waiterTimeout.
//
// Leases: ttl > 0, extended with extend(); no watchdog mode (ttl 0 is refused).
//
// Thread contract: see LockStrategy; each thread holds under its own fields.
#pragma once

#include "locks/lock_strategy.h"
#include "locks/wake_channel.h"

namespace lockscope::locks {

class ReadWriteLock final : public LockStrategy {
public:
    explicit ReadWriteLock(LockContext context);

    std::string_view id() const override { return "read-write"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    std::optional<Lease> acquire(std::string_view key, milliseconds ttl,
                                 const WaitOptions& wait = {}) override;
    ReleaseResult release(const Lease& lease) override;
    bool extend(Lease& lease, milliseconds ttl) override;
    LockInfo inspect(std::string_view key) override;
    std::string redissonInstance() const override { return instanceId_; }

    // What the next acquisitions ask for (starts as LockConfig::rwMode).
    void setMode(LockConfig::RwMode mode) { mode_ = mode; }
    LockConfig::RwMode mode() const { return mode_; }
    // "<uuid>:<threadId>" (a read hold) of the calling thread; a write hold adds ":write".
    std::string fieldForThisThread() const;
    // Redisson's "redisson_rwlock:{<key>}".
    static std::string channel(std::string_view key);
    static bool isWriteToken(std::string_view token);

private:
    struct Attempt {
        std::optional<Lease> lease;
        long long retryMs = -1;  // -1: only a message will tell
    };
    Attempt attempt(std::string_view key, milliseconds ttl, bool claim);
    void withdrawClaim(std::string_view key, const std::string& writeField) noexcept;

    LockContext context_;
    LockConfig::RwMode mode_;
    std::string instanceId_;
    redis::Connection conn_;
    WakeChannel wake_;
};

}  // namespace lockscope::locks
