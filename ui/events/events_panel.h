// The Events pane: the live keyspace-notification stream, filterable and pausable, scrolling to
// the newest unless paused. The engine bounds what each update carries, so a storm shows as
// "N not shown" instead of a frozen window.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace lockscope::ui {

class EventLogModel;

class EventsPanel : public QWidget {
    Q_OBJECT
public:
    explicit EventsPanel(EventLogModel* model, QWidget* parent = nullptr);
    QTableView* table() const { return table_; }
    QPushButton* pauseButton() const { return pause_; }
    QLineEdit* filterEdit() const { return filter_; }
    void refreshSummary();

private:
    EventLogModel* model_;
    QLineEdit* filter_;
    QPushButton* pause_;
    QLabel* summary_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
};

}  // namespace lockscope::ui
