#include "monitor_bridge.h"

#include <QPointer>

namespace lockscope::ui {

MonitorBridge::MonitorBridge(QObject* parent) : QObject(parent) {}

MonitorBridge::~MonitorBridge() { stop(); }

void MonitorBridge::start(std::vector<redis::Endpoint> nodes, monitor::MonitorOptions options) {
    stop();
    nodes_ = nodes;
    monitor_ = std::make_unique<monitor::Monitor>(std::move(nodes), std::move(options));
    QPointer<MonitorBridge> self(this);
    // Runs on the engine's thread: hand the update over and return at once.
    monitor_->setListener([self](monitor::MonitorUpdate u) {
        auto shared = std::make_shared<const monitor::MonitorUpdate>(std::move(u));
        QMetaObject::invokeMethod(
            self.data(),
            [self, shared] {
                if (!self) return;
                self->lastStatus_ = shared->status;
                emit self->updated(shared);
            },
            Qt::QueuedConnection);
    });
    monitor_->start();
    emit started();
}

void MonitorBridge::stop() {
    // Joins the engine's threads: no listener call runs after this returns, and queued ones are
    // dropped with this object if it goes away.
    if (monitor_) monitor_->stop();
    monitor_.reset();
}

void MonitorBridge::requestRescan() {
    if (monitor_) monitor_->requestRescan();
}

void MonitorBridge::requestEnableNotifications() {
    if (monitor_) monitor_->requestEnableNotifications();
}

std::vector<monitor::RatePoint> MonitorBridge::history(const std::string& key) const {
    return monitor_ ? monitor_->history(key) : std::vector<monitor::RatePoint>{};
}

}  // namespace lockscope::ui
