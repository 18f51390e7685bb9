// `invseg inspect MODEL`: what a checkpoint is, without running it.
#include "args.h"
#include "cli.h"
#include "commands.h"
#include "invseg/checkpoint.h"
#include "invseg/checkpoint_json.h"

#include <iomanip>
#include <iostream>

namespace invseg::cli {
namespace {

const char* kHelp = R"(usage: invseg inspect MODEL [--heads-from DIR] [--prediction-type epsilon|v_prediction] [--json]

Prints the detected layout (diffusers folder or single file), the Stable Diffusion version, the stored dtypes,
the parameter count of each component and the configuration. MODEL is a diffusers folder or a single
.safetensors / .ckpt file in the original layout.

  --heads-from DIR        take attention head counts from this diffusers folder's configs (for single files
                          whose heads do not follow the Stable Diffusion conventions)
  --prediction-type T     state the prediction type of a single file instead of detecting it
  --json                  print the description as JSON
)";

std::string millions(int64_t n)
{
    std::ostringstream s;
    s << std::fixed << std::setprecision(n < 10'000'000 ? 3 : 1) << n / 1e6 << " M";
    return s.str();
}

} // namespace

PredictionType parsePredictionType(const std::string& s)
{
    if (s == "epsilon" || s == "eps")
        return PredictionType::Epsilon;
    if (s == "v_prediction" || s == "v")
        return PredictionType::VPrediction;
    throw UsageError("--prediction-type must be epsilon or v_prediction, not '" + s + "'");
}

int cmdInspect(const Argv& argv)
{
    const Args args(argv, {"heads-from", "prediction-type"}, {"json", "help"});
    if (args.has("help")) {
        std::cout << kHelp;
        return kExitOk;
    }
    if (args.positional().size() != 1)
        throw UsageError("inspect takes exactly one MODEL");
    CheckpointOptions opt;
    opt.headsFrom = args.value("heads-from");
    if (args.has("prediction-type"))
        opt.predictionType = parsePredictionType(args.value("prediction-type"));
    const Checkpoint ck = readCheckpoint(args.positional()[0], opt);
    const auto j = describeCheckpoint(ck);
    if (args.has("json")) {
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    std::cout << "path:            " << ck.path << "\n"
              << "layout:          " << toString(ck.layout) << "\n"
              << "version:         " << (ck.variant == SdVariant::Sd1 ? "Stable Diffusion 1.x" : "Stable Diffusion 2.x")
              << "\n"
              << "prediction type: " << toString(ck.scheduler.predictionType)
              << (ck.predictionTypeKnown ? "" : " (not stated by the file; detected from the UNet when it loads)")
              << "\n";
    std::cout << "components:\n";
    for (const char* c : {"unet", "vae", "text_encoder"}) {
        const int64_t n = j["parameters"][c].get<int64_t>();
        std::string name = c;
        name.resize(14, ' ');
        std::cout << "  " << name << std::setw(12) << millions(n) << " parameters, stored as "
                  << (ck.storedDtypes.count(c) ? ck.storedDtypes.at(c) : "-") << "\n";
    }
    if (!ck.ignoredKeys.empty())
        std::cout << "ignored keys:    " << ck.ignoredKeys.size() << " (not used by Stable Diffusion, e.g. '"
                  << ck.ignoredKeys.front() << "')\n";
    std::cout << "unet:            " << j["unet"].dump() << "\n"
              << "vae:             " << j["vae"].dump() << "\n"
              << "text_encoder:    " << j["text_encoder"].dump() << "\n"
              << "scheduler:       " << j["scheduler"].dump() << "\n";
    return kExitOk;
}

} // namespace invseg::cli
