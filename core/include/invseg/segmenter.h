// InvSeg: per-image test-time inversion of the class tokens, and the diffusion baseline (K = 0), on a loaded model.
#pragma once

#include "invseg/segment_options.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace invseg {

class SdModel;

/// Progress of one optimisation step. Maps are filled only when SegmentCallbacks::wantMaps is set; they are float32
/// CPU tensors at the UNet's top resolution [C', h, w] with channel 0 = background, then the user's classes.
struct StepReport {
    int step = 0; ///< 1..K (0 = the initial pass, before any update)
    int totalSteps = 0;
    double loss = 0, csc = 0, entropy = 0;
    double stepMs = 0; ///< wall time of this step
    double elapsedMs = 0;
    torch::Tensor refinedMaps; ///< M̂_c
    torch::Tensor anchors;     ///< w_c
    torch::Tensor posteriors;  ///< p_c (mean over views)
    torch::Tensor labels;      ///< [h, w] uint8 arg-max of M̂
};

/// Per-run hooks. Both are called on the thread that runs segment().
struct SegmentCallbacks {
    std::function<void(const StepReport&)> onStep;
    bool wantMaps = false;                     ///< fill StepReport's maps (costs a little)
    const std::atomic<bool>* cancel = nullptr; ///< checked every step and between UNet blocks
};

struct SegmentResult {
    std::vector<std::string> classNames; ///< label i ↔ classNames[i]; [0] = "background"
    torch::Tensor labels;                ///< [H, W] uint8 at the input image's size
    torch::Tensor maps;                  ///< [C', h, w] float32 M̂ of the final pass at the top UNet resolution
    torch::Tensor initialMaps;           ///< [C', h, w] the same before inversion (the baseline's maps)
    std::vector<StepReport> history;     ///< losses and timings of every step (no maps)
    std::string prompt;
    std::vector<std::vector<int64_t>> tokenPositions; ///< per class (background first), positions in the 77
    std::vector<int64_t> promptIds;                   ///< the prompt's token ids (77, padded)
    /// [L, D] float32 CPU: the text conditioning of the final pass, i.e. the encoder output with the learned
    /// vectors in place (equal to the encoder output everywhere else).
    torch::Tensor conditioning;
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

    /// Segments an RGB image [H, W, 3] uint8 (CPU) into `classes` plus background. Throws Error(InvalidInput) for an
    /// empty or duplicated class list or one that does not fit in 77 tokens (saying how many fit), Error(Cancelled)
    /// when callbacks.cancel was set, Error(OutOfMemory) when the device runs out.
    SegmentResult segment(const torch::Tensor& imageRgb, const std::vector<std::string>& classes,
                          const SegmentOptions& options, const SegmentCallbacks& callbacks = {});

    /// The class list as the run will use it: names trimmed, a leading "background" dropped, background prepended;
    /// throws Error(InvalidInput) for empty names, duplicates, or "background" anywhere but first.
    static std::vector<std::string> normalizeClasses(const std::vector<std::string>& classes);

    const std::shared_ptr<SdModel>& model() const { return m_model; }

private:
    std::shared_ptr<SdModel> m_model;
};

/// Peak resident memory of this process (CPU), or for a CUDA device the peak memory LibTorch's caching allocator
/// reserved on it since the last resetPeakMemory (what the GPU had to hold), in MiB. 0 for CUDA when LibTorch's
/// allocator statistics were not available at build time.
double peakMemoryMb(const std::string& device);
/// Starts a new peak for a CUDA device (Segmenter::segment calls it at the start of every image); no-op on the CPU,
/// whose figure is the process's high-water mark.
void resetPeakMemory(const std::string& device);

} // namespace invseg
