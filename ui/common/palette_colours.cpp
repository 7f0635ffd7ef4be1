#include "ui/common/palette_colours.h"

#include <algorithm>
#include <cmath>

namespace lockscope::ui {
namespace {

double channel(double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

double luminance(const QColor& c) {
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

}  // namespace

double contrastRatio(const QColor& a, const QColor& b) {
    double la = luminance(a), lb = luminance(b);
    if (la < lb) std::swap(la, lb);
    return (la + 0.05) / (lb + 0.05);
}

QColor readableOn(const QColor& colour, const QColor& background, double minContrast) {
    // Toward white on a dark background, toward black on a light one; 1% steps of HSL
    // lightness keep the hue recognisable (a red stays red, only paler or deeper).
    const bool darkBackground = luminance(background) < 0.18;
    QColor c = colour.toHsl();
    float h, s, l, a;
    c.getHslF(&h, &s, &l, &a);
    for (int i = 0; i < 100 && contrastRatio(c, background) < minContrast; ++i) {
        l = std::clamp(l + (darkBackground ? 0.01f : -0.01f), 0.0f, 1.0f);
        c.setHslF(h, s, l, a);
    }
    return c.toRgb();
}

QColor toneColour(Tone tone, const QPalette& palette, QPalette::ColorRole background) {
    QColor base;
    switch (tone) {
        case Tone::Good:
            base = QColor(0x2e, 0x7d, 0x32);
            break;  // green
        case Tone::Warning:
            base = QColor(0xef, 0x8f, 0x00);
            break;  // amber
        case Tone::Bad:
            base = QColor(0xc6, 0x28, 0x28);
            break;  // red
        case Tone::Neutral:
            base = QColor(0x75, 0x75, 0x75);
            break;  // grey
    }
    return readableOn(base, palette.color(background));
}

}  // namespace lockscope::ui
