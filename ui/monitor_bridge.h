// The monitor engine as the GUI sees it: owns a monitor::Monitor and hands its updates to the GUI
// thread as queued signals. The engine already coalesces (a few updates a second, bounded
// events per update), so a storm of notifications never floods the event loop.
//
// Thread contract: create, use and destroy on the GUI thread. `updated` is emitted on it.
#pragma once

#include <QObject>
#include <memory>

#include "monitor/monitor.h"

namespace lockscope::ui {

using UpdatePtr = std::shared_ptr<const monitor::MonitorUpdate>;

class MonitorBridge : public QObject {
    Q_OBJECT
public:
    explicit MonitorBridge(QObject* parent = nullptr);
    ~MonitorBridge() override;

    // Stops a running monitor, then starts one on `nodes`.
    void start(std::vector<redis::Endpoint> nodes, monitor::MonitorOptions options);
    void stop();
    bool running() const { return monitor_ != nullptr; }

    void requestRescan();
    void requestEnableNotifications();
    // Rate history of a counter kept by the engine (brief lock inside; no I/O).
    std::vector<monitor::RatePoint> history(const std::string& key) const;
    const std::vector<redis::Endpoint>& nodes() const { return nodes_; }
    const monitor::MonitorStatus& lastStatus() const { return lastStatus_; }

signals:
    void updated(lockscope::ui::UpdatePtr update);
    void started();

private:
    std::unique_ptr<monitor::Monitor> monitor_;
    std::vector<redis::Endpoint> nodes_;
    monitor::MonitorStatus lastStatus_;
};

}  // namespace lockscope::ui
