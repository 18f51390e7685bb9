// invseg-train-toy: trains a small SD-architecture model on the toy world (or writes the sample scenes).
#include "invseg/error.h"
#include "invseg/threads.h"
#include "invseg/train_toy.h"

#include <torch/torch.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace {

std::atomic<bool> g_cancel{false};

void onSignal(int)
{
    g_cancel.store(true);
}

const char* kUsage = R"(usage: invseg-train-toy --out DIR [options]
       invseg-train-toy --write-samples DIR [--size PX]

Trains a small Stable-Diffusion-architecture model on toy-world train scenes and writes it to DIR in the
diffusers layout (plus MODEL_CARD.md, loss.csv and checkpoint/ for --resume).

  --out DIR          output folder
  --device D         cpu | cuda | cuda:N (default cpu)
  --threads N        CPU threads for LibTorch and OpenBLAS (default: the cores this process may use)
  --size PX          scene size (default 128; latent = PX/8)
  --seed N           initialisation and sampling seed (default 0)
  --vae-steps N      stage 1 steps (default 300)
  --vae-batch N      stage 1 batch (default 8)
  --vae-lr X         stage 1 learning rate (default 1e-3)
  --vae-crop PX      stage 1 on PX x PX crops (mostly around a thing) instead of whole scenes (default 0 = whole)
  --vae-thing-weight X  stage 1 loss weight of thing pixels against stuff (default 5)
  --steps N          stage 2 (text encoder + UNet) steps (default 2000)
  --batch N          stage 2 batch (default 16)
  --lr X             stage 2 learning rate (default 5e-4)
  --warmup N         stage 2 warm-up steps (default 100)
  --decay N          stage 2 steps at the end over which the rate falls linearly to 10 % (default steps/5;
                     before them it is constant, so --resume with more --steps goes on at the same rate)
  --class-prompts X  fraction of items prompted "a photograph of <classes, shuffled> and background" (default 0.5)
  --attributes X     in such a prompt, a thing named with its colour ("red ball") this often (default 0.3)
  --caption-names X  a caption's class synonym ("lawn") replaced by the class name this often (default 0.5)
  --caption-dropout X  fraction of items with an empty prompt (default 0)
  --t-range A,B      training timesteps uniform in [A, B) (default 0,1000)
  --min-snr G        min-SNR-gamma loss weights (default 5; 0 = plain MSE)
  --ema D            EMA decay of the exported weights (default 0.999; 0 = none)
  --train-embedding  train the 49k-token embedding table too (default: frozen)
  --no-flip          no mirror images in the pool
  --pool N           train scenes encoded for stage 2 (default 4096; with their mirror images, twice as many items)
  --val-every M      score the baseline on validation scenes every M minutes and at the end (default 0 = never)
  --val-scenes N     validation scenes for that (default 16)
  --val-weights L    level weights of that readout (default 0.4,0.4,0.2,0)
  --val-timestep T   its timestep (default 100)
  --unet-channels L  e.g. 32,64,128,128 (default; cross-attention at every level but the last)
  --unet-layers N    resnets per UNet level (default 1)
  --vae-channels L   e.g. 32,32,64,64 (default; 8x down)
  --text-width N     text encoder width = cross-attention dim (default 128)
  --text-layers N    text encoder layers (default 4)
  --save-every N     checkpoint every N steps (default 200)
  --init-from DIR    start from the weights of this diffusers folder (same architecture; --vae-steps 0 keeps its VAE)
  --resume           continue from DIR/checkpoint
  --max-minutes X    stop stage 2 after X minutes, save and export (marked PARTIAL in MODEL_CARD.md)
  --stop-at N        stop stage 2 after step N (schedule still for --steps), save and export
  --fp32             store all weights in fp32 (default: UNet and text encoder fp16)
  --write-samples D  write the sample scenes (test split) to D and exit
)";

/// A comma-separated list of integers (T = int64_t) or numbers (T = double).
template <typename T = int64_t>
std::vector<T> parseList(const std::string& s)
{
    std::vector<T> v;
    std::stringstream ss(s);
    std::string part;
    while (std::getline(ss, part, ','))
        v.push_back(std::is_integral_v<T> ? static_cast<T>(std::stoll(part)) : static_cast<T>(std::stod(part)));
    return v;
}

std::string gitCommit()
{
    std::string out;
    const std::string cmd = std::string("git -C '") + INVSEG_SOURCE_DIR + "' rev-parse HEAD 2>/dev/null";
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[128];
        while (std::fgets(buf, sizeof buf, p))
            out += buf;
        ::pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    if (out.empty())
        return "unknown";
    // a dirty tree is worth knowing about when the recipe is repeated
    const std::string dirtyCmd = std::string("git -C '") + INVSEG_SOURCE_DIR +
                                 "' status --porcelain -- core app 2>/dev/null";
    if (FILE* p = ::popen(dirtyCmd.c_str(), "r")) {
        char buf[8];
        if (std::fgets(buf, sizeof buf, p))
            out += " (with uncommitted changes in core/ or app/)";
        ::pclose(p);
    }
    return out;
}

