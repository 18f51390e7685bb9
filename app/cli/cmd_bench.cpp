// `invseg bench`: time InvSeg steps and whole images at SD 1.5 / SD 2.1 / toy sizes, with peak memory.
#include "args.h"
#include "cli.h"
#include "commands.h"
#include "invseg/checkpoint.h"
#include "invseg/error.h"
#include "invseg/exports.h"
#include "invseg/resources.h"
#include "invseg/sd_model.h"
#include "invseg/segmenter.h"
#include "invseg/threads.h"
#include "segment_job.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace invseg::cli {
namespace {

const char* kHelp = R"(usage: invseg bench [--arch sd15|sd21|toy | --model PATH] [options]

Times InvSeg on one image: the per-step time (UNet forward with the maps the losses need, backward to the
class tokens, losses, Adam) and the whole image (VAE encode, S, K steps, final maps), with peak memory.
--arch builds a model of that size with random weights (timing does not depend on the values):
  sd15  UNet 860 M parameters, 512x512 input, 64x64 latent, CLIP ViT-L text encoder
  sd21  UNet 865 M parameters, 768x768 input, 96x96 latent, OpenCLIP ViT-H text encoder (23 layers)
  toy   the bundled toy model's sizes (random weights)

  --model PATH     time a real checkpoint instead
  --device DEV     cpu, cuda, cuda:N (default cpu)
  --dtype T        fp32, bf16, fp16 (default fp32 on CPU, bf16 on CUDA)
  --steps K        optimisation steps per image (default 20)
  --repeat R       timed images after one warm-up image (default 3)
  --size PX        input size instead of the architecture's native size (multiple of 64)
  --classes LIST   class names (default "cat,dog,grass,sky")
  --views 1|2      views per step (default 2)
  --reuse-self-attention   compute A once and stop the UNet after the last cross-attention layer used
  --channels-last  UNet convolutions in channels-last (NHWC) order
  --threads N      CPU threads for LibTorch and OpenBLAS (default: the cores this process may use)
  --json FILE      write {"ms_per_step", "s_per_image", "peak_mem_mb", "cpu_ms_per_step", ...} to FILE
                   (cpu_*: this process's CPU time, all threads; with --threads 1 it does not depend on
                   what else runs on the machine, as wall-clock time does)
)";

Checkpoint archConfigs(const std::string& arch)
{
    Checkpoint ck;
    ck.path = "random:" + arch;
    if (arch == "sd15") {
        ck.variant = SdVariant::Sd1;
        // The defaults of the config structs are SD 1.5's.
        ck.unet.sampleSize = 64;
        ck.vae.sampleSize = 512;
    } else if (arch == "sd21") {
        ck.variant = SdVariant::Sd2;
        ck.unet.numHeads = {5, 10, 20, 20};
        ck.unet.crossAttentionDim = 1024;
        ck.unet.useLinearProjection = true;
        ck.unet.sampleSize = 96;
        ck.vae.sampleSize = 768;
        ck.textEncoder.hiddenSize = 1024;
        ck.textEncoder.intermediateSize = 4096;
        ck.textEncoder.numHeads = 16;
        ck.textEncoder.numLayers = 23;
        ck.textEncoder.activation = Activation::Gelu;
        ck.textEncoder.padTokenId = 0;
        ck.scheduler.predictionType = PredictionType::VPrediction;
    } else if (arch == "toy") {
        const std::string path = resourcePath("models/toy");
        if (!std::filesystem::exists(path))
            throw Error(ErrorKind::Io,
                        "--arch toy reads the bundled model's configs, and there is none at '" + path + "'");
        // Only the text encoder's weights are read (the tokenizer's pad id and the variant come with them); the
        // UNet and VAE sizes come straight from their configs, since readCheckpoint leaves unread components'
        // configs at their SD 1.5 defaults.
        CheckpointOptions opt;
        opt.readUnet = false;
        opt.readVae = false;
        Checkpoint sizes = readCheckpoint(path, opt);
        const std::filesystem::path dir(path);
        ck.variant = sizes.variant;
        ck.unet = parseUNetConfig((dir / "unet" / "config.json").string());
        ck.vae = parseVaeConfig((dir / "vae" / "config.json").string());
        ck.textEncoder = sizes.textEncoder;
        ck.scheduler = sizes.scheduler;
    } else {
        throw UsageError("--arch must be sd15, sd21 or toy, got '" + arch + "'");
    }
    return ck;
}

