// The InvSeg loop: encode the image, build the prompt, optimise the class tokens against CSC + entropy, label.
#include "invseg/segmenter.h"

#include "invseg/error.h"
#include "invseg/losses.h"
#include "invseg/nn/attention_capture.h"
#include "invseg/segment_tensors.h"
#include "invseg/tokenizer.h"
#include "model/sd_model_impl.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

namespace invseg {
namespace {

using detail::TensorSegmentCallbacks;
using detail::TensorSegmentResult;
using detail::TensorStepReport;
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
        throw Error(ErrorKind::InvalidInput, "the prompt for " + std::to_string(promptClasses.size() - 1) +
                                                 " classes needs " + std::to_string(content.size()) +
                                                 " tokens but only " + std::to_string(room) +
                                                 " fit in the text encoder's " + std::to_string(maxLength) +
                                                 "; at most " + std::to_string(fit) + " of these classes fit");
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

/// Step 1's output: the latent of every view and where the image sits in the model's square.
struct Latent {
    torch::Tensor z0;                                        ///< [V, 4, h, w]
    int64_t padTop = 0, padLeft = 0, innerH = 0, innerW = 0; ///< the image area in the native square (Pad policy)
    int64_t h = 0, w = 0, n = 0;                             ///< latent grid, N = h·w
};

/// The attention layers a run reads: the weighted cross-attention levels and the top-resolution self-attention,
/// chosen from the UNet's topology before any forward.
struct LayerPlan {
    std::set<int> crossLevels;
    std::vector<double> weights; ///< per level
    std::string stopCross;       ///< the forward can stop here when only cross maps are needed
    std::string stopSelf;        ///< ... and here when the self-attention is needed too
};

LayerPlan planLayers(const std::vector<nn::AttnLayerInfo>& layers, const std::vector<double>& levelWeights,
                     int64_t levels)
{
    LayerPlan plan;
    plan.weights.assign(static_cast<size_t>(levels), 0.0);
    for (size_t i = 0; i < plan.weights.size() && i < levelWeights.size(); ++i)
        plan.weights[i] = levelWeights[i];
    std::string lastCross, lastSelfTop;
    size_t lastCrossAt = 0, lastSelfTopAt = 0;
    for (size_t i = 0; i < layers.size(); ++i) {
        const auto& l = layers[i];
        if (l.kind == nn::AttnKind::Cross && l.level < levels && plan.weights[static_cast<size_t>(l.level)] > 0) {
            plan.crossLevels.insert(l.level);
            lastCross = l.name;
            lastCrossAt = i;
        }
        if (l.kind == nn::AttnKind::Self && l.level == 0) {
            lastSelfTop = l.name;
            lastSelfTopAt = i;
        }
    }
    if (plan.crossLevels.empty())
        throw Error(ErrorKind::InvalidInput, "level_weights select no UNet level with cross-attention (the model has " +
                                                 std::to_string(levels) + " levels)");
    if (lastSelfTop.empty())
        throw Error(ErrorKind::Unsupported, "the model has no self-attention at its top resolution");
    plan.stopCross = lastCross;
    plan.stopSelf = lastSelfTopAt > lastCrossAt ? lastSelfTop : lastCross;
    return plan;
}

/// One image's run of the method, one member function per step group of invseg-method.md.
class InversionRun {
public:
    InversionRun(SdModel& model, const SegmentOptions& options, const TensorSegmentCallbacks& callbacks,
                 std::vector<std::string> names, Clock::time_point t0)
        : m_model(model), m_net(model.impl()), m_options(options), m_callbacks(callbacks), m_t0(t0),
          m_dev(m_net.device), m_dtype(m_net.dtype), m_v(options.views), m_c(static_cast<int64_t>(names.size())),
          m_gen(at::detail::createCPUGenerator(options.seed))
    {
        m_result.classNames = std::move(names);
    }

    /// Steps 1-3: the image's latent, the prompt, P0 and the learnable copy P; which layers the passes capture.
    void prepare(const torch::Tensor& imageRgb);
    /// Steps 4-12, K times. The first step's pass (P = P0, the first noise) also gives S, A0 and the initial maps.
    void optimise();
    /// The baseline (K = 0): the one pass with P0 gives both the initial and the final maps.
    void baseline();
    /// Step 13: one more forward with the learned P and the first step's noise; maps and labels.
    void finalPass();

