// diffusers CrossAttnDownBlock2D and DownBlock2D (models/unets/unet_2d_blocks.py).
#include "nn/unet_down_block.h"

#include "nn/forward_context.h"

namespace invseg::nn {

UNetDownBlockImpl::UNetDownBlockImpl(int64_t inChannels, int64_t outChannels, bool addDownsample,
                                     const UNetBlockOptions& options, const std::string& name, int level)
    : m_layers(
          *this, [&](int64_t j) { return j == 0 ? inChannels : outChannels; }, outChannels, options, name, level)
{
    if (addDownsample) {
        m_downsampler = Downsample2D(outChannels, 1);
        register_module("downsamplers", torch::nn::ModuleList())->push_back(m_downsampler);
    }
}

torch::Tensor UNetDownBlockImpl::forward(torch::Tensor x, const torch::Tensor& temb, const torch::Tensor& context,
                                         std::vector<torch::Tensor>& skips, detail::ForwardContext* ctx)
{
    for (size_t j = 0; j < m_layers.resnets.size(); ++j) {
        if (ctx)
            ctx->checkCancel();
        x = m_layers.resnets[j](x, temb);
        if (!m_layers.attentions.empty())
            x = m_layers.attentions[j](x, context, ctx);
        skips.push_back(x);
    }
    if (m_downsampler) {
        x = m_downsampler(x);
        skips.push_back(x);
    }
    return x;
}

} // namespace invseg::nn
