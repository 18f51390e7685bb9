// diffusers Encoder of AutoencoderKL: conv_in, down blocks, mid block, GroupNorm → SiLU → conv_out (double_z).
#pragma once

#include "invseg/model_config.h"
#include "nn/vae_block.h"
#include "nn/vae_mid_block.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace invseg::nn {

/// Children: conv_in, down_blocks (ModuleList), mid_block, conv_norm_out, conv_out (→ 2·latentChannels).
class VaeEncoderImpl : public torch::nn::Module {
public:
    explicit VaeEncoderImpl(const VaeConfig& config);
    /// image [B, inChannels, H, W] → moments [B, 2·latentChannels, H/2^(levels−1), …].
    torch::Tensor forward(const torch::Tensor& image);

private:
    torch::nn::Conv2d m_convIn{nullptr};
    std::vector<VaeBlock> m_downBlocks;
    VaeMidBlock m_midBlock{nullptr};
    torch::nn::GroupNorm m_convNormOut{nullptr};
    torch::nn::Conv2d m_convOut{nullptr};
};
TORCH_MODULE(VaeEncoder);

} // namespace invseg::nn
