// diffusers Downsample2D with a convolution: stride-2 3×3 conv, or the VAE's asymmetric pad + unpadded conv.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace invseg::nn {

/// Child: conv. padding 1 (UNet): conv 3×3 stride 2 pad 1. padding 0 (VAE encoder): F.pad(x, (0,1,0,1)) then conv
/// 3×3 stride 2 pad 0, as diffusers does.
class Downsample2DImpl : public torch::nn::Module {
public:
    Downsample2DImpl(int64_t channels, int64_t padding);
    torch::Tensor forward(const torch::Tensor& x);

private:
    torch::nn::Conv2d m_conv{nullptr};
    int64_t m_padding;
};
TORCH_MODULE(Downsample2D);

} // namespace invseg::nn
