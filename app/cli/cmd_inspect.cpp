// `invseg inspect MODEL`: what a checkpoint is, without running it.
#include "args.h"
#include "cli.h"
#include "commands.h"
#include "invseg/checkpoint.h"
#include "invseg/checkpoint_json.h"
#include "invseg/sd_model.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace invseg::cli {
namespace {

const char* kHelp = R"(usage: invseg inspect MODEL [--heads-from DIR] [--prediction-type epsilon|v_prediction] [--json]
                      [--no-verify]

Prints the detected layout (diffusers folder or single file), the Stable Diffusion version, the stored dtypes,
the parameter count of each component and the configuration. MODEL is a diffusers folder or a single
.safetensors / .ckpt file in the original layout. The weights are then loaded into the networks on the CPU
to verify that every tensor is present with the right shape (and, for SD 2.x single files, to detect the
prediction type); a missing, unexpected or mis-shaped key is an error that names it.

  --heads-from DIR        take attention head counts from this diffusers folder's configs (for single files
                          whose heads do not follow the Stable Diffusion conventions)
  --prediction-type T     state the prediction type of a single file instead of detecting it
  --json                  print the description as JSON
  --no-verify             only read the file: skip loading the networks
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
    const Args args(argv, {"heads-from", "prediction-type"}, {"json", "help", "no-verify"});
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
    Checkpoint ck = readCheckpoint(args.positional()[0], opt);
    auto j = describeCheckpoint(ck);
    if (!args.has("no-verify")) {
        Checkpoint copy = ck; // tensors are shared views, not copies
        const auto model = SdModel::fromCheckpoint(std::move(copy));
        ck.scheduler.predictionType = model->predictionType();
        j["scheduler"] = toJson(model->schedulerConfig());
        j["prediction_type_detected"] = model->predictionTypeDetected();
        j["verified"] = true;
        j["unet"]["sample_size"] = model->unetConfig().sampleSize;
    }
    if (args.has("json")) {
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    std::cout << "path:            " << ck.path << "\n"
              << "layout:          " << toString(ck.layout) << "\n"
              << "version:         " << (ck.variant == SdVariant::Sd1 ? "Stable Diffusion 1.x" : "Stable Diffusion 2.x")
              << "\n"
              << "prediction type: " << toString(ck.scheduler.predictionType)
              << (ck.predictionTypeKnown   ? ""
                  : j.contains("verified") ? " (detected from the UNet's response; override with --prediction-type)"
                                           : " (not stated by the file; detected from the UNet when it loads)")
              << "\n";
    if (j.contains("verified"))
        std::cout << "verified:        every tensor present with the right shape\n";
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
