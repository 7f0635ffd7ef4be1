// State colours that stay readable on the system palette, light or dark: one hue per meaning,
// with its lightness moved until the text reaches a contrast ratio (WCAG 2) against the
// background it is drawn on.
//
// Thread contract: pure functions; call toneColour() with the default palette on the GUI thread.
#pragma once

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

namespace lockscope::ui {

enum class Tone { Good, Warning, Bad, Neutral };

// WCAG 2 contrast ratio of two colours, 1 (same luminance) to 21 (black on white).
double contrastRatio(const QColor& a, const QColor& b);

// `colour` with the same hue, darkened on a light background or lightened on a dark one until it
// reaches `minContrast` against `background` (4.5: WCAG AA for normal text).
QColor readableOn(const QColor& colour, const QColor& background, double minContrast = 4.5);

// The colour of `tone` for text on `palette`'s Window (status bar) background.
QColor toneColour(Tone tone, const QPalette& palette = QGuiApplication::palette(),
                  QPalette::ColorRole background = QPalette::Window);

}  // namespace lockscope::ui
