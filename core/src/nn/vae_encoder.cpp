// diffusers Encoder (models/autoencoders/vae.py), double_z=True, GroupNorm eps 1e-6.
#include "nn/vae_encoder.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/torch.h>

namespace invseg::nn {

VaeEncoderImpl::VaeEncoderImpl(const VaeConfig& config)
{
    using namespace torch::nn;
    const auto& ch = config.blockOutChannels;
    const size_t levels = ch.size();
    m_convIn = register_module("conv_in", Conv2d(Conv2dOptions(config.inChannels, ch[0], 3).padding(1)));
    auto list = register_module("down_blocks", ModuleList());
    int64_t out = ch[0];
    for (size_t i = 0; i < levels; ++i) {
        const int64_t in = out;
        out = ch[i];
        VaeBlock block(in, out, config.layersPerBlock, i + 1 < levels ? VaeResample::Down : VaeResample::None,
                       config.normNumGroups, kVaeEps);
        list->push_back(block);
        m_downBlocks.push_back(block);
    }
    m_midBlock = register_module("mid_block",
                                 VaeMidBlock(ch.back(), config.normNumGroups, kVaeEps, config.midBlockAddAttention));
    m_convNormOut = register_module("conv_norm_out",
                                    GroupNorm(GroupNormOptions(config.normNumGroups, ch.back()).eps(kVaeEps)));
    m_convOut = register_module("conv_out", Conv2d(Conv2dOptions(ch.back(), 2 * config.latentChannels, 3).padding(1)));
}

torch::Tensor VaeEncoderImpl::forward(const torch::Tensor& image)
{
    auto h = m_convIn(image);
    for (auto& block : m_downBlocks)
        h = block(h);
    h = m_midBlock(h);
    return m_convOut(torch::silu(m_convNormOut(h)));
}

} // namespace invseg::nn
