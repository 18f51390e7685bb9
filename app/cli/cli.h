// Command dispatch of the invseg CLI.
#pragma once

namespace invseg::cli {

/// Exit codes of every subcommand.
enum ExitCode { kExitOk = 0, kExitRuntime = 1, kExitUsage = 2 };

/// Parses argv, runs the subcommand and returns the exit code. Never throws.
int run(int argc, char** argv);

} // namespace invseg::cli
