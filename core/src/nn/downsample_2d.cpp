// diffusers Downsample2D (models/downsampling.py), use_conv=True.
#include "nn/downsample_2d.h"

#include <torch/nn/functional/padding.h>

namespace invseg::nn {

Downsample2DImpl::Downsample2DImpl(int64_t channels, int64_t padding) : m_padding(padding)
{
    m_conv = register_module(
        "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).stride(2).padding(padding)));
}

torch::Tensor Downsample2DImpl::forward(const torch::Tensor& x)
{
    if (m_padding == 0) {
        namespace F = torch::nn::functional;
        return m_conv(F::pad(x, F::PadFuncOptions({0, 1, 0, 1}).mode(torch::kConstant).value(0)));
    }
    return m_conv(x);
}

} // namespace invseg::nn
