#include "ui/events/events_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/events/event_log_model.h"

namespace lockscope::ui {
namespace {

// Matches the key and the event name only, as the placeholder says. The default (every column)
// formatted each row's time for every keystroke: typing into a full 10,000-row pane stalled.
class EventFilterProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        const QRegularExpression re = filterRegularExpression();
        if (re.pattern().isEmpty()) return true;
        const QAbstractItemModel* m = sourceModel();
        return m->index(row, EventLogModel::Key, parent).data().toString().contains(re) ||
               m->index(row, EventLogModel::Event, parent).data().toString().contains(re);
    }
};

}  // namespace

EventsPanel::EventsPanel(EventLogModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    filter_ = new QLineEdit(this);
    filter_->setObjectName("eventFilter");
    filter_->setPlaceholderText(tr("Filter events by key or event"));
    filter_->setClearButtonEnabled(true);
    pause_ = new QPushButton(tr("Pause"), this);
    pause_->setObjectName("eventPause");
    pause_->setCheckable(true);
    summary_ = new QLabel(this);
    summary_->setObjectName("eventSummary");

    proxy_ = new EventFilterProxy(this);
    proxy_->setSourceModel(model_);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);

    table_ = new QTableView(this);
    table_->setObjectName("eventTable");
    table_->setModel(proxy_);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(20);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnWidth(EventLogModel::Time, 100);
    table_->setColumnWidth(EventLogModel::Node, 130);  // "127.0.0.1:30001"
    table_->setColumnWidth(EventLogModel::Key, 300);

    connect(pause_, &QPushButton::toggled, this, [this](bool on) {
        model_->setPaused(on);
        pause_->setText(on ? tr("Resume") : tr("Pause"));
        refreshSummary();
    });
    connect(model_, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!model_->paused()) table_->scrollToBottom();
    });

    auto* bar = new QHBoxLayout;
    bar->addWidget(filter_, 1);
    bar->addWidget(pause_);
    bar->addWidget(summary_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(table_);
    refreshSummary();
}

void EventsPanel::refreshSummary() {
    summary_->setText(
        tr("%1 received, %2 not shown").arg(model_->received()).arg(model_->notShown()));
}

}  // namespace lockscope::ui
