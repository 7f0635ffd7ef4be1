// The action log: one row per write the dashboard attempted (time, action, key, outcome), newest
// last, including leases lost or run out. A row appears when the action starts ("running…") and
// takes its outcome when it finishes; failures and refusals are coloured, the message is the
// tooltip. At most `capacity` rows: the oldest go first.
//
// Thread contract: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <deque>

#include "ui/actions/action_service.h"

namespace lockscope::ui {

class ActionLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Action, Key, Outcome, ColumnCount };

    explicit ActionLogModel(size_t capacity = 1000, QObject* parent = nullptr);
    // Follows every request of `service` and every lease event it reports.
    void attach(ActionService* service);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    void started(quint64 id, const ActionRequest& request);
    void finished(const ActionResult& result);
    // A row of its own (lease events have no request).
    void note(const ActionResult& result);
    void clear();
    // The row of action `id`, or -1.
    int rowOf(quint64 id) const;
    QString outcomeAt(int row) const;
    QString messageAt(int row) const;

private:
    struct Row {
        quint64 id = 0;
        qint64 wallMs = 0;
        QString action;
        std::string key;
        bool done = false;
        ActionResult::Outcome outcome = ActionResult::Outcome::Done;
        QString message;
    };
    void append(Row row);

    size_t capacity_;
    std::deque<Row> rows_;
};

}  // namespace lockscope::ui