    TensorSegmentResult takeResult() { return std::move(m_result); }

private:
    void checkCancel() const
    {
        if (m_callbacks.cancel && m_callbacks.cancel->load())
            throw Error(ErrorKind::Cancelled, "cancelled");
    }
    torch::Tensor drawNoise() { return torch::randn(m_latent.z0.sizes(), m_gen, torch::kFloat).to(m_dev, m_dtype); }
    Latent encodeImage(const torch::Tensor& imageRgb) const;
    /// Steps 4-5: one UNet pass with the given class tokens and noise, capturing the maps the method reads.
    Pass runPass(const torch::Tensor& tokens, const torch::Tensor& noise, bool wantSelf) const;
    /// Step 6: refined maps in the original orientation, M = A·a per view, flipped views flipped back. [V, C', N]
    torch::Tensor refine(const torch::Tensor& crossMaps, const torch::Tensor& A) const;
    /// Step 7 and the maps before inversion, from the first pass (P = P0); reports step 0.
    void takeInitialPass(const Pass& pass, bool needS);
    void fillMaps(TensorStepReport& r, const torch::Tensor& Mhat, const torch::Tensor& post,
                  const torch::Tensor& anchors) const;
    /// Step 13's maps and labels from a pass with the learned tokens.
    void finish(const Pass& pass, const torch::Tensor& A);

    SdModel& m_model;
    SdModel::Impl& m_net; ///< the networks
    const SegmentOptions& m_options;
    const TensorSegmentCallbacks& m_callbacks;
    const Clock::time_point m_t0;
    const torch::Device m_dev;
    const torch::ScalarType m_dtype;
    const int m_v;
    const int64_t m_c;
    at::Generator m_gen;

    int64_t m_imageH = 0, m_imageW = 0;
    Latent m_latent;
    LayerPlan m_layers;
    torch::Tensor m_p0;       ///< [1, L, D] text-encoder output of the prompt
    torch::Tensor m_learnIdx; ///< positions of P within the L
    torch::Tensor m_p;        ///< [|learn|, D] float32, the learnable tokens
    torch::Tensor m_noise0;   ///< the first step's noise, reused by the final pass
    torch::Tensor m_s, m_a0;  ///< structure distance and the first pass's self-attention
    TensorSegmentResult m_result;
};

Latent InversionRun::encodeImage(const torch::Tensor& imageRgb) const
{
    const int64_t native = m_model.nativeImageSize();
    const int64_t H = imageRgb.size(0), W = imageRgb.size(1);
    Latent lat;
    lat.innerH = native;
    lat.innerW = native;
    torch::NoGradGuard noGrad;
    auto img = imageRgb.to(torch::kFloat).permute({2, 0, 1}).unsqueeze(0) / 127.5 - 1.0; // [1,3,H,W]
    if (m_options.imageSize == ImageSizePolicy::Pad) {
        const double s = static_cast<double>(native) / std::max(H, W);
        lat.innerH = std::max<int64_t>(1, std::llround(H * s));
        lat.innerW = std::max<int64_t>(1, std::llround(W * s));
        img = F::interpolate(img, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{lat.innerH, lat.innerW})
                                      .mode(torch::kBilinear)
                                      .align_corners(false));
        lat.padTop = (native - lat.innerH) / 2;
        lat.padLeft = (native - lat.innerW) / 2;
        img = F::pad(img, F::PadFuncOptions({lat.padLeft, native - lat.innerW - lat.padLeft, lat.padTop,
                                             native - lat.innerH - lat.padTop}));
    } else {
        img = F::interpolate(img, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{native, native})
                                      .mode(torch::kBilinear)
                                      .align_corners(false));
    }
    img = img.clamp(-1, 1);
    if (m_v == 2)
        img = torch::cat({img, img.flip({3})}, 0);
    lat.z0 = m_net.imageToLatent(img);
    lat.h = lat.z0.size(2);
    lat.w = lat.z0.size(3);
    lat.n = lat.h * lat.w;
    return lat;
}

