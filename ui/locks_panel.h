// The Locks view: a sortable, filterable table of every lock, and a detail pane for the selected
// one.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTextBrowser;

namespace lockscope::ui {

class LockTableModel;

class LocksPanel : public QWidget {
    Q_OBJECT
public:
    explicit LocksPanel(LockTableModel* model, QWidget* parent = nullptr);

    QTableView* table() const { return table_; }
    QLineEdit* filterEdit() const { return filter_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
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
    QTextBrowser* detail_;
    QSplitter* splitter_;
};

}  // namespace lockscope::ui
