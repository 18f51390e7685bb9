// diffusers Attention: multi-head scaled-dot-product attention with optional probability capture.
#pragma once

#include "invseg/nn/attention_capture.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <string>

namespace invseg::nn {

namespace detail {
struct ForwardContext;
}

struct AttentionOptions {
    int64_t queryDim = 0;
    int64_t crossAttentionDim = 0; ///< 0: self-attention (keys/values from the queries' input)
    int64_t heads = 1;
    int64_t dimHead = 0;
    bool qkvBias = false;         ///< UNet: false; VAE: true
    bool upcastAttention = false; ///< compute QKᵀ in float32 (the fallback always does the softmax in float32)
    int64_t normGroups = 0;       ///< > 0: a group_norm child applied to spatial input (the VAE's attention)
    double normEps = 1e-6;
};

/// Children: [group_norm], to_q, to_k, to_v, to_out (ModuleList: 0 = Linear with bias; diffusers' dropout at 1
/// has no parameters and is left out). Scale = dimHead^-0.5.
class AttentionImpl : public torch::nn::Module {
public:
    /// name: the diffusers module path (used by the capture); level: the UNet resolution level.
    AttentionImpl(const AttentionOptions& options, std::string name = {}, int level = 0);

    /// Token form. x [B, N, queryDim], N = height*width row-major; context [B, L, crossAttentionDim] for cross-
    /// attention, undefined for self-attention. ctx (may be null) carries the capture: when it selects this layer
    /// the probabilities are materialised (float32 softmax) and stored, still part of the autograd graph.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context, int64_t height, int64_t width,
                          detail::ForwardContext* ctx);

    /// Spatial form (VAE mid-block): x [B, C, H, W] → group_norm → single-stream attention → to_out → + x.
    torch::Tensor forwardSpatial(const torch::Tensor& x);

    const std::string& name() const { return m_name; }
    AttnKind kind() const { return m_options.crossAttentionDim > 0 ? AttnKind::Cross : AttnKind::Self; }

private:
    /// capture non-null: materialise the probabilities and store them in it.
    torch::Tensor attend(const torch::Tensor& hidden, const torch::Tensor& context, AttentionCapture* capture);

    AttentionOptions m_options;
    std::string m_name;
    int m_level;
    torch::nn::GroupNorm m_groupNorm{nullptr};
    torch::nn::Linear m_toQ{nullptr};
    torch::nn::Linear m_toK{nullptr};
    torch::nn::Linear m_toV{nullptr};
    torch::nn::ModuleList m_toOut{nullptr};
    torch::nn::Linear m_toOut0{nullptr};
};
TORCH_MODULE(Attention);

/// softmax(q kᵀ · scale) v for q [B, h, Q, d], k/v [B, h, K, d], without materialising more than a bounded block
/// of scores: at::scaled_dot_product_attention on LibTorch ≥ 2, else a query-chunked math path with a float32
/// softmax. upcast computes QKᵀ in float32 in the math path.
torch::Tensor fastAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, bool upcast);

/// The math path: softmax in float32, queries processed in chunks so that at most maxScoreElements scores exist at
/// once.
torch::Tensor mathAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, bool upcast,
                            int64_t maxScoreElements);

/// The math path's default bound on materialised scores (128 MiB of float32).
constexpr int64_t kMaxScoreElements = int64_t(1) << 25;

/// The probabilities softmax(q kᵀ · d^-0.5) as float32 [B, h, Q, K] (differentiable).
torch::Tensor attentionProbabilities(const torch::Tensor& q, const torch::Tensor& k, bool upcast);

} // namespace invseg::nn
