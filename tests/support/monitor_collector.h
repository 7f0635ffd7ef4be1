// Collects a Monitor's updates (delivered on the engine's thread) for tests to poll with QTRY_*.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "monitor/monitor.h"

namespace lockscope::test {

class MonitorCollector {
public:
    void attach(monitor::Monitor& m) {
        m.setListener([this](monitor::MonitorUpdate u) {
            std::lock_guard<std::mutex> g(mutex_);
            for (auto& k : u.changed)
                for (const auto& r : u.removed)
                    if (r == k.key) ++keysInBoth_;  // monitor.h: never in both lists
            // Removals before changes (monitor.h).
            for (auto& k : u.removed) {
                records_.erase(k);
                removed_.push_back(k);
            }
            for (auto& r : u.changed) {
                ++changes_[r.key];
                if (r.isLock() && r.state == monitor::LockState::Free) freeSeen_.insert(r.key);
                if (r.isLock()) statesSeen_[r.key].insert(r.state);
                staleSeen_[r.key].insert(r.stale);
                records_[r.key] = std::move(r);
            }
            for (auto& e : u.events) events_.push_back(std::move(e));
            eventsNotShown_ += u.eventsNotShown;
            status_ = std::move(u.status);
            ++updates_;
        });
    }
    std::optional<monitor::KeyRecord> get(const std::string& key) const {
        std::lock_guard<std::mutex> g(mutex_);
        auto it = records_.find(key);
        if (it == records_.end()) return std::nullopt;
        return it->second;
    }
    bool has(const std::string& key) const { return get(key).has_value(); }
    // Whether any update ever showed `key` marked stale for `why`.
    bool sawStale(const std::string& key, monitor::Staleness why) const {
        std::lock_guard<std::mutex> g(mutex_);
        auto it = staleSeen_.find(key);
        return it != staleSeen_.end() && it->second.count(why) > 0;
    }
    // Whether any update ever showed `key` in `state` (a passing state that polling could miss).
    bool sawState(const std::string& key, monitor::LockState state) const {
        std::lock_guard<std::mutex> g(mutex_);
        auto it = statesSeen_.find(key);
        return it != statesSeen_.end() && it->second.count(state) > 0;
    }
    bool wasRemoved(const std::string& key) const {
        std::lock_guard<std::mutex> g(mutex_);
        for (const auto& k : removed_)
            if (k == key) return true;
        return false;
    }
    int changesOf(const std::string& key) const {
        std::lock_guard<std::mutex> g(mutex_);
        auto it = changes_.find(key);
        return it == changes_.end() ? 0 : it->second;
    }
    monitor::MonitorStatus status() const {
        std::lock_guard<std::mutex> g(mutex_);
        return status_;
    }
    bool messageContains(const std::string& text) const {
        std::lock_guard<std::mutex> g(mutex_);
        for (const auto& m : status_.messages)
            if (m.text.find(text) != std::string::npos) return true;
        return false;
    }
    std::string messages() const {
        std::lock_guard<std::mutex> g(mutex_);
        std::string all;
        for (const auto& m : status_.messages) all += m.text + "\n";
        return all;
    }
    bool sawEvent(const std::string& key, const std::string& event) const {
        std::lock_guard<std::mutex> g(mutex_);
        for (const auto& e : events_)
            if (e.key == key && e.event == event) return true;
        return false;
    }
    // The nodes (MonitorStatus::nodes indexes) whose notifications named `key` with `event`.
    std::vector<int> eventNodes(const std::string& key, const std::string& event) const {
        std::lock_guard<std::mutex> g(mutex_);
        std::vector<int> nodes;
        for (const auto& e : events_)
            if (e.key == key && e.event == event) nodes.push_back(e.node);
        return nodes;
    }
    size_t recordCount() const {
        std::lock_guard<std::mutex> g(mutex_);
        return records_.size();
    }
    long long updates() const {
        std::lock_guard<std::mutex> g(mutex_);
        return updates_;
    }
    // Whether `key` was ever published as a free lock.
    bool wasFree(const std::string& key) const {
        std::lock_guard<std::mutex> g(mutex_);
        return freeSeen_.count(key) > 0;
    }
    // Keys an update carried both as changed and as removed (the engine promises none).
    long long keysInBoth() const {
        std::lock_guard<std::mutex> g(mutex_);
        return keysInBoth_;
    }
    std::vector<monitor::KeyEvent> events() const {
        std::lock_guard<std::mutex> g(mutex_);
        return events_;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, monitor::KeyRecord> records_;
    std::map<std::string, int> changes_;
    std::vector<std::string> removed_;
    std::vector<monitor::KeyEvent> events_;
    unsigned long long eventsNotShown_ = 0;
    monitor::MonitorStatus status_;
    long long updates_ = 0;
    long long keysInBoth_ = 0;
    std::set<std::string> freeSeen_;
    std::map<std::string, std::set<monitor::LockState>> statesSeen_;
    std::map<std::string, std::set<monitor::Staleness>> staleSeen_;
};

}  // namespace lockscope::test
