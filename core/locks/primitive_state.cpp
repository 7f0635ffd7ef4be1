#include "locks/primitive_state.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "locks/kind_check.h"
#include "locks/redisson_names.h"
#include "util/text.h"

namespace lockscope::locks {
namespace {

constexpr long long kMaxListed = 200;
constexpr long long kMaxNestedReads = 64;

std::optional<long long> integerOf(std::string_view s) {
    long long v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

// A zset score as Redis prints it ("1712345678901" or "9.22337203685477e+14").
long long scoreOf(std::string_view s) {
    if (auto v = integerOf(s)) return *v;
    try {
        return static_cast<long long>(std::stod(std::string(s)));
    } catch (const std::exception&) {
        return 0;
    }
}

long long serverTime(const redis::Reply& time) {
    if (!time.isArray() || time.size() < 2) return 0;
    return time.at(0).asInteger() * 1000 + time.at(1).asInteger() / 1000;
}

std::vector<QueuedWaiter> waiters(const redis::Reply& withScores, long long now) {
    std::vector<QueuedWaiter> out;
    if (!withScores.isArray()) return out;
    for (size_t i = 0; i + 1 < withScores.size(); i += 2) {
        QueuedWaiter w;
        w.id = std::string(withScores.at(i).str());
        w.deadlineMs = scoreOf(withScores.at(i + 1).str());
        w.leftMs = w.deadlineMs - now;
        out.push_back(std::move(w));
    }
    return out;
}

std::string seconds(long long ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
    return buf;
}

std::string deadlineText(long long leftMs) {
    return leftMs > 0 ? "deadline in " + seconds(leftMs)
                      : "deadline passed " + seconds(-leftMs) + " ago (dropped at the next try)";
}

void readFair(redis::Connection& c, std::string_view key, PrimitiveState& s) {
    // The queue in order; each waiter's deadline from the timeout set.
    auto r = c.pipeline()
                 .add({"LRANGE", fairQueueKey(key), 0, kMaxListed - 1})
                 .add({"ZRANGE", fairTimeoutKey(key), 0, -1, "WITHSCORES"})
                 .exec();
    const auto scores = waiters(r[1], s.serverTimeMs);
    if (!r[0].isArray()) return;
    for (size_t i = 0; i < r[0].size(); ++i) {
        QueuedWaiter w;
        w.id = std::string(r[0].at(i).str());
        auto it = std::find_if(scores.begin(), scores.end(),
                               [&](const QueuedWaiter& x) { return x.id == w.id; });
        if (it != scores.end()) {
            w.deadlineMs = it->deadlineMs;
            w.leftMs = it->leftMs;
        }
        s.queue.push_back(std::move(w));
    }
}

void readRw(redis::Connection& c, std::string_view key, PrimitiveState& s) {
    // Each reader's lease is its longest per-hold timeout key.
    auto p = c.pipeline();
    std::vector<size_t> asked;  // reader index per queued PTTL
    for (const auto& [field, holds] : s.holders) {
        if (field.size() > 6 && field.compare(field.size() - 6, 6, ":write") == 0) {
            s.writer = field;
            s.writerHolds = holds;
            continue;
        }
        s.readers.push_back({field, holds, -2});
        const std::string prefix = readerTimeoutPrefix(key, field);
        for (long long i = 1; i <= std::min(holds, kMaxNestedReads); ++i) {
            p.add({"PTTL", prefix + ":" + std::to_string(i)});
            asked.push_back(s.readers.size() - 1);
        }
    }
    p.add({"ZRANGE", rwWritersWaitingKey(key), 0, kMaxListed - 1, "WITHSCORES"});
    auto r = p.exec();
    for (size_t i = 0; i < asked.size(); ++i)
        if (r[i].isInteger())
            s.readers[asked[i]].leaseLeftMs =
                std::max(s.readers[asked[i]].leaseLeftMs, r[i].integer());
    s.writersWaiting = waiters(r.back(), s.serverTimeMs);
}

void readPermits(redis::Connection& c, std::string_view key, PrimitiveState& s) {
    auto r = c.command({"ZRANGE", permitLeaseKey(key), 0, kMaxListed - 1, "WITHSCORES"});
    for (const auto& w : waiters(r, s.serverTimeMs)) {
        Permit p;
        p.id = w.id;
        p.expires = w.deadlineMs < kPermitNoLease;
        p.leaseLeftMs = p.expires ? w.leftMs : 0;
        s.permits.push_back(std::move(p));
    }
}

}  // namespace

std::string_view primitiveKindName(PrimitiveKind k) {
    switch (k) {
        case PrimitiveKind::None:
            return "none";
        case PrimitiveKind::FairLock:
            return "fair-lock";
        case PrimitiveKind::ReadWriteLock:
            return "read-write-lock";
        case PrimitiveKind::Semaphore:
            return "semaphore";
        case PrimitiveKind::ExpirableSemaphore:
            return "expirable-semaphore";
        case PrimitiveKind::Latch:
            return "latch";
    }
    return "none";
}

std::string lockscopeMetaKey(std::string_view key) {
    return redissonPrefixName("lockscope_meta", key);
}
std::string rwWritersWaitingKey(std::string_view key) {
    return redissonPrefixName("lockscope_rwlock_writers", key);
}
std::string fairQueueKey(std::string_view key) {
    return redissonPrefixName("redisson_lock_queue", key);
}
std::string fairTimeoutKey(std::string_view key) {
    return redissonPrefixName("redisson_lock_timeout", key);
}
std::string permitLeaseKey(std::string_view key) { return redissonSuffixName(key, "timeout"); }
std::string readerTimeoutPrefix(std::string_view key, std::string_view field) {
    return redissonSuffixName(key, field) + ":rwlock_timeout";
}

std::optional<long long> PrimitiveState::taken() const {
    // A permit whose lease ran out is free (the next acquire takes it back): not taken.
    if (kind == PrimitiveKind::ExpirableSemaphore)
        return static_cast<long long>(permits.size()) - expiredPermits();
    if (size && free) return std::max(0LL, *size - *free);
    return std::nullopt;
}

long long PrimitiveState::expiredPermits() const {
    return std::count_if(permits.begin(), permits.end(),
                         [](const Permit& p) { return p.expires && p.leaseLeftMs <= 0; });
}

PrimitiveState readPrimitiveState(redis::Connection& c, std::string_view key,
                                  PrimitiveKind expected) {
    const std::string meta = lockscopeMetaKey(key), leases = permitLeaseKey(key);
    auto head = c.pipeline()
                    .add({"TYPE", key})
                    .add({"PTTL", key})
                    .add({"TIME"})
                    .add({"TYPE", meta})
                    .add({"TYPE", leases})
                    .add({"EXISTS", fairQueueKey(key)})
                    .exec();
    for (auto& r : head) r.throwIfError();
    PrimitiveState s;
    KindEvidence e;
    e.type = std::string(head[0].str());
    s.ttlMs = head[1].integer();
    s.serverTimeMs = serverTime(head[2]);
    e.metaType = std::string(head[3].str());
    e.leaseType = std::string(head[4].str());
    const bool queue = head[5].integer() > 0;

    // What the recognition needs (kind_check.h): the value or the fields, our record, the ids.
    auto p = c.pipeline();
    int valueAt = -1, metaAt = -1, idsAt = -1, n = 0;
    if (e.type == "string") {
        p.add({"GET", key});
        valueAt = n++;
    } else if (e.type == "hash") {
        p.add({"HLEN", key});
        valueAt = n++;
    }
    if (e.metaType == "hash") {
        p.add({"HMGET", meta, "kind", "size"});
        metaAt = n++;
    }
    if (e.leaseType == "zset") {
        p.add({"ZRANGE", leases, 0, kLeaseIdsChecked - 1});
        idsAt = n++;
    }
    if (n > 0) {
        auto r = p.exec();
        for (auto& x : r) x.throwIfError();
        if (e.type == "string") e.value = r[valueAt].optString().value_or("");
        if (e.type == "hash") {
            if (r[valueAt].integer() > 1000) {
                e.fields.resize(1001);  // too many to be a lock: an application's hash
            } else {
                auto all = c.command({"HGETALL", key});
                for (size_t i = 0; i + 1 < all.size(); i += 2)
                    e.fields.emplace_back(std::string(all.at(i).str()),
                                          std::string(all.at(i + 1).str()));
            }
        }
        if (metaAt >= 0) {
            e.metaKind = r[metaAt].at(0).optString().value_or("");
            e.metaSize = r[metaAt].at(1).optString().value_or("");
        }
        if (idsAt >= 0)
            for (size_t i = 0; i < r[idsAt].size(); ++i)
                e.leaseIds.emplace_back(r[idsAt].at(i).str());
    }
    const KeyKind kind = recogniseKind(e);
    s.seenKind = kind.kind;
    s.seen = describeKind(kind.kind, kind.detail);
    auto wants = [&](PrimitiveKind k) { return expected == PrimitiveKind::None || expected == k; };
    auto holders = [&] {
        for (const auto& [f, v] : e.fields) {
            if (f == "mode") {
                s.mode = v;
                continue;
            }
            s.holders.emplace_back(f, integerOf(v).value_or(0));
        }
        std::sort(s.holders.begin(), s.holders.end());
    };
    const auto number = integerOf(e.value);

    if (kind.kind == "none") {
        // A free fair lock can still have a queue (its head is about to take it); a free
        // read-write lock can have writers waiting; an open latch is gone.
        if (expected == PrimitiveKind::FairLock || (queue && expected == PrimitiveKind::None)) {
            s.kind = PrimitiveKind::FairLock;
            readFair(c, key, s);
        } else if (expected == PrimitiveKind::ReadWriteLock) {
            s.kind = PrimitiveKind::ReadWriteLock;
            readRw(c, key, s);
        } else if (expected == PrimitiveKind::Latch) {
            s.kind = PrimitiveKind::Latch;
            s.count = 0;
        } else if (expected == PrimitiveKind::Semaphore ||
                   expected == PrimitiveKind::ExpirableSemaphore) {
            s.kind = expected;
        }
    } else if (kind.kind == "lock-hash") {
        // An exclusive lock: a fair lock when its queue says so (or the caller asks as one).
        if (expected == PrimitiveKind::FairLock || (queue && expected == PrimitiveKind::None)) {
            s.kind = PrimitiveKind::FairLock;
            holders();
            readFair(c, key, s);
        }
    } else if (kind.kind == "read-write" && wants(PrimitiveKind::ReadWriteLock)) {
        s.kind = PrimitiveKind::ReadWriteLock;
        holders();
        readRw(c, key, s);
    } else if (kind.kind == "semaphore" && wants(PrimitiveKind::Semaphore)) {
        s.kind = PrimitiveKind::Semaphore;
        s.describedByLockScope = true;
        s.free = number;
        s.size = integerOf(e.metaSize);
    } else if (kind.kind == "expirable-semaphore" && wants(PrimitiveKind::ExpirableSemaphore)) {
        s.kind = PrimitiveKind::ExpirableSemaphore;
        s.describedByLockScope = kind.detail.empty();
        s.free = number;
        if (s.describedByLockScope) s.size = integerOf(e.metaSize);
        if (e.leaseType == "zset") readPermits(c, key, s);
        // Permits whose lease ran out are free: the next acquire takes them back first
        // (Redisson's availablePermits counts them the same way).
        if (s.free) *s.free += s.expiredPermits();
    } else if (kind.kind == "latch" && wants(PrimitiveKind::Latch)) {
        s.kind = PrimitiveKind::Latch;
        s.describedByLockScope = true;
        s.count = number;
        s.size = integerOf(e.metaSize);
    } else if (kind.kind == "integer" && kind.detail.empty() &&
               (expected == PrimitiveKind::Semaphore ||
                expected == PrimitiveKind::ExpirableSemaphore ||
                expected == PrimitiveKind::Latch)) {
        // A bare integer asked for as one: Redisson's RSemaphore / RCountDownLatch keep no
        // record, so there is no size to show (and nothing verified beyond the number).
        s.kind = expected;
        if (expected == PrimitiveKind::Latch)
            s.count = number;
        else
            s.free = number;
    }
    return s;
}

std::optional<std::string> notOfKind(const PrimitiveState& s, std::string_view wanted) {
    if (s.kind != PrimitiveKind::None || s.seenKind.empty() || s.seenKind == "none")
        return std::nullopt;
    return "not " + std::string(wanted) + ": it is " + s.seen;
}

std::optional<std::string> unadoptedBareCount(PrimitiveState& s, PrimitiveKind kind, bool adopt,
                                              std::string_view wanted,
                                              std::string_view redissonType) {
    if (adopt || s.kind != kind || s.describedByLockScope || !(s.count || s.free))
        return std::nullopt;
    s.kind = PrimitiveKind::None;
    s.count.reset();
    s.free.reset();
    return "not a " + std::string(wanted) + ": it is " + s.seen + " (a Redisson " +
           std::string(redissonType) + " keeps no record: --adopt-bare-count reads it as one)";
}

std::vector<std::string> describePrimitiveState(const PrimitiveState& s) {
    std::vector<std::string> out;
    auto waiterLines = [&](const std::vector<QueuedWaiter>& list) {
        int n = 0;
        for (const auto& w : list)
            out.push_back("  " + std::to_string(++n) + ". " + displayBytes(w.id) + "  " +
                          deadlineText(w.leftMs));
    };
    switch (s.kind) {
        case PrimitiveKind::None:
            break;
        case PrimitiveKind::FairLock:
            out.push_back(s.queue.empty() ? std::string("queue: empty")
                                          : "queue (" + std::to_string(s.queue.size()) +
                                                " waiting, in order):");
            waiterLines(s.queue);
            break;
        case PrimitiveKind::ReadWriteLock: {
            out.push_back("mode: " + (s.mode.empty() ? std::string("free") : s.mode));
            out.push_back("readers: " + std::to_string(s.readers.size()));
            for (const auto& r : s.readers)
                out.push_back("  " + displayBytes(r.id) + "  x" + std::to_string(r.holds) +
                              (r.leaseLeftMs >= 0    ? "  lease " + seconds(r.leaseLeftMs) + " left"
                               : r.leaseLeftMs == -1 ? "  no lease"
                                                     : "  lease ran out"));
            out.push_back("writer: " + (s.writer.empty() ? std::string("(none)")
                                                         : displayBytes(s.writer) + "  x" +
                                                               std::to_string(s.writerHolds)));
            if (!s.writersWaiting.empty()) {
                out.push_back("writers waiting (readers let them go first): " +
                              std::to_string(s.writersWaiting.size()));
                waiterLines(s.writersWaiting);
            }
            break;
        }
        case PrimitiveKind::Semaphore:
        case PrimitiveKind::ExpirableSemaphore: {
            std::string line = "permits: ";
            line += s.free ? std::to_string(*s.free) : std::string("?");
            line += s.size ? " of " + std::to_string(*s.size) + " free" : " free";
            if (auto t = s.taken()) line += ", " + std::to_string(*t) + " taken";
            if (const long long ranOut = s.expiredPermits(); ranOut > 0)
                line += " (" + std::to_string(ranOut) +
                        " free whose lease ran out: the next acquire takes it back)";
            if (s.kind == PrimitiveKind::Semaphore && s.taken().value_or(0) > 0)
                line += " (plain permits name no holder)";
            out.push_back(line);
            for (const auto& p : s.permits)
                out.push_back("  " + displayBytes(p.id) + "  " +
                              (!p.expires          ? std::string("no lease")
                               : p.leaseLeftMs > 0 ? "lease " + seconds(p.leaseLeftMs) + " left"
                                                   : "lease ran out " + seconds(-p.leaseLeftMs) +
                                                         " ago: free (taken back at the next "
                                                         "acquire)"));
            break;
        }
        case PrimitiveKind::Latch:
            out.push_back("count: " + (s.count ? std::to_string(*s.count) : std::string("?")) +
                          (s.size ? " of " + std::to_string(*s.size) : std::string()) +
                          (s.count && *s.count == 0 ? " (open)" : ""));
            break;
    }
    return out;
}

}  // namespace lockscope::locks

namespace lockscope::locks {
namespace {

std::string countHolder(std::string_view prefix, long long n, std::optional<long long> size) {
    return std::string(prefix) + std::to_string(n) + (size ? "/" + std::to_string(*size) : "");
}

std::optional<CountHolder> parseCountHolder(std::string_view prefix, std::string_view s) {
    if (s.substr(0, prefix.size()) != prefix) return std::nullopt;
    s.remove_prefix(prefix.size());
    CountHolder h;
    const auto slash = s.find('/');
    auto n = integerOf(s.substr(0, slash));
    if (!n) return std::nullopt;
    h.count = *n;
    if (slash != std::string_view::npos) {
        h.size = integerOf(s.substr(slash + 1));
        if (!h.size) return std::nullopt;
    }
    return h;
}

}  // namespace

std::string plainPermitsHolder(long long taken, std::optional<long long> size) {
    return countHolder("taken:", taken, size);
}
std::string latchHolder(long long count, std::optional<long long> size) {
    return countHolder("count:", count, size);
}
std::optional<CountHolder> parsePlainPermitsHolder(std::string_view holder) {
    return parseCountHolder("taken:", holder);
}
std::optional<CountHolder> parseLatchHolder(std::string_view holder) {
    return parseCountHolder("count:", holder);
}

}  // namespace lockscope::locks
