#include "ui/actions/action_log_model.h"

#include <QBrush>
#include <QDateTime>

#include "ui/common/display_text.h"
#include "ui/locks/lock_table_model.h"

namespace lockscope::ui {

ActionLogModel::ActionLogModel(size_t capacity, QObject* parent)
    : QAbstractTableModel(parent), capacity_(std::max<size_t>(1, capacity)) {}

void ActionLogModel::attach(ActionService* service) {
    connect(service, &ActionService::started, this, &ActionLogModel::started);
    connect(service, &ActionService::finished, this, &ActionLogModel::finished);
    connect(service, &ActionService::leaseEvent, this, &ActionLogModel::note);
}

int ActionLogModel::rowCount(const QModelIndex& p) const {
    return p.isValid() ? 0 : int(rows_.size());
}
int ActionLogModel::columnCount(const QModelIndex& p) const {
    return p.isValid() ? 0 : ColumnCount;
}

QVariant ActionLogModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {QT_TR_NOOP("Time"), QT_TR_NOOP("Action"), QT_TR_NOOP("Key"),
                                  QT_TR_NOOP("Outcome")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

QVariant ActionLogModel::data(const QModelIndex& idx, int role) const {
    if (!idx.isValid() || idx.row() >= int(rows_.size())) return {};
    const Row& r = rows_[size_t(idx.row())];
    if (role == Qt::DisplayRole) {
        switch (idx.column()) {
            case Time:
                return QDateTime::fromMSecsSinceEpoch(r.wallMs).toString("HH:mm:ss");
            case Action:
                return r.action;
            case Key:
                return displayText(r.key);
            case Outcome:
                return r.done ? outcomeText(r.outcome) : tr("running…");
        }
    }
    if (role == Qt::ToolTipRole) return r.done ? r.message : tr("Waiting for the server…");
    if (role == Qt::ForegroundRole && idx.column() == Outcome && r.done) {
        switch (ActionResult::statusOf(r.outcome)) {
            // The lock table's state colours: green held/done, amber refused, red failed.
            case ActionResult::Status::Done:
                return QBrush(LockTableModel::stateColor(monitor::LockState::Held));
            case ActionResult::Status::Refused:
                return QBrush(QColor(0xb2, 0x5e, 0x00));
            case ActionResult::Status::Failed:
                return QBrush(LockTableModel::stateColor(monitor::LockState::StuckNoTtl));
        }
    }
    return {};
}

void ActionLogModel::append(Row row) {
    if (rows_.size() >= capacity_) {
        beginRemoveRows({}, 0, 0);
        rows_.pop_front();
        endRemoveRows();
    }
    const int at = int(rows_.size());
    beginInsertRows({}, at, at);
    rows_.push_back(std::move(row));
    endInsertRows();
}

void ActionLogModel::started(quint64 id, const ActionRequest& request) {
    Row row;
    row.id = id;
    row.wallMs = QDateTime::currentMSecsSinceEpoch();
    row.action = actionName(request.kind);
    row.key = request.key;
    append(std::move(row));
}

void ActionLogModel::finished(const ActionResult& result) {
    const int row = rowOf(result.id);
    if (row < 0) return note(result);
    Row& r = rows_[size_t(row)];
    r.done = true;
    r.outcome = result.outcome;
    r.message = result.message;
    if (r.key.empty()) r.key = result.key;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ActionLogModel::note(const ActionResult& result) {
    Row row;
    row.id = result.id;
    row.wallMs = QDateTime::currentMSecsSinceEpoch();
    row.action = result.id == 0 ? tr("lease") : actionName(result.kind);
    row.key = result.key;
    row.done = true;
    row.outcome = result.outcome;
    row.message = result.message;
    append(std::move(row));
}

int ActionLogModel::rowOf(quint64 id) const {
    if (id == 0) return -1;
    // Recent actions are at the end.
    for (int i = int(rows_.size()) - 1; i >= 0; --i)
        if (rows_[size_t(i)].id == id) return i;
    return -1;
}

QString ActionLogModel::outcomeAt(int row) const {
    return row >= 0 && row < int(rows_.size())
               ? data(index(row, Outcome), Qt::DisplayRole).toString()
               : QString();
}

QString ActionLogModel::messageAt(int row) const {
    return row >= 0 && row < int(rows_.size()) ? rows_[size_t(row)].message : QString();
}

void ActionLogModel::clear() {
    beginResetModel();
    rows_.clear();
    endResetModel();
}

}  // namespace lockscope::ui
