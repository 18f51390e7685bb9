// diffusers UNetMidBlock2D as used by the VAE: resnet, single-head spatial self-attention, resnet.
#pragma once

#include "nn/attention.h"
#include "nn/resnet_block_2d.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace invseg::nn {

/// Children: resnets.0, attentions.0 (group_norm, to_q/k/v with bias, to_out.0; only when addAttention),
/// resnets.1.
class VaeMidBlockImpl : public torch::nn::Module {
public:
    VaeMidBlockImpl(int64_t channels, int64_t groups, double eps, bool addAttention);
    torch::Tensor forward(const torch::Tensor& x);

private:
    ResnetBlock2D m_resnet0{nullptr};
    Attention m_attention{nullptr};
    ResnetBlock2D m_resnet1{nullptr};
};
TORCH_MODULE(VaeMidBlock);

} // namespace invseg::nn
