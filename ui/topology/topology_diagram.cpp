#include "ui/topology/topology_diagram.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QResizeEvent>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <map>

#include "ui/common/core_text.h"
#include "ui/common/palette_colours.h"
#include "ui/topology/topology_model.h"

namespace lockscope::ui {
namespace {

using sandbox::NodeRole;
using sandbox::NodeState;
using sandbox::NodeView;

constexpr qreal kMargin = 10;
constexpr qreal kGap = 14;      // between boxes in a row
constexpr qreal kRowGap = 30;   // between rows: room for the arrows
constexpr qreal kPad = 5;       // inside a box
constexpr qreal kMinBox = 120;  // box width range
constexpr qreal kMaxBox = 190;
constexpr int kMinWidth = 320;

QColor mix(const QColor& a, const QColor& b, qreal t) {  // t of a, 1 - t of b
    return QColor::fromRgbF(float(a.redF() * t + b.redF() * (1 - t)),
                            float(a.greenF() * t + b.greenF() * (1 - t)),
                            float(a.blueF() * t + b.blueF() * (1 - t)));
}

// Where the segment from the centre of `r` toward `to` leaves `r`.
QPointF edgePoint(const QRectF& r, const QPointF& to) {
    const QPointF c = r.center();
    const qreal dx = to.x() - c.x(), dy = to.y() - c.y();
    if (dx == 0 && dy == 0) return c;
    const qreal sx = dx == 0 ? 1e9 : (r.width() / 2) / std::abs(dx);
    const qreal sy = dy == 0 ? 1e9 : (r.height() / 2) / std::abs(dy);
    const qreal s = std::min(sx, sy);
    return {c.x() + dx * s, c.y() + dy * s};
}

int firstSlot(const NodeView& n) {
    return n.ranges.empty() ? 1 << 20 : n.ranges.front().first;  // masters without slots last
}

}  // namespace

TopologyDiagram::TopologyDiagram(QWidget* parent) : QWidget(parent) {
    setObjectName("topologyDiagram");
    setMouseTracking(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void TopologyDiagram::setView(TopologyViewPtr view) {
    const bool reshaped =
        !view_ || !view || view_->snapshot.nodes.size() != view->snapshot.nodes.size();
    if (!view || !view_ || view->generation != view_->generation) lastMasterOf_.clear();
    if (view)
        for (const auto& n : view->snapshot.nodes) {
            if (!n.masterOf.empty())
                lastMasterOf_[n.index] = n.masterOf;
            else if (n.reachable)
                lastMasterOf_.erase(n.index);  // it answers, and replicates nothing
        }
    view_ = std::move(view);
    if (reshaped) fitHeight();
    update();
}

void TopologyDiagram::setSelectedNode(int node) {
    if (node == selected_) return;
    selected_ = node;
    update();
}

QSize TopologyDiagram::sizeHint() const { return {640, heightForWidth(640)}; }

QSize TopologyDiagram::minimumSizeHint() const {
    return {kMinWidth, heightForWidth(std::max(width(), kMinWidth))};
}

int TopologyDiagram::heightForWidth(int width) const {
    return int(std::ceil(layout(width).height));
}

void TopologyDiagram::fitHeight() {
    // Every box stays visible: the scroll area around the diagram scrolls instead of clipping.
    const int h = heightForWidth(width());
    if (minimumHeight() != h) setMinimumHeight(h);
}

void TopologyDiagram::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitHeight();
}

QStringList TopologyDiagram::linesOf(const NodeView& n) const {
    QStringList lines;
    lines << QString("#%1  %2").arg(n.index).arg(QString::fromStdString(n.address));
    QString role = nodeRoleText(n.role);
    if (n.state != NodeState::Running)
        role += " · " + nodeStateText(n.state);
    else if (!n.reachable)
        role += " · " + tr("unreachable");
    lines << role;
    if (n.role == NodeRole::Sentinel) {
        const std::string& m = view_->snapshot.sentinelMaster;
        lines << (m.empty() ? tr("watches ?") : tr("watches %1").arg(QString::fromStdString(m)));
    } else {
        QString keys = n.keys < 0    ? tr("keys ?")
                       : n.keys == 1 ? tr("1 key")
                                     : tr("%1 keys").arg(n.keys);
        const auto idx = static_cast<size_t>(n.index);
        if (idx < view_->keys.size() && !view_->keys[idx].lockLike.empty())
            keys += tr(" · %1 lock-like").arg(view_->keys[idx].lockLike.size());
        lines << keys;
    }
    if (view_->snapshot.kind == sandbox::TopologyKind::Cluster)
        lines << (n.ranges.empty()
                      ? QString()
                      : tr("slots %1").arg(QString::fromStdString(redis::slotsText(n.ranges))));
    return lines;
}

TopologyDiagram::Layout TopologyDiagram::layout(int width) const {
    Layout l;
    const QFontMetricsF fm(font());
    const qreal lineH = fm.height();
    if (!view_ || view_->snapshot.nodes.empty()) {
        l.height = 2 * kMargin + 3 * lineH;
        l.legendTop = l.height;
        return l;
    }
    const auto& nodes = view_->snapshot.nodes;
    std::map<std::string, int> byAddress;
    for (const auto& n : nodes) byAddress[n.address] = n.index;

    // Columns: a master (or standalone node) and the replicas that replicate from it.
    std::vector<std::vector<int>> columns;
    std::vector<int> sentinels;
    std::map<int, size_t> columnOf;
    for (const auto& n : nodes) {
        if (n.role == NodeRole::Sentinel)
            sentinels.push_back(n.index);
        else if (n.role != NodeRole::Replica) {
            columnOf[n.index] = columns.size();
            columns.push_back({n.index});
        }
    }
    if (view_->snapshot.kind == sandbox::TopologyKind::Cluster) {
        std::stable_sort(columns.begin(), columns.end(), [&](const auto& a, const auto& b) {
            return firstSlot(nodes[size_t(a[0])]) < firstSlot(nodes[size_t(b[0])]);
        });
        for (size_t c = 0; c < columns.size(); ++c) columnOf[columns[c][0]] = c;
    }
    for (const auto& n : nodes) {
        if (n.role != NodeRole::Replica) continue;
        const auto last = lastMasterOf_.find(n.index);
        const std::string& masterOf =
            !n.masterOf.empty() || last == lastMasterOf_.end() ? n.masterOf : last->second;
        auto m = byAddress.find(masterOf);
        auto col = m == byAddress.end() ? columnOf.end() : columnOf.find(m->second);
        if (col != columnOf.end()) {
            columns[col->second].push_back(n.index);
        } else {  // its master is unknown or itself a replica: a column of its own
            columnOf[n.index] = columns.size();
            columns.push_back({n.index});
        }
        if (m != byAddress.end())
            l.links.push_back({n.index, m->second, false, !n.masterOf.empty()});
    }
    if (auto m = byAddress.find(view_->snapshot.sentinelMaster); m != byAddress.end())
        for (int s : sentinels) l.links.push_back({s, m->second, true, true});

    const size_t lines = view_->snapshot.kind == sandbox::TopologyKind::Cluster ? 4 : 3;
    const qreal boxH = qreal(lines) * lineH + 2 * kPad;
    const qreal usable = std::max<qreal>(width - 2 * kMargin, kMinBox);
    const size_t widest = std::max(columns.size(), sentinels.size());
    const size_t perBand = std::max<size_t>(1, size_t((usable + kGap) / (kMinBox + kGap)));
    const size_t across = std::min(widest, perBand);
    const qreal boxW =
        std::clamp((usable - kGap * qreal(across - 1)) / qreal(across), kMinBox, kMaxBox);

    qreal y = kMargin;
    // One row of boxes, centred; -1 leaves a column's place empty.
    auto placeRow = [&](const std::vector<int>& row) {
        const qreal rowW = qreal(row.size()) * boxW + qreal(row.size() - 1) * kGap;
        qreal x = kMargin + std::max<qreal>(0, (usable - rowW) / 2);
        for (int node : row) {
            if (node >= 0)
                l.boxes.push_back({node, QRectF(x, y, boxW, boxH), linesOf(nodes[size_t(node)])});
            x += boxW + kGap;
        }
        y += boxH + kRowGap;
    };
    for (size_t from = 0; from < sentinels.size(); from += perBand)
        placeRow({sentinels.begin() + long(from),
                  sentinels.begin() + long(std::min(sentinels.size(), from + perBand))});
    // Bands of columns, each as deep as its deepest column.
    for (size_t from = 0; from < columns.size(); from += perBand) {
        const size_t to = std::min(columns.size(), from + perBand);
        size_t depth = 0;
        for (size_t c = from; c < to; ++c) depth = std::max(depth, columns[c].size());
        for (size_t d = 0; d < depth; ++d) {
            std::vector<int> row;
            for (size_t c = from; c < to; ++c)
                row.push_back(d < columns[c].size() ? columns[c][d] : -1);
            placeRow(row);
        }
    }
    int legendLines = 1;
    legendPlaces(width, &legendLines);
    l.legendTop = y - kRowGap + kPad * 2;
    l.height = l.legendTop + legendLines * (lineH + 4) + kMargin;
    return l;
}

int TopologyDiagram::nodeAt(const QPointF& pos) const {
    for (const auto& b : layout(width()).boxes)
        if (b.rect.contains(pos)) return b.node;
    return -1;
}

void TopologyDiagram::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const Layout l = layout(width());
    if (!view_ || l.boxes.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter,
                   tr("No topology running: pick a kind and press Start."));
        return;
    }
    for (const auto& link : l.links) paintLink(p, l, link);
    for (const auto& box : l.boxes) paintBox(p, box);
    paintLegend(p, l.legendTop);
}

