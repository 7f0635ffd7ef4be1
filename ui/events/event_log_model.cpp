#include "ui/events/event_log_model.h"

#include <QDateTime>
#include <algorithm>

#include "ui/common/display_text.h"

namespace lockscope::ui {

EventLogModel::EventLogModel(size_t capacity, QObject* parent)
    : QAbstractTableModel(parent), capacity_(capacity) {}

int EventLogModel::rowCount(const QModelIndex& p) const {
    return p.isValid() ? 0 : int(events_.size());
}
int EventLogModel::columnCount(const QModelIndex& p) const { return p.isValid() ? 0 : ColumnCount; }

QVariant EventLogModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {QT_TR_NOOP("Time"), QT_TR_NOOP("Node"), QT_TR_NOOP("Key"),
                                  QT_TR_NOOP("Event")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

QVariant EventLogModel::data(const QModelIndex& idx, int role) const {
    if (!idx.isValid() || idx.row() >= int(events_.size()) || role != Qt::DisplayRole) return {};
    const auto& e = events_[size_t(idx.row())];
    switch (idx.column()) {
        case Time:
            return QDateTime::fromMSecsSinceEpoch(e.wallMs).toString("HH:mm:ss.zzz");
        case Node:
            // Where it happened, as received: a node index follows failovers, an event does not.
            if (!e.nodeAddress.empty()) return QString::fromStdString(e.nodeAddress);
            return e.node;
        case Key:
            return displayText(e.key);
        case Event:
            return QString::fromStdString(e.event);
    }
    return {};
}

void EventLogModel::apply(const monitor::MonitorUpdate& u) {
    received_ += u.events.size() + u.eventsNotShown;
    notShown_ += u.eventsNotShown;
    if (u.events.empty()) return;
    if (paused_) {
        notShown_ += u.events.size();
        return;
    }
    // Drop the oldest first, in one step, then append the batch in one step: two signals per
    // update however many events it carries.
    const size_t incoming = std::min(u.events.size(), capacity_);
    const size_t overflow =
        events_.size() + incoming > capacity_ ? events_.size() + incoming - capacity_ : 0;
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow) - 1);
        events_.erase(events_.begin(), events_.begin() + long(overflow));
        endRemoveRows();
    }
    const int first = int(events_.size());
    beginInsertRows({}, first, first + int(incoming) - 1);
    events_.insert(events_.end(), u.events.end() - long(incoming), u.events.end());
    endInsertRows();
    notShown_ += u.events.size() - incoming;
}

void EventLogModel::clear() {
    beginResetModel();
    events_.clear();
    endResetModel();
}

}  // namespace lockscope::ui
