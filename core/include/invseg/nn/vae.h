// The Stable Diffusion autoencoder: diffusers AutoencoderKL in LibTorch (encode to a posterior, decode latents).
#pragma once

#include "invseg/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <memory>

namespace invseg::nn {

class VaeEncoderImpl;
class VaeDecoderImpl;

/// The diagonal Gaussian posterior of the encoder.
struct VaePosterior {
    torch::Tensor mean;   ///< [B, latentChannels, H/f, W/f], f = 2^(levels−1)
    torch::Tensor logvar; ///< same shape, clamped to [-30, 20]
};

/// Module tree named as diffusers names it: encoder.{conv_in, down_blocks.i.{resnets.j, downsamplers.0.conv},
/// mid_block.{resnets.0, attentions.0.{group_norm,to_q,to_k,to_v,to_out.0}, resnets.1}, conv_norm_out, conv_out},
/// quant_conv, post_quant_conv, decoder.{conv_in, mid_block, up_blocks.i.{resnets.j, upsamplers.0.conv},
/// conv_norm_out, conv_out}. quant_conv / post_quant_conv exist only when the config asks for them.
/// Load weights with NoGradGuard, never under InferenceMode. No per-call state.
class AutoencoderKLImpl : public torch::nn::Module {
public:
    /// Throws Error(InvalidInput) for an unusable config (no levels, channels not divisible by the groups).
    explicit AutoencoderKLImpl(const VaeConfig& config);

    /// image [B, inChannels, H, W] in [-1, 1] (cast to the parameters' dtype) → posterior. H and W should be
    /// multiples of 2^(levels−1). Latents for the UNet are mean × config().scalingFactor. Throws Error(Shape).
    VaePosterior encode(const torch::Tensor& image);
    /// latents already divided by the scaling factor, [B, latentChannels, h, w] → image [B, outChannels, h·f, w·f]
    /// (roughly in [-1, 1]; not clamped). Throws Error(Shape).
    torch::Tensor decode(const torch::Tensor& latents);

    const VaeConfig& config() const { return m_config; }
    /// The spatial reduction factor f = 2^(levels−1) (8 for Stable Diffusion).
    int64_t downscaleFactor() const { return int64_t(1) << (m_config.blockOutChannels.size() - 1); }

private:
    VaeConfig m_config;
    std::shared_ptr<VaeEncoderImpl> m_encoder;
    std::shared_ptr<VaeDecoderImpl> m_decoder;
    torch::nn::Conv2d m_quantConv{nullptr};
    torch::nn::Conv2d m_postQuantConv{nullptr};
};
TORCH_MODULE(AutoencoderKL);

} // namespace invseg::nn
