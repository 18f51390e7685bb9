// diffusers BasicTransformerBlock: pre-LN self-attention, cross-attention and GEGLU feed-forward, each residual.
#pragma once

#include "nn/attention.h"
#include "nn/feed_forward.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <string>

namespace invseg::nn {

/// Children: norm1, attn1 (self), norm2, attn2 (cross), norm3, ff. LayerNorm eps 1e-5.
class BasicTransformerBlockImpl : public torch::nn::Module {
public:
    /// name: this block's diffusers path ("…transformer_blocks.0"), used to name attn1/attn2 for the capture.
    BasicTransformerBlockImpl(int64_t dim, int64_t heads, int64_t dimHead, int64_t crossAttentionDim,
                              bool upcastAttention, const std::string& name, int level);

    /// x [B, H·W, dim]; context [B, L, crossAttentionDim].
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& context, int64_t height, int64_t width,
                          detail::ForwardContext* ctx);

private:
    torch::nn::LayerNorm m_norm1{nullptr};
    Attention m_attn1{nullptr};
    torch::nn::LayerNorm m_norm2{nullptr};
    Attention m_attn2{nullptr};
    torch::nn::LayerNorm m_norm3{nullptr};
    FeedForward m_ff{nullptr};
};
TORCH_MODULE(BasicTransformerBlock);

} // namespace invseg::nn
