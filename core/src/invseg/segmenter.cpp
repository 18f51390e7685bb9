// The InvSeg loop: encode the image, build the prompt, optimise the class tokens against CSC + entropy, label.
#include "invseg/segmenter.h"

#include "invseg/error.h"
#include "invseg/losses.h"
#include "invseg/nn/attention_capture.h"
#include "invseg/nn/unet.h"
#include "invseg/noise_schedule.h"
#include "invseg/sd_model.h"
#include "invseg/tokenizer.h"

#include <torch/torch.h>
#if defined(INVSEG_HAVE_CUDA_MEMORY_STATS)
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <set>

namespace invseg {
namespace {

namespace F = torch::nn::functional;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::string trim(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string lower(std::string s)
{
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// The prompt and, per class in prompt order (background last), the positions of its tokens among the 77.
struct Prompt {
    std::string text;
    std::vector<int64_t> ids; ///< 77 ids
    std::vector<std::vector<int64_t>> positions;
};

Prompt buildPrompt(const ClipTokenizer& tok, const std::string& templ, const std::vector<std::string>& promptClasses,
                   int64_t padId, int64_t maxLength)
{
    const auto at = templ.find("{classes}");
    const std::string prefix = trim(templ.substr(0, at));
    const std::string suffix = trim(templ.substr(at + 9));
    Prompt p;
    std::vector<int64_t> content = tok.encode(prefix);
    p.text = prefix;
    const auto andIds = tok.encode("and");
    auto appendClass = [&](size_t i) {
        if (i > 0) {
            content.insert(content.end(), andIds.begin(), andIds.end());
            p.text += " and";
        }
        const auto ids = tok.encode(promptClasses[i]);
        std::vector<int64_t> pos;
        for (size_t k = 0; k < ids.size(); ++k)
            pos.push_back(static_cast<int64_t>(content.size() + k + 1)); // +1: the start token
        content.insert(content.end(), ids.begin(), ids.end());
        p.positions.push_back(pos);
        p.text += (p.text.empty() ? "" : " ") + promptClasses[i];
    };
    for (size_t i = 0; i < promptClasses.size(); ++i)
        appendClass(i);
    const auto suffixIds = tok.encode(suffix);
    content.insert(content.end(), suffixIds.begin(), suffixIds.end());
    if (!suffix.empty())
        p.text += " " + suffix;
    const int64_t room = maxLength - 2;
    if (static_cast<int64_t>(content.size()) > room) {
        // How many of the classes (plus background) would fit.
        int64_t fixed = static_cast<int64_t>(tok.encode(prefix).size() + suffixIds.size() +
                                             tok.encode(promptClasses.back()).size() + andIds.size());
        int fit = 0;
        for (size_t i = 0; i + 1 < promptClasses.size(); ++i) {
            fixed += static_cast<int64_t>(tok.encode(promptClasses[i]).size() + andIds.size());
            if (fixed > room)
                break;
            ++fit;
        }
        throw Error(ErrorKind::InvalidInput,
                    "the prompt for " + std::to_string(promptClasses.size() - 1) + " classes needs " +
                        std::to_string(content.size()) + " tokens but only " + std::to_string(room) +
                        " fit in the text encoder's " + std::to_string(maxLength) + "; at most " +
                        std::to_string(fit) + " of these classes fit");
    }
    p.ids.push_back(ClipTokenizer::kBos);
    p.ids.insert(p.ids.end(), content.begin(), content.end());
    p.ids.push_back(ClipTokenizer::kEos);
    while (static_cast<int64_t>(p.ids.size()) < maxLength)
        p.ids.push_back(padId);
    return p;
}

/// What one UNet pass gives the method.
struct Pass {
    torch::Tensor crossMaps; ///< [V, C', N] weighted, per-level-normalised cross-attention maps (graph)
    torch::Tensor selfAttn;  ///< [V, N, N] detached, in each view's own orientation (undefined if not captured)
};

} // namespace

std::vector<std::string> Segmenter::normalizeClasses(const std::vector<std::string>& classes)
{
    std::vector<std::string> out{"background"};
    for (size_t i = 0; i < classes.size(); ++i) {
        const std::string name = trim(classes[i]);
        if (name.empty())
            throw Error(ErrorKind::InvalidInput, "class " + std::to_string(i + 1) + " has an empty name");
        if (lower(name) == "background") {
            if (i == 0)
                continue; // a list that starts with background (VOC's) keeps its indices
            throw Error(ErrorKind::InvalidInput, "'background' may only be the first class (it is always label 0)");
        }
        for (const auto& o : out)
            if (lower(o) == lower(name))
                throw Error(ErrorKind::InvalidInput, "class '" + name + "' is listed twice");
        out.push_back(name);
    }
    if (out.size() < 2)
        throw Error(ErrorKind::InvalidInput, "the class list is empty: give at least one class name");
    return out;
}

Segmenter::Segmenter(std::shared_ptr<SdModel> model) : m_model(std::move(model))
{
    if (!m_model)
        throw Error(ErrorKind::InvalidInput, "Segmenter needs a loaded model");
}

SegmentResult Segmenter::segment(const torch::Tensor& imageRgb, const std::vector<std::string>& classes,
                                 const SegmentOptions& options, const SegmentCallbacks& callbacks)
{
    const auto t0 = Clock::now();
    options.validate();
    if (!imageRgb.defined() || imageRgb.dim() != 3 || imageRgb.size(2) != 3 || imageRgb.size(0) < 1 ||
        imageRgb.size(1) < 1 || imageRgb.scalar_type() != torch::kByte)
        throw Error(ErrorKind::InvalidInput, "the image must be an [H, W, 3] uint8 RGB tensor");
    SdModel& model = *m_model;
    resetPeakMemory(model.device().str());
    const auto names = normalizeClasses(classes); // background first
    const int64_t C = static_cast<int64_t>(names.size());
    std::vector<std::string> promptClasses(names.begin() + 1, names.end());
    promptClasses.push_back("background");
    const auto checkCancel = [&] {
        if (callbacks.cancel && callbacks.cancel->load())
            throw Error(ErrorKind::Cancelled, "cancelled");
    };

    const torch::Device dev = model.device();
    const auto dtype = model.dtype();
    const auto& ucfg = model.unetConfig();
    const int64_t levels = static_cast<int64_t>(ucfg.blockOutChannels.size());
    const int64_t native = model.nativeImageSize();
    const int64_t H = imageRgb.size(0), W = imageRgb.size(1);
    const int V = options.views;

    SegmentResult result;
    result.classNames = names;
    try {
        // ---- 1. image → latent (every view) ----
        torch::Tensor z0;
        int64_t padTop = 0, padLeft = 0, innerH = native, innerW = native;
        {
            torch::NoGradGuard noGrad;
            auto img = imageRgb.to(torch::kFloat).permute({2, 0, 1}).unsqueeze(0) / 127.5 - 1.0; // [1,3,H,W]
            if (options.imageSize == ImageSizePolicy::Pad) {
                const double s = static_cast<double>(native) / std::max(H, W);
                innerH = std::max<int64_t>(1, std::llround(H * s));
                innerW = std::max<int64_t>(1, std::llround(W * s));
                img = F::interpolate(img, F::InterpolateFuncOptions()
                                              .size(std::vector<int64_t>{innerH, innerW})
                                              .mode(torch::kBilinear)
                                              .align_corners(false));
                padTop = (native - innerH) / 2;
                padLeft = (native - innerW) / 2;
                img = F::pad(img, F::PadFuncOptions({padLeft, native - innerW - padLeft, padTop,
                                                     native - innerH - padTop}));
            } else {
                img = F::interpolate(img, F::InterpolateFuncOptions()
                                              .size(std::vector<int64_t>{native, native})
                                              .mode(torch::kBilinear)
                                              .align_corners(false));
            }
            img = img.clamp(-1, 1);
            if (V == 2)
                img = torch::cat({img, img.flip({3})}, 0);
            z0 = model.imageToLatent(img);
        }
        checkCancel();
        const int64_t h = z0.size(2), w = z0.size(3), N = h * w;

        // ---- 2./3. prompt, initial tokens, learnable copy ----
        const Prompt prompt = buildPrompt(model.tokenizer(), options.promptTemplate, promptClasses,
                                          model.padTokenId(), model.textConfig().maxPositions);
        result.prompt = prompt.text;
        result.promptIds = prompt.ids;
        result.tokenPositions.push_back(prompt.positions.back());
        for (size_t i = 0; i + 1 < prompt.positions.size(); ++i)
            result.tokenPositions.push_back(prompt.positions[i]);
        torch::Tensor P0;
        {
            torch::NoGradGuard noGrad;
            P0 = model.encodeText(torch::tensor(prompt.ids, torch::kLong).unsqueeze(0)); // [1, L, D]
        }
        std::vector<int64_t> learnPos;
        if (options.learnAllPositions) {
            for (int64_t i = 0; i < P0.size(1); ++i)
                learnPos.push_back(i);
        } else {
            for (const auto& ps : prompt.positions)
                learnPos.insert(learnPos.end(), ps.begin(), ps.end());
        }
        const auto learnIdx = torch::tensor(learnPos, torch::kLong).to(dev);
        auto P = P0.index_select(1, learnIdx).squeeze(0).to(torch::kFloat).detach().clone().requires_grad_(true);
        // Column of each class token within the 77, in output order (background first), for the map gather.
        std::vector<std::vector<int64_t>> classCols = result.tokenPositions;

        // ---- layers: discover names, levels and call order once with an empty capture ----
        std::vector<nn::AttnLayerInfo> layerInfo;
        {
            torch::NoGradGuard noGrad;
            nn::AttentionCapture probe;
            probe.stopAfter.clear();
            // A 1-item forward at a tiny cost relative to the run; it also warms up the allocator.
            model.unet()->forward(z0.slice(0, 0, 1), torch::tensor({options.timestep}, torch::kLong).to(dev),
                                  P0, &probe);
            layerInfo = probe.layers;
        }
        std::vector<double> weights(static_cast<size_t>(levels), 0.0);
        for (size_t i = 0; i < weights.size() && i < options.levelWeights.size(); ++i)
            weights[i] = options.levelWeights[i];
        std::set<int> crossLevels;
        std::string lastCross, lastSelfTop;
        for (const auto& l : layerInfo) {
            if (l.kind == nn::AttnKind::Cross && l.level < levels && weights[static_cast<size_t>(l.level)] > 0) {
                crossLevels.insert(l.level);
                lastCross = l.name;
            }
            if (l.kind == nn::AttnKind::Self && l.level == 0)
                lastSelfTop = l.name;
        }
        if (crossLevels.empty())
            throw Error(ErrorKind::InvalidInput, "level_weights select no UNet level with cross-attention (the model has " +
                                                     std::to_string(levels) + " levels)");
        if (lastSelfTop.empty())
            throw Error(ErrorKind::Unsupported, "the model has no self-attention at its top resolution");
        auto callOrder = [&](const std::string& name) {
            for (size_t i = 0; i < layerInfo.size(); ++i)
                if (layerInfo[i].name == name)
                    return i;
            return layerInfo.size();
        };

        const auto& sched = model.schedule();
        auto gen = at::detail::createCPUGenerator(options.seed);
        auto drawNoise = [&] { return torch::randn(z0.sizes(), gen, torch::kFloat).to(dev, dtype); };

        // One UNet pass with the given class tokens and noise; captures the needed maps.
        auto runPass = [&](const torch::Tensor& tokens, const torch::Tensor& noise, bool wantSelf) {
            nn::AttentionCapture cap;
            cap.cancel = callbacks.cancel;
            cap.select = [&](const nn::AttnLayerInfo& l) {
                if (l.kind == nn::AttnKind::Cross)
                    return crossLevels.count(l.level) > 0;
                return wantSelf && l.level == 0;
            };
            const std::string stop = wantSelf && callOrder(lastSelfTop) > callOrder(lastCross) ? lastSelfTop : lastCross;
            cap.stopAfter = stop;
            auto cond = P0.clone();
            cond = cond.index_copy(1, learnIdx, tokens.to(dtype).unsqueeze(0));
            cond = cond.expand({z0.size(0), cond.size(1), cond.size(2)});
            const auto zt = sched.addNoise(z0, noise, options.timestep);
            model.unet()->forward(zt, torch::full({z0.size(0)}, options.timestep, torch::kLong).to(dev), cond, &cap);

            Pass pass;
            torch::Tensor sum;
            for (int level : crossLevels) {
                torch::Tensor levelSum;
                int count = 0;
                int64_t lh = 0, lw = 0;
                for (const auto& l : layerInfo) {
                    if (l.kind != nn::AttnKind::Cross || l.level != level)
                        continue;
                    const auto& m = cap.maps.at(l.name); // [V, Q, 77]
                    levelSum = levelSum.defined() ? levelSum + m : m;
                    lh = l.height, lw = l.width;
                    ++count;
                }
                const auto mean = levelSum / count;
                std::vector<torch::Tensor> perClass;
                for (const auto& cols : classCols)
                    perClass.push_back(
                        mean.index_select(2, torch::tensor(cols, torch::kLong).to(dev)).mean(2)); // [V, Q]
                auto a = torch::stack(perClass, 1).reshape({z0.size(0), C, lh, lw});
                if (lh != h || lw != w)
                    a = F::interpolate(a, F::InterpolateFuncOptions()
                                              .size(std::vector<int64_t>{h, w})
                                              .mode(torch::kBilinear)
                                              .align_corners(false));
                a = minMaxNormalize(a.reshape({z0.size(0), C, N})) * weights[static_cast<size_t>(level)];
                sum = sum.defined() ? sum + a : a;
            }
            pass.crossMaps = sum;
            if (wantSelf) {
                torch::Tensor s;
                int count = 0;
                for (const auto& l : layerInfo)
                    if (l.kind == nn::AttnKind::Self && l.level == 0) {
                        const auto& m = cap.maps.at(l.name);
                        s = s.defined() ? s + m : m;
                        ++count;
                    }
                pass.selfAttn = (s / count).detach();
            }
            return pass;
        };

        // Refined maps in the original orientation: M = A·a per view, flipped views flipped back. [V, C', N]
        auto refine = [&](const torch::Tensor& crossMaps, const torch::Tensor& A) {
            auto M = torch::matmul(crossMaps, A.transpose(1, 2)); // M_c(u) = Σ_v A[u,v] a_c(v)
            if (V == 2) {
                auto flipped = M.slice(0, 1, 2).reshape({1, C, h, w}).flip({3}).reshape({1, C, N});
                M = torch::cat({M.slice(0, 0, 1), flipped}, 0);
            }
            return M;
        };

        auto fillMaps = [&](StepReport& r, const torch::Tensor& Mhat, const torch::Tensor& post,
                            const torch::Tensor& anchors) {
            torch::NoGradGuard noGrad;
            r.refinedMaps = Mhat.mean(0).reshape({C, h, w}).to(torch::kCPU, torch::kFloat);
            r.posteriors = post.mean(0).reshape({C, h, w}).to(torch::kCPU, torch::kFloat);
            r.anchors = anchors.mean(0).reshape({C, h, w}).to(torch::kCPU, torch::kFloat);
            r.labels = r.refinedMaps.argmax(0).to(torch::kByte);
        };

        // ---- initial pass (P0): S, A0, the maps before inversion ----
        const auto noise0 = drawNoise();
        torch::Tensor S, A0;
        torch::Tensor initialMhat;
        {
            torch::NoGradGuard noGrad;
            const auto pass = runPass(P.detach(), noise0, /*wantSelf=*/true);
            A0 = pass.selfAttn.to(torch::kFloat);
            S = structureDistance(A0.slice(0, 0, 1).squeeze(0)); // identity view: the image's own structure
            const auto M = refine(pass.crossMaps.to(torch::kFloat), A0);
            initialMhat = minMaxNormalize(M);
            result.initialMaps = initialMhat.slice(0, 0, 1).reshape({C, h, w}).to(torch::kCPU, torch::kFloat);
            StepReport r;
            r.step = 0;
            r.totalSteps = options.steps;
            r.elapsedMs = msSince(t0);
            if (callbacks.onStep) {
                if (callbacks.wantMaps) {
                    const auto post = classPosteriors(initialMhat, options.temperature);
                    fillMaps(r, initialMhat, post, softAnchors(post, options.anchorThreshold));
                }
                callbacks.onStep(r);
            }
        }
        checkCancel();

        // ---- 4.-12. optimisation ----
        torch::optim::Adam adam({P}, torch::optim::AdamOptions(options.learningRate));
        for (int k = 1; k <= options.steps; ++k) {
            const auto ts = Clock::now();
            checkCancel();
            const auto noise = drawNoise();
            const auto pass = runPass(P, noise, !options.reuseSelfAttention);
            const auto A = options.reuseSelfAttention ? A0 : pass.selfAttn.to(torch::kFloat);
            const auto M = refine(pass.crossMaps.to(torch::kFloat), A);
            const auto Mhat = minMaxNormalize(M);
            const auto post = classPosteriors(Mhat, options.temperature); // [V, C', N]
            const auto anchors = softAnchors(post, options.anchorThreshold);
            torch::Tensor lcsc = torch::zeros({}, M.options());
            for (int v = 0; v < V; ++v)
                lcsc = lcsc + cscLoss(S, M[v], anchors[v], options.tau);
            lcsc = lcsc / V;
            const auto lent = entropyLoss(post);
            const auto loss = lcsc + options.entropyWeight * lent;
            adam.zero_grad();
            loss.backward();
            adam.step();

            StepReport r;
            r.step = k;
            r.totalSteps = options.steps;
            r.loss = loss.item<double>();
            r.csc = lcsc.item<double>();
            r.entropy = lent.item<double>();
            if (!std::isfinite(r.loss))
                throw Error(ErrorKind::Internal, "the loss became non-finite at step " + std::to_string(k));
            r.stepMs = msSince(ts);
            r.elapsedMs = msSince(t0);
            result.history.push_back(r);
            if (callbacks.onStep) {
                if (callbacks.wantMaps)
                    fillMaps(r, Mhat.detach(), post.detach(), anchors);
                callbacks.onStep(r);
            }
        }
        checkCancel();

        // ---- 13. final maps and labels (identity view, the first step's noise) ----
        {
            torch::NoGradGuard noGrad;
            const auto pass = runPass(P.detach(), noise0, !options.reuseSelfAttention);
            result.conditioning =
                P0.index_copy(1, learnIdx, P.detach().to(dtype).unsqueeze(0))[0].to(torch::kCPU, torch::kFloat);
            const auto A = options.reuseSelfAttention ? A0 : pass.selfAttn.to(torch::kFloat);
            const auto M = refine(pass.crossMaps.to(torch::kFloat), A);
            const auto Mhat = minMaxNormalize(M.slice(0, 0, 1)).reshape({1, C, h, w});
            result.maps = Mhat[0].to(torch::kCPU, torch::kFloat);
            auto full = Mhat;
            if (options.imageSize == ImageSizePolicy::Pad) {
                // Latent → pixel grid of the padded square, crop the image area, then to the original size.
                full = F::interpolate(full, F::InterpolateFuncOptions()
                                                .size(std::vector<int64_t>{native, native})
                                                .mode(torch::kBilinear)
                                                .align_corners(false));
                full = full.slice(2, padTop, padTop + innerH).slice(3, padLeft, padLeft + innerW);
            }
            full = F::interpolate(full.to(torch::kFloat), F::InterpolateFuncOptions()
                                                            .size(std::vector<int64_t>{H, W})
                                                            .mode(torch::kBilinear)
                                                            .align_corners(false));
            result.labels = full[0].argmax(0).to(torch::kByte).to(torch::kCPU);
        }
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw Error(ErrorKind::OutOfMemory, "out of memory while segmenting on " + options.device);
    } catch (const c10::Error& e) {
        const std::string what = e.what_without_backtrace();
        if (what.find("out of memory") != std::string::npos)
            throw Error(ErrorKind::OutOfMemory, "out of memory on " + model.device().str() + ": " + what.substr(0, 200));
        throw Error(ErrorKind::Internal, "LibTorch error while segmenting: " + what.substr(0, 300));
    }
    result.totalMs = msSince(t0);
    result.peakMemoryMb = peakMemoryMb(model.device().str());

    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : result.history)
        steps.push_back({{"step", s.step}, {"loss", s.loss}, {"csc", s.csc}, {"entropy", s.entropy},
                         {"ms", s.stepMs}});
    result.report = {{"options", options.toJson()},
                     {"classes", result.classNames},
                     {"prompt", result.prompt},
                     {"token_positions", result.tokenPositions},
                     {"steps", steps},
                     {"total_ms", result.totalMs},
                     {"ms_per_step", result.history.empty() ? 0.0
                                                            : [&] {
                                                                  double s = 0;
                                                                  for (const auto& h : result.history)
                                                                      s += h.stepMs;
                                                                  return s / result.history.size();
                                                              }()},
                     {"peak_memory_mb", result.peakMemoryMb},
                     {"model", {{"path", model.path()}, {"variant", toString(model.variant())},
                                {"device", model.device().str()}, {"dtype", dtypeName(model.dtype())},
                                {"channels_last", model.channelsLast()}}}};
    return result;
}

double peakMemoryMb(const std::string& device)
{
    if (device.rfind("cuda", 0) == 0) {
#if defined(INVSEG_HAVE_CUDA_MEMORY_STATS)
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(parseDevice(device).index());
        return static_cast<double>(stats.reserved_bytes[0].peak) / (1024.0 * 1024.0); // [0]: all pools
#else
        return 0.0; // this LibTorch gave no allocator statistics; the process's RSS would say nothing of the GPU
#endif
    }
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0.0;
}

void resetPeakMemory(const std::string& device)
{
#if defined(INVSEG_HAVE_CUDA_MEMORY_STATS)
    if (device.rfind("cuda", 0) == 0)
        c10::cuda::CUDACachingAllocator::resetPeakStats(parseDevice(device).index());
#else
    (void)device;
#endif
}

} // namespace invseg
