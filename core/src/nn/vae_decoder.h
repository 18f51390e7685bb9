// diffusers Decoder of AutoencoderKL: conv_in, mid block, up blocks, GroupNorm → SiLU → conv_out.
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

/// Children: conv_in, mid_block, up_blocks (ModuleList, reversed channels, layersPerBlock + 1 resnets each),
/// conv_norm_out, conv_out.
class VaeDecoderImpl : public torch::nn::Module {
public:
    explicit VaeDecoderImpl(const VaeConfig& config);
    /// z [B, latentChannels, h, w] (after post_quant_conv) → image [B, outChannels, h·2^(levels−1), …].
    torch::Tensor forward(const torch::Tensor& z);

private:
    torch::nn::Conv2d m_convIn{nullptr};
    VaeMidBlock m_midBlock{nullptr};
    std::vector<VaeBlock> m_upBlocks;
    torch::nn::GroupNorm m_convNormOut{nullptr};
    torch::nn::Conv2d m_convOut{nullptr};
};
TORCH_MODULE(VaeDecoder);

} // namespace invseg::nn
