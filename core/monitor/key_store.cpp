#include "monitor/key_store.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <utility>

#include "monitor/classifier.h"
#include "monitor/merge.h"

namespace lockscope::monitor {
namespace {

// A lease read with `ttlMs` left at observedAt (the read's send time) ran out by a later moment
// where ttlNow() there is at most this: Redis's clock against ours, and its whole-ms PTTL.
constexpr long long kRanOutMarginMs = 25;

// Records differ in a way a viewer would notice (a TTL that just counts down does not).
bool differs(const KeyState& a, const KeyState& b, Steady::time_point now) {
    if (a.kind != b.kind || a.format != b.format || a.state != b.state || a.holder != b.holder ||
        a.number != b.number || a.holdCount != b.holdCount || a.nodesHolding != b.nodesHolding ||
        a.nodesTotal != b.nodesTotal || a.periodMs != b.periodMs || a.node != b.node ||
        a.stale != b.stale || a.evidence != b.evidence || a.queued != b.queued || b.reset)
        return true;
    if ((a.ttlMs < 0) != (b.ttlMs < 0)) return true;
    // Extended or shortened: more than 100 ms away from where the countdown would be.
    return a.ttlMs >= 0 && std::llabs(a.ttlNow(now) - b.ttlNow(now)) > 100;
}

// Semaphores: the holder is a count of permits taken (taken:2/3) or the permits' ids.
bool countsPermits(Format f) {
    return f == Format::Semaphore || f == Format::ExpirableSemaphore ||
           f == Format::RedissonExpirableSemaphore;
}

bool readWrite(Format f) { return f == Format::ReadWrite || f == Format::RedissonRwLock; }

// A lock in use: held — a semaphore only while a permit is taken (one with every permit free is
// `held` by nobody: "unused").
bool inUse(const KeyState& k) {
    return k.isLock() && k.state != LockState::Free &&
           !(countsPermits(k.format) && k.holdCount <= 0);
}

// The same use of a synchroniser goes on from `previous` to `fresh` (issue 14, adv14d item 4): a
// semaphore with permits still taken, a latch still set (counted down, not yet open), a read-write
// lock's readers joining or leaving while one of them stays. A count that changes is no new
// acquisition: the use, and its age, run on from its first acquisition.
bool useGoesOn(const KeyState& previous, const KeyState& fresh) {
    if (!inUse(previous) || !inUse(fresh) || fresh.reset) return false;
    if (countsPermits(fresh.format) || fresh.format == Format::Latch)
        return previous.format == fresh.format;
    return readWrite(fresh.format) && readWrite(previous.format) &&
           previous.holder != fresh.holder && sharesReader(previous.holder, fresh.holder);
}

// A lock whose value IS its expiry (seed 000's protocol: setnx-getset, an expiry-timestamp, node
// redis-lock) — only without a TTL (with one, the TTL decides: classifier.cpp's timedState).
bool expiryInValue(const KeyState& k) {
    return k.isLock() && k.state != LockState::Free && k.ttlMs < 0 &&
           (k.format == Format::SetnxGetset || k.format == Format::ExpiryTimestamp ||
            k.format == Format::NodeRedisLock);
}

// A new value of a timestamp lock (both expiryInValue) written after the stored expiry had passed:
// seed 000's takeover (GETSET by a waiter), not its holder's extend, which writes before (round 6
// item 3). Written at the read a notification led to (`notified`); polled, at the earliest right
// after the read before — so a poll calls it a takeover only where that read had already found
// the expiry past (`expired-timestamp`), an extend otherwise.
bool takenAfterExpiry(const KeyState& previous, const KeyState& fresh, bool notified,
                      const Clock& clock) {
    if (previous.holder == fresh.holder) return false;
    const auto writtenAt = notified ? fresh.observedAt : previous.observedAt;
    const long long wallWritten =
        clock.wallMillis() -
        std::chrono::duration_cast<std::chrono::milliseconds>(clock.steadyNow() - writtenAt)
            .count();
    return previous.number <= wallWritten;
}

// A timestamp lock extended by its holder (a new expiry written before the old one passed) is the
// same hold: its age runs on, as its stats say (round 6 item 3: the live view's age restarted).
void keepAgeOnExtend(const KeyState& previous, KeyState& fresh, bool notified, const Clock& clock) {
    if (!expiryInValue(previous) || !expiryInValue(fresh) || previous.holder == fresh.holder ||
        takenAfterExpiry(previous, fresh, notified, clock))
        return;
    fresh.lastChange = previous.lastChange;
    fresh.ageExact = previous.ageExact;
    fresh.heldBeforeChangeMs = previous.heldBeforeChangeMs;
}

// LockScope's layout and Redisson's of the same lock (fair, read-write, reentrant): told apart by
// whether the holder's uuid tag is a connected LockScope client on the node read, so the same
// holder may read as either — right after a failover, before it reconnected (adv14e item 7).
int lockFamily(Format f) {
    switch (f) {
        case Format::Fair:
        case Format::RedissonFairLock:
            return 1;
        case Format::ReadWrite:
        case Format::RedissonRwLock:
            return 2;
        case Format::Reentrant:
        case Format::RedissonLock:
            return 3;
        default:
            return 0;
    }
}

// The same holder read in the other layout of its lock is the same hold: its age runs on, exact
// only if its start was seen (adv14e item 7: after a failover a fair lock's Age restarted and was
// shown exact, "25 s" for a 3.5-minute hold, while the chart drew one span).
void keepAgeAcrossLayouts(const KeyState& previous, KeyState& fresh) {
    if (previous.format == fresh.format || !inUse(previous) || !inUse(fresh) || fresh.reset) return;
    const int family = lockFamily(previous.format);
    if (family == 0 || family != lockFamily(fresh.format) || previous.holder != fresh.holder)
        return;
    fresh.lastChange = previous.lastChange;
    fresh.ageExact = previous.ageExact;
    fresh.heldBeforeChangeMs = previous.heldBeforeChangeMs;
}

// `fresh` continues `previous`'s use: its age is that use's (exact only if its start was seen).
void keepUseAge(const KeyState& previous, KeyState& fresh) {
    if (!useGoesOn(previous, fresh)) return;
    fresh.lastChange = previous.lastChange;
    fresh.ageExact = previous.ageExact;
    fresh.heldBeforeChangeMs = previous.heldBeforeChangeMs;
}

}  // namespace

KeyStore::KeyStore(Layout layout, size_t groupNodes, KeyStoreOptions options, const Clock* clock)
    : layout_(layout), groupNodes_(groupNodes), options_(options), clock_(clock) {}

KeyStore::~KeyStore() = default;

void KeyStore::queue(Map::value_type& kv) {
    if (kv.second.queued) return;
    kv.second.queued = true;
    changed_.push_back(&kv);
}

void KeyStore::tally(const KeyState& r, int sign) {
    auto add = [sign](size_t& n) { n = sign > 0 ? n + 1 : n - 1; };
    if (r.isLock())
        add(counts_.locks);
    else if (r.isCounter())
        add(counts_.counters);
    if (r.isStale()) add(counts_.stale);
}

void KeyStore::schedule(Map::value_type& kv, Steady::time_point now) {
    Entry& e = kv.second;
    const KeyState& r = e.record;
    // When refreshEntry() may next change it without a new observation (max: never), by the
    // rule refreshState() applies (timedState): what it would make of the record now, and later.
    auto due = Steady::time_point::max();
    if (r.queueOnly) {
        // A fair lock's queue without its key: listed while its queue's reads say so (the node
        // reads the queue again when its first waiter's deadline passes), not lingering.
    } else if (r.isLock() && r.state == LockState::Free) {
        due = r.observedAt + options_.freeLinger;
    } else if (r.isLock()) {
        // Before `from` refreshState() makes it Held, from then on t->state.
        if (const auto t = timedState(r, now, clock_->wallMillis(), options_.expiringSoon)) {
            if (now < t->from)
                due = r.state == LockState::Held ? t->from : now;
            else if (r.state != t->state)
                due = now;
        }
    }
    const bool timed = due <= now + kHorizon;
    if (timed == e.timed) return;
    e.timed = timed;
    if (timed)
        timed_.insert(&kv);
    else
        timed_.erase(&kv);
}

void KeyStore::erase(Map::iterator it) {
    tally(it->second.record, -1);
    if (it->second.timed) timed_.erase(&*it);
    if (!it->second.queued) {
        store_.erase(it);
        return;
    }
    it->second.queued = false;  // takeChanged() skips it
    erasedQueued_.push_back(store_.extract(it));
}

void KeyStore::markGone(Map::iterator it, Steady::time_point now, std::int32_t expiredEvents) {
    Entry& e = it->second;
    // A fair lock's queue without its key whose last live waiter left, or whose key is gone
    // too: nothing was held, nothing lingers.
    if (e.record.queueOnly) {
        removed_.push_back(it->first);
        moving_.erase(it->first);
        erase(it);
        return;
    }
    if (e.record.isLock()) {
        if (e.record.state != LockState::Free) {
            if (!e.perNode) {
                // The server's notification says how it went: `expired` (each one a lease that
                // ran out while held; two between our reads were two holds) or `del`. Without
                // one (a read found it gone), its TTL had run out (within the time an expiry
                // takes to be noticed; the TTL counts from when it was asked for) or someone
                // deleted it.
                // Without a word, it ran out only where the last read's TTL had passed by the
                // time it was seen gone (round 6 item 5: a margin of 250 ms made a fifth of the
                // holds a poll saw deleted — 1.4 s of a 2 s lease, polled every 500 ms — count
                // as run out). The read's TTL counts from when it was sent, so a lease that ran
                // out is always past by then; the margin is only Redis's clock against ours.
                const long long left = e.record.ttlNow(now);
                long long expired = expiredEvents > 0                                ? expiredEvents
                                    : expiredEvents == 0                             ? 0
                                    : e.record.ttlMs >= 0 && left <= kRanOutMarginMs ? 1
                                                                                     : 0;
                LockStats* s = statsFor(it->first, false);
                if (s && s->leftToExpire) expired = 0;  // ended by its holder, left to expire
                // Kept (listed as seen, gone), but an expiry counts only for a hold counted: one
                // found already held (its start unknown) is in neither `acquisitions` nor
                // `holds`, so its lease running out is not in expired_while_held either (adv11d
                // item 6: expired_while_held 1 next to 0 acquisitions and 0 holds).
                if (!s && expired > 0) s = statsFor(it->first, true);
                if (!s || !s->holding) expired = 0;
                if (s) {
                    s->expiredWhileHeld += expired;
                    // A lease that ran out ended the hold when its TTL did, not when the expiry
                    // was noticed (the server's `expired` event, or our read, comes later).
                    auto end = now;
                    if (expired > 0 && e.record.ttlMs >= 0)
                        end = std::min(
                            now, e.record.observedAt + std::chrono::milliseconds(e.record.ttlMs));
                    endHold(*s, e.record, std::max(end, s->heldSince), true);
                }
            }
            tally(e.record, -1);
            e.record.state = LockState::Free;
            e.record.ttlMs = -2;
            // Gone is the word of a node that answered: no longer stale (the reason may have
            // been the dead master's).
            e.record.stale = Staleness::Fresh;
            e.record.observedAt = now;
            tally(e.record, +1);
            schedule(*it, now);
            queue(*it);
        }
        return;
    }
    removed_.push_back(it->first);
    moving_.erase(it->first);
    erase(it);
}

bool KeyStore::serves(int node, const std::string& key) const {
    return static_cast<size_t>(node) < servedSlots_.size() &&
           redis::inRanges(servedSlots_[static_cast<size_t>(node)], redis::keyHashSlot(key));
}

void KeyStore::setServedSlots(int node, std::vector<redis::SlotRange> ranges) {
    const auto i = static_cast<size_t>(node);
    if (servedSlots_.size() <= i) servedSlots_.resize(i + 1);
    servedSlots_[i] = std::move(ranges);
}

void KeyStore::apply(int node, std::uint32_t epoch, KeyRecord rec) {
    const auto now = rec.observedAt;
    if (const auto i = static_cast<size_t>(node); node >= 0) {
        if (lastEpoch_.size() <= i) lastEpoch_.resize(i + 1, 0);
        lastEpoch_[i] = std::max(lastEpoch_[i], epoch);
    }
    if (rec.isStale()) {  // the node could not read it: the last known state stays, flagged
        auto it = store_.find(rec.key);
        if (it != store_.end()) markStale(it, node, rec.stale, epoch);
        return;
    }
    const bool gone = rec.state == LockState::Free && rec.kind == Kind::Other;
    const bool tracked = rec.kind == Kind::Lock || rec.kind == Kind::Counter;
    if (layout_ == Layout::Group) {
        auto it = store_.find(rec.key);
        applyGroup(node, epoch, std::move(rec), it);
        return;
    }
    // Each key lives on one node (a single server, a Sentinel master, a cluster master).
    rec.node = static_cast<std::int16_t>(node);
    if (!tracked) {
        auto it = store_.find(rec.key);
        if (it == store_.end()) return;
        // A key that moved to another node (resharding, a redirect followed) is that node's: the
        // old owner's word that it is gone, or a scan there that missed it, is stale.
        if (it->second.record.node != rec.node) return;
        // Nor has a cluster node that no longer serves the key's slot (the slot map moved on).
        if (layout_ == Layout::Cluster && !serves(node, rec.key)) return;
        if (gone) {
            markGone(it, now, rec.expiredEvents);
        } else {  // the key now holds something that is neither lock nor counter
            removed_.push_back(rec.key);
            moving_.erase(rec.key);
            erase(it);
        }
        return;
    }
    // One hash lookup per record: found or inserted here, kept by reference from then on.
    auto [it, inserted] = store_.try_emplace(std::move(rec.key));
    Entry& e = it->second;
    // Read before the key was seen gone (a batch that was in flight, overtaken): it would bring
    // back a lock that is gone — a phantom acquisition, and its expiry counted twice.
    if (!inserted && e.record.isLock() && e.record.state == LockState::Free &&
        rec.observedAt < e.record.observedAt)
        return;
    if (inserted) {
        rec.reset = false;  // first sight: nothing to be written "again"
        // Named by a notification during the first sweep, and not created (no `new` event, no
        // release before): a write over a key that may have been there all along — its holder's
        // renewal (`SET … XX` of the same value, PEXPIRE, an INCR beat, a JSON renew time) as
        // well as an acquisition. Its start is unknown: no acquisition, and its age only a lower
        // bound, from this read (adv11d item 4: pre-existing locks counted as acquired, their age
        // "exact" since LockScope started).
        if (rec.isLock() && rec.readOnNotification && !rec.created && !scannedNode(node))
            rec.ageExact = false;
        if (rec.isLock())
            observeLock(it->first, nullptr, rec, node, now, rec.readOnNotification, rec.created);
        e.record = std::move(static_cast<KeyState&>(rec));
        e.epoch = epoch;
        tally(e.record, +1);
        schedule(*it, now);
        queue(*it);
        return;
    }
    // A hand-rolled integer lock (a flag, a hold count, a beat counter) that reads 0 now was
    // released: `free` (its hold ends), not a counter in its place — and stays free while it
    // lingers.
    if (rec.isCounter() && rec.format == Format::Counter && rec.number == 0 && e.record.isLock() &&
        !e.record.byRule() &&
        (e.record.format == Format::Flag || e.record.format == Format::HeartbeatCounter ||
         (e.record.format == Format::Identity && e.record.shape() == ValueShape::Integer))) {
        if (e.record.state != LockState::Free) {
            e.record.holdCount = 0;  // released: nobody holds it any more
            markGone(it, now, 0);
        }
        e.epoch = epoch;
        return;
    }
    if (rec.isLock() || e.record.isLock()) {
        // Behaviour is judged on the record as update() will store it (beats followed).
        KeyState fresh = rec;
        carryOver(e.record, fresh, rec.readOnNotification);
        followBeats(e.record, fresh, rec.reset);
        keepUseAge(e.record, fresh);
        keepAgeAcrossLayouts(e.record, fresh);
        keepAgeOnExtend(e.record, fresh, rec.readOnNotification, *clock_);
        if (fresh.isLock())
            observeLock(it->first, &e.record, fresh, node, now, rec.readOnNotification);
    }
    const bool notified = rec.readOnNotification;
    update(*it, std::move(rec), now, notified);
    e.epoch = epoch;
}

LockStats* KeyStore::statsFor(const std::string& key, bool create) {
    auto it = stats_.find(key);
    if (it != stats_.end()) return &it->second;
    if (!create) return nullptr;
    if (stats_.size() >= options_.maxLockStats) {
        // Make room: drop the stats of locks nobody holds now (gone, or shown free), all at once
        // so the pass runs rarely.
        std::erase_if(stats_, [&](const auto& kv) {
            if (kv.second.holding) return false;
            const auto tracked = store_.find(kv.first);
            return tracked == store_.end() || !tracked->second.record.isLock() ||
                   tracked->second.record.state == LockState::Free;
        });
        if (stats_.size() >= options_.maxLockStats) return nullptr;
    }
    return &stats_[key];
}

void KeyStore::endHold(LockStats& s, const KeyState& last, Steady::time_point now, bool gone) {
    s.last = last;
    if (gone) {
        s.last.state = LockState::Free;
        s.last.ttlMs = -2;
        s.last.observedAt = now;
    }
    if (!s.holding) return;
    s.holding = false;
    if (s.startUnknown) ++s.holdsStartUnknown;
    s.startUnknown = false;
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - s.heldSince).count();
    const auto held = static_cast<std::int32_t>(std::clamp<long long>(ms, 0, 2'000'000'000));
    if (s.holdsMs.size() >= LockStats::kMaxHolds) {
        s.holdsMs.erase(s.holdsMs.begin());
        s.holdRenewed.erase(s.holdRenewed.begin());
    }
    s.holdsMs.push_back(held);
    s.holdRenewed.push_back(s.renewed);
    s.renewed = false;
    s.holdMaxMs = std::max<long long>(s.holdMaxMs, held);
}

bool sharesReader(const std::string& a, const std::string& b) {
    auto split = [](const std::string& s) {
        std::vector<std::string_view> out;
        std::string_view v(s);
        for (size_t at = 0; at <= v.size();) {
            const size_t comma = std::min(v.find(',', at), v.size());
            if (comma > at) out.push_back(v.substr(at, comma - at));
            at = comma + 1;
        }
        return out;
    };
    const auto left = split(a), right = split(b);
    for (auto x : left)
        if (std::find(right.begin(), right.end(), x) != right.end()) return true;
    return false;
}

bool KeyStore::scannedNode(int node) const {
    return node >= 0 && static_cast<size_t>(node) < scanned_.size() &&
           scanned_[static_cast<size_t>(node)];
}

void KeyStore::observeLock(const std::string& key, const KeyState* previous, const KeyState& fresh,
                           int node, Steady::time_point now, bool onNotification, bool created) {
    if (layout_ == Layout::Group) return;  // a group's holds are its merged record's (not kept)
    const bool scanned = scannedNode(node);
    // A semaphore is in use from its first permit taken to its last given back: that is its hold
    // (adv14d item 5), as a latch's is from set to open. Created or left with every permit free,
    // nobody holds it.
    const bool wasHeld = previous && inUse(*previous);
    auto begin = [&](LockStats& s) {
        ++s.acquisitions;
        s.holding = true;
        s.startUnknown = false;
        s.leftToExpire = false;
        s.renewed = false;
        // The acquisition happened when its value last changed (now, for an event's inspection).
        s.heldSince = std::min(fresh.lastChange, now);
        // The TTL at a later read is only what was left of the lease: the lease itself is known
        // where the write's notification led to this read (seconds late under load at worst).
        s.leaseMs = onNotification && fresh.ageExact && fresh.ttlMs > 0 ? fresh.ttlMs : -1;
        s.leaseAtLeastMs = fresh.ttlMs >= 0 ? fresh.ttlMs : -1;
    };
    if (!wasHeld) {
        // Nobody holds it (a fair lock listed from its queue, its key missing): no hold begins.
        if ((countsPermits(fresh.format) || fresh.queueOnly) && !inUse(fresh)) {
            if (LockStats* s = statsFor(key, false)) s->last = fresh;
            return;
        }
        // Appeared while watched (not found by the first inventory): an acquisition. During the
        // first inventory (minutes, paced, on a large server) only a key the server said was
        // created then (`created`: a `new` event, or a release before) is one; a key a `set`,
        // `expire` or `incrby` event named may have been held all along (a renewal), and one
        // the sweep finds is of unknown start: neither is counted.
        if (!previous && !scanned && !(onNotification && created)) {
            // Named by a notification, though: a write while watched, so it was held during the
            // observation. Its release or expiry then ends a hold that is counted — the length
            // from this write a lower bound — where before it was not even listed (adv11e item
            // 1: a lock set and deleted while the first sweep of a large server had not reached
            // it was missing, one that expired showed 0 holds and 0 expiries).
            if (!onNotification || !inUse(fresh)) return;
            if (LockStats* s = statsFor(key, true)) {
                s->holding = true;
                s->startUnknown = true;
                s->leftToExpire = false;
                s->renewed = false;
                s->heldSince = std::min(fresh.lastChange, now);
                s->leaseMs = -1;  // what was left of a lease that may have run for a while
                s->leaseAtLeastMs = fresh.ttlMs >= 0 ? fresh.ttlMs : -1;
                s->last = fresh;
            }
            return;
        }
        // Revealed by new rules (rulesChanged): there all along, its start unknown — unless a
        // notification named it (written just now), or it was a lock seen free before.
        const auto i = static_cast<size_t>(node);
        const bool reinventory = i < rulesFrom_.size() && rulesFrom_[i] != 0;
        if (reinventory && !onNotification && !(previous && previous->isLock())) return;
        if (LockStats* s = statsFor(key, true)) {
            begin(*s);
            s->last = fresh;
        }
        return;
    }
    LockStats* s = statsFor(key, false);
    // An expirable semaphore's permits whose leases ran out since the last read (they stay in its
    // lease set until the next acquire takes them back): leases that ran out while held.
    if ((fresh.format == Format::ExpirableSemaphore ||
         fresh.format == Format::RedissonExpirableSemaphore) &&
        previous->format == fresh.format && fresh.queued > previous->queued) {
        if (!s) s = statsFor(key, true);
        if (s) s->expiredWhileHeld += fresh.queued - previous->queued;
    }
    if (countsPermits(fresh.format) && !inUse(fresh)) {  // the last permit given back
        if (s) {
            // It ended when the value last changed (a poll's read comes later).
            endHold(*s, *previous, std::min(fresh.lastChange, now), false);
            s->last = fresh;
        }
        return;
    }
    // Written again with the same value (KeyState::reset): the hold restarts.
    const bool reset = fresh.reset && fresh.holder == previous->holder;
    bool takeover = false;
    // A synchroniser's holder is a count (taken:1/3, count:2/3) or its set of permits: permits
    // taken or given back and count-downs change it without anyone taking anything from anyone
    // (adv14b item 6: a permit given back was counted as a takeover).
    const bool counting = fresh.format == Format::Semaphore || fresh.format == Format::Latch ||
                          fresh.format == Format::ExpirableSemaphore ||
                          fresh.format == Format::RedissonExpirableSemaphore;
    // A fair lock's queue hands the lock to the next waiter and a read-write lock's readers come
    // and go: their scripts never take the lock from a holder, so a new holder there is a hand-over
    // (one hold ends, the next begins), and readers joining or leaving a shared hold (the reader
    // sets overlap) are the same hold (adv14c item 4; docs/client-formats.md#behaviour). The queue
    // can be read empty on either side of a hand-over (before the first waiter queues, after the
    // last one is handed the lock): the lock then reads as a plain hash lock, whose scripts never
    // replace another holder's field either.
    auto handsOver = [](Format f) {
        return f == Format::Fair || f == Format::RedissonFairLock || f == Format::ReadWrite ||
               f == Format::RedissonRwLock || f == Format::Reentrant || f == Format::RedissonLock ||
               f == Format::RedissonFencedLock || f == Format::SymfonyLock;
    };
    const bool handOver = handsOver(fresh.format) || handsOver(previous->format);
    bool handedOver = false;
    // Another holder whose write a poll found (no notification named it): polling cannot tell
    // a release and a new acquisition between two reads from one holder's lock taken over —
    // the first is what NX locks do —, so it is a new acquisition, not a takeover (round 6 item
    // 9: `takeovers 1` polled, 0 with notifications, for DEL + SET by another holder).
    bool newHolder = false;
    // The previous holder's lease had run out when the new value was written: its hold ended
    // then, by running out (expired_while_held).
    bool ranOut = false;
    auto leaseEnd = now;
    if (counting) {
        takeover = false;
    } else if (handOver) {
        handedOver = !previous->holder.empty() && fresh.holder != previous->holder &&
                     !sharesReader(previous->holder, fresh.holder);
    } else if (fresh.format == Format::HeartbeatCounter) {
        takeover = fresh.number < previous->number;  // GETSET key 1 over a beating counter
    } else if (expiryInValue(*previous) && expiryInValue(fresh)) {
        // A timestamp lock's value is its expiry: a holder's extend writes a new one before the
        // stored one passed (the same hold), seed 000's takeover (GETSET by a waiter) after it
        // (round 6 item 3). Written at the read a notification led to; polled, at the earliest
        // right after the read before — so a poll calls it a takeover only where that read
        // already found the expiry past (`expired-timestamp`), an extend otherwise.
        ranOut = takenAfterExpiry(*previous, fresh, onNotification, *clock_);
        takeover = ranOut;
        if (ranOut)
            leaseEnd = now - std::chrono::milliseconds(
                                 std::max<long long>(0, clock_->wallMillis() - previous->number));
    } else if (fresh.format != Format::SetnxGetset && fresh.format != Format::ExpiryTimestamp &&
               fresh.format != Format::NodeRedisLock) {
        const bool changed = !previous->holder.empty() && fresh.holder != previous->holder &&
                             !sameOwner(*previous, fresh) &&    // a renewal by the holder it names
                             !holdCountStep(*previous, fresh);  // INCR on entry, DECR on exit
        takeover = changed && onNotification;
        newHolder = changed && !onNotification;
        // Polled, the old lease's TTL had run out by this read (as markGone judges a key found
        // gone): it ran out, then the new holder took it.
        if (newHolder && previous->ttlMs >= 0 &&
            previous->ttlNow(fresh.observedAt) <= kRanOutMarginMs) {
            ranOut = true;
            leaseEnd = previous->observedAt + std::chrono::milliseconds(previous->ttlMs);
        }
    }
    if (takeover || reset || handedOver || newHolder) {
        if (!s) s = statsFor(key, true);
        if (!s) return;
        if (takeover) ++s->takeovers;
        auto end = now;
        // An expiry counts only for a hold counted (as in markGone).
        if (ranOut && s->holding) {
            ++s->expiredWhileHeld;
            end = std::max(std::min(leaseEnd, now), s->heldSince);
        }
        endHold(*s, *previous, end, false);
        begin(*s);
    }
    if (!s && fresh.format == Format::HeartbeatCounter && fresh.periodMs > 0)
        s = statsFor(key, true);
    if (!s) return;
    // ShedLock's unlock inside lockAtLeastFor: `SET key ADDED:<now>@<same host> XX PX <rest>`, a
    // shorter TTL than the one running. The task ended here; the key stays until it expires.
    if (s->holding && fresh.format == Format::ShedLock && sameOwner(*previous, fresh) &&
        fresh.ttlMs >= 0 && previous->ttlMs >= 0 &&
        fresh.ttlMs + 250 < previous->ttlNow(fresh.observedAt)) {
        endHold(*s, *previous, now, false);
        s->leftToExpire = true;
    }
    if (s->holding && !takeover && !reset && !handedOver && !newHolder && fresh.ttlMs >= 0) {
        // A TTL above where the last one would have counted down to: an EXPIRE came (a late one
        // after SETNX, or an extension). Its lease is known where its notification led to this
        // read; otherwise only that it is at least this. Either way the fields stay consistent:
        // lease_ms_at_least <= lease_ms (issue 11 round 6).
        const bool raised =
            previous->ttlMs < 0 || fresh.ttlMs > previous->ttlNow(fresh.observedAt) + 250;
        if (raised) {
            // A lease raised over one already running is a renewal (a late first EXPIRE is not).
            s->renewed |= previous->ttlMs >= 0;
            s->leaseMs = onNotification ? fresh.ttlMs : -1;
            s->leaseAtLeastMs = fresh.ttlMs;
        } else if (s->leaseMs < 0 && fresh.ttlMs > s->leaseAtLeastMs) {
            s->leaseAtLeastMs = fresh.ttlMs;
        }
    }
    if (fresh.format == Format::HeartbeatCounter && previous->format == Format::HeartbeatCounter &&
        (previous->evidence & evidence::kBeating) && fresh.number > previous->number &&
        fresh.lastChange > previous->lastChange) {
        // One sample per look: the time since the last beat seen over the beats in between.
        const auto sample = std::chrono::duration_cast<std::chrono::milliseconds>(
                                fresh.lastChange - previous->lastChange)
                                .count() /
                            (fresh.number - previous->number);
        auto& v = s->beatSamplesMs;
        const auto ms = static_cast<std::int32_t>(std::clamp(sample, 1LL, 86'400'000LL));
        // More than kPauseFactor periods without a beat is a pause (a stale spell: the holder
        // stopped, then went on), not a period sample, and no jitter (adv11c item 9: a 1 s beater
        // paused 8 s read jitter 947 ms). Three such in a row: the beater's period changed.
        if (s->beatPeriodMs > 0 && ms > LockStats::kPauseFactor * s->beatPeriodMs) {
            s->beatPausesMs.push_back(ms);
            if (s->beatPausesMs.size() < 3) {
                s->last = fresh;
                return;
            }
            v = std::move(s->beatPausesMs);
        } else {
            // Once per beat: the mean over the window is then the time the beats took over
            // their number, and a read's lateness cancels out (one interval longer, the next
            // shorter by as much) — a median of two or three samples took the late one (1245 ms
            // for a 1010 ms beat), and a poll's rounding to its read times did not cancel.
            const auto beats = std::min<long long>(fresh.number - previous->number,
                                                   static_cast<long long>(LockStats::kBeatSamples));
            for (long long b = 0; b < beats; ++b) {
                if (v.size() >= LockStats::kBeatSamples) v.erase(v.begin());
                v.push_back(ms);
            }
        }
        s->beatPausesMs.clear();
        long long total = 0;
        for (auto x : v) total += x;
        s->beatPeriodMs = static_cast<std::int32_t>(total / static_cast<long long>(v.size()));
        long long deviation = 0;
        for (auto x : v) deviation += std::abs(x - s->beatPeriodMs);
        s->beatJitterMs = static_cast<std::int32_t>(deviation / static_cast<long long>(v.size()));
    } else if (fresh.format != Format::HeartbeatCounter && fresh.periodMs > 0 &&
               fresh.periodMs != s->beatPeriodMs) {
        if (s->beatPeriodMs > 0)
            s->beatJitterMs = static_cast<std::int32_t>(
                (s->beatJitterMs * 3 + std::abs(fresh.periodMs - s->beatPeriodMs)) / 4);
        s->beatPeriodMs = fresh.periodMs;
    }
    s->last = fresh;
}

namespace {
// Nearest rank `q` (0..1) of `holds`; -1 when there are none.
long long percentileOf(std::vector<std::int32_t> holds, double q) {
    if (holds.empty()) return -1;
    std::sort(holds.begin(), holds.end());
    const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(holds.size())));
    return holds[std::clamp<size_t>(rank, 1, holds.size()) - 1];
}
}  // namespace

