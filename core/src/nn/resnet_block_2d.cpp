// diffusers ResnetBlock2D (models/resnet.py), default time-embedding norm ("default": added after conv1).
#include "nn/resnet_block_2d.h"

#include <torch/nn/functional/activation.h>

namespace invseg::nn {

ResnetBlock2DImpl::ResnetBlock2DImpl(int64_t inChannels, int64_t outChannels, int64_t tembChannels, int64_t groups,
                                     double eps)
{
    using namespace torch::nn;
    m_norm1 = register_module("norm1", GroupNorm(GroupNormOptions(groups, inChannels).eps(eps)));
    m_conv1 = register_module("conv1", Conv2d(Conv2dOptions(inChannels, outChannels, 3).padding(1)));
    if (tembChannels > 0)
        m_timeEmbProj = register_module("time_emb_proj", Linear(tembChannels, outChannels));
    m_norm2 = register_module("norm2", GroupNorm(GroupNormOptions(groups, outChannels).eps(eps)));
    m_conv2 = register_module("conv2", Conv2d(Conv2dOptions(outChannels, outChannels, 3).padding(1)));
    if (inChannels != outChannels)
        m_convShortcut = register_module("conv_shortcut", Conv2d(Conv2dOptions(inChannels, outChannels, 1)));
}

torch::Tensor ResnetBlock2DImpl::forward(const torch::Tensor& x, const torch::Tensor& temb)
{
    auto h = m_conv1(torch::silu(m_norm1(x)));
    if (m_timeEmbProj && temb.defined()) {
        const auto t = m_timeEmbProj(torch::silu(temb));
        h = h + t.unsqueeze(-1).unsqueeze(-1);
    }
    h = m_conv2(torch::silu(m_norm2(h)));
    return m_convShortcut ? m_convShortcut(x) + h : x + h;
}

} // namespace invseg::nn
