// The Locks view: a sortable, filterable table of every lock, and a detail pane for the selected
// one (state, raw value, holder timeline — see lock_detail_pane.h). The panel keeps the holder
// history the timeline draws from, fed by the bridge it is attached to.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace lockscope::ui {

class HolderHistory;
class LockDetailPane;
class LockTableModel;
class MonitorBridge;

class LocksPanel : public QWidget {
    Q_OBJECT
public:
    explicit LocksPanel(LockTableModel* model, QWidget* parent = nullptr);

    QTableView* table() const { return table_; }
    QLineEdit* filterEdit() const { return filter_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    LockDetailPane* detailPane() const { return detail_; }
    HolderHistory* history() const { return history_; }
    // Follows `bridge`: holder history from its updates, values read from its servers.
    void attach(MonitorBridge* bridge);
    // The key of the selected lock, or "" when none is selected.
    std::string selectedKey() const;
    void focusFilter();

signals:
    void selectedKeyChanged(const std::string& key);

private:
    void showDetail();

    LockTableModel* model_;
    QLineEdit* filter_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    LockDetailPane* detail_;
    HolderHistory* history_;
    QSplitter* splitter_;
    bool modelRemoving_ = false;  // between the model's rowsAboutToBeRemoved and rowsRemoved
};

}  // namespace lockscope::ui