long long LockStats::holdPercentileMs(double q) const { return percentileOf(holdsMs, q); }

bool LockStats::holdNearsTtl() const {
    std::vector<std::int32_t> unrenewed;
    for (size_t i = 0; i < holdsMs.size(); ++i)
        if (i >= holdRenewed.size() || !holdRenewed[i]) unrenewed.push_back(holdsMs[i]);
    const long long p99 = percentileOf(std::move(unrenewed), 0.99);
    // Only against the lease granted: a lower bound (the largest TTL a poll read, what was left
    // of the lease by then) says nothing of how near the holds came to the lease itself — polled
    // holds of 1.4 s on a 2 s lease were "near the TTL (1209 ms)" (round 6 item 5). Leases that
    // did run out are expired_while_held, polled or not.
    return leaseMs > 0 && p99 >= 0 && p99 * 5 >= leaseMs * 4;
}

LockStatsSummary summarize(const std::string& key, const LockStats& s) {
    LockStatsSummary out{
        key,       s.acquisitions,   s.expiredWhileHeld, s.takeovers,    -1,   -1, -1,
        s.leaseMs, s.leaseAtLeastMs, s.beatPeriodMs,     s.beatJitterMs, false};
    if (s.holdsMs.empty()) return out;
    out.holdP50Ms = s.holdPercentileMs(0.5);
    out.holdP99Ms = s.holdPercentileMs(0.99);
    out.holdMaxMs = s.holdMaxMs;
    out.nearsTtl = s.holdNearsTtl();
    return out;
}

