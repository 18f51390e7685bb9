// The one place where the engine's tensors become the API's plain types (Image, LabelMap, FloatMaps) and back, and the
// torch-free Segmenter::segment that wraps the tensor entry point.
#include "invseg/error.h"
#include "invseg/segment_tensors.h"
#include "invseg/segmenter.h"
#include "model/sd_model_impl.h"

#include <torch/torch.h>

#include <cstring>

namespace invseg {

torch::Tensor detail::toTensor(const Image& image)
{
    if (image.empty() || image.rgb.size() != static_cast<size_t>(image.width) * image.height * 3)
        throw Error(ErrorKind::InvalidInput, "the image is empty or its pixel buffer does not match its size (" +
                                                 std::to_string(image.width) + "x" + std::to_string(image.height) +
                                                 ", " + std::to_string(image.rgb.size()) + " bytes)");
    auto t = torch::empty({image.height, image.width, 3}, torch::kByte);
    std::memcpy(t.data_ptr<uint8_t>(), image.rgb.data(), image.rgb.size());
    return t;
}

torch::Tensor detail::toTensor(const FloatMaps& maps)
{
    if (maps.empty() || maps.data.size() != static_cast<size_t>(maps.channels) * maps.planeSize())
        throw Error(ErrorKind::InvalidInput, "float maps are empty or their buffer does not match their size");
    auto t = torch::empty({maps.channels, maps.height, maps.width}, torch::kFloat);
    std::memcpy(t.data_ptr<float>(), maps.data.data(), maps.data.size() * sizeof(float));
    return t;
}

FloatMaps detail::toFloatMaps(const torch::Tensor& maps)
{
    FloatMaps out;
    if (!maps.defined())
        return out;
    if (maps.dim() != 2 && maps.dim() != 3)
        throw Error(ErrorKind::Internal,
                    "float maps must be [C, h, w] or [h, w], not " + std::to_string(maps.dim()) + "-D");
    const auto t = maps.detach().to(torch::kCPU, torch::kFloat).contiguous();
    out.channels = maps.dim() == 3 ? static_cast<int>(t.size(0)) : 1;
    out.height = static_cast<int>(t.size(-2));
    out.width = static_cast<int>(t.size(-1));
    out.data.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
    return out;
}

LabelMap detail::toLabelMap(const torch::Tensor& labels)
{
    LabelMap out;
    if (!labels.defined())
        return out;
    if (labels.dim() != 2)
        throw Error(ErrorKind::Internal, "labels must be [h, w], not " + std::to_string(labels.dim()) + "-D");
    const auto t = labels.to(torch::kCPU, torch::kByte).contiguous();
    out.height = static_cast<int>(t.size(0));
    out.width = static_cast<int>(t.size(1));
    out.labels.assign(t.data_ptr<uint8_t>(), t.data_ptr<uint8_t>() + t.numel());
    return out;
}

StepReport detail::toStepReport(const TensorStepReport& r)
{
    StepReport out;
    out.step = r.step;
    out.totalSteps = r.totalSteps;
    out.loss = r.loss;
    out.csc = r.csc;
    out.entropy = r.entropy;
    out.stepMs = r.stepMs;
    out.elapsedMs = r.elapsedMs;
    out.refinedMaps = toFloatMaps(r.refinedMaps);
    out.anchors = toFloatMaps(r.anchors);
    out.posteriors = toFloatMaps(r.posteriors);
    out.labels = toLabelMap(r.labels);
    return out;
}

SegmentResult detail::toSegmentResult(TensorSegmentResult&& r)
{
    SegmentResult out;
    out.classNames = std::move(r.classNames);
    out.labels = toLabelMap(r.labels);
    out.maps = toFloatMaps(r.maps);
    out.initialMaps = toFloatMaps(r.initialMaps);
    out.history = std::move(r.history);
    out.prompt = std::move(r.prompt);
    out.tokenPositions = std::move(r.tokenPositions);
    out.promptIds = std::move(r.promptIds);
    if (r.conditioning.defined())
        out.conditioning = toFloatMaps(r.conditioning.unsqueeze(0)); // [1, L, D]
    out.totalMs = r.totalMs;
    out.peakMemoryMb = r.peakMemoryMb;
    out.report = std::move(r.report);
    return out;
}

SegmentResult Segmenter::segment(const Image& image, const std::vector<std::string>& classes,
                                 const SegmentOptions& options, const SegmentCallbacks& callbacks)
{
    const torch::Tensor rgb = detail::toTensor(image);
    detail::TensorSegmentCallbacks cb;
    cb.wantMaps = callbacks.wantMaps;
    cb.cancel = callbacks.cancel;
    if (callbacks.onStep)
        cb.onStep = [&callbacks](const detail::TensorStepReport& r) { callbacks.onStep(detail::toStepReport(r)); };
    return detail::toSegmentResult(detail::segmentTensors(*m_model, rgb, classes, options, cb));
}

FloatMaps resizeMapsBilinear(const FloatMaps& maps, int width, int height)
{
    if (width < 1 || height < 1)
        throw Error(ErrorKind::InvalidInput,
                    "cannot resize maps to " + std::to_string(width) + "x" + std::to_string(height));
    namespace F = torch::nn::functional;
    torch::NoGradGuard noGrad;
    const auto resized = F::interpolate(detail::toTensor(maps).unsqueeze(0),
                                        F::InterpolateFuncOptions()
                                            .size(std::vector<int64_t>{height, width})
                                            .mode(torch::kBilinear)
                                            .align_corners(false))[0];
    return detail::toFloatMaps(resized);
}

} // namespace invseg
