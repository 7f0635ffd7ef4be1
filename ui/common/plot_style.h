// QCustomPlot charts in the window's palette, light or dark: QCustomPlot paints white with black
// axes whatever the palette, so a dark desktop got bright white boxes. followPalette() styles a
// plot from its palette now and again whenever the palette changes.
//
// Thread contract: GUI thread only.
#pragma once

#include <QColor>
#include <QPen>

class QCustomPlot;
class QCPAbstractPlottable;

namespace lockscope::ui {

// Styles `plot` (background, axes, grid, labels, legend, titles, text items, graph lines) from its
// palette, and again on every palette change.
void followPalette(QCustomPlot* plot);
// Sets `graph`'s pen with its colour made readable on the plot's background (the hue kept); a
// palette change adjusts it again from `pen`'s colour, which baseColour() gives back.
void setGraphPen(QCPAbstractPlottable* graph, QPen pen);
QColor baseColour(const QCPAbstractPlottable* graph);

}  // namespace lockscope::ui
