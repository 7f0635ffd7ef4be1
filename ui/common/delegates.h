// Painting for the tables: a TTL countdown bar, and a rate sparkline.
//
// Thread contract: GUI thread only.
#pragma once

#include <QStyledItemDelegate>

namespace lockscope::ui {

// Draws LockTableModel::TtlFractionRole as a shrinking bar behind the TTL text.
class TtlBarDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* p, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
};

// Elides each cell as LockTableModel::ElideRole says (the view's mode where it says nothing).
class ElideByRoleDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    // The option the cell is painted with (tests read its text and textElideMode).
    QStyleOptionViewItem paintedOption(QStyleOptionViewItem option,
                                       const QModelIndex& index) const {
        initStyleOption(&option, index);
        return option;
    }

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

// Draws CounterTableModel::HistoryRole as a line.
class SparklineDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* p, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace lockscope::ui
