// lockscope-cli: everything lives in the lockscope_cli library (cli/).
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) { return lockscope::cli::run(argc, argv, std::cout, std::cerr); }
