// diffusers Transformer2DModel (models/transformers/transformer_2d.py), the path for continuous latents.
#include "nn/transformer_2d.h"

#include "nn/forward_context.h"

namespace invseg::nn {

Transformer2DModelImpl::Transformer2DModelImpl(const Transformer2DOptions& options, const std::string& name, int level)
    : m_options(options)
{
    using namespace torch::nn;
    const int64_t c = options.channels;
    m_norm = register_module("norm", GroupNorm(GroupNormOptions(options.normGroups, c).eps(1e-6)));
    if (options.useLinearProjection)
        m_projInLinear = register_module("proj_in", Linear(c, c));
    else
        m_projInConv = register_module("proj_in", Conv2d(Conv2dOptions(c, c, 1)));
    m_blockList = register_module("transformer_blocks", ModuleList());
    for (int64_t i = 0; i < options.numLayers; ++i) {
        BasicTransformerBlock block(c, options.heads, c / options.heads, options.crossAttentionDim,
                                    options.upcastAttention, name + ".transformer_blocks." + std::to_string(i), level);
        m_blockList->push_back(block);
        m_blocks.push_back(block);
    }
    if (options.useLinearProjection)
        m_projOutLinear = register_module("proj_out", Linear(c, c));
    else
        m_projOutConv = register_module("proj_out", Conv2d(Conv2dOptions(c, c, 1)));
}

torch::Tensor Transformer2DModelImpl::forward(const torch::Tensor& x, const torch::Tensor& context,
                                              detail::ForwardContext* ctx)
{
    const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    auto hidden = m_norm(x);
    // [B, C, H, W] → [B, H·W, C]: tokens in row-major pixel order.
    if (m_projInConv)
        hidden = m_projInConv(hidden).permute({0, 2, 3, 1}).reshape({b, h * w, c});
    else
        hidden = m_projInLinear(hidden.permute({0, 2, 3, 1}).reshape({b, h * w, c}));
    for (auto& block : m_blocks) {
        if (ctx)
            ctx->checkCancel();
        hidden = block(hidden, context, h, w, ctx);
    }
    if (m_projOutConv)
        hidden = m_projOutConv(hidden.reshape({b, h, w, c}).permute({0, 3, 1, 2}));
    else
        hidden = m_projOutLinear(hidden).reshape({b, h, w, c}).permute({0, 3, 1, 2});
    return hidden + x;
}

} // namespace invseg::nn
