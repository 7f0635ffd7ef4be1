// The random password of this process's sandbox and demo servers (RedisServerOptions::password,
// TopologyOptions::password): loopback is shared with every local user, and without one anyone on
// the machine could write into a demo or the operator's sandbox. 32 hex digits from
// std::random_device, made on first use and the same for the rest of the run, so that a demo's
// worker processes (one LOCKSCOPE_PASSWORD each) reach every server of that demo. RedisServer keeps
// it off the server's command line (a 0600 file in the server's 0700 directory).
//
// Thread contract: safe from any thread (a function-local static).
#pragma once

#include <string>

namespace lockscope::sandbox {

const std::string& runPassword();

}  // namespace lockscope::sandbox