// A Redlock group: keep each node's view, publish the merge.
void KeyStore::applyGroup(int node, std::uint32_t epoch, KeyRecord&& rec, Map::iterator it) {
    const auto now = rec.observedAt;
    const bool tracked = rec.kind == Kind::Lock || rec.kind == Kind::Counter;
    if (it == store_.end()) {
        if (!tracked) return;
        it = store_.emplace(rec.key, Entry{}).first;
        it->second.perNode = std::make_unique<std::vector<NodeSlot>>(groupNodes_);
        it->second.record.kind = Kind::Other;  // not merged yet
    }
    auto& slot = (*it->second.perNode)[static_cast<size_t>(node)];
    slot.epoch = epoch;
    if (tracked)
        slot.record = std::move(rec);
    else
        slot.record.reset();
    remerge(it, now);
}

void KeyStore::markStale(Map::iterator it, int node, Staleness why,
                         std::optional<std::uint32_t> epoch) {
    Entry& e = it->second;
    if (e.perNode) {
        auto& slot = (*e.perNode)[static_cast<size_t>(node)];
        // Listed by this scan, only not readable: the scan's end must not take it for gone.
        if (slot.record && epoch) slot.epoch = std::max(slot.epoch, *epoch);
        if (!slot.record || slot.record->stale == why) return;
        slot.record->stale = why;
        remerge(it, clock_->steadyNow());
        return;
    }
    // Only the node that holds the key speaks for it (in a cluster, another node's CLUSTERDOWN
    // for a key filed elsewhere says nothing about it).
    if (e.record.node != node) return;
    if (epoch) e.epoch = std::max(e.epoch, *epoch);
    if (e.record.stale == why) return;
    if (e.record.isLock() && e.record.state == LockState::Free) return;  // gone already
    tally(e.record, -1);
    e.record.stale = why;
    tally(e.record, +1);
    queue(*it);
}

