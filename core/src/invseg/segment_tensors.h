// Engine-internal: the Segmenter's tensor entry point (what Segmenter::segment wraps) and the conversions between
// tensors and the API's plain types. Tests use it to check the method on tensors.
#pragma once

#include "invseg/error.h"
#include "invseg/float_maps.h"
#include "invseg/image.h"
#include "invseg/segmenter.h"

#include <torch/types.h>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace invseg::detail {

/// The one line a run or an inspection that ran out of memory ends with: where, the image and model sizes, the
/// precision, and what to try (bf16, reusing self-attention, one view, the CPU). Frees LibTorch's cached CUDA blocks
/// first, so that the next run starts with the device's memory free. `detail` is LibTorch's message (shortened).
Error outOfMemoryError(const SdModel& model, int64_t imageHeight, int64_t imageWidth, const SegmentOptions& options,
                       const std::string& detail);
/// Throws LibTorch's out-of-memory exception when testing::injectOutOfMemoryAtStep(step) is in force.
void maybeInjectOutOfMemory(int step);

/// StepReport with its maps as float32 CPU tensors [C', h, w] (labels: [h, w] uint8).
struct TensorStepReport {
    int step = 0;
    int totalSteps = 0;
    double loss = 0, csc = 0, entropy = 0;
    double stepMs = 0;
    double elapsedMs = 0;
    torch::Tensor refinedMaps;
    torch::Tensor anchors;
    torch::Tensor posteriors;
    torch::Tensor labels;
};

struct TensorSegmentCallbacks {
    std::function<void(const TensorStepReport&)> onStep;
    bool wantMaps = false;
    const std::atomic<bool>* cancel = nullptr;
};

/// SegmentResult with tensors: labels [H, W] uint8, maps / initialMaps [C', h, w] float32, conditioning [L, D] float32,
/// all on the CPU.
struct TensorSegmentResult {
    std::vector<std::string> classNames;
    torch::Tensor labels;
    torch::Tensor maps;
    torch::Tensor initialMaps;
    std::vector<StepReport> history; ///< no maps
    std::string prompt;
    std::vector<std::vector<int64_t>> tokenPositions;
    std::vector<int64_t> promptIds;
    torch::Tensor conditioning;
    double totalMs = 0;
    double peakMemoryMb = 0;
    nlohmann::json report;
};

/// Segmenter::segment on an RGB image [H, W, 3] uint8 (CPU); same contract, Error(InvalidInput) for any other tensor.
TensorSegmentResult segmentTensors(SdModel& model, const torch::Tensor& imageRgb,
                                   const std::vector<std::string>& classes, const SegmentOptions& options,
                                   const TensorSegmentCallbacks& callbacks = {});

/// [H, W, 3] uint8 CPU tensor owning a copy of the pixels.
torch::Tensor toTensor(const Image& image);
/// [C, h, w] float32 CPU tensor owning a copy of the values.
torch::Tensor toTensor(const FloatMaps& maps);
/// A [C, h, w] tensor (a [h, w] one counts as C = 1) as float32 maps; an undefined tensor gives empty maps.
FloatMaps toFloatMaps(const torch::Tensor& maps);
/// A [h, w] tensor as uint8 labels; an undefined tensor gives an empty map.
LabelMap toLabelMap(const torch::Tensor& labels);
/// The step's numbers, and its maps converted when it has them.
StepReport toStepReport(const TensorStepReport& report);
SegmentResult toSegmentResult(TensorSegmentResult&& result);

} // namespace invseg::detail
