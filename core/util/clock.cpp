#include "util/clock.h"

namespace lockscope {

const Clock& systemClock() {
    static const SystemClock clock;
    return clock;
}

}  // namespace lockscope
