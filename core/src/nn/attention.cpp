// diffusers Attention (models/attention_processor.py): AttnProcessor2_0 semantics, plus the InvSeg probability capture.
#include "nn/attention.h"

#include "nn/forward_context.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>

namespace invseg::nn {

torch::Tensor mathAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, bool upcast,
                            int64_t maxScoreElements)
{
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    const bool fp32Scores = upcast || q.scalar_type() == torch::kFloat;
    const auto kT = (fp32Scores ? k.to(torch::kFloat) : k).transpose(-1, -2);
    const int64_t queries = q.size(2);
    const int64_t perQuery = std::max<int64_t>(1, q.size(0) * q.size(1) * k.size(2));
    const int64_t chunk = std::max<int64_t>(1, maxScoreElements / perQuery);

    auto block = [&](const torch::Tensor& qc) {
        const auto qs = (fp32Scores ? qc.to(torch::kFloat) : qc) * scale;
        auto probs = torch::softmax(torch::matmul(qs, kT), -1, torch::kFloat);
        return torch::matmul(probs.to(v.scalar_type()), v);
    };
    if (queries <= chunk)
        return block(q);
    std::vector<torch::Tensor> outs;
    outs.reserve(static_cast<size_t>((queries + chunk - 1) / chunk));
    for (int64_t s = 0; s < queries; s += chunk)
        outs.push_back(block(q.narrow(2, s, std::min(chunk, queries - s))));
    return torch::cat(outs, 2);
}

torch::Tensor fastAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, bool upcast)
{
#if TORCH_VERSION_MAJOR >= 2
    (void)upcast; // the fused kernels accumulate in float32 (diffusers' AttnProcessor2_0 ignores upcast too)
    return at::scaled_dot_product_attention(q, k, v);
#else
    return mathAttention(q, k, v, upcast, kMaxScoreElements);
#endif
}

torch::Tensor attentionProbabilities(const torch::Tensor& q, const torch::Tensor& k, bool upcast)
{
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    const bool fp32Scores = upcast || q.scalar_type() == torch::kFloat;
    const auto qs = (fp32Scores ? q.to(torch::kFloat) : q) * scale;
    const auto kT = (fp32Scores ? k.to(torch::kFloat) : k).transpose(-1, -2);
    return torch::softmax(torch::matmul(qs, kT), -1, torch::kFloat);
}

AttentionImpl::AttentionImpl(const AttentionOptions& options, std::string name, int level)
    : m_options(options), m_name(std::move(name)), m_level(level)
{
    using namespace torch::nn;
    const int64_t inner = options.heads * options.dimHead;
    const int64_t kvDim = options.crossAttentionDim > 0 ? options.crossAttentionDim : options.queryDim;
    if (options.normGroups > 0)
        m_groupNorm = register_module(
            "group_norm", GroupNorm(GroupNormOptions(options.normGroups, options.queryDim).eps(options.normEps)));
    m_toQ = register_module("to_q", Linear(LinearOptions(options.queryDim, inner).bias(options.qkvBias)));
    m_toK = register_module("to_k", Linear(LinearOptions(kvDim, inner).bias(options.qkvBias)));
    m_toV = register_module("to_v", Linear(LinearOptions(kvDim, inner).bias(options.qkvBias)));
    m_toOut0 = Linear(LinearOptions(inner, options.queryDim).bias(true));
    m_toOut = register_module("to_out", ModuleList());
    m_toOut->push_back(m_toOut0);
}

torch::Tensor AttentionImpl::attend(const torch::Tensor& hidden, const torch::Tensor& context,
                                    AttentionCapture* capture)
{
    const auto& src = context.defined() ? context : hidden;
    const int64_t b = hidden.size(0);
    const int64_t h = m_options.heads;
    const int64_t d = m_options.dimHead;
    // [B, N, h*d] → [B, h, N, d] as views; matmul/SDPA take the strided layout without a copy.
    const auto q = m_toQ(hidden).view({b, -1, h, d}).transpose(1, 2);
    const auto k = m_toK(src).view({b, -1, h, d}).transpose(1, 2);
    const auto v = m_toV(src).view({b, -1, h, d}).transpose(1, 2);

    torch::Tensor out;
    if (capture) {
        const auto probs = attentionProbabilities(q, k, m_options.upcastAttention);
        out = torch::matmul(probs.to(v.scalar_type()), v);
        capture->maps[m_name] = probs.mean(1);
        if (capture->perHead)
            capture->headMaps[m_name] = probs;
    } else {
        out = fastAttention(q, k, v, m_options.upcastAttention);
    }
    return m_toOut0(out.transpose(1, 2).reshape({b, -1, h * d}));
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& context, int64_t height,
                                     int64_t width, detail::ForwardContext* ctx)
{
    AttentionCapture* capture = ctx ? ctx->capture : nullptr;
    if (!capture)
        return attend(x, context, nullptr);

    AttnLayerInfo info;
    info.name = m_name;
    info.kind = kind();
    info.heads = m_options.heads;
    info.height = height;
    info.width = width;
    info.keys = context.defined() ? context.size(1) : x.size(1);
    info.level = m_level;
    const bool selected = capture->select && capture->select(info);
    capture->layers.push_back(info);
    auto out = attend(x, context, selected ? capture : nullptr);
    if (!capture->stopAfter.empty() && capture->stopAfter == m_name)
        throw detail::StopForward{};
    return out;
}

torch::Tensor AttentionImpl::forwardSpatial(const torch::Tensor& x)
{
    const int64_t b = x.size(0), c = x.size(1), hh = x.size(2), ww = x.size(3);
    auto hidden = m_groupNorm ? m_groupNorm(x) : x;
    hidden = hidden.view({b, c, hh * ww}).transpose(1, 2);
    const auto out = attend(hidden, {}, nullptr);
    return out.transpose(1, 2).reshape({b, c, hh, ww}) + x;
}

} // namespace invseg::nn
