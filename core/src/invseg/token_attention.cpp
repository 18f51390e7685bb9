// The attention inspector's pass: one UNet forward with the classes' prompt, every cross-attention layer recorded,
// averaged per level into one map per token.
#include "invseg/error.h"
#include "invseg/nn/attention_capture.h"
#include "invseg/segment_tensors.h"
#include "invseg/segmenter.h"
#include "invseg/tokenizer.h"
#include "model/sd_model_impl.h"

#include <torch/torch.h>

#include <map>
#include <tuple>

namespace invseg {
namespace {

/// Min-max normalises a 2-D map to [0, 1] (a constant map becomes 0).
torch::Tensor normalized(const torch::Tensor& m)
{
    const auto lo = m.min(), hi = m.max();
    return (m - lo) / (hi - lo).clamp_min(1e-12);
}

/// "c1 and c2 and background" in the template, as the inspector has always prompted.
std::string inspectorPrompt(const std::vector<std::string>& classes, const std::string& templ)
{
    const auto all = Segmenter::normalizeClasses(classes); // background first
    std::string joined;
    for (size_t i = 1; i < all.size(); ++i)
        joined += all[i] + " and ";
    joined += "background";
    std::string prompt = templ;
    const auto at = prompt.find("{classes}");
    if (at != std::string::npos)
        prompt.replace(at, 9, joined);
    return prompt;
}

TokenAttention inspect(SdModel& model, const Image& image, const std::vector<std::string>& classes,
                       const SegmentOptions& options)
{
    namespace F = torch::nn::functional;
    torch::NoGradGuard noGrad;
    SdModel::Impl& net = model.impl();
    TokenAttention out;
    out.prompt = inspectorPrompt(classes, options.promptTemplate);

    const int64_t native = model.nativeImageSize();
    auto img = detail::toTensor(image).to(torch::kFloat).permute({2, 0, 1}).unsqueeze(0) / 127.5 - 1.0;
    img = F::interpolate(img, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{native, native})
                                  .mode(torch::kBilinear)
                                  .align_corners(false))
              .clamp(-1, 1)
              .to(net.device);
    const auto z0 = net.imageToLatent(img);
    const auto ids = net.tokenIds({out.prompt});
    const auto cond = net.encodeText(ids);
    auto gen = at::detail::createCPUGenerator(options.seed);
    const auto noise = torch::randn(z0.sizes(), gen, torch::kFloat).to(net.device, net.dtype);
    const auto zt = net.schedule().addNoise(z0, noise, options.timestep);
    nn::AttentionCapture capture;
    capture.select = [](const nn::AttnLayerInfo& l) { return l.kind == nn::AttnKind::Cross; };
    const std::atomic<bool> never{false};
    capture.cancel = &never;
    net.unet()->forward(zt, torch::full({1}, options.timestep, torch::kLong).to(net.device), cond, &capture);

    // Tokens between start and end of text.
    const auto idsCpu = ids.to(torch::kCPU).contiguous();
    std::vector<int64_t> positions;
    for (int64_t k = 1; k < idsCpu.size(1); ++k) {
        const int64_t id = idsCpu[0][k].item<int64_t>();
        if (id == ClipTokenizer::kEos)
            break;
        positions.push_back(k);
        out.tokens.push_back(model.tokenizer().decode({id}));
    }

    // Mean over each level's cross layers, then one map per token.
    std::map<int, std::pair<torch::Tensor, int>> perLevel;
    std::map<int, std::pair<int64_t, int64_t>> levelSize;
    for (const auto& l : capture.layers) {
        if (l.kind != nn::AttnKind::Cross || !capture.maps.count(l.name))
            continue;
        auto& acc = perLevel[l.level];
        const auto m = capture.maps.at(l.name)[0].to(torch::kCPU, torch::kFloat); // [Q, 77]
        acc.first = acc.first.defined() ? acc.first + m : m;
        acc.second += 1;
        levelSize[l.level] = {l.height, l.width};
    }
    int64_t topH = 0, topW = 0;
    if (!levelSize.empty())
        std::tie(topH, topW) = levelSize.begin()->second;
    std::vector<torch::Tensor> weighted(positions.size());
    for (const auto& [level, acc] : perLevel) {
        const auto mean = acc.first / acc.second;
        const auto [h, w] = levelSize[level];
        std::vector<torch::Tensor> maps;
        for (size_t k = 0; k < positions.size(); ++k) {
            const auto m = normalized(mean.select(1, positions[k]).reshape({h, w}));
            maps.push_back(m);
            const double weight = level < static_cast<int>(options.levelWeights.size()) ? options.levelWeights[level]
                                                                                        : 0.0;
            if (weight > 0) {
                const auto up = F::interpolate(m.unsqueeze(0).unsqueeze(0), F::InterpolateFuncOptions()
                                                                                .size(std::vector<int64_t>{topH, topW})
                                                                                .mode(torch::kBilinear)
                                                                                .align_corners(false))[0][0] *
                                weight;
                weighted[k] = weighted[k].defined() ? weighted[k] + up : up;
            }
        }
        out.levels.push_back(level);
        out.levelMaps.push_back(maps.empty() ? FloatMaps{} : detail::toFloatMaps(torch::stack(maps)));
    }
    std::vector<torch::Tensor> weightedMaps;
    for (const auto& w : weighted)
        if (w.defined())
            weightedMaps.push_back(normalized(w));
    // A level's weight applies to every token alike: either all tokens have a weighted map or none has.
    if (!weightedMaps.empty() && weightedMaps.size() == weighted.size())
        out.weighted = detail::toFloatMaps(torch::stack(weightedMaps));
    return out;
}

} // namespace

TokenAttention inspectTokenAttention(SdModel& model, const Image& image, const std::vector<std::string>& classes,
                                     const SegmentOptions& options)
{
    try {
        return inspect(model, image, classes, options);
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw detail::outOfMemoryError(model, image.height, image.width, options, "");
    } catch (const c10::Error& e) {
        const std::string what = e.what_without_backtrace();
        if (what.find("out of memory") != std::string::npos)
            throw detail::outOfMemoryError(model, image.height, image.width, options, what);
        throw Error(ErrorKind::Internal, "LibTorch error while inspecting attention: " + what.substr(0, 300));
    }
}

} // namespace invseg
