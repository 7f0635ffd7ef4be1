// The Counters view: value, rate and a sparkline per counter, and under the table (in a splitter)
// a chart of the selected counters' rates over time.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace lockscope::ui {

class CounterTableModel;
class RateChart;

class CountersPanel : public QWidget {
    Q_OBJECT
public:
    explicit CountersPanel(CounterTableModel* model, QWidget* parent = nullptr);
    QTableView* table() const { return table_; }
    QLineEdit* filterEdit() const { return filter_; }
    RateChart* chart() const { return chart_; }
    std::vector<std::string> selectedKeys() const;
    void focusFilter();

signals:
    void selectionChanged();

protected:
    CounterTableModel* model_;
    QLineEdit* filter_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    RateChart* chart_;
    QSplitter* splitter_;
};

}  // namespace lockscope::ui
