// Subcommand table and the top-level error boundary of the CLI: one line on stderr, exit 1 or 2.
#include "cli.h"

#include "args.h"
#include "commands.h"
#include "invseg/error.h"
#include "invseg/resources.h"
#include "invseg/threads.h"

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <cstring>
#include <functional>
#include <iostream>
#include <string>

namespace invseg::cli {
namespace {

struct Command {
    const char* name;
    const char* summary;
    std::function<int(const Argv&)> run;
};

const std::vector<Command>& commands()
{
    static const std::vector<Command> table = {
        {"inspect", "print a checkpoint's layout, version, dtypes, parameter counts and config", cmdInspect},
        {"encode-text", "print the token ids of a prompt as a model's tokenizer encodes it", cmdEncodeText},
        {"segment", "segment images into classes by test-time prompt inversion", cmdSegment},
        {"batch", "segment a folder of images (shardable across machines, resumable)", cmdBatch},
        {"evaluate", "score the baseline or InvSeg on a benchmark (mIoU, per-class IoU)", cmdEvaluate},
        {"bench", "time InvSeg steps and whole images (SD 1.5 / 2.1 / toy sizes), with peak memory", cmdBench},
    };
    return table;
}

void printHelp(std::ostream& out)
{
    out << "invseg " << INVSEG_VERSION
        << ": segment images by test-time prompt inversion on Stable Diffusion\n\n"
           "usage: invseg <command> [options]\n\ncommands:\n";
    for (const auto& c : commands()) {
        std::string name = c.name;
        name.resize(14, ' ');
        out << "  " << name << c.summary << "\n";
    }
    out << "\n'invseg <command> --help' describes a command's options.\n"
           "exit codes: 0 success, 1 runtime error (bad file, bad input), 2 usage error\n";
}

} // namespace

int run(int argc, char** argv)
{
    if (argc < 2) {
        printHelp(std::cerr);
        return kExitUsage;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        printHelp(std::cout);
        return kExitOk;
    }
    if (name == "--version") {
        std::cout << "invseg " << INVSEG_VERSION << " (LibTorch " << TORCH_VERSION << ")\n";
        std::string where;
        try {
            where = resourceDir();
        } catch (const Error& e) {
            where = std::string("not found (") + e.what() + ")";
        }
        std::cout << "resources: " << where << "\n";
        return kExitOk;
    }
    for (const auto& c : commands()) {
        if (name != c.name)
            continue;
        // every command computes on as many threads as there are cores, in LibTorch's pool and OpenBLAS's alike;
        // --threads (segment, batch, evaluate, bench) sets another count
        keepFreedTensorMemory();
        setComputeThreads(0);
        const Argv rest(argv + 2, argv + argc);
        try {
            return c.run(rest);
        } catch (const UsageError& e) {
            std::cerr << "invseg " << name << ": " << e.what() << " (see 'invseg " << name << " --help')\n";
            return kExitUsage;
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::Cancelled) {
                std::cerr << "invseg " << name << ": cancelled\n";
                return kExitRuntime;
            }
            std::cerr << "invseg " << name << ": error: " << e.what() << "\n";
            return kExitRuntime;
        } catch (const std::bad_alloc&) {
            std::cerr << "invseg " << name << ": error: out of memory\n";
            return kExitRuntime;
        } catch (const c10::Error& e) {
            std::cerr << "invseg " << name << ": error: " << e.what_without_backtrace() << "\n";
            return kExitRuntime;
        } catch (const std::exception& e) {
            std::cerr << "invseg " << name << ": error: " << e.what() << "\n";
            return kExitRuntime;
        }
    }
    std::cerr << "invseg: unknown command '" << name << "' (see 'invseg --help')\n";
    return kExitUsage;
}

} // namespace invseg::cli
