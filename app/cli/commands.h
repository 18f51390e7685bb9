// The CLI's subcommands; each takes its own arguments (after the command name) and returns an exit code.
#pragma once

#include <string>
#include <vector>

namespace invseg::cli {

using Argv = std::vector<std::string>;

int cmdInspect(const Argv& args);
int cmdEncodeText(const Argv& args);

} // namespace invseg::cli
