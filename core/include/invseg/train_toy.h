// Training a small Stable-Diffusion-architecture model on the toy world, written as a diffusers folder.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

// No LibTorch in this header: the trainer's options, progress and result are plain C++.
//
// Two stages, run one after the other by trainToyModel():
//   1. "vae":  AutoencoderKL (8x down, 4 latent channels) on fresh train-split scenes; loss = L1 + L2 reconstruction
//              with thing pixels weighted vaeThingWeight times a stuff pixel (things are 1.5-4 latent cells wide and
//              an unweighted loss lets the decoder paint them over with the ground) + klWeight * KL. At every
//              checkpoint and at the end, the per-class reconstruction error on validation scenes goes to
//              vae_eval.txt and originals vs round trips to vae_roundtrip.png. Then the latents (posterior MEANS,
//              as InvSeg encodes) of a pool of train scenes and their mirror images are encoded once and
//              scaling_factor = 1 / std(latents).
//   2. "unet": CLIP text encoder (token embedding frozen unless trainTokenEmbedding: a dense update of the 49k-row
//              table every step costs more than it teaches) + UNet2DConditionModel on epsilon prediction, timesteps
//              uniform in [tMin, tMax) with min-SNR-gamma loss weights, prompts = the scene's caption (class-name
//              words put in for synonyms with probability captionNameFraction) or, for classPromptFraction of the
//              items, the class list in shuffled order in InvSeg's template ("a photograph of red ball and grass
//              and background"), AdamW with warm-up, a constant rate and a linear decay over the last decaySteps,
//              grad-norm clip 1, EMA weights (exported). Every valEveryMinutes the EMA model is exported and the
//              diffusion baseline (Segmenter, K = 0) scores valScenes validation scenes: mIoU in loss.csv ("val"
//              rows), val.csv (per class) and the progress.
// Every step draws its randomness from (seed, stage, step), so a resumed run repeats what an uninterrupted one
// would have done (up to the validation passes, which draw nothing from the training streams).
//
// Output folder (options.outDir):
//   model_index.json, unet/, vae/, text_encoder/, scheduler/   the diffusers layout SdModel::load reads
//   MODEL_CARD.md                                              recipe, losses, sizes, samples/s, validation mIoU
//   loss.csv                                                   stage,step,loss,lr,seconds,samples,val_miou
//   val.csv, vae_eval.txt, vae_roundtrip.png                   validation curve, VAE check
//   checkpoint/                                                resume state (not part of the model)
//
// Threads: trainToyModel runs on the calling thread; the callbacks are called on it too. Set the thread counts
// (invseg::setComputeThreads) before calling.

namespace invseg::train {

/// Everything that decides a run; defaults = the shipped resources/models/toy recipe's architecture.
struct ToyTrainOptions {
    std::string outDir;
    std::string device = "cpu"; ///< "cpu", "cuda", "cuda:N"
    int size = 128;             ///< scene size in pixels (latent = size / 8)
    uint64_t seed = 0;          ///< initialisation and per-step sampling

    // stage 1: VAE
    int64_t vaeSteps = 300;
    int64_t vaeBatch = 8;
    double vaeLr = 1e-3;
    double klWeight = 1e-4;
    int64_t vaeCrop = 0;         ///< > 0: train on crops of this size (a multiple of 8), mostly around a thing
    double vaeThingWeight = 5.0; ///< loss weight of a thing pixel relative to a stuff pixel (1 = unweighted)
    std::vector<int64_t> vaeChannels{32, 32, 64, 64};
    int64_t vaeLayersPerBlock = 1;

    // stage 2: text encoder + UNet
    int64_t steps = 2000;
    int64_t batch = 16;
    double lr = 5e-4;
    double weightDecay = 1e-2;
    int64_t warmupSteps = 100;
    /// Linear decay of the rate to 10 % over the last decaySteps of `steps` (-1: a fifth of them); constant before,
    /// so a run resumed with more steps continues at the same rate.
    int64_t decaySteps = -1;
    double captionDropout = 0.0;
    /// Fraction of items whose prompt is the class list in InvSeg's default template, in shuffled order ("a
    /// photograph of grass and ball and sky and background") instead of the scene's caption, so the words the
    /// method prompts with are trained in that form too.
    double classPromptFraction = 0.5;
    double attributeFraction = 0.3; ///< in a class-list prompt, a thing gets its colour ("red ball") this often
    double captionNameFraction =
        0.5;                       ///< a caption word naming a class by a synonym ("lawn") becomes its name this often
    bool flipPool = true;          ///< the pool also holds every scene mirrored (caption: left and right swapped)
    int64_t tMin = 0, tMax = 1000; ///< training timesteps, uniform in [tMin, tMax)
    double minSnrGamma = 5.0;      ///< min-SNR loss weights min(SNR, gamma) / SNR; 0 = plain MSE
    double emaDecay = 0.999;       ///< EMA of the UNet and text-encoder weights (exported); 0 = none
    bool trainTokenEmbedding = false;
    int64_t latentPool = 4096; ///< train scenes (seeds 0..latentPool-1) encoded once for stage 2
    std::vector<int64_t> unetChannels{32, 64, 128, 128}; ///< cross-attention at every level but the last
    int64_t unetLayersPerBlock = 1;
    int64_t unetHeads = 4;
    int64_t textWidth = 128;
    int64_t textLayers = 4;
    int64_t textHeads = 4;

