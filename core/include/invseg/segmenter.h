// InvSeg: per-image test-time inversion of the class tokens, and the diffusion baseline (K = 0), on a loaded model.
#pragma once

#include "invseg/float_maps.h"
#include "invseg/image.h"
#include "invseg/segment_options.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace invseg {

class SdModel;

/// Progress of one optimisation step. Maps are filled only when SegmentCallbacks::wantMaps is set; they are at the
/// UNet's top resolution [C', h, w] with channel 0 = background, then the user's classes.
struct StepReport {
    int step = 0; ///< 1..K (0 = the initial pass, before any update)
    int totalSteps = 0;
    double loss = 0, csc = 0, entropy = 0;
    double stepMs = 0; ///< wall time of this step
    double elapsedMs = 0;
    FloatMaps refinedMaps; ///< M̂_c
    FloatMaps anchors;     ///< w_c
    FloatMaps posteriors;  ///< p_c (mean over views)
    LabelMap labels;       ///< [h, w] arg-max of M̂
};

/// Per-run hooks. Both are called on the thread that runs segment().
struct SegmentCallbacks {
    std::function<void(const StepReport&)> onStep;
    bool wantMaps = false;                     ///< fill StepReport's maps (costs a little)
    const std::atomic<bool>* cancel = nullptr; ///< checked every step and between UNet blocks
};

struct SegmentResult {
    std::vector<std::string> classNames; ///< label i ↔ classNames[i]; [0] = "background"
    LabelMap labels;                     ///< at the input image's size
    FloatMaps maps;                      ///< [C', h, w] M̂ of the final pass at the top UNet resolution
    FloatMaps initialMaps;               ///< [C', h, w] the same before inversion (the baseline's maps)
    std::vector<StepReport> history;     ///< losses and timings of every step (no maps)
    std::string prompt;
    std::vector<std::vector<int64_t>> tokenPositions; ///< per class (background first), positions in the 77
    std::vector<int64_t> promptIds;                   ///< the prompt's token ids (77, padded)
    /// The text conditioning of the final pass as one map of height L (tokens) and width D (channels), i.e.
    /// [1, L, D]: the encoder output with the learned vectors in place (equal to the encoder output everywhere else).
    FloatMaps conditioning;
    double totalMs = 0;
    double peakMemoryMb = 0;
    /// options, classes, prompt, per-step losses, timings, peak memory, model: everything to repeat the run.
    nlohmann::json report;
};

/// Runs InvSeg on one model. A Segmenter holds no per-image state: one instance can serve many images (not
/// concurrently: one segment() at a time per instance; use several instances for parallel runs).
class Segmenter {
public:
    explicit Segmenter(std::shared_ptr<SdModel> model);

    /// Segments an RGB image into `classes` plus background. Throws Error(InvalidInput) for an empty image (or one
    /// whose buffer does not match its size), an empty or duplicated class list or one that does not fit in 77
    /// tokens (saying how many fit), Error(Cancelled) when callbacks.cancel was set, Error(OutOfMemory) when the
    /// device runs out.
    SegmentResult segment(const Image& image, const std::vector<std::string>& classes, const SegmentOptions& options,
                          const SegmentCallbacks& callbacks = {});

    /// The class list as the run will use it: names trimmed, a leading "background" dropped, background prepended;
    /// throws Error(InvalidInput) for empty names, duplicates, or "background" anywhere but first.
    static std::vector<std::string> normalizeClasses(const std::vector<std::string>& classes);

    const std::shared_ptr<SdModel>& model() const { return m_model; }

private:
    std::shared_ptr<SdModel> m_model;
};

/// The per-token cross-attention of one UNet pass: what the attention inspector shows.
struct TokenAttention {
    std::string prompt;              ///< the prompt of the classes, as options.promptTemplate builds it
    std::vector<std::string> tokens; ///< the prompt's text tokens (between start and end of text), decoded
    std::vector<int> levels;         ///< the UNet levels that have cross-attention layers, finest (0) first
    /// Per entry of `levels`: [T, h_l, w_l], one map per token, the mean over that level's cross-attention layers,
    /// min-max normalised to [0, 1] per token (a constant map becomes 0).
    std::vector<FloatMaps> levelMaps;
    /// [T, h, w] at the finest level's resolution: per token, the sum over levels of the level's map (bilinearly
    /// resized) times options.levelWeights[level], min-max normalised again. Empty when no level has a weight > 0.
    FloatMaps weighted;
};

/// One UNet pass at options.timestep on `image` (resized to the model's native square, bilinear) with the prompt of
/// `classes` (options.promptTemplate, classes then background) and no inversion, recording every cross-attention
/// layer: the raw per-token maps of the prompt. The noise is drawn from options.seed, so a call is repeatable.
/// Runs on the calling thread; uses no gradients. Throws Error(InvalidInput) for an empty image or a bad class list
/// (as Segmenter::normalizeClasses), Error(Internal) for a LibTorch failure, Error(OutOfMemory) when the device runs
/// out.
TokenAttention inspectTokenAttention(SdModel& model, const Image& image, const std::vector<std::string>& classes,
                                     const SegmentOptions& options);

/// Peak resident memory of this process (CPU), or for a CUDA device the peak memory LibTorch's caching allocator
/// reserved on it since the last resetPeakMemory (what the GPU had to hold), in MiB. 0 for CUDA when LibTorch's
/// allocator statistics were not available at build time.
double peakMemoryMb(const std::string& device);
/// Starts a new peak for a CUDA device (Segmenter::segment calls it at the start of every image); no-op on the CPU,
/// whose figure is the process's high-water mark.
void resetPeakMemory(const std::string& device);

namespace testing {
/// Fault injection for tests of what a front end does when a run runs out of memory: from now on, every run that
/// reaches optimisation step `step` (1-based; 0 = the first pass of any run, a baseline's too) fails there with the
/// exception LibTorch throws when a CUDA allocation fails, which the engine turns into Error(OutOfMemory) as for a
/// real one. -1 turns it off. Process-wide, thread-safe.
void injectOutOfMemoryAtStep(int step);
} // namespace testing

} // namespace invseg
