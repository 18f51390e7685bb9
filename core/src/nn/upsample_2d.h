// diffusers Upsample2D with a convolution: nearest ×2 (or to an explicit size), then 3×3 conv.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace invseg::nn {

/// Child: conv.
class Upsample2DImpl : public torch::nn::Module {
public:
    explicit Upsample2DImpl(int64_t channels);
    /// outputSize {H, W}: the size to reach (the matching skip connection's, for latents whose size is not a
    /// multiple of 2^levels); empty: exactly twice the input.
    torch::Tensor forward(const torch::Tensor& x, const std::vector<int64_t>& outputSize = {});

private:
    torch::nn::Conv2d m_conv{nullptr};
};
TORCH_MODULE(Upsample2D);

} // namespace invseg::nn
