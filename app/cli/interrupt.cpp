// SIGINT/SIGTERM → a cancel flag: a segmentation stops after its current step and the CLI exits 1 ("cancelled").
#include "commands.h"

#include <csignal>

namespace invseg::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true); // lock-free atomic store: async-signal-safe
}

} // namespace

void installInterruptHandler()
{
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

const std::atomic<bool>* interruptFlag()
{
    return &g_interrupted;
}

} // namespace invseg::cli