void TopologyDiagram::paintLink(QPainter& p, const Layout& l, const Link& link) const {
    const Box* from = nullptr;
    const Box* to = nullptr;
    for (const auto& b : l.boxes) {
        if (b.node == link.from) from = &b;
        if (b.node == link.to) to = &b;
    }
    if (!from || !to) return;
    const QColor base = palette().color(QPalette::Base);
    const QColor colour =
        link.current ? readableOn(TopologyModel::roleColour(link.watch ? NodeRole::Sentinel
                                                                       : NodeRole::Replica),
                                  base, 3.0)
                     : palette().color(QPalette::Mid);
    const QPointF a = edgePoint(from->rect, to->rect.center());
    const QPointF b = edgePoint(to->rect, from->rect.center());
    QPen pen(colour, link.watch ? 1.2 : 2.0, link.watch ? Qt::DotLine : Qt::SolidLine);
    p.setPen(pen);
    p.drawLine(a, b);
    // Arrowhead at the master's end.
    const qreal angle = std::atan2(b.y() - a.y(), b.x() - a.x());
    const qreal size = link.watch ? 6 : 9;
    QPainterPath head;
    head.moveTo(b);
    head.lineTo(b - QPointF(std::cos(angle - 0.4) * size, std::sin(angle - 0.4) * size));
    head.lineTo(b - QPointF(std::cos(angle + 0.4) * size, std::sin(angle + 0.4) * size));
    head.closeSubpath();
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawPath(head);
}

