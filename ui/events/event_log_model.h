// The live keyspace-notification stream for the Events pane: a ring of the most recent
// `capacity` events (newest last). Updates arrive in batches from the engine (already bounded per
// update); pausing keeps counting but stops adding, so the view holds still to be read.
//
// Thread contract: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <deque>
#include <string>
#include <vector>

#include "ui/monitor_bridge.h"

namespace lockscope::ui {

class EventLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Node, Key, Event, ColumnCount };

    explicit EventLogModel(size_t capacity = 10000, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    void apply(const monitor::MonitorUpdate& update);
    void setPaused(bool paused) { paused_ = paused; }
    bool paused() const { return paused_; }
    void clear();
    // Events received while paused or beyond what the engine passed on.
    unsigned long long notShown() const { return notShown_; }
    unsigned long long received() const { return received_; }

private:
    size_t capacity_;
    // Each with the address of the node it happened on (KeyEvent::nodeAddress), kept as
    // received: after a failover old events still name the server they came from.
    std::deque<monitor::KeyEvent> events_;
    bool paused_ = false;
    unsigned long long notShown_ = 0;
    unsigned long long received_ = 0;
};

}  // namespace lockscope::ui
