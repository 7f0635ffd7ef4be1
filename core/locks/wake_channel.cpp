#include "locks/wake_channel.h"

#include <algorithm>
#include <utility>

#include "redis/error.h"

namespace lockscope::locks {
namespace {

bool isMessage(const redis::Reply& r) {
    return r.isArray() && r.size() == 3 && r.at(0).isString() && r.at(0).str() == "message";
}

}  // namespace

WakeChannel::WakeChannel(std::function<redis::Connection()> connect)
    : connect_(std::move(connect)) {}

WakeChannel::~WakeChannel() { unsubscribe(); }

void WakeChannel::subscribe(const std::string& channel) {
    if (!channel_.empty()) unsubscribe();
    try {
        if (!conn_) conn_.emplace(connect_());
        conn_->send({"SUBSCRIBE", channel});
        auto confirm = conn_->receive();
        confirm.throwIfError();
        if (!confirm.isArray() || confirm.size() < 1 || confirm.at(0).str() != "subscribe")
            throw redis::Error(redis::ErrorKind::Protocol,
                               "unexpected answer to SUBSCRIBE: " + confirm.describe());
        channel_ = channel;
    } catch (...) {
        conn_.reset();  // unknown pub/sub state: start afresh next time
        throw;
    }
}

bool WakeChannel::waitUntil(Steady::time_point until, const std::atomic<bool>* cancel) {
    if (!conn_ || channel_.empty()) return false;
    while (!(cancel && cancel->load())) {
        const auto now = Steady::now();
        if (now >= until) return false;
        auto slice = std::chrono::ceil<std::chrono::milliseconds>(until - now);
        slice = std::min(slice, std::chrono::milliseconds(cancel ? 50 : 60000));
        if (auto message = conn_->receiveFor(slice); message && isMessage(*message)) {
            lastMessage_ = std::string(message->at(2).str());
            return true;
        }
    }
    return false;
}

void WakeChannel::unsubscribe() noexcept {
    if (channel_.empty()) return;
    const std::string channel = std::exchange(channel_, {});
    if (!conn_) return;
    try {
        conn_->send({"UNSUBSCRIBE", channel});
        // Messages published before the UNSUBSCRIBE took effect arrive first: drop them.
        for (int i = 0; i < 10000; ++i) {
            auto r = conn_->receive();
            if (r.isArray() && r.size() >= 1 && r.at(0).isString() &&
                r.at(0).str() == "unsubscribe")
                return;
        }
    } catch (...) {}
    conn_.reset();  // could not tell: a fresh connection is never subscribed
}

}  // namespace lockscope::locks
