#include "ui/common/plot_style.h"

#include <qcustomplot.h>

#include <QEvent>

#include "ui/common/palette_colours.h"

namespace lockscope::ui {
namespace {

// Lines and grid need less contrast than text (WCAG 2's 3:1 for graphics).
constexpr double kLineContrast = 3.0;

void applyPalette(QCustomPlot* plot) {
    const QPalette pal = plot->palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(110);
    plot->setBackground(QBrush(pal.color(QPalette::Window)));
    for (auto* rect : plot->axisRects()) {
        rect->setBackground(QBrush(base));
        for (auto* axis : rect->axes()) {
            axis->setBasePen(QPen(text, 1));
            axis->setTickPen(QPen(text, 1));
            axis->setSubTickPen(QPen(text, 1));
            axis->setTickLabelColor(pal.color(QPalette::WindowText));
            axis->setLabelColor(pal.color(QPalette::WindowText));
            axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
            axis->grid()->setZeroLinePen(QPen(grid, 1));
        }
    }
    QColor legendBack = base;
    legendBack.setAlpha(220);
    plot->legend->setBrush(legendBack);
    plot->legend->setBorderPen(QPen(pal.color(QPalette::Mid)));
    plot->legend->setTextColor(text);
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
            title->setTextColor(pal.color(QPalette::WindowText));
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPItemText*>(plot->item(i)))
            item->setColor(pal.color(QPalette::PlaceholderText));
    for (int i = 0; i < plot->plottableCount(); ++i) {
        auto* graph = plot->plottable(i);
        const QColor colour = baseColour(graph);
        if (!colour.isValid()) continue;
        QPen pen = graph->pen();
        pen.setColor(readableOn(colour, base, kLineContrast));
        graph->setPen(pen);
    }
}

constexpr const char* kBaseColour = "lockscopeBaseColour";

class PaletteFollower : public QObject {
public:
    explicit PaletteFollower(QCustomPlot* plot) : QObject(plot), plot_(plot) {
        plot->installEventFilter(this);
    }
    bool eventFilter(QObject* watched, QEvent* e) override {
        if (watched == plot_ && e->type() == QEvent::PaletteChange) {
            applyPalette(plot_);
            plot_->replot(QCustomPlot::rpQueuedReplot);
        }
        return false;
    }

private:
    QCustomPlot* plot_;
};

}  // namespace

void followPalette(QCustomPlot* plot) {
    applyPalette(plot);
    new PaletteFollower(plot);
}

void setGraphPen(QCPAbstractPlottable* graph, QPen pen) {
    graph->setProperty(kBaseColour, pen.color());
    pen.setColor(readableOn(pen.color(), graph->parentPlot()->palette().color(QPalette::Base),
                            kLineContrast));
    graph->setPen(pen);
}

QColor baseColour(const QCPAbstractPlottable* graph) {
    return graph->property(kBaseColour).value<QColor>();
}

}  // namespace lockscope::ui
