// diffusers ResnetBlock2D: GroupNorm → SiLU → conv → (+ time embedding) → GroupNorm → SiLU → conv, plus shortcut.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace invseg::nn {

/// Children: norm1, conv1, time_emb_proj (only when temb channels > 0), norm2, conv2, conv_shortcut (1×1, only when
/// the channel count changes). output_scale_factor is 1 and dropout 0, as in every Stable Diffusion model.
class ResnetBlock2DImpl : public torch::nn::Module {
public:
    /// tembChannels = 0: no time embedding (the VAE's blocks).
    ResnetBlock2DImpl(int64_t inChannels, int64_t outChannels, int64_t tembChannels, int64_t groups, double eps);

    /// x [B, in, H, W]; temb [B, tembChannels] already passed through nothing (SiLU is applied here), or undefined
    /// when tembChannels = 0. Returns [B, out, H, W].
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& temb = {});

private:
    torch::nn::GroupNorm m_norm1{nullptr};
    torch::nn::Conv2d m_conv1{nullptr};
    torch::nn::Linear m_timeEmbProj{nullptr};
    torch::nn::GroupNorm m_norm2{nullptr};
    torch::nn::Conv2d m_conv2{nullptr};
    torch::nn::Conv2d m_convShortcut{nullptr};
};
TORCH_MODULE(ResnetBlock2D);

} // namespace invseg::nn
