// diffusers CrossAttnDownBlock2D and DownBlock2D (models/unets/unet_2d_blocks.py).
#include "nn/unet_down_block.h"

#include "nn/forward_context.h"

namespace invseg::nn {

UNetDownBlockImpl::UNetDownBlockImpl(int64_t inChannels, int64_t outChannels, bool addDownsample,
                                     const UNetBlockOptions& options, const std::string& name, int level)
{
    using torch::nn::ModuleList;
    auto resnets = register_module("resnets", ModuleList());
    ModuleList attentions{nullptr};
    if (options.hasAttention)
        attentions = register_module("attentions", ModuleList());
    for (int64_t j = 0; j < options.layers; ++j) {
        ResnetBlock2D resnet(j == 0 ? inChannels : outChannels, outChannels, options.tembChannels, options.groups,
                             options.eps);
        resnets->push_back(resnet);
        m_resnets.push_back(resnet);
        if (options.hasAttention) {
            Transformer2DModel attn(options.transformer(outChannels), name + ".attentions." + std::to_string(j), level);
            attentions->push_back(attn);
            m_attentions.push_back(attn);
        }
    }
    if (addDownsample) {
        m_downsampler = Downsample2D(outChannels, 1);
        register_module("downsamplers", ModuleList())->push_back(m_downsampler);
    }
}

torch::Tensor UNetDownBlockImpl::forward(torch::Tensor x, const torch::Tensor& temb, const torch::Tensor& context,
                                         std::vector<torch::Tensor>& skips, detail::ForwardContext* ctx)
{
    for (size_t j = 0; j < m_resnets.size(); ++j) {
        if (ctx)
            ctx->checkCancel();
        x = m_resnets[j](x, temb);
        if (!m_attentions.empty())
            x = m_attentions[j](x, context, ctx);
        skips.push_back(x);
    }
    if (m_downsampler) {
        x = m_downsampler(x);
        skips.push_back(x);
    }
    return x;
}

} // namespace invseg::nn
