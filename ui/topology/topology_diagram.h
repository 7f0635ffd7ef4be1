// Thread contract: GUI thread only.
//
// A picture of the running sandbox topology: one box per node, coloured by role (master, replica,
// Sentinel, standalone), dimmed with a dashed border when stopped, hatched when paused; arrows
// from each replica to the master it replicates from, dotted lines from the Sentinels to the node
// they name as master; cluster masters with their slot ranges, every data node with its key count.
// Masters (and standalone nodes) head columns, their replicas below them, Sentinels in a row
// above; rows wrap on a narrow widget, whose minimum height follows its width (put it in a scroll
// area). A replica that does not answer keeps its place under the master it last named, its arrow
// greyed. Colours follow the palette, light or dark. Clicking a box emits nodeClicked().
#pragma once

#include <QStringList>
#include <QWidget>
#include <map>
#include <string>
#include <vector>

#include "ui/topology/topology_host.h"

namespace lockscope::ui {

class TopologyDiagram : public QWidget {
    Q_OBJECT
public:
    struct Box {
        int node = -1;  // index into the snapshot's nodes
        QRectF rect;
        QStringList lines;  // as drawn, first line bold
    };
    struct Link {
        int from = -1;        // replica, or Sentinel
        int to = -1;          // its master, or the master the Sentinels name
        bool watch = false;   // a Sentinel's line, not replication
        bool current = true;  // false: the last link seen, for a node that does not answer now
    };

    explicit TopologyDiagram(QWidget* parent = nullptr);

    void setView(TopologyViewPtr view);  // null: nothing runs
    void setSelectedNode(int node);      // -1 for none
    int selectedNode() const { return selected_; }

    // The picture as laid out for the current size (what paintEvent draws).
    std::vector<Box> boxes() const { return layout(width()).boxes; }
    std::vector<Link> links() const { return layout(width()).links; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

signals:
    void nodeClicked(int node);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;  // tooltips per box
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Layout {
        std::vector<Box> boxes;
        std::vector<Link> links;
        qreal height = 0;
        qreal legendTop = 0;
    };
    Layout layout(int width) const;
    void fitHeight();
    QStringList linesOf(const sandbox::NodeView& node) const;
    int nodeAt(const QPointF& pos) const;
    void paintBox(QPainter& p, const Box& box) const;
    void paintLink(QPainter& p, const Layout& l, const Link& link) const;
    void paintLegend(QPainter& p, qreal top) const;
    struct LegendItem {
        enum Kind { Role, Replicates, Watches, Paused, Stopped } kind;
        sandbox::NodeRole role;
        QString label;
    };
    std::vector<LegendItem> legendItems() const;
    std::vector<QPointF> legendPlaces(int width, int* lineCount) const;

    TopologyViewPtr view_;
    int selected_ = -1;
    // Replica → the master it last reported, so a paused or stopped replica stays in its column.
    std::map<int, std::string> lastMasterOf_;
};

}  // namespace lockscope::ui
