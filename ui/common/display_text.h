// Redis bytes as the dashboard shows them — in the tables, the detail pane, the action log and
// the dialogs alike: util/text.h's displayBytes() (valid printable UTF-8 as is, '\' doubled,
// every other byte \xHH), as a QString; and its exact inverse for text a user typed or pasted.
//
// Thread contract: pure functions, any thread.
#pragma once

#include <QString>
#include <optional>
#include <string>
#include <string_view>

namespace lockscope::ui {

QString displayText(std::string_view bytes);
// The bytes `text` shows; nullopt when an escape is broken (a lone '\', a bad \xHH).
std::optional<std::string> parseDisplayText(const QString& text);

}  // namespace lockscope::ui
