#include "monitor/inspector.h"

#include "redis/error.h"

namespace lockscope::monitor {

std::vector<std::string> Inspector::takeNotes() { return std::exchange(notes_, {}); }

std::vector<Inspected> Inspector::inspect(redis::Connection& c,
                                          const std::vector<std::string>& keys) {
    std::vector<Inspected> out(keys.size());
    if (keys.empty()) return out;
    const bool idle = options_.idleTime && idleTime_;
    const long long lastByte = static_cast<long long>(options_.previewBytes) - 1;

    // Round 1. OBJECT IDLETIME must come before GETRANGE: a read resets the idle clock.
    auto p1 = c.pipeline();
    for (const auto& k : keys) {
        if (idle) p1.add({"OBJECT", "IDLETIME", k});
        p1.add({"TYPE", k}).add({"PTTL", k}).add({"GETRANGE", k, 0, lastByte});
    }
    auto r1 = p1.exec();
    const size_t per = idle ? 4 : 3;
    for (size_t i = 0; i < keys.size(); ++i) {
        auto& o = out[i].observation;
        o.key = keys[i];
        size_t at = i * per;
        if (idle) {
            const auto& ir = r1[at++];
            if (ir.isError()) {
                auto kind = redis::classifyServerError(ir.errorMessage());
                // A key that vanished between SCAN and here is not a refusal.
                if (kind != redis::ErrorKind::Server || ir.errorMessage().find("no such key") ==
                                                            std::string_view::npos) {
                    if (idleTime_)
                        notes_.push_back("OBJECT IDLETIME is not available (" +
                                         std::string(ir.errorMessage().substr(0, 120)) +
                                         "): lock ages count from when LockScope first saw them");
                    idleTime_ = false;
                }
            } else if (ir.isInteger()) {
                o.idleSeconds = ir.integer();
            }
        }
        if (r1[at].isError()) {
            // An ACL that hides some keys (NOPERM) or a renamed TYPE: skip the key, say it once.
            if (notes_.size() < 8)
                notes_.push_back("cannot read key " + o.key.substr(0, 64) + ": " +
                                 std::string(r1[at].errorMessage().substr(0, 120)));
            o.type = "unreadable";
            continue;
        }
        o.type = std::string(r1[at].str());
        o.pttlMs = r1[at + 1].isInteger() ? r1[at + 1].integer() : -1;
        const auto& vr = r1[at + 2];
        if (o.type == "string" && vr.isString()) {
            o.value = std::string(vr.str());
            o.length = static_cast<long long>(o.value.size());
        }
    }

    // Round 2: lengths of long strings, hash fields, companion keys.
    auto p2 = c.pipeline();
    struct Todo {
        size_t index;
        enum { Strlen, Hash } what;
    };
    std::vector<Todo> todo;
    for (size_t i = 0; i < keys.size(); ++i) {
        const auto& o = out[i].observation;
        if (o.type == "string" && o.value.size() == options_.previewBytes) {
            p2.add({"STRLEN", o.key});
            todo.push_back({i, Todo::Strlen});
        } else if (o.type == "hash") {
            p2.add({"HLEN", o.key});
            p2.add({"HSCAN", o.key, 0, "COUNT", options_.maxHashFields});
            todo.push_back({i, Todo::Hash});
        }
    }
    if (!todo.empty()) {
        auto r2 = p2.exec();
        size_t at = 0;
        for (const auto& t : todo) {
            auto& o = out[t.index].observation;
            if (t.what == Todo::Strlen) {
                const auto& r = r2[at++];
                if (r.isInteger()) o.length = r.integer();
                o.truncated = o.length > static_cast<long long>(o.value.size());
                continue;
            }
            const auto& hlen = r2[at++];
            const auto& scan = r2[at++];
            if (hlen.isInteger()) o.length = hlen.integer();
            if (scan.isArray() && scan.size() == 2) {
                auto items = scan[1];
                for (size_t j = 0; j + 1 < items.size() && o.fields.size() < options_.maxHashFields;
                     j += 2)
                    o.fields.emplace_back(std::string(items[j].str()), std::string(items[j + 1].str()));
            }
            o.truncated = o.length > static_cast<long long>(o.fields.size());
        }
    }

    // Round 3, rare: companions of Redisson and fenced locks.
    auto p3 = c.pipeline();
    std::vector<std::pair<size_t, std::string>> asked;
    for (size_t i = 0; i < keys.size(); ++i)
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
                } catch (const redis::Error&) {
                }
            }
            if (name.rfind("lockscope_fence:", 0) == 0) comp.lockscopeFence = number;
            else if (name.rfind("redisson_lock_token:", 0) == 0) comp.redissonToken = number;
            else if (name.rfind("redisson_lock_queue:", 0) == 0) comp.redissonQueue = exists;
        }
    }
    return out;
}

}  // namespace lockscope::monitor
