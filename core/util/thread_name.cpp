#include "util/thread_name.h"

#include <pthread.h>

#include <algorithm>

namespace lockscope {

void setThreadName(std::string_view name) {
    char buf[16] = {};  // the kernel's TASK_COMM_LEN, terminator included
    name.copy(buf, std::min(name.size(), sizeof(buf) - 1));
    // Fails only for a name that is too long, which the copy rules out: nothing to handle.
    ::pthread_setname_np(::pthread_self(), buf);
}

}  // namespace lockscope