    /// A diffusers folder of the same architecture (e.g. an earlier toy model) whose weights start the run
    /// instead of a random initialisation; use with vaeSteps = 0 to keep its VAE. Read only when a run starts.
    std::string initFrom;

    // run control
    int64_t saveEvery = 200; ///< checkpoint every N steps (both stages); 0 = only at the end
    bool resume = false;     ///< continue from outDir/checkpoint if there is one
    double maxMinutes = 0;   ///< > 0: stop stage 2 after this much wall time (of this process) and export
    int64_t stopAtStep = 0;  ///< > 0: stop stage 2 after this step (the schedule still follows `steps`), export;
                             ///< repeats a run that maxMinutes stopped, exactly
    // validation curve
    double valEveryMinutes = 0; ///< > 0: score the baseline on validation scenes this often (and at the end)
    int64_t valScenes = 16;     ///< validation seeds 1e9 .. 1e9 + valScenes - 1
    std::vector<double> valLevelWeights{0.4, 0.4, 0.2, 0.0}; ///< the readout of the validation baseline
    int64_t valTimestep = 100;

    bool fp16 = true;        ///< store UNet and text encoder in fp16 (the VAE stays fp32)
    std::string commandLine; ///< recorded in MODEL_CARD.md
    std::string gitCommit;   ///< recorded in MODEL_CARD.md
};

struct ToyTrainProgress {
    std::string stage; ///< "vae", "encode", "unet"
    int64_t step = 0;  ///< steps done in this stage
    int64_t total = 0;
    double loss = 0;       ///< this step's loss
    double smoothLoss = 0; ///< exponential moving average
    double itPerSec = 0;
    double samplesPerSec = 0;
    double etaSeconds = 0;
    double valMiou = -1; ///< the latest validation mIoU (baseline, %), -1 before the first
};

struct ToyTrainResult {
    int64_t vaeSteps = 0;
    int64_t unetSteps = 0;
    double vaeLoss = 0;       ///< mean of the last 50 stage-1 losses
    double unetLoss = 0;      ///< mean of the last 50 stage-2 losses
    double firstUnetLoss = 0; ///< mean of the first (up to) 50 stage-2 losses of the whole run (from loss.csv)
    double scalingFactor = 0;
    double seconds = 0;     ///< wall time of this call
    bool finished = false;  ///< false when stopped by maxMinutes or cancel (the export is then partial)
    int64_t modelBytes = 0; ///< size of the exported weights
    double valMiou = -1;    ///< the last validation mIoU, -1 if none
};

struct ToyTrainCallbacks {
    std::function<void(const ToyTrainProgress&)> onProgress; ///< after every step
    std::function<void(const std::string&)> onMessage;       ///< stage changes, checkpoints
    const std::atomic<bool>* cancel = nullptr;               ///< checked every step; saves, exports, returns
};

/// Trains (or resumes) and exports. Throws invseg::Error (InvalidInput for bad options, Io for the folder).
ToyTrainResult trainToyModel(const ToyTrainOptions& options, const ToyTrainCallbacks& callbacks = {});

/// The sample scenes shipped in resources/samples: test-split seeds.
std::vector<uint64_t> sampleSeeds();

/// Writes, for each seed, DIR/toy_<seed>.png (RGB), DIR/toy_<seed>.classes.txt (present class names, one a line)
/// and DIR/toy_<seed>.gt.png (VOC-palette indexed PNG, index = toy class id). Returns the base names.
std::vector<std::string> writeToySamples(const std::string& dir, int size, const std::vector<uint64_t>& seeds);

} // namespace invseg::train
