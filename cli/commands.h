// The commands of lockscope-cli, one function each; cli.cpp dispatches to them.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace lockscope::cli {

int lockCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int tourCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// locks, counters, watch, inspect-key
int monitorCommand(const std::string& command, const std::vector<std::string>& args,
                   std::ostream& out, std::ostream& err);
int strategiesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int latchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int topologyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace lockscope::cli
