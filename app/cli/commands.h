// The CLI's subcommands; each takes its own arguments (after the command name) and returns an exit code.
#pragma once

#include <atomic>
#include <string>
#include <vector>

namespace invseg::cli {

using Argv = std::vector<std::string>;

int cmdInspect(const Argv& args);
int cmdEncodeText(const Argv& args);
int cmdSegment(const Argv& args);
int cmdBatch(const Argv& args);
int cmdEvaluate(const Argv& args);
int cmdBench(const Argv& args);

/// Ctrl+C (SIGINT) and SIGTERM set a flag that running segmentations check every step, so they stop cleanly.
void installInterruptHandler();
const std::atomic<bool>* interruptFlag();

} // namespace invseg::cli