void TopologyDiagram::paintBox(QPainter& p, const Box& box) const {
    const NodeView& n = view_->snapshot.nodes[size_t(box.node)];
    const QPalette& pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor hue = TopologyModel::roleColour(n.role);
    const bool stopped = n.state == NodeState::Stopped;
    QColor fill = stopped ? base : mix(hue, base, 0.18);
    QColor border = stopped ? pal.color(QPalette::Mid) : readableOn(hue, base, 3.0);
    if (n.state == NodeState::Running && !n.reachable)
        border = toneColour(Tone::Bad, pal, QPalette::Base);
    QPen pen(border, 1.6, stopped ? Qt::DashLine : Qt::SolidLine);
    if (box.node == selected_) pen = QPen(pal.color(QPalette::Highlight), 3.0, pen.style());
    p.setPen(pen);
    p.setBrush(fill);
    p.drawRoundedRect(box.rect, 6, 6);
    if (n.state == NodeState::Paused) {
        QColor stripes = toneColour(Tone::Warning, pal, QPalette::Base);
        stripes.setAlpha(110);
        p.setPen(Qt::NoPen);
        p.setBrush(QBrush(stripes, Qt::BDiagPattern));
        p.drawRoundedRect(box.rect.adjusted(2, 2, -2, -2), 5, 5);
    }
    const QColor text =
        stopped ? pal.color(QPalette::Disabled, QPalette::Text) : pal.color(QPalette::Text);
    const QFontMetricsF fm(font());
    const QRectF inner = box.rect.adjusted(kPad + 2, kPad, -kPad - 2, -kPad);
    qreal y = inner.top();
    for (int i = 0; i < box.lines.size(); ++i) {
        QFont f = font();
        f.setBold(i == 0);
        p.setFont(f);
        // The role line in the role's colour: the box's meaning at a glance, readable on its fill.
        p.setPen(i == 1 && !stopped ? readableOn(hue, fill) : text);
        const QFontMetricsF lineFm(f);
        p.drawText(QPointF(inner.left(), y + lineFm.ascent()),
                   lineFm.elidedText(box.lines[i], Qt::ElideRight, inner.width()));
        y += fm.height();
    }
    p.setFont(font());
}

