// diffusers UpDecoderBlock2D: resnets without time embedding, then nearest ×2 + conv.
#pragma once

#include "nn/resnet_block_2d.h"
#include "nn/upsample_2d.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace invseg::nn {

/// Children: resnets (ModuleList), upsamplers.0 (only when addUpsample).
class VaeUpBlockImpl : public torch::nn::Module {
public:
    VaeUpBlockImpl(int64_t inChannels, int64_t outChannels, int64_t layers, bool addUpsample, int64_t groups,
                   double eps);
    torch::Tensor forward(torch::Tensor x);

private:
    std::vector<ResnetBlock2D> m_resnets;
    Upsample2D m_upsampler{nullptr};
};
TORCH_MODULE(VaeUpBlock);

} // namespace invseg::nn
