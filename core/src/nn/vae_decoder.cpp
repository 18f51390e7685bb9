// diffusers Decoder (models/autoencoders/vae.py), norm_type "group", GroupNorm eps 1e-6.
#include "nn/vae_decoder.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/torch.h>

namespace invseg::nn {

VaeDecoderImpl::VaeDecoderImpl(const VaeConfig& config)
{
    using namespace torch::nn;
    const auto& ch = config.blockOutChannels;
    const size_t levels = ch.size();
    m_convIn = register_module("conv_in", Conv2d(Conv2dOptions(config.latentChannels, ch.back(), 3).padding(1)));
    m_midBlock = register_module("mid_block",
                                 VaeMidBlock(ch.back(), config.normNumGroups, kVaeEps, config.midBlockAddAttention));
    auto list = register_module("up_blocks", ModuleList());
    int64_t out = ch.back();
    for (size_t i = 0; i < levels; ++i) {
        const int64_t in = out;
        out = ch[levels - 1 - i];
        VaeBlock block(in, out, config.layersPerBlock + 1, i + 1 < levels ? VaeResample::Up : VaeResample::None,
                       config.normNumGroups, kVaeEps);
        list->push_back(block);
        m_upBlocks.push_back(block);
    }
    m_convNormOut = register_module("conv_norm_out",
                                    GroupNorm(GroupNormOptions(config.normNumGroups, ch[0]).eps(kVaeEps)));
    m_convOut = register_module("conv_out", Conv2d(Conv2dOptions(ch[0], config.outChannels, 3).padding(1)));
}

torch::Tensor VaeDecoderImpl::forward(const torch::Tensor& z)
{
    auto h = m_convIn(z);
    h = m_midBlock(h);
    for (auto& block : m_upBlocks)
        h = block(h);
    return m_convOut(torch::silu(m_convNormOut(h)));
}

} // namespace invseg::nn
