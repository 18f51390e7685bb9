// diffusers Upsample2D (models/upsampling.py), use_conv=True, nearest interpolation.
#include "nn/upsample_2d.h"

#include <torch/nn/functional/upsampling.h>

namespace invseg::nn {

Upsample2DImpl::Upsample2DImpl(int64_t channels)
{
    m_conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3).padding(1)));
}

torch::Tensor Upsample2DImpl::forward(const torch::Tensor& x, const std::vector<int64_t>& outputSize)
{
    namespace F = torch::nn::functional;
    // An explicit size equals scale_factor 2 when it is exactly twice the input (nearest: src = floor(dst * in/out)),
    // so passing it always is safe and covers odd skip sizes.
    const std::vector<int64_t> size = outputSize.empty() ? std::vector<int64_t>{x.size(2) * 2, x.size(3) * 2}
                                                         : outputSize;
    const auto up = F::interpolate(x, F::InterpolateFuncOptions().size(size).mode(torch::kNearest));
    return m_conv(up);
}

} // namespace invseg::nn
