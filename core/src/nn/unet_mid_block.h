// diffusers UNetMidBlock2DCrossAttn: resnet, transformer, resnet.
#pragma once

#include "nn/resnet_block_2d.h"
#include "nn/transformer_2d.h"
#include "nn/unet_blocks_options.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <string>

namespace invseg::nn {

/// Children: resnets.0, attentions.0, resnets.1.
class UNetMidBlockImpl : public torch::nn::Module {
public:
    /// name: "mid_block"; level: the deepest level.
    UNetMidBlockImpl(int64_t channels, const UNetBlockOptions& options, const std::string& name, int level);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& temb, const torch::Tensor& context,
                          detail::ForwardContext* ctx);

private:
    ResnetBlock2D m_resnet0{nullptr};
    Transformer2DModel m_attention{nullptr};
    ResnetBlock2D m_resnet1{nullptr};
};
TORCH_MODULE(UNetMidBlock);

} // namespace invseg::nn
