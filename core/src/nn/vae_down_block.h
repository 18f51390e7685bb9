// diffusers DownEncoderBlock2D: resnets without time embedding, then the VAE's asymmetric-pad downsampler.
#pragma once

#include "nn/downsample_2d.h"
#include "nn/resnet_block_2d.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace invseg::nn {

/// Children: resnets (ModuleList), downsamplers.0 (only when addDownsample).
class VaeDownBlockImpl : public torch::nn::Module {
public:
    VaeDownBlockImpl(int64_t inChannels, int64_t outChannels, int64_t layers, bool addDownsample, int64_t groups,
                     double eps);
    torch::Tensor forward(torch::Tensor x);

private:
    std::vector<ResnetBlock2D> m_resnets;
    Downsample2D m_downsampler{nullptr};
};
TORCH_MODULE(VaeDownBlock);

} // namespace invseg::nn
