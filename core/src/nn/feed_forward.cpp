// diffusers FeedForward(activation_fn="geglu") and GEGLU, as used by BasicTransformerBlock.
#include "nn/feed_forward.h"

#include <torch/nn/modules/linear.h>
#include <torch/torch.h>

namespace invseg::nn {

GegluImpl::GegluImpl(int64_t dimIn, int64_t dimOut)
{
    m_proj = register_module("proj", torch::nn::Linear(dimIn, dimOut * 2));
}

torch::Tensor GegluImpl::forward(const torch::Tensor& x)
{
    const auto parts = m_proj(x).chunk(2, -1);
    return parts[0] * torch::gelu(parts[1]);
}

FeedForwardImpl::FeedForwardImpl(int64_t dim, int64_t mult)
{
    const int64_t inner = dim * mult;
    m_geglu = Geglu(dim, inner);
    m_out = torch::nn::Linear(inner, dim);
    m_net = register_module("net", torch::nn::ModuleList());
    m_net->push_back(m_geglu);
    m_net->push_back(torch::nn::Identity()); // diffusers' Dropout(0): keeps the index of net.2
    m_net->push_back(m_out);
}

torch::Tensor FeedForwardImpl::forward(const torch::Tensor& x)
{
    return m_out(m_geglu(x));
}

} // namespace invseg::nn