void KeyStore::markNodeStale(int node, Staleness why) {
    for (auto it = store_.begin(); it != store_.end();) {
        auto next = std::next(it);  // a remerge may erase `it`
        markStale(it, node, why);
        it = next;
    }
}

void KeyStore::requeueNode(int node) {
    for (auto& kv : store_)
        if (!kv.second.perNode && kv.second.record.node == node) queue(kv);
}

void KeyStore::remerge(Map::iterator it, Steady::time_point now) {
    Entry& e = it->second;
    std::vector<const KeyRecord*> views;
    Staleness stale = Staleness::Fresh;
    for (const auto& s : *e.perNode) {
        views.push_back(s.record ? &*s.record : nullptr);
        if (s.record && s.record->isStale() && stale == Staleness::Fresh) stale = s.record->stale;
    }
    auto merged = mergeNodes(views);
    // A group's record is only as fresh as its least fresh node.
    if (merged) merged->stale = stale;
    if (!merged) {
        if (e.record.kind == Kind::Other) {  // never published
            erase(it);
            return;
        }
        markGone(it, now);
        return;
    }
    update(*it, std::move(*merged), now);
}

void KeyStore::update(Map::value_type& kv, KeyState&& fresh, Steady::time_point now,
                      bool notified) {
    const std::string& key = kv.first;
    Entry& e = kv.second;
    if (e.record.kind == Kind::Other) {  // first merge of a group key
        tally(e.record, -1);
        e.record = std::move(fresh);
        tally(e.record, +1);
        schedule(kv, now);
        queue(kv);
        return;
    }
    const bool written = fresh.reset;  // a `set` notification (carryOver clears it on a change)
    carryOver(e.record, fresh, notified);
    followBeats(e.record, fresh, written);
    keepUseAge(e.record, fresh);
    keepAgeAcrossLayouts(e.record, fresh);
    keepAgeOnExtend(e.record, fresh, notified, *clock_);
    // A heartbeat counter's period is the median of its recent beats (observeLock keeps them).
    if (fresh.format == Format::HeartbeatCounter && (fresh.evidence & evidence::kBeating))
        if (const LockStats* s = statsFor(key, false); s && s->beatPeriodMs > 0)
            fresh.periodMs = s->beatPeriodMs;
    // The age carried over may make it stale (expiring, heartbeat-stale) already: say so now, not
    // one refresh later.
    // A hand-rolled hold count (INCR on entry, DECR on exit): one hold since it was taken, its
    // age too — not restarted at each step.
    if (fresh.isLock() && fresh.holdCount > 0 &&
        (fresh.format == Format::Identity || fresh.format == Format::Flag))
        if (const LockStats* s = statsFor(key, false);
            s && s->holding && s->heldSince < fresh.lastChange) {
            fresh.lastChange = s->heldSince;
            fresh.ageExact = e.record.ageExact;
        }
    if (fresh.isLock()) refreshState(fresh, now, clock_->wallMillis(), options_.expiringSoon);
    if (fresh.isCounter()) {
        if (e.record.isCounter() && fresh.number != e.record.number) {
            if (!e.rate) {
                e.rate = std::make_unique<RateTracker>(options_.rateWindow, options_.historyLength);
                e.rate->add(e.record.observedAt, e.record.number);
            }
            moving_.insert(key);
        }
        if (e.rate) e.rate->add(fresh.observedAt, fresh.number);
        fresh.ratePerSecond = e.record.ratePerSecond;
    }
    const bool noticeable = differs(e.record, fresh, now);
    tally(e.record, -1);
    e.record = std::move(fresh);
    tally(e.record, +1);
    schedule(kv, now);
    if (noticeable) queue(kv);
}

