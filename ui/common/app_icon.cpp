#include "ui/common/app_icon.h"

// Q_INIT_RESOURCE must be used outside any namespace; a static library's resources are only
// linked in when something references their initialiser.
static void initLockScopeResources() { Q_INIT_RESOURCE(lockscope); }

namespace lockscope::ui {

QIcon appIcon() {
    static const bool initialised = (initLockScopeResources(), true);
    (void)initialised;
    QIcon icon;
    for (int size : {64, 128, 256})
        icon.addFile(QString(":/lockscope/icons/lockscope-%1.png").arg(size), QSize(size, size));
    return icon;
}

}  // namespace lockscope::ui
