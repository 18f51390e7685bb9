// diffusers UNetMidBlock2DCrossAttn (models/unets/unet_2d_blocks.py), one transformer layer.
#include "nn/unet_mid_block.h"

#include "nn/forward_context.h"

#include <torch/nn/modules/container/modulelist.h>

namespace invseg::nn {

UNetMidBlockImpl::UNetMidBlockImpl(int64_t channels, const UNetBlockOptions& options, const std::string& name,
                                   int level)
{
    using torch::nn::ModuleList;
    m_resnet0 = ResnetBlock2D(channels, channels, options.tembChannels, options.groups, options.eps);
    m_resnet1 = ResnetBlock2D(channels, channels, options.tembChannels, options.groups, options.eps);
    m_attention = Transformer2DModel(options.transformer(channels), name + ".attentions.0", level);
    auto resnets = register_module("resnets", ModuleList());
    resnets->push_back(m_resnet0);
    resnets->push_back(m_resnet1);
    register_module("attentions", ModuleList())->push_back(m_attention);
}

torch::Tensor UNetMidBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& temb, const torch::Tensor& context,
                                        detail::ForwardContext* ctx)
{
    auto h = m_resnet0(x, temb);
    h = m_attention(h, context, ctx);
    if (ctx)
        ctx->checkCancel();
    return m_resnet1(h, temb);
}

} // namespace invseg::nn