void KeyStore::scanDone(int node, std::uint32_t epoch) {
    sweep(node, epoch, false);
    const auto i = static_cast<size_t>(node);
    if (scanned_.size() <= i) scanned_.resize(i + 1);
    scanned_[i] = true;
    if (lastEpoch_.size() <= i) lastEpoch_.resize(i + 1, 0);
    lastEpoch_[i] = std::max(lastEpoch_[i], epoch);
    if (i < rulesFrom_.size() && rulesFrom_[i] != 0 && epoch >= rulesFrom_[i]) rulesFrom_[i] = 0;
}

void KeyStore::rulesChanged() {
    // A scan under way may still be classified under the old rules, and one may have started
    // whose records are not here yet: the re-inventory is complete with the scan after that.
    rulesFrom_.resize(std::max(lastEpoch_.size(), scanned_.size()), 0);
    for (size_t i = 0; i < rulesFrom_.size(); ++i)
        rulesFrom_[i] = (i < lastEpoch_.size() ? lastEpoch_[i] : 0) + 2;
}

void KeyStore::reserve(size_t keys) {
    if (keys > store_.size() &&
        static_cast<float>(keys) >
            store_.max_load_factor() * static_cast<float>(store_.bucket_count()))
        store_.reserve(keys);
}

void KeyStore::retire(int node) { sweep(node, std::numeric_limits<std::uint32_t>::max(), true); }

