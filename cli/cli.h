// lockscope-cli: the core library for terminals and scripts. app/cli/main.cpp only calls run().
//
// Exit codes (the contract scripts rely on): 0 success; 1 the operation failed (lock busy, not the
// owner, holder changed); 2 usage error; 3 connection error. Failures print one line on stderr
// that says what to do.
//
// Thread contract: run() is called once, from main().
#pragma once

#include <iosfwd>

namespace lockscope::cli {

enum ExitCode { kOk = 0, kFailed = 1, kUsage = 2, kConnection = 3 };

int run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace lockscope::cli