void InversionRun::prepare(const torch::Tensor& imageRgb)
{
    // ---- 1. image → latent (every view) ----
    m_imageH = imageRgb.size(0);
    m_imageW = imageRgb.size(1);
    m_latent = encodeImage(imageRgb);
    checkCancel();

    // ---- 2./3. prompt, initial tokens, learnable copy ----
    std::vector<std::string> promptClasses(m_result.classNames.begin() + 1, m_result.classNames.end());
    promptClasses.push_back("background");
    const Prompt prompt = buildPrompt(m_model.tokenizer(), m_options.promptTemplate, promptClasses,
                                      m_model.padTokenId(), m_model.textConfig().maxPositions);
    m_result.prompt = prompt.text;
    m_result.promptIds = prompt.ids;
    // Output order: background first.
    m_result.tokenPositions.push_back(prompt.positions.back());
    for (size_t i = 0; i + 1 < prompt.positions.size(); ++i)
        m_result.tokenPositions.push_back(prompt.positions[i]);
    {
        torch::NoGradGuard noGrad;
        m_p0 = m_net.encodeText(torch::tensor(prompt.ids, torch::kLong).unsqueeze(0)); // [1, L, D]
    }
    std::vector<int64_t> learnPos;
    if (m_options.learnAllPositions) {
        for (int64_t i = 0; i < m_p0.size(1); ++i)
            learnPos.push_back(i);
    } else {
        for (const auto& ps : prompt.positions)
            learnPos.insert(learnPos.end(), ps.begin(), ps.end());
    }
    m_learnIdx = torch::tensor(learnPos, torch::kLong).to(m_dev);
    m_p = m_p0.index_select(1, m_learnIdx).squeeze(0).to(torch::kFloat).detach().clone().requires_grad_(true);

    // Which layers to capture and where each kind of pass may stop, from the topology: no probing forward.
    m_layers = planLayers(m_net.unet()->attentionLayers(), m_options.levelWeights,
                          static_cast<int64_t>(m_model.unetConfig().blockOutChannels.size()));
    m_noise0 = drawNoise();
}

Pass InversionRun::runPass(const torch::Tensor& tokens, const torch::Tensor& noise, bool wantSelf) const
{
    const auto& z0 = m_latent.z0;
    const int64_t h = m_latent.h, w = m_latent.w;
    nn::AttentionCapture cap;
    cap.cancel = m_callbacks.cancel;
    cap.select = [&](const nn::AttnLayerInfo& l) {
        if (l.kind == nn::AttnKind::Cross)
            return m_layers.crossLevels.count(l.level) > 0;
        return wantSelf && l.level == 0;
    };
    cap.stopAfter = wantSelf ? m_layers.stopSelf : m_layers.stopCross;
    auto cond = m_p0.clone();
    cond = cond.index_copy(1, m_learnIdx, tokens.to(m_dtype).unsqueeze(0));
    cond = cond.expand({z0.size(0), cond.size(1), cond.size(2)});
    const auto zt = m_net.schedule().addNoise(z0, noise, m_options.timestep);
    m_net.unet()->forward(zt, torch::full({z0.size(0)}, m_options.timestep, torch::kLong).to(m_dev), cond, &cap);

    // Column of each class token within the 77, in output order (background first), for the map gather.
    const auto& classCols = m_result.tokenPositions;
    Pass pass;
    torch::Tensor sum;
    for (int level : m_layers.crossLevels) {
        torch::Tensor levelSum;
        int count = 0;
        int64_t lh = 0, lw = 0;
        for (const auto& l : cap.layers) {
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
            perClass.push_back(mean.index_select(2, torch::tensor(cols, torch::kLong).to(m_dev)).mean(2)); // [V, Q]
        auto a = torch::stack(perClass, 1).reshape({z0.size(0), m_c, lh, lw});
        if (lh != h || lw != w)
            a = F::interpolate(a, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{h, w})
                                      .mode(torch::kBilinear)
                                      .align_corners(false));
        a = minMaxNormalize(a.reshape({z0.size(0), m_c, m_latent.n})) * m_layers.weights[static_cast<size_t>(level)];
        sum = sum.defined() ? sum + a : a;
    }
    pass.crossMaps = sum;
    if (wantSelf) {
        torch::Tensor s;
        int count = 0;
        for (const auto& l : cap.layers)
            if (l.kind == nn::AttnKind::Self && l.level == 0) {
                const auto& m = cap.maps.at(l.name);
                s = s.defined() ? s + m : m;
                ++count;
            }
        pass.selfAttn = (s / count).detach();
    }
    return pass;
}

torch::Tensor InversionRun::refine(const torch::Tensor& crossMaps, const torch::Tensor& A) const
{
    auto M = torch::matmul(crossMaps, A.transpose(1, 2)); // M_c(u) = Σ_v A[u,v] a_c(v)
    if (m_v == 2) {
        const int64_t h = m_latent.h, w = m_latent.w;
        auto flipped = M.slice(0, 1, 2).reshape({1, m_c, h, w}).flip({3}).reshape({1, m_c, m_latent.n});
        M = torch::cat({M.slice(0, 0, 1), flipped}, 0);
    }
    return M;
}

