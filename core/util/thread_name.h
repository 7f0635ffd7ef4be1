// Thread contract: names the calling thread only; call it first thing in a thread's function.
//
// Names core threads so `top -H`, gdb and perf say what each one is ("ls-mon-insp/0",
// "ls-lock-beat"). Linux keeps 15 bytes of a name: longer names are cut there.
#pragma once

#include <string_view>

namespace lockscope {

void setThreadName(std::string_view name);

}  // namespace lockscope
