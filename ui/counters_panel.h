// The Counters view: value, rate and a sparkline per counter.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace lockscope::ui {

class CounterTableModel;

class CountersPanel : public QWidget {
    Q_OBJECT
public:
    explicit CountersPanel(CounterTableModel* model, QWidget* parent = nullptr);
    QTableView* table() const { return table_; }
    QLineEdit* filterEdit() const { return filter_; }
    std::vector<std::string> selectedKeys() const;
    void focusFilter();

signals:
    void selectionChanged();

protected:
    CounterTableModel* model_;
    QLineEdit* filter_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
};

}  // namespace lockscope::ui
