// diffusers DownEncoderBlock2D and UpDecoderBlock2D: resnets without time embedding, then an optional resampler.
#pragma once

#include "nn/downsample_2d.h"
#include "nn/resnet_block_2d.h"
#include "nn/upsample_2d.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace invseg::nn {

/// GroupNorm epsilon of every VAE norm (diffusers' Encoder and Decoder, norm_type "group").
constexpr double kVaeEps = 1e-6;

/// What follows the resnets: nothing (the last level), the VAE's asymmetric-pad downsampler (encoder), or
/// nearest ×2 + conv (decoder).
enum class VaeResample { None, Down, Up };

/// Children: resnets (ModuleList), then downsamplers.0 (Down) or upsamplers.0 (Up).
class VaeBlockImpl : public torch::nn::Module {
public:
    VaeBlockImpl(int64_t inChannels, int64_t outChannels, int64_t layers, VaeResample resample, int64_t groups,
                 double eps);
    torch::Tensor forward(torch::Tensor x);

private:
    std::vector<ResnetBlock2D> m_resnets;
    Downsample2D m_downsampler{nullptr};
    Upsample2D m_upsampler{nullptr};
};
TORCH_MODULE(VaeBlock);

} // namespace invseg::nn
