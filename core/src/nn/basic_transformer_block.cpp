// diffusers BasicTransformerBlock (models/attention.py), norm_type "layer_norm", no ada-norm, no gating.
#include "nn/basic_transformer_block.h"

namespace invseg::nn {

BasicTransformerBlockImpl::BasicTransformerBlockImpl(int64_t dim, int64_t heads, int64_t dimHead,
                                                     int64_t crossAttentionDim, bool upcastAttention,
                                                     const std::string& name, int level)
{
    using namespace torch::nn;
    const auto ln = [dim] { return LayerNorm(LayerNormOptions({dim}).eps(1e-5)); };
    AttentionOptions self;
    self.queryDim = dim;
    self.heads = heads;
    self.dimHead = dimHead;
    self.upcastAttention = upcastAttention;
    AttentionOptions cross = self;
    cross.crossAttentionDim = crossAttentionDim;

    m_norm1 = register_module("norm1", ln());
    m_attn1 = register_module("attn1", Attention(self, name + ".attn1", level));
    m_norm2 = register_module("norm2", ln());
    m_attn2 = register_module("attn2", Attention(cross, name + ".attn2", level));
    m_norm3 = register_module("norm3", ln());
    m_ff = register_module("ff", FeedForward(dim));
}

torch::Tensor BasicTransformerBlockImpl::forward(torch::Tensor x, const torch::Tensor& context, int64_t height,
                                                 int64_t width, detail::ForwardContext* ctx)
{
    x = m_attn1(m_norm1(x), torch::Tensor(), height, width, ctx) + x;
    x = m_attn2(m_norm2(x), context, height, width, ctx) + x;
    return m_ff(m_norm3(x)) + x;
}

} // namespace invseg::nn