/// This process's CPU time in ms (all threads). With --threads 1 it is the step's compute time even when other
/// processes share the cores, which wall-clock time is not.
double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct Stats {
    double median = 0, min = 0, max = 0;
};

Stats stats(std::vector<double> v)
{
    Stats s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    s.min = v.front();
    s.max = v.back();
    return s;
}

} // namespace

int cmdBench(const Argv& argv)
{
    const Args args(
        argv, {"arch", "model", "device", "dtype", "steps", "repeat", "size", "classes", "views", "threads", "json"},
        {"help", "reuse-self-attention", "channels-last"});
    if (args.has("help")) {
        std::cout << kHelp;
        return kExitOk;
    }
    if (!args.positional().empty())
        throw UsageError("unexpected argument '" + args.positional()[0] + "'");
    if (args.has("arch") == args.has("model"))
        throw UsageError("give exactly one of --arch and --model");
    const std::string device = args.value("device", "cpu");
    const torch::Device dev(checkDevice(device));
    const std::string dtype = args.value("dtype", dev.is_cuda() ? "bf16" : "fp32");
    checkDtype(dtype);
    const int steps = args.intValue("steps", 20);
    const int repeat = args.intValue("repeat", 3);
    if (steps < 1 || repeat < 1)
        throw UsageError("--steps and --repeat must be at least 1");
    if (args.has("threads")) {
        const int t = args.intValue("threads", 0);
        if (t < 1)
            throw UsageError("--threads must be at least 1");
        setComputeThreads(t);
    }
    const std::string jsonPath = args.value("json");
    if (!jsonPath.empty()) {
        const auto parent = std::filesystem::path(jsonPath).parent_path();
        ensureWritableDir(parent.empty() ? "." : parent.string());
    }

    ModelOptions mo;
    mo.device = device;
    mo.dtype = dtype;
    mo.channelsLast = args.has("channels-last");
    const auto tLoad = std::chrono::steady_clock::now();
    std::shared_ptr<SdModel> model;
    if (args.has("model")) {
        if (args.has("size"))
            throw UsageError("--size applies to --arch (a checkpoint has its own native size)");
        model = SdModel::load(args.value("model"), mo);
    } else {
        Checkpoint ck = archConfigs(args.value("arch"));
        if (args.has("size")) {
            const int px = args.intValue("size", 0);
            if (px < 64 || px % 64 != 0)
                throw UsageError("--size must be a positive multiple of 64");
            ck.unet.sampleSize = px / 8;
            ck.vae.sampleSize = px;
        }
        model = SdModel::withRandomWeights(std::move(ck), mo);
    }
    const double loadS = std::chrono::duration<double>(std::chrono::steady_clock::now() - tLoad).count();
    const int64_t size = model->nativeImageSize();

    SegmentOptions options;
    options.steps = steps;
    options.device = device;
    options.dtype = dtype;
    options.views = args.intValue("views", 2);
    options.reuseSelfAttention = args.has("reuse-self-attention");
    options.validate();
    std::vector<std::string> classes;
    {
        std::stringstream in(args.value("classes", "cat,dog,grass,sky"));
        std::string c;
        while (std::getline(in, c, ','))
            classes.push_back(c);
    }
    Segmenter segmenter(model);
    // A fixed pseudo-random image at the model's native size (so the pipeline resizes nothing).
    auto gen = at::detail::createCPUGenerator(7);
    const auto pixels = torch::randint(0, 256, {size, size, 3}, gen, torch::kLong).to(torch::kUInt8).contiguous();
    Image image;
    image.width = image.height = static_cast<int>(size);
    image.rgb.assign(pixels.data_ptr<uint8_t>(), pixels.data_ptr<uint8_t>() + pixels.numel());

    std::vector<double> stepMs, imageS, stepCpuMs, imageCpuS;
    double peak = 0;
    installInterruptHandler();
    SegmentCallbacks cb;
    cb.cancel = interruptFlag();
    // CPU time per step: between consecutive step reports (step 0 reports the end of the first pass).
    std::vector<double> cpuThisImage;
    double lastCpu = 0;
    cb.onStep = [&](const StepReport& r) {
        const double now = processCpuMs();
        if (r.step > 0)
            cpuThisImage.push_back(now - lastCpu);
        lastCpu = now;
    };
    std::cerr << "bench: " << (args.has("model") ? args.value("model") : "random " + args.value("arch")) << " on "
              << dev.str() << " " << dtype << ", " << steps << " steps, 1 warm-up + " << repeat << " images\n";
    for (int r = 0; r <= repeat; ++r) {
        if (dev.is_cuda())
            torch::cuda::synchronize();
        cpuThisImage.clear();
        const double cpu0 = processCpuMs();
        const auto res = segmenter.segment(image, classes, options, cb);
        if (dev.is_cuda())
            torch::cuda::synchronize();
        const double cpuImage = (processCpuMs() - cpu0) / 1000.0;
        if (r == 0) {
            std::cerr << "  warm-up: " << std::fixed << std::setprecision(2) << res.totalMs / 1000 << " s\n";
            continue;
        }
        for (size_t k = 0; k < res.history.size(); ++k)
            stepMs.push_back(res.history[k].stepMs);
        imageS.push_back(res.totalMs / 1000.0);
        stepCpuMs.insert(stepCpuMs.end(), cpuThisImage.begin(), cpuThisImage.end());
        imageCpuS.push_back(cpuImage);
        peak = std::max(peak, res.peakMemoryMb);
        std::cerr << "  image " << r << ": " << std::fixed << std::setprecision(2) << res.totalMs / 1000 << " s\n";
    }
    const Stats st = stats(stepMs), si = stats(imageS), sc = stats(stepCpuMs), sic = stats(imageCpuS);
    const auto& u = model->unetConfig();
    std::ostringstream params;
    params << std::fixed << std::setprecision(1) << model->parameterCount("unet") / 1e6;
    std::cout << "| model | device | dtype | input | UNet M params | ms/step (median, min-max) | s/image (median) | "
                 "peak MB |\n|---|---|---|---|---|---|---|---|\n"
              << "| " << (args.has("model") ? args.value("model") : args.value("arch")) << " | " << dev.str() << " | "
              << dtype << " | " << model->nativeImageSize() << "² (latent " << u.sampleSize << "²) | " << params.str()
              << " | " << std::fixed << std::setprecision(1) << st.median << " (" << st.min << "-" << st.max << ") | "
              << std::setprecision(3) << si.median << " | " << std::setprecision(0) << peak << " |\n";
    if (!jsonPath.empty()) {
        nlohmann::json j = {{"ms_per_step", st.median},
                            {"ms_per_step_min", st.min},
                            {"ms_per_step_max", st.max},
                            {"s_per_image", si.median},
                            {"s_per_image_min", si.min},
                            {"s_per_image_max", si.max},
                            {"cpu_ms_per_step", sc.median},
                            {"cpu_ms_per_step_min", sc.min},
                            {"cpu_ms_per_step_max", sc.max},
                            {"cpu_s_per_image", sic.median},
                            {"peak_mem_mb", peak},
                            {"load_s", loadS},
                            {"model", args.has("model") ? args.value("model") : "random:" + args.value("arch")},
                            {"unet_params_m", model->parameterCount("unet") / 1e6},
                            {"input_size", model->nativeImageSize()},
                            {"latent_size", u.sampleSize},
                            {"device", dev.str()},
                            {"threads", torch::get_num_threads()},
                            {"steps", steps},
                            {"repeat", repeat},
                            {"classes", classes},
                            {"options", options.toJson()},
                            {"channels_last", mo.channelsLast},
                            {"libtorch", TORCH_VERSION}};
        writeJsonAtomic(jsonPath, j);
    }
    return kExitOk;
}

} // namespace invseg::cli
