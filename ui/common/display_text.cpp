#include "ui/common/display_text.h"

#include "util/text.h"

namespace lockscope::ui {

QString displayText(std::string_view bytes) {
    const std::string shown = displayBytes(bytes);  // always valid UTF-8
    return QString::fromUtf8(shown.data(), qsizetype(shown.size()));
}

std::optional<std::string> parseDisplayText(const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    return parseDisplayedBytes(std::string_view(utf8.constData(), size_t(utf8.size())));
}

}  // namespace lockscope::ui
