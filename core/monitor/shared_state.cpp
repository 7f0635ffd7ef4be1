#include "monitor/shared_state.h"

#include <algorithm>

namespace lockscope::monitor {
namespace {

constexpr size_t kMaxMessages = 50;

}  // namespace

std::optional<redis::Endpoint> Node::endpoint() const {
    std::lock_guard<std::mutex> g(endpointMutex_);
    return endpoint_;
}

std::string Node::where() const {
    std::lock_guard<std::mutex> g(endpointMutex_);
    return endpoint_ ? endpoint_->display() : "(not resolved yet)";
}

bool Node::moveTo(const redis::Endpoint& e) {
    {
        std::lock_guard<std::mutex> g(endpointMutex_);
        if (endpoint_ && endpoint_->tcp == e.tcp) return false;
        endpoint_ = e;
    }
    ++generation;
    return true;
}

std::vector<redis::SlotRange> Node::ranges() const {
    std::lock_guard<std::mutex> g(endpointMutex_);
    return ranges_;
}

void Node::setRanges(std::vector<redis::SlotRange> r) {
    std::lock_guard<std::mutex> g(endpointMutex_);
    ranges_ = std::move(r);
}

bool Node::serves(int slot) const {
    std::lock_guard<std::mutex> g(endpointMutex_);
    return redis::inRanges(ranges_, slot);
}

void Node::markDirty(std::vector<std::string>&& keys) {
    {
        std::lock_guard<std::mutex> g(dirtyMutex);
        for (auto& k : keys)
            if (dirtySet.insert(k).second) dirty.push_back(std::move(k));
    }
    dirtyCv.notify_one();
}

void Node::markReleased(const std::vector<std::string>& keys, Steady::time_point at, bool expired) {
    std::lock_guard<std::mutex> g(dirtyMutex);
    // Bounded: keys whose inspection never comes (moved away) must not pile up.
    if (releasedAt.size() > 100'000) releasedAt.clear();
    for (const auto& k : keys) {
        auto& r = releasedAt.try_emplace(k, Release{at, 0}).first->second;
        if (expired) ++r.expired;
    }
}

void Node::markWritten(const std::vector<std::string>& keys) {
    std::lock_guard<std::mutex> g(dirtyMutex);
    if (writtenKeys.size() > 100'000) writtenKeys.clear();  // bounded, as releasedAt
    for (const auto& k : keys) writtenKeys.insert(k);
}

bool Node::takeWritten(const std::string& key) {
    std::lock_guard<std::mutex> g(dirtyMutex);
    return !writtenKeys.empty() && writtenKeys.erase(key) > 0;
}

void Node::markCreated(const std::vector<std::string>& keys) {
    std::lock_guard<std::mutex> g(dirtyMutex);
    if (createdKeys.size() > 100'000) createdKeys.clear();  // bounded, as releasedAt
    for (const auto& k : keys) createdKeys.insert(k);
}

bool Node::takeCreated(const std::string& key) {
    std::lock_guard<std::mutex> g(dirtyMutex);
    return !createdKeys.empty() && createdKeys.erase(key) > 0;
}

std::optional<Node::Release> Node::takeReleased(const std::string& key) {
    std::lock_guard<std::mutex> g(dirtyMutex);
    if (releasedAt.empty()) return std::nullopt;
    auto it = releasedAt.find(key);
    if (it == releasedAt.end()) return std::nullopt;
    const auto at = it->second;
    releasedAt.erase(it);
    return at;
}

std::vector<std::string> Node::takeDirty(size_t max) {
    std::vector<std::string> keys;
    std::lock_guard<std::mutex> g(dirtyMutex);
    while (!dirty.empty() && keys.size() < max) {
        dirtySet.erase(dirty.front());
        keys.push_back(std::move(dirty.front()));
        dirty.pop_front();
    }
    return keys;
}

void Node::markAsking(std::vector<std::string>&& keys) {
    {
        std::lock_guard<std::mutex> g(dirtyMutex);
        for (auto& k : keys)
            if (askingSet.insert(k).second) asking.push_back(std::move(k));
    }
    dirtyCv.notify_one();
}

std::vector<std::string> Node::takeAsking(size_t max) {
    std::vector<std::string> keys;
    std::lock_guard<std::mutex> g(dirtyMutex);
    while (!asking.empty() && keys.size() < max) {
        askingSet.erase(asking.front());
        keys.push_back(std::move(asking.front()));
        asking.pop_front();
    }
    return keys;
}

SharedState::SharedState(const MonitorTarget& t, const MonitorOptions& o, const Clock* c)
    : target(t), options(o), clock(c), rules_(std::make_shared<const LockRules>(o.rules)) {
    status_.kind = target.kind;
    status_.target = target.display();
}

std::shared_ptr<const LockRules> SharedState::rules() const {
    std::lock_guard<std::mutex> g(rulesMutex_);
    return rules_;
}

void SharedState::setRules(LockRules rules) {
    auto fresh = std::make_shared<const LockRules>(std::move(rules));
    std::lock_guard<std::mutex> g(rulesMutex_);
    rules_ = std::move(fresh);
}

bool SharedState::followsMaster() const {
    return target.kind == TargetKind::Sentinel || target.kind == TargetKind::Cluster;
}

bool SharedState::sleepFor(std::chrono::milliseconds d) const {
    const auto until = Steady::now() + d;
    while (!stopping.load() && Steady::now() < until)
        std::this_thread::sleep_for(
            std::min<Steady::duration>(std::chrono::milliseconds(20), until - Steady::now()));
    return !stopping.load();
}

redis::ConnectOptions SharedState::connectOptions() const {
    redis::ConnectOptions o = options.connect;
    o.clientName = "lockscope-monitor";
    return o;
}

std::vector<Node*> SharedState::nodeList() const {
    std::lock_guard<std::mutex> g(nodesMutex_);
    std::vector<Node*> out;
    out.reserve(nodes_.size());
    for (const auto& n : nodes_) out.push_back(n.get());
    return out;
}

Node* SharedState::addNode(std::optional<redis::Endpoint> endpoint) {
    {
        std::lock_guard<std::mutex> g(statusMutex_);
        NodeStatus st;
        st.endpoint = endpoint;
        status_.nodes.push_back(std::move(st));
    }
    std::lock_guard<std::mutex> g(nodesMutex_);
    nodes_.push_back(std::make_unique<Node>(static_cast<int>(nodes_.size()), std::move(endpoint)));
    return nodes_.back().get();
}

void SharedState::message(std::string text) {
    std::lock_guard<std::mutex> g(statusMutex_);
    status_.messages.push_back({clock->wallMillis(), std::move(text)});
    if (status_.messages.size() > kMaxMessages) status_.messages.erase(status_.messages.begin());
}

MonitorStatus SharedState::status() const {
    std::lock_guard<std::mutex> g(statusMutex_);
    return status_;
}

bool SharedState::polling(int node) const {
    std::lock_guard<std::mutex> g(statusMutex_);
    return status_.nodes[static_cast<size_t>(node)].polling;
}

void SharedState::post(InboxItem item) {
    {
        std::lock_guard<std::mutex> g(inboxMutex_);
        inbox_.push_back(std::move(item));
    }
    inboxCv_.notify_one();
}

std::vector<InboxItem> SharedState::waitForInbox(std::chrono::steady_clock::time_point deadline) {
    std::vector<InboxItem> items;
    std::unique_lock<std::mutex> lock(inboxMutex_);
    inboxCv_.wait_until(lock, deadline, [&] { return stopping.load() || !inbox_.empty(); });
    items.swap(inbox_);
    return items;
}

}  // namespace lockscope::monitor