// Keys of `node` its scan `epoch` did not see are gone — except, in a cluster, keys whose slot it
// no longer serves: they moved, and their new node lists them. `force` (a retired node):
// everything still filed under it.
void KeyStore::sweep(int node, std::uint32_t epoch, bool force) {
    const auto now = clock_->steadyNow();
    const std::vector<redis::SlotRange>* owned = nullptr;
    if (layout_ == Layout::Cluster && !force && static_cast<size_t>(node) < servedSlots_.size())
        owned = &servedSlots_[static_cast<size_t>(node)];
    for (auto it = store_.begin(); it != store_.end();) {
        auto next = std::next(it);
        Entry& e = it->second;
        if (!e.perNode) {
            if (e.record.node == node && e.epoch < epoch &&
                (e.record.state != LockState::Free || e.record.queueOnly) &&
                (!owned || redis::inRanges(*owned, redis::keyHashSlot(it->first))))
                markGone(it, now);
        } else {
            auto& slot = (*e.perNode)[static_cast<size_t>(node)];
            if (slot.record && slot.epoch < epoch) {
                slot.record.reset();
                remerge(it, now);
            }
        }
        it = next;
    }
}

void KeyStore::refreshEntry(Map::value_type& kv, Steady::time_point now, long long wallMs) {
    Entry& e = kv.second;
    if (e.record.isLock() && e.record.state == LockState::Free) {
        if (!e.record.queueOnly && now - e.record.observedAt >= options_.freeLinger) {
            removed_.push_back(kv.first);
            erase(store_.find(kv.first));
            return;
        }
    } else if (e.record.isLock() && refreshState(e.record, now, wallMs, options_.expiringSoon)) {
        queue(kv);
    }
    schedule(kv, now);
}