void InversionRun::fillMaps(TensorStepReport& r, const torch::Tensor& Mhat, const torch::Tensor& post,
                            const torch::Tensor& anchors) const
{
    torch::NoGradGuard noGrad;
    const int64_t h = m_latent.h, w = m_latent.w;
    r.refinedMaps = Mhat.mean(0).reshape({m_c, h, w}).to(torch::kCPU, torch::kFloat);
    r.posteriors = post.mean(0).reshape({m_c, h, w}).to(torch::kCPU, torch::kFloat);
    r.anchors = anchors.mean(0).reshape({m_c, h, w}).to(torch::kCPU, torch::kFloat);
    r.labels = r.refinedMaps.argmax(0).to(torch::kByte);
}

void InversionRun::takeInitialPass(const Pass& pass, bool needS)
{
    torch::NoGradGuard noGrad;
    m_a0 = pass.selfAttn.to(torch::kFloat);
    if (needS)
        m_s = structureDistance(m_a0.slice(0, 0, 1).squeeze(0)); // identity view: the image's own structure
    const auto initialMhat = minMaxNormalize(refine(pass.crossMaps.detach().to(torch::kFloat), m_a0));
    m_result.initialMaps =
        initialMhat.slice(0, 0, 1).reshape({m_c, m_latent.h, m_latent.w}).to(torch::kCPU, torch::kFloat);
    TensorStepReport r;
    r.step = 0;
    r.totalSteps = m_options.steps;
    r.elapsedMs = msSince(m_t0);
    if (m_callbacks.onStep) {
        if (m_callbacks.wantMaps) {
            const auto post = classPosteriors(initialMhat, m_options.temperature);
            fillMaps(r, initialMhat, post, softAnchors(post, m_options.anchorThreshold));
        }
        m_callbacks.onStep(r);
    }
    checkCancel();
}

void InversionRun::baseline()
{
    Pass pass;
    {
        torch::NoGradGuard noGrad;
        detail::maybeInjectOutOfMemory(0);
        pass = runPass(m_p.detach(), m_noise0, /*wantSelf=*/true);
    }
    takeInitialPass(pass, /*needS=*/false); // no step reads S
    checkCancel();
    finish(pass, m_a0);
}

void InversionRun::optimise()
{
    // ---- 4.-12. optimisation ----
    const int V = m_v;
    torch::optim::Adam adam({m_p}, torch::optim::AdamOptions(m_options.learningRate));
    for (int k = 1; k <= m_options.steps; ++k) {
        const auto ts = Clock::now();
        checkCancel();
        if (k == 1)
            detail::maybeInjectOutOfMemory(0); // step 1's pass is the run's first
        detail::maybeInjectOutOfMemory(k);
        // The first step's pass has P = P0: it is the pass S, A0 and the initial maps come from (step 7).
        const bool first = k == 1;
        const auto noise = first ? m_noise0 : drawNoise();
        const auto pass = runPass(m_p, noise, first || !m_options.reuseSelfAttention);
        if (first)
            takeInitialPass(pass, /*needS=*/true);
        const auto A = m_options.reuseSelfAttention ? m_a0 : pass.selfAttn.to(torch::kFloat);
        const auto M = refine(pass.crossMaps.to(torch::kFloat), A);
        const auto Mhat = minMaxNormalize(M);
        const auto post = classPosteriors(Mhat, m_options.temperature); // [V, C', N]
        const auto anchors = softAnchors(post, m_options.anchorThreshold);
        torch::Tensor lcsc = torch::zeros({}, M.options());
        for (int v = 0; v < V; ++v)
            lcsc = lcsc + cscLoss(m_s, M[v], anchors[v], m_options.tau);
        lcsc = lcsc / V;
        const auto lent = entropyLoss(post);
        const auto loss = lcsc + m_options.entropyWeight * lent;
        adam.zero_grad();
        loss.backward();
        adam.step();

        TensorStepReport r;
        r.step = k;
        r.totalSteps = m_options.steps;
        r.loss = loss.item<double>();
        r.csc = lcsc.item<double>();
        r.entropy = lent.item<double>();
        if (!std::isfinite(r.loss))
            throw Error(ErrorKind::Internal, "the loss became non-finite at step " + std::to_string(k));
        r.stepMs = msSince(ts);
        r.elapsedMs = msSince(m_t0);
        m_result.history.push_back(detail::toStepReport(r));
        if (m_callbacks.onStep) {
            if (m_callbacks.wantMaps)
                fillMaps(r, Mhat.detach(), post.detach(), anchors);
            m_callbacks.onStep(r);
        }
    }
    checkCancel();
}

void InversionRun::finalPass()
{
    // ---- 13. final maps and labels (identity view, the first step's noise) ----
    Pass pass;
    {
        torch::NoGradGuard noGrad;
        pass = runPass(m_p.detach(), m_noise0, !m_options.reuseSelfAttention);
    }
    finish(pass, m_options.reuseSelfAttention ? m_a0 : pass.selfAttn.to(torch::kFloat));
}

