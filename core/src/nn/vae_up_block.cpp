// diffusers UpDecoderBlock2D (models/unets/unet_2d_blocks.py).
#include "nn/vae_up_block.h"

#include <torch/nn/modules/container/modulelist.h>

namespace invseg::nn {

VaeUpBlockImpl::VaeUpBlockImpl(int64_t inChannels, int64_t outChannels, int64_t layers, bool addUpsample,
                               int64_t groups, double eps)
{
    auto resnets = register_module("resnets", torch::nn::ModuleList());
    for (int64_t j = 0; j < layers; ++j) {
        ResnetBlock2D resnet(j == 0 ? inChannels : outChannels, outChannels, 0, groups, eps);
        resnets->push_back(resnet);
        m_resnets.push_back(resnet);
    }
    if (addUpsample) {
        m_upsampler = Upsample2D(outChannels);
        register_module("upsamplers", torch::nn::ModuleList())->push_back(m_upsampler);
    }
}

torch::Tensor VaeUpBlockImpl::forward(torch::Tensor x)
{
    for (auto& resnet : m_resnets)
        x = resnet(x);
    return m_upsampler ? m_upsampler(x) : x;
}

} // namespace invseg::nn