KeyStore::Counts KeyStore::refreshTimeStates() {
    const auto now = clock_->steadyNow();
    const long long wall = clock_->wallMillis();
    if (now >= nextFullPass_) {
        // Everything: what was due beyond the horizon when last looked at comes within it now.
        for (auto it = store_.begin(); it != store_.end();) {
            auto next = std::next(it);  // `it` may be erased
            refreshEntry(*it, now, wall);
            it = next;
        }
        nextFullPass_ = now + kHorizon / 2;
    } else if (!timed_.empty()) {
        // refreshEntry() may take an entry out of timed_ (or erase it): walk a copy.
        const std::vector<Map::value_type*> due(timed_.begin(), timed_.end());
        for (Map::value_type* kv : due) refreshEntry(*kv, now, wall);
    }
    Counts c = counts_;
    c.keys = store_.size();
    return c;
}

void KeyStore::refreshRates(bool sampleHistory) {
    const auto now = clock_->steadyNow();
    const long long wall = clock_->wallMillis();
    for (auto it = moving_.begin(); it != moving_.end();) {
        auto s = store_.find(*it);
        if (s == store_.end() || !s->second.rate) {
            it = moving_.erase(it);
            continue;
        }
        Entry& e = s->second;
        const double rate = e.rate->rateAt(now);
        if (sampleHistory) e.rate->sampleHistory(wall, rate);
        const float old = e.record.ratePerSecond;
        e.record.ratePerSecond = static_cast<float>(rate);
        if (std::abs(rate - old) > 0.01 * std::max(1.0, std::abs(static_cast<double>(old))))
            queue(*s);
        // A counter that stopped keeps its history but leaves the refresh set.
        if (rate == 0 && old == 0)
            it = moving_.erase(it);
        else
            ++it;
    }
}

