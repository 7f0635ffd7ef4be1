#include "monitor/inspector.h"

#include "redis/cluster.h"
#include "redis/error.h"

namespace lockscope::monitor {

std::vector<std::string> Inspector::takeNotes() { return std::exchange(notes_, {}); }

Inspector::Batch Inspector::queue(redis::Pipeline& p, std::vector<std::string> keys) {
    Batch b;
    b.idle = options_.idleTime && idleTime_;
    const long long lastByte = static_cast<long long>(options_.previewBytes) - 1;
    for (const auto& k : keys) {
        if (b.idle) p.add({"OBJECT", "IDLETIME", k});
        p.add({"PTTL", k}).add({"GETRANGE", k, 0, lastByte});
    }
    b.keys = std::move(keys);
    return b;
}

std::vector<Inspected> Inspector::inspect(redis::Connection& c,
                                          const std::vector<std::string>& keys) {
    if (keys.empty()) return {};
    auto p = c.pipeline();
    Batch b = queue(p, keys);
    auto replies = p.exec();
    return complete(b, replies.begin(), c);
}

std::vector<Inspected> Inspector::complete(Batch& batch, std::vector<redis::Reply>::iterator first,
                                           redis::Connection& detail) {
    const size_t count = batch.keys.size();
    std::vector<Inspected> out(count);
    std::vector<size_t> needType, needLength;
    auto at = first;
    for (size_t i = 0; i < count; ++i) {
        auto& o = out[i].observation;
        o.key = std::move(batch.keys[i]);
        if (batch.idle) {
            const auto& ir = *at++;
            if (ir.isInteger()) {
                o.idleSeconds = ir.integer();
            } else if (ir.isError() &&
                       ir.errorMessage().find("no such key") == std::string_view::npos) {
                // LFU policy, ACL, renamed OBJECT: stop asking, say it once.
                if (idleTime_)
                    notes_.push_back("OBJECT IDLETIME is not available (" +
                                     std::string(ir.errorMessage().substr(0, 120)) +
                                     "): lock ages count from when LockScope first saw them");
                idleTime_ = false;
            }
        }
        const auto& tr = *at++;
        const auto& vr = *at++;
        if (tr.isError()) {
            // A cluster node that no longer owns the key's slot (resharding, or it turned
            // replica): the caller asks the owner instead.
            if (auto redirect = redis::parseRedirect(tr.errorMessage())) {
                o.type = redirect->ask ? "ask" : "moved";
                o.movedTo = redirect->to.display();
                continue;
            }
            // An ACL that hides some keys (NOPERM): skip the key, say it (a few times at most).
            if (notes_.size() < 8)
                notes_.push_back("cannot read key " + o.key.substr(0, 64) + ": " +
                                 std::string(tr.errorMessage().substr(0, 120)));
            o.type = "unreadable";
            continue;
        }
        o.pttlMs = tr.integer();
        if (o.pttlMs == -2) {
            o.type = "none";
        } else if (vr.isString()) {
            o.type = "string";
            o.value = std::string(vr.str());
            o.length = static_cast<long long>(o.value.size());
            if (o.value.size() == options_.previewBytes) needLength.push_back(i);
        } else {
            needType.push_back(i);  // WRONGTYPE: not a string
        }
    }

    // Round 2: what the first round could not tell.
    if (!needType.empty() || !needLength.empty()) {
        auto p2 = detail.pipeline();
        for (size_t i : needLength) p2.add({"STRLEN", out[i].observation.key});
        for (size_t i : needType) {
            const auto& k = out[i].observation.key;
            p2.add({"TYPE", k}).add({"HLEN", k});
            p2.add({"HSCAN", k, 0, "COUNT", options_.maxHashFields});
        }
        auto r2 = p2.exec();
        size_t j = 0;
        for (size_t i : needLength) {
            auto& o = out[i].observation;
            if (r2[j].isInteger()) o.length = r2[j].integer();
            o.truncated = o.length > static_cast<long long>(o.value.size());
            ++j;
        }
        for (size_t i : needType) {
            auto& o = out[i].observation;
            o.type = r2[j].isError() ? "unreadable" : std::string(r2[j].str());
            const auto& hlen = r2[j + 1];
            const auto& scan = r2[j + 2];
            j += 3;
            if (o.type != "hash") continue;
            if (hlen.isInteger()) o.length = hlen.integer();
            if (scan.isArray() && scan.size() == 2) {
                auto items = scan[1];
                for (size_t f = 0; f + 1 < items.size() && o.fields.size() < options_.maxHashFields;
                     f += 2)
                    o.fields.emplace_back(std::string(items[f].str()),
                                          std::string(items[f + 1].str()));
            }
            o.truncated = o.length > static_cast<long long>(o.fields.size());
        }
    }

    // Round 3, rare: companions of Redisson and fenced locks.
    std::vector<std::pair<size_t, std::string>> asked;
    auto p3 = detail.pipeline();
    for (size_t i = 0; i < count; ++i)
        for (auto& name : companionKeys(out[i].observation)) {
            p3.add({"GET", name});
            asked.emplace_back(i, std::move(name));
        }
    if (!asked.empty()) {
        auto r3 = p3.exec();
        for (size_t j = 0; j < asked.size(); ++j) {
            auto& comp = out[asked[j].first].companions;
            const auto& name = asked[j].second;
            const auto& r = r3[j];
            const bool exists = !r.isNil();  // WRONGTYPE (a list / zset) also means it exists
            std::optional<long long> number;
            if (r.isString()) {
                try {
                    number = r.asInteger();
                } catch (const redis::Error&) {}
            }
            if (name.rfind("lockscope_fence:", 0) == 0)
                comp.lockscopeFence = number;
            else if (name.rfind("redisson_lock_token:", 0) == 0)
                comp.redissonToken = number;
            else if (name.rfind("redisson_lock_queue:", 0) == 0)
                comp.redissonQueue = exists;
        }
    }
    return out;
}

}  // namespace lockscope::monitor