std::string formatSeconds(double s)
{
    const int64_t t = static_cast<int64_t>(s + 0.5);
    std::ostringstream o;
    if (t >= 3600)
        o << t / 3600 << ":" << std::setw(2) << std::setfill('0') << (t / 60) % 60 << ":" << std::setw(2) << t % 60;
    else
        o << t / 60 << ":" << std::setw(2) << std::setfill('0') << t % 60;
    return o.str();
}

} // namespace

int main(int argc, char** argv)
{
    using namespace invseg;
    std::map<std::string, std::string> values;
    std::vector<std::string> flags;
    const std::vector<std::string> valueKeys{"out",           "device",          "threads",     "size",
                                             "seed",          "vae-steps",       "vae-batch",   "vae-lr",
                                             "steps",         "batch",           "lr",          "warmup",
                                             "pool",          "unet-channels",   "unet-layers", "vae-channels",
                                             "text-width",    "text-layers",     "save-every",  "max-minutes",
                                             "write-samples", "class-prompts",   "stop-at",     "vae-thing-weight",
                                             "vae-crop",      "init-from",       "decay",       "attributes",
                                             "caption-names", "caption-dropout", "t-range",     "min-snr",
                                             "ema",           "val-every",       "val-scenes",  "val-weights",
                                             "val-timestep"};
    std::string commandLine = "invseg-train-toy";
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        commandLine += " " + a;
        if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        }
        if (a.rfind("--", 0) != 0) {
            std::cerr << "invseg-train-toy: unexpected argument '" << a << "'\n" << kUsage;
            return 2;
        }
        const std::string key = a.substr(2);
        if (key == "resume" || key == "fp32" || key == "train-embedding" || key == "no-flip") {
            flags.push_back(key);
            continue;
        }
        if (std::find(valueKeys.begin(), valueKeys.end(), key) == valueKeys.end()) {
            std::cerr << "invseg-train-toy: unknown option '" << a << "'\n";
            return 2;
        }
        if (i + 1 >= argc) {
            std::cerr << "invseg-train-toy: " << a << " needs a value\n";
            return 2;
        }
        values[key] = argv[++i];
        commandLine += std::string(" ") + argv[i];
    }
    auto has = [&](const std::string& k) { return values.count(k) > 0; };
    auto flag = [&](const std::string& k) { return std::find(flags.begin(), flags.end(), k) != flags.end(); };

    try {
        train::ToyTrainOptions o;
        if (has("size"))
            o.size = std::stoi(values["size"]);
        if (has("write-samples")) {
            for (const auto& n : train::writeToySamples(values["write-samples"], o.size, train::sampleSeeds()))
                std::cout << values["write-samples"] << "/" << n << ".png\n";
            return 0;
        }
        if (!has("out")) {
            std::cerr << "invseg-train-toy: --out DIR is required\n" << kUsage;
            return 2;
        }
        o.outDir = values["out"];
        if (has("device"))
            o.device = values["device"];
        keepFreedTensorMemory();
        const auto threads = setComputeThreads(has("threads") ? std::stoi(values["threads"]) : 0);
        if (has("seed"))
            o.seed = std::stoull(values["seed"]);
        if (has("vae-steps"))
            o.vaeSteps = std::stoll(values["vae-steps"]);
        if (has("vae-batch"))
            o.vaeBatch = std::stoll(values["vae-batch"]);
        if (has("vae-lr"))
            o.vaeLr = std::stod(values["vae-lr"]);
        if (has("steps"))
            o.steps = std::stoll(values["steps"]);
        if (has("batch"))
            o.batch = std::stoll(values["batch"]);
        if (has("lr"))
            o.lr = std::stod(values["lr"]);
        if (has("warmup"))
            o.warmupSteps = std::stoll(values["warmup"]);
        if (has("class-prompts"))
            o.classPromptFraction = std::stod(values["class-prompts"]);
        if (has("vae-thing-weight"))
            o.vaeThingWeight = std::stod(values["vae-thing-weight"]);
        if (has("init-from"))
            o.initFrom = values["init-from"];
        if (has("vae-crop"))
            o.vaeCrop = std::stoll(values["vae-crop"]);
        if (has("decay"))
            o.decaySteps = std::stoll(values["decay"]);
        if (has("attributes"))
            o.attributeFraction = std::stod(values["attributes"]);
        if (has("caption-names"))
            o.captionNameFraction = std::stod(values["caption-names"]);
        if (has("caption-dropout"))
            o.captionDropout = std::stod(values["caption-dropout"]);
        if (has("t-range")) {
            const auto v = parseList(values["t-range"]);
            if (v.size() != 2)
                throw Error(ErrorKind::InvalidInput, "--t-range needs A,B");
            o.tMin = v[0];
            o.tMax = v[1];
        }
        if (has("min-snr"))
            o.minSnrGamma = std::stod(values["min-snr"]);
        if (has("ema"))
            o.emaDecay = std::stod(values["ema"]);
        if (has("val-every"))
            o.valEveryMinutes = std::stod(values["val-every"]);
        if (has("val-scenes"))
            o.valScenes = std::stoll(values["val-scenes"]);
        if (has("val-weights"))
            o.valLevelWeights = parseList<double>(values["val-weights"]);
        if (has("val-timestep"))
            o.valTimestep = std::stoll(values["val-timestep"]);
        o.trainTokenEmbedding = flag("train-embedding");
        o.flipPool = !flag("no-flip");
        if (has("pool"))
            o.latentPool = std::stoll(values["pool"]);
        if (has("unet-channels"))
            o.unetChannels = parseList(values["unet-channels"]);
        if (has("unet-layers"))
            o.unetLayersPerBlock = std::stoll(values["unet-layers"]);
        if (has("vae-channels"))
            o.vaeChannels = parseList(values["vae-channels"]);
        if (has("text-width"))
            o.textWidth = std::stoll(values["text-width"]);
        if (has("text-layers"))
            o.textLayers = std::stoll(values["text-layers"]);
        if (has("save-every"))
            o.saveEvery = std::stoll(values["save-every"]);
        if (has("stop-at"))
            o.stopAtStep = std::stoll(values["stop-at"]);
        if (has("max-minutes"))
            o.maxMinutes = std::stod(values["max-minutes"]);
        o.resume = flag("resume");
        o.fp16 = !flag("fp32");
        o.commandLine = commandLine;
        o.gitCommit = gitCommit();

        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        const bool tty = ::isatty(STDERR_FILENO);
        auto lastPrint = std::chrono::steady_clock::now() - std::chrono::hours(1);
        train::ToyTrainCallbacks cb;
        cb.cancel = &g_cancel;
        cb.onMessage = [&](const std::string& m) {
            if (tty)
                std::cerr << "\r\033[K";
            std::cerr << m << std::endl;
        };
        cb.onProgress = [&](const train::ToyTrainProgress& p) {
            const auto now = std::chrono::steady_clock::now();
            const bool last = p.step == p.total;
            // a terminal gets a bar at most 10 times a second; a log file a line every 10 s
            if (!last && now - lastPrint < (tty ? std::chrono::milliseconds(100) : std::chrono::milliseconds(10000)))
                return;
            lastPrint = now;
            const int width = 24;
            const int filled = p.total > 0 ? static_cast<int>(width * p.step / p.total) : width;
            std::ostringstream o;
            o << "[" << std::left << std::setw(6) << p.stage << "] " << std::right << std::setw(6) << p.step << "/"
              << p.total << " |" << std::string(static_cast<size_t>(filled), '#')
              << std::string(static_cast<size_t>(width - filled), ' ') << "| ";
            if (p.stage != "encode")
                o << "loss " << std::fixed << std::setprecision(4) << p.loss << " (avg " << p.smoothLoss << ") ";
            o << std::fixed << std::setprecision(2) << p.itPerSec << " it/s";
            if (p.stage != "encode")
                o << " " << std::setprecision(1) << p.samplesPerSec << " samples/s";
            if (p.stage == "unet" && p.valMiou >= 0)
                o << " val mIoU " << std::setprecision(2) << p.valMiou;
            o << " ETA " << formatSeconds(p.etaSeconds);
            if (tty)
                std::cerr << "\r\033[K" << o.str() << (last ? "\n" : "") << std::flush;
            else
                std::cerr << o.str() << std::endl;
        };
        std::cerr << commandLine << "\n(threads: torch " << threads.torch << ", OpenBLAS "
                  << (threads.openBlas ? std::to_string(threads.requested) : std::string("not present")) << "; commit "
                  << o.gitCommit << ")" << std::endl;
        const auto r = train::trainToyModel(o, cb);
        std::cout << std::setprecision(4) << (r.finished ? "finished" : "stopped early") << ": vae steps " << r.vaeSteps
                  << " (loss " << r.vaeLoss << "), unet steps " << r.unetSteps << " (loss " << r.unetLoss
                  << ", first 50 " << r.firstUnetLoss << "), validation mIoU " << r.valMiou << ", scaling_factor "
                  << r.scalingFactor << ", weights " << r.modelBytes << " bytes, " << formatSeconds(r.seconds)
                  << " wall\n";
        return r.finished ? 0 : 3;
    } catch (const invseg::Error& e) {
        std::cerr << "invseg-train-toy: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "invseg-train-toy: " << e.what() << "\n";
        return 1;
    }
}
