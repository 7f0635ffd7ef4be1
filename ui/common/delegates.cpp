#include "ui/common/delegates.h"

#include <QPainter>
#include <QPainterPath>

#include "ui/counters/counter_table_model.h"
#include "ui/locks/lock_table_model.h"

namespace lockscope::ui {

void TtlBarDelegate::paint(QPainter* p, const QStyleOptionViewItem& option,
                           const QModelIndex& index) const {
    const double f = index.data(LockTableModel::TtlFractionRole).toDouble();
    if (f >= 0) {
        QRect bar = option.rect.adjusted(2, 3, -2, -3);
        bar.setWidth(int(bar.width() * std::clamp(f, 0.0, 1.0)));
        QColor c = f < 0.2 ? QColor(0xef, 0x8f, 0x00) : option.palette.color(QPalette::Highlight);
        c.setAlpha(70);
        p->fillRect(bar, c);
    }
    QStyledItemDelegate::paint(p, option, index);
}

void ElideByRoleDelegate::initStyleOption(QStyleOptionViewItem* option,
                                          const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant mode = index.data(LockTableModel::ElideRole);
    if (mode.isValid()) option->textElideMode = Qt::TextElideMode(mode.toInt());
}

void SparklineDelegate::paint(QPainter* p, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const {
    QStyledItemDelegate::paint(p, option, index);
    const QVariantList values = index.data(CounterTableModel::HistoryRole).toList();
    if (values.size() < 2) return;
    double hi = 0;
    for (const auto& v : values) hi = std::max(hi, v.toDouble());
    if (hi <= 0) hi = 1;
    const QRectF r = QRectF(option.rect).adjusted(3, 3, -3, -3);
    QPainterPath path;
    for (int i = 0; i < values.size(); ++i) {
        const QPointF pt(r.left() + r.width() * i / (values.size() - 1),
                         r.bottom() - r.height() * values[i].toDouble() / hi);
        if (i == 0)
            path.moveTo(pt);
        else
            path.lineTo(pt);
    }
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(option.palette.color(QPalette::Highlight), 1.5));
    p->drawPath(path);
    p->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem& option,
                                  const QModelIndex& index) const {
    return QStyledItemDelegate::sizeHint(option, index).expandedTo(QSize(120, 20));
}

}  // namespace lockscope::ui