std::vector<KeyRecord> KeyStore::takeChanged(size_t max) {
    std::vector<KeyRecord> out;
    size_t taken = 0;
    out.reserve(std::min(max, changed_.size()));
    for (; taken < changed_.size() && out.size() < max; ++taken) {
        auto& [key, e] = *changed_[taken];
        if (!e.queued) continue;  // erased, or a duplicate
        e.queued = false;
        out.emplace_back(e.record, key);
        e.record.reset = false;  // said once: a later update of the same hold is no re-set
    }
    changed_.erase(changed_.begin(), changed_.begin() + static_cast<long>(taken));
    if (changed_.empty()) erasedQueued_.clear();
    return out;
}

std::vector<std::string> KeyStore::takeRemoved() {
    // The final state per key decides: a key removed and tracked again since the last call goes
    // out as changed (takeChanged), never as both; one removed twice goes out once.
    std::vector<std::string> out;
    std::unordered_set<std::string_view> seen;
    for (auto& key : removed_) {
        if (store_.count(key) || !seen.insert(key).second) continue;
        out.push_back(std::move(key));
    }
    removed_.clear();
    return out;
}

const LockStats* KeyStore::lockStats(const std::string& key) const {
    auto it = stats_.find(key);
    return it == stats_.end() ? nullptr : &it->second;
}

const KeyState* KeyStore::find(const std::string& key) const {
    auto it = store_.find(key);
    return it == store_.end() ? nullptr : &it->second.record;
}

std::vector<KeyRecord> KeyStore::snapshot() const {
    std::vector<KeyRecord> out;
    out.reserve(store_.size());
    for (const auto& [k, e] : store_) out.emplace_back(e.record, k);
    return out;
}

std::vector<RatePoint> KeyStore::history(const std::string& key) const {
    auto it = store_.find(key);
    if (it == store_.end() || !it->second.rate) return {};
    const auto& h = it->second.rate->history();
    return {h.begin(), h.end()};
}

}  // namespace lockscope::monitor
