// diffusers DownEncoderBlock2D (models/unets/unet_2d_blocks.py), downsample_padding 0.
#include "nn/vae_down_block.h"

#include <torch/nn/modules/container/modulelist.h>

namespace invseg::nn {

VaeDownBlockImpl::VaeDownBlockImpl(int64_t inChannels, int64_t outChannels, int64_t layers, bool addDownsample,
                                   int64_t groups, double eps)
{
    auto resnets = register_module("resnets", torch::nn::ModuleList());
    for (int64_t j = 0; j < layers; ++j) {
        ResnetBlock2D resnet(j == 0 ? inChannels : outChannels, outChannels, 0, groups, eps);
        resnets->push_back(resnet);
        m_resnets.push_back(resnet);
    }
    if (addDownsample) {
        m_downsampler = Downsample2D(outChannels, 0);
        register_module("downsamplers", torch::nn::ModuleList())->push_back(m_downsampler);
    }
}

torch::Tensor VaeDownBlockImpl::forward(torch::Tensor x)
{
    for (auto& resnet : m_resnets)
        x = resnet(x);
    return m_downsampler ? m_downsampler(x) : x;
}

} // namespace invseg::nn
