// diffusers DownEncoderBlock2D (downsample_padding 0) and UpDecoderBlock2D (models/unets/unet_2d_blocks.py).
#include "nn/vae_block.h"

#include <torch/nn/modules/container/modulelist.h>

namespace invseg::nn {

VaeBlockImpl::VaeBlockImpl(int64_t inChannels, int64_t outChannels, int64_t layers, VaeResample resample,
                           int64_t groups, double eps)
{
    auto resnets = register_module("resnets", torch::nn::ModuleList());
    for (int64_t j = 0; j < layers; ++j) {
        ResnetBlock2D resnet(j == 0 ? inChannels : outChannels, outChannels, 0, groups, eps);
        resnets->push_back(resnet);
        m_resnets.push_back(resnet);
    }
    if (resample == VaeResample::Down) {
        m_downsampler = Downsample2D(outChannels, 0);
        register_module("downsamplers", torch::nn::ModuleList())->push_back(m_downsampler);
    } else if (resample == VaeResample::Up) {
        m_upsampler = Upsample2D(outChannels);
        register_module("upsamplers", torch::nn::ModuleList())->push_back(m_upsampler);
    }
}

torch::Tensor VaeBlockImpl::forward(torch::Tensor x)
{
    for (auto& resnet : m_resnets)
        x = resnet(x);
    if (m_downsampler)
        return m_downsampler(x);
    return m_upsampler ? m_upsampler(x) : x;
}

} // namespace invseg::nn
