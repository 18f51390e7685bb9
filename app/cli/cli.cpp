// Subcommand table and the top-level error boundary of the CLI.
#include "cli.h"

#include "invseg/error.h"

#include <cstring>
#include <iostream>
#include <string>

namespace invseg::cli {

int run(int argc, char** argv)
{
    if (argc >= 2 && (std::strcmp(argv[1], "--version") == 0)) {
        std::cout << "invseg " << INVSEG_VERSION << "\n";
        return kExitOk;
    }
    std::cerr << "usage: invseg <command> [options]   (invseg --help)\n";
    return kExitUsage;
}

} // namespace invseg::cli