std::vector<TopologyDiagram::LegendItem> TopologyDiagram::legendItems() const {
    std::vector<LegendItem> items;
    for (auto role :
         {NodeRole::Master, NodeRole::Replica, NodeRole::Sentinel, NodeRole::Standalone}) {
        const bool present =
            view_ && std::any_of(view_->snapshot.nodes.begin(), view_->snapshot.nodes.end(),
                                 [role](const NodeView& n) { return n.role == role; });
        if (present) items.push_back({LegendItem::Role, role, nodeRoleText(role)});
    }
    items.push_back({LegendItem::Replicates, NodeRole::Replica, tr("replicates from")});
    if (view_ && view_->snapshot.kind == sandbox::TopologyKind::Sentinel)
        items.push_back({LegendItem::Watches, NodeRole::Sentinel, tr("watches (names as master)")});
    items.push_back({LegendItem::Paused, NodeRole::Master, tr("paused")});
    items.push_back({LegendItem::Stopped, NodeRole::Master, tr("stopped")});
    return items;
}

// Greedy wrap of the legend at `width`: the left edge of each item, and the number of lines.
std::vector<QPointF> TopologyDiagram::legendPlaces(int width, int* lineCount) const {
    const QFontMetricsF fm(font());
    const qreal sw = fm.height() * 1.6;
    std::vector<QPointF> at;
    qreal x = kMargin, y = 0;
    for (const auto& item : legendItems()) {
        const qreal w = sw + 4 + fm.horizontalAdvance(item.label) + 14;
        if (x > kMargin && x + w > width - kMargin) {
            x = kMargin;
            y += fm.height() + 4;
        }
        at.emplace_back(x, y);
        x += w;
    }
    if (lineCount) *lineCount = int(std::lround(y / (fm.height() + 4))) + 1;
    return at;
}

void TopologyDiagram::paintLegend(QPainter& p, qreal top) const {
    const QPalette& pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QFontMetricsF fm(font());
    const qreal sh = fm.height() * 0.8, sw = fm.height() * 1.6;
    const auto items = legendItems();
    const auto at = legendPlaces(width(), nullptr);
    for (size_t i = 0; i < items.size(); ++i) {
        const auto& item = items[i];
        const qreal x = at[i].x(), lineTop = top + at[i].y();
        const QRectF swatch(x, lineTop + (fm.height() - sh) / 2, sw, sh);
        const QColor hue = TopologyModel::roleColour(item.role);
        p.setBrush(Qt::NoBrush);
        switch (item.kind) {
            case LegendItem::Role:
                p.setPen(QPen(readableOn(hue, base, 3.0), 1.4));
                p.setBrush(mix(hue, base, 0.18));
                p.drawRoundedRect(swatch, 3, 3);
                break;
            case LegendItem::Replicates:
            case LegendItem::Watches: {
                const bool watch = item.kind == LegendItem::Watches;
                const QColor c = readableOn(hue, base, 3.0);
                p.setPen(QPen(c, watch ? 1.2 : 2.0, watch ? Qt::DotLine : Qt::SolidLine));
                const qreal cy = swatch.center().y();
                p.drawLine(QPointF(swatch.left(), cy), QPointF(swatch.right() - 4, cy));
                QPainterPath head;
                head.moveTo(swatch.right(), cy);
                head.lineTo(swatch.right() - 7, cy - 4);
                head.lineTo(swatch.right() - 7, cy + 4);
                head.closeSubpath();
                p.setPen(Qt::NoPen);
                p.setBrush(c);
                p.drawPath(head);
                break;
            }
            case LegendItem::Paused: {
                QColor stripes = toneColour(Tone::Warning, pal, QPalette::Base);
                p.setPen(QPen(pal.color(QPalette::Mid), 1.0));
                p.setBrush(QBrush(stripes, Qt::BDiagPattern));
                p.drawRoundedRect(swatch, 3, 3);
                break;
            }
            case LegendItem::Stopped:
                p.setPen(QPen(pal.color(QPalette::Mid), 1.4, Qt::DashLine));
                p.drawRoundedRect(swatch, 3, 3);
                break;
        }
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QPointF(swatch.right() + 4, lineTop + fm.ascent()), item.label);
    }
}

void TopologyDiagram::mousePressEvent(QMouseEvent* event) {
    const int node = nodeAt(event->position());
    if (node >= 0) emit nodeClicked(node);
    QWidget::mousePressEvent(event);
}

bool TopologyDiagram::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip && view_) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int node = nodeAt(help->pos());
        if (node < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const auto& n = view_->snapshot.nodes[size_t(node)];
        QString tip = noteText(n);
        if (size_t(node) < view_->keys.size() && n.role != NodeRole::Sentinel) {
            const QString keys = TopologyModel::keysTooltip(n, view_->keys[size_t(node)]);
            tip = tip.isEmpty() ? keys : tip + "\n" + keys;
        }
        QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

}  // namespace lockscope::ui
