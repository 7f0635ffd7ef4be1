// Before QApplication: can the window reach a display at all? Qt's xcb plugin aborts (a core dump
// and three lines about plugins) when DISPLAY names no X server; this says it in one line instead.
//
// Thread contract: called once, from main(), before QApplication exists.
#pragma once

#include <optional>
#include <string>

namespace lockscope::app {

// Why no window can open ("" never: nullopt when it can, or when Qt will not use X: another
// QT_QPA_PLATFORM, or a Wayland session).
std::optional<std::string> displayProblem();

}  // namespace lockscope::app
