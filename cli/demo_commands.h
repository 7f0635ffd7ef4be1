// `lockscope-cli demo counter|lock` and the hidden `lockscope-cli worker lock` that lock demos
// start as their worker processes; cli.cpp dispatches to them and shows the help texts.
//
// Thread contract: called once, from main()'s thread (which must outlive the demo's workers).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace lockscope::cli {

int demoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// Internal: run by the demo engine, not by people (listed as such in --help).
int workerCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The demo commands' lines for the Commands section of --help.
std::string demoCommandsHelp();
// Counter strategies and demo faults, one line each, for the end of --help.
std::string demoStrategiesHelp();

}  // namespace lockscope::cli
