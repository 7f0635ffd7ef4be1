#include "monitor/primitive_formats.h"

#include <algorithm>
#include <charconv>

#include "locks/kind_check.h"
#include "locks/owner.h"
#include "locks/primitive_state.h"

namespace lockscope::monitor {
namespace {

// The permits read with their leases (holders, leases that ran out); the ids after them, up to
// locks::kLeaseIdsChecked, are read for the kind check only.
constexpr long long kPermitsListed = 64;
static_assert(kPermitsListed <= locks::kLeaseIdsChecked);

std::optional<long long> integerOf(std::string_view s) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    long long v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

// "<uuid>:<threadId>…" — the shape of a Redisson holder field (the classifier checks it fully).
bool looksLikeRedissonField(std::string_view f) { return f.size() >= 38 && f[36] == ':'; }

long long scoreOf(std::string_view s) {
    if (auto v = integerOf(s)) return *v;
    try {
        return static_cast<long long>(std::stod(std::string(s)));
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace

bool isPrimitiveCompanionKey(std::string_view key) {
    return key.substr(0, 15) == "lockscope_meta:" ||
           key.substr(0, 25) == "lockscope_rwlock_writers:";
}

std::vector<std::string> primitivePrimaryCandidates(std::string_view key) {
    std::string_view name;
    constexpr std::string_view kLease = ":timeout";
    if (key.substr(0, 15) == "lockscope_meta:")
        name = key.substr(15);
    else if (key.substr(0, 25) == "lockscope_rwlock_writers:")
        name = key.substr(25);
    else if (key.size() > kLease.size() && key.substr(key.size() - kLease.size()) == kLease)
        name = key.substr(0, key.size() - kLease.size());
    // Both writers add braces unless the name has one (locks/redisson_names.h).
    if (name.find('{') == std::string_view::npos) return {};
    std::vector<std::string> out{std::string(name)};
    if (name.size() > 2 && name.front() == '{' && name.back() == '}')
        out.emplace_back(name.substr(1, name.size() - 2));
    return out;
}

PrimitiveAsk planPrimitives(
    const std::vector<std::pair<const Observation*, PrimitiveCompanions*>>& keys, bool oneExists,
    const std::vector<bool>& askedElsewhere) {
    PrimitiveAsk ask;
    for (size_t i = 0; i < keys.size(); ++i) {
        const Observation& o = *keys[i].first;
        if (o.type == "hash") {
            bool redisson = false, mode = false;
            for (const auto& [f, v] : o.fields) {
                if (f == "mode") mode = true;
                if (looksLikeRedissonField(f)) redisson = true;
            }
            if (redisson && mode) ask.writers.push_back(i);
        } else if (o.type == "string" && !o.truncated && integerOf(o.value) &&
                   !(i < askedElsewhere.size() && askedElsewhere[i])) {
            ask.evidence.push_back(i);
        }
    }
    // Every counter is a candidate, and almost none has a companion: with several, one EXISTS
    // over all their companions' names first (a cluster node refuses names of several slots
    // with CROSSSLOT, and is asked key by key from then on).
    ask.together = oneExists && ask.evidence.size() > 1;
    return ask;
}

void queuePrimitives(redis::Pipeline& p,
                     const std::vector<std::pair<const Observation*, PrimitiveCompanions*>>& keys,
                     const PrimitiveAsk& ask) {
    for (size_t i : ask.writers) p.add({"ZCARD", locks::rwWritersWaitingKey(keys[i].first->key)});
    if (ask.together) {
        std::vector<std::string> names;  // alive until added: a Command's arguments are views
        names.reserve(2 * ask.evidence.size());
        for (size_t i : ask.evidence) {
            names.push_back(locks::lockscopeMetaKey(keys[i].first->key));
            names.push_back(locks::permitLeaseKey(keys[i].first->key));
        }
        redis::Command exists{"EXISTS"};
        for (const auto& n : names) exists << n;
        p.add(exists);
    } else {
        for (size_t i : ask.evidence) {
            const std::string& key = keys[i].first->key;
            p.add({"EXISTS", locks::lockscopeMetaKey(key), locks::permitLeaseKey(key)});
        }
    }
}

int readPrimitives(redis::Connection& c,
                   const std::vector<std::pair<const Observation*, PrimitiveCompanions*>>& keys,
                   const PrimitiveAsk& ask, std::vector<redis::Reply>::const_iterator first,
                   bool* oneExists) {
    int rounds = 0;
    for (size_t j = 0; j < ask.writers.size(); ++j, ++first)
        if (first->isInteger()) keys[ask.writers[j]].second->writersWaiting = first->integer();
    std::vector<size_t> evidence = ask.evidence;
    auto perKey = first;
    std::vector<redis::Reply> oneByOne;
    if (ask.together) {
        const auto& all = *first;
        if (all.isError() && all.errorMessage().rfind("CROSSSLOT", 0) == 0 && oneExists)
            *oneExists = false;
        if (all.isInteger() && all.integer() == 0) {
            evidence.clear();  // none has a companion
        } else {
            auto p2 = c.pipeline();
            for (size_t i : evidence) {
                const std::string& key = keys[i].first->key;
                p2.add({"EXISTS", locks::lockscopeMetaKey(key), locks::permitLeaseKey(key)});
            }
            oneByOne = p2.exec();
            ++rounds;
            perKey = oneByOne.cbegin();
        }
    }
    std::vector<size_t> evident;
    for (size_t j = 0; j < evidence.size(); ++j) {
        const auto& r = perKey[static_cast<std::ptrdiff_t>(j)];
        if (!r.isInteger()) continue;  // refused (ACL): no evidence
        if (r.integer() > 0) evident.push_back(evidence[j]);
    }
    if (evident.empty()) return rounds;
    // Rare: the keys that are semaphores or latches.
    auto p4 = c.pipeline();
    for (size_t i : evident) {
        const std::string& key = keys[i].first->key;
        const std::string leases = locks::permitLeaseKey(key);
        p4.add({"HGETALL", locks::lockscopeMetaKey(key)})
            .add({"ZCARD", leases})
            .add({"ZRANGE", leases, 0, kPermitsListed - 1, "WITHSCORES"})
            .add({"ZRANGE", leases, kPermitsListed, locks::kLeaseIdsChecked - 1});
    }
    auto details = p4.exec();
    for (size_t n = 0; n < evident.size(); ++n) {
        PrimitiveCompanions& comp = *keys[evident[n]].second;
        const auto& meta = details[4 * n];
        const auto& count = details[4 * n + 1];
        const auto& permits = details[4 * n + 2];
        const auto& more = details[4 * n + 3];
        if (meta.isArray())
            for (size_t f = 0; f + 1 < meta.size(); f += 2) {
                if (meta.at(f).str() == "kind") comp.metaKind = std::string(meta.at(f + 1).str());
                if (meta.at(f).str() == "size") comp.metaSize = integerOf(meta.at(f + 1).str());
            }
        if (count.isInteger()) {
            comp.permitsTaken = count.integer();
            comp.leaseSet = count.integer() > 0;
        }
        if (permits.isArray())
            for (size_t f = 0; f + 1 < permits.size(); f += 2)
                comp.permits.emplace_back(std::string(permits.at(f).str()),
                                          scoreOf(permits.at(f + 1).str()));
        if (more.isArray())
            for (size_t f = 0; f < more.size(); ++f)
                comp.moreLeaseIds.emplace_back(std::string(more.at(f).str()));
    }
    return rounds + 1;
}

int inspectPrimitives(redis::Connection& c,
                      const std::vector<std::pair<const Observation*, PrimitiveCompanions*>>& keys,
                      bool* oneExists, const std::vector<bool>& askedElsewhere) {
    const PrimitiveAsk ask = planPrimitives(keys, oneExists && *oneExists, askedElsewhere);
    if (ask.replies() == 0) return 0;
    auto p = c.pipeline();
    queuePrimitives(p, keys, ask);
    const auto replies = p.exec();
    return 1 + readPrimitives(c, keys, ask, replies.cbegin(), oneExists);
}

std::optional<PrimitiveMatch> matchPrimitive(
    const Observation& obs, const PrimitiveCompanions& comp, long long wallNowMs,
    const std::unordered_map<std::string, std::string>* clientsByTag) {
    if (obs.type != "string" || obs.truncated) return std::nullopt;
    const auto value = integerOf(obs.value);
    if (!value) return std::nullopt;
    // The full layout, by the same recognition the write paths check in their scripts
    // (locks/kind_check.h): a record that does not fit the value, or a {k}:timeout of things
    // that are not permit ids (issue 14: `SET cache 7` + `ZADD {cache}:timeout 1 x`), is not a
    // synchroniser.
    locks::KindEvidence e;
    e.type = "string";
    e.value = obs.value;
    e.metaType = comp.metaKind.empty() && !comp.metaSize ? "none" : "hash";
    e.metaKind = comp.metaKind;
    e.metaSize = comp.metaSize ? std::to_string(*comp.metaSize) : "";
    e.leaseType = comp.leaseSet ? "zset" : "none";
    // The same members the write scripts check: every one up to locks::kLeaseIdsChecked.
    for (const auto& [id, until] : comp.permits) e.leaseIds.push_back(id);
    e.leaseIds.insert(e.leaseIds.end(), comp.moreLeaseIds.begin(), comp.moreLeaseIds.end());
    const auto kind = locks::recogniseKind(e).kind;
    if (kind != "semaphore" && kind != "latch" && kind != "expirable-semaphore")
        return std::nullopt;
    PrimitiveMatch m;
    if (comp.metaKind == "latch") {
        m.format = Format::Latch;
        m.number = *value;
        m.holdCount = static_cast<std::int32_t>(comp.metaSize.value_or(0));
        m.holder = locks::latchHolder(*value, comp.metaSize);
        return m;
    }
    if (comp.metaKind == "semaphore") {
        m.format = Format::Semaphore;
        m.number = *value;
        const long long taken = comp.metaSize ? std::max(0LL, *comp.metaSize - *value) : 0;
        m.holdCount = static_cast<std::int32_t>(taken);
        m.holder = locks::plainPermitsHolder(taken, comp.metaSize);
        return m;
    }
    const bool ours = comp.metaKind == "expirable-semaphore";
    if (!ours && !comp.leaseSet) return std::nullopt;
    m.format = ours ? Format::ExpirableSemaphore : Format::RedissonExpirableSemaphore;
    // A permit whose lease ran out is free: the next acquire takes it back (Redisson's
    // availablePermits says the same). It counts as free, not taken, names no holder, and a
    // holder gone with it is not an orphan (issue 14 round 3).
    std::vector<std::string> ids;
    long long ranOut = 0;
    bool anyConnected = false;
    for (const auto& [id, until] : comp.permits) {
        if (until < locks::kPermitNoLease && until <= wallNowMs) {
            ++ranOut;
            continue;
        }
        ids.push_back(id);
        // The permit of a LockScope holder names its connection. Orphaned only when every
        // holder named is gone: one dead holder among live ones leaves the semaphore held.
        if (auto t = locks::parseTokenView(id)) {
            const std::string tag(t->tag);
            const bool connected = !clientsByTag || clientsByTag->count(tag) > 0;
            if (!m.ownerTag || (connected && !anyConnected)) m.ownerTag = tag;
            anyConnected = anyConnected || connected;
        } else {
            anyConnected = true;  // a Redisson holder: nothing tells it is gone
        }
    }
    if (anyConnected && m.ownerTag && clientsByTag && !clientsByTag->count(*m.ownerTag))
        m.ownerTag.reset();  // a live Redisson holder beside a gone LockScope one
    m.number = *value + ranOut;
    m.holdCount = static_cast<std::int32_t>(std::max(0LL, comp.permitsTaken - ranOut));
    std::sort(ids.begin(), ids.end());
    for (const auto& id : ids) m.holder += (m.holder.empty() ? "" : ",") + id;
    if (m.holder.empty()) m.holder = locks::plainPermitsHolder(0, comp.metaSize.value_or(m.number));
    m.queued = static_cast<std::int16_t>(std::min<long long>(ranOut, 32767));
    return m;
}

}  // namespace lockscope::monitor
