// lockscope-cli: the core library for terminals and scripts. app/cli/main.cpp only calls run().
//
// Exit codes (the contract scripts rely on): 0 success; 1 the operation failed (lock busy, not the
// owner, holder changed); 2 usage error; 3 connection error; 4 partial: the command ran, but not
// on or over everything it was asked about — part of the keyspace could not be read (a node of a
// group or cluster unreachable or refusing, keys answered CLUSTERDOWN / LOADING / BUSY), or a
// write was done on some nodes of a group but not on others, or done but not written to the
// audit log. Failures print one line on stderr that says what to do.
//
// Thread contract: run() is called once, from main().
#pragma once

#include <iosfwd>

namespace lockscope::cli {

enum ExitCode { kOk = 0, kFailed = 1, kUsage = 2, kConnection = 3, kPartial = 4 };

int run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace lockscope::cli