void InversionRun::finish(const Pass& pass, const torch::Tensor& A)
{
    torch::NoGradGuard noGrad;
    const int64_t native = m_model.nativeImageSize();
    m_result.conditioning = m_p0.index_copy(1, m_learnIdx, m_p.detach().to(m_dtype).unsqueeze(0))[0].to(torch::kCPU,
                                                                                                        torch::kFloat);
    const auto M = refine(pass.crossMaps.to(torch::kFloat), A);
    const auto Mhat = minMaxNormalize(M.slice(0, 0, 1)).reshape({1, m_c, m_latent.h, m_latent.w});
    m_result.maps = Mhat[0].to(torch::kCPU, torch::kFloat);
    auto full = Mhat;
    if (m_options.imageSize == ImageSizePolicy::Pad) {
        // Latent → pixel grid of the padded square, crop the image area, then to the original size.
        full = F::interpolate(full, F::InterpolateFuncOptions()
                                        .size(std::vector<int64_t>{native, native})
                                        .mode(torch::kBilinear)
                                        .align_corners(false));
        full = full.slice(2, m_latent.padTop, m_latent.padTop + m_latent.innerH)
                   .slice(3, m_latent.padLeft, m_latent.padLeft + m_latent.innerW);
    }
    full = F::interpolate(full.to(torch::kFloat), F::InterpolateFuncOptions()
                                                      .size(std::vector<int64_t>{m_imageH, m_imageW})
                                                      .mode(torch::kBilinear)
                                                      .align_corners(false));
    m_result.labels = full[0].argmax(0).to(torch::kByte).to(torch::kCPU);
}

/// Everything to repeat the run: options, classes, prompt, per-step losses, timings, peak memory, model.
nlohmann::json runReport(const TensorSegmentResult& result, const SegmentOptions& options, const SdModel& model)
{
    nlohmann::json steps = nlohmann::json::array();
    double stepMsSum = 0;
    for (const auto& s : result.history) {
        steps.push_back({{"step", s.step}, {"loss", s.loss}, {"csc", s.csc}, {"entropy", s.entropy}, {"ms", s.stepMs}});
        stepMsSum += s.stepMs;
    }
    return {{"options", options.toJson()},
            {"classes", result.classNames},
            {"prompt", result.prompt},
            {"token_positions", result.tokenPositions},
            {"steps", steps},
            {"total_ms", result.totalMs},
            {"ms_per_step", result.history.empty() ? 0.0 : stepMsSum / result.history.size()},
            {"peak_memory_mb", result.peakMemoryMb},
            {"model",
             {{"path", model.path()},
              {"variant", toString(model.variant())},
              {"device", model.device()},
              {"dtype", model.dtype()},
              {"channels_last", model.channelsLast()}}}};
}

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

TensorSegmentResult detail::segmentTensors(SdModel& model, const torch::Tensor& imageRgb,
                                           const std::vector<std::string>& classes, const SegmentOptions& options,
                                           const TensorSegmentCallbacks& callbacks)
{
    const auto t0 = Clock::now();
    options.validate();
    if (!imageRgb.defined() || imageRgb.dim() != 3 || imageRgb.size(2) != 3 || imageRgb.size(0) < 1 ||
        imageRgb.size(1) < 1 || imageRgb.scalar_type() != torch::kByte)
        throw Error(ErrorKind::InvalidInput, "the image must be an [H, W, 3] uint8 RGB tensor");
    resetPeakMemory(model.device());
    InversionRun run(model, options, callbacks, Segmenter::normalizeClasses(classes), t0);

    TensorSegmentResult result;
    try {
        // K steps cost K + 1 UNet forwards: the first step's pass doubles as the P0 pass, the baseline's one pass as
        // the final one.
        run.prepare(imageRgb);
        if (options.steps == 0) {
            run.baseline();
        } else {
            run.optimise();
            run.finalPass();
        }
        result = run.takeResult();
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw detail::outOfMemoryError(model, imageRgb.size(0), imageRgb.size(1), options, "");
    } catch (const c10::Error& e) {
        const std::string what = e.what_without_backtrace();
        if (what.find("out of memory") != std::string::npos)
            throw detail::outOfMemoryError(model, imageRgb.size(0), imageRgb.size(1), options, what);
        throw Error(ErrorKind::Internal, "LibTorch error while segmenting: " + what.substr(0, 300));
    }
    result.totalMs = msSince(t0);
    result.peakMemoryMb = peakMemoryMb(model.device());
    result.report = runReport(result, options, model);
    return result;
}

} // namespace invseg
