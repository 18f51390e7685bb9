// diffusers UNetMidBlock2D (models/unets/unet_2d_blocks.py) without time embedding: attention_head_dim = channels.
#include "nn/vae_mid_block.h"

#include <torch/nn/modules/container/modulelist.h>

namespace invseg::nn {

VaeMidBlockImpl::VaeMidBlockImpl(int64_t channels, int64_t groups, double eps, bool addAttention)
{
    m_resnet0 = ResnetBlock2D(channels, channels, 0, groups, eps);
    m_resnet1 = ResnetBlock2D(channels, channels, 0, groups, eps);
    auto resnets = register_module("resnets", torch::nn::ModuleList());
    resnets->push_back(m_resnet0);
    resnets->push_back(m_resnet1);
    if (addAttention) {
        AttentionOptions o;
        o.queryDim = channels;
        o.heads = 1;
        o.dimHead = channels;
        o.qkvBias = true;
        o.upcastAttention = true;
        o.normGroups = groups;
        o.normEps = eps;
        m_attention = Attention(o);
        register_module("attentions", torch::nn::ModuleList())->push_back(m_attention);
    }
}

torch::Tensor VaeMidBlockImpl::forward(const torch::Tensor& x)
{
    auto h = m_resnet0(x);
    if (m_attention)
        h = m_attention->forwardSpatial(h);
    return m_resnet1(h);
}

} // namespace invseg::nn
