// LockScope's icon, from the Qt resource compiled into lockscope_ui (resources/lockscope.qrc):
// PNGs at 64, 128 and 256 px, so QIcon picks a sharp one at any device pixel ratio.
//
// Thread contract: GUI thread only.
#pragma once

#include <QIcon>

namespace lockscope::ui {

QIcon appIcon();

}  // namespace lockscope::ui
