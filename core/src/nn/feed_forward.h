// diffusers FeedForward with GEGLU: net.0 = GEGLU{proj: C → 2·inner}, net.1 = dropout (no parameters), net.2 = Linear.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace invseg::nn {

/// GEGLU (diffusers models/activations.py): [h, gate] = proj(x).chunk(2, -1); h · gelu(gate), exact-erf GELU.
class GegluImpl : public torch::nn::Module {
public:
    GegluImpl(int64_t dimIn, int64_t dimOut);
    torch::Tensor forward(const torch::Tensor& x);

private:
    torch::nn::Linear m_proj{nullptr};
};
TORCH_MODULE(Geglu);

/// Children: net (ModuleList [Geglu, Identity, Linear]); inner = 4·dim.
class FeedForwardImpl : public torch::nn::Module {
public:
    explicit FeedForwardImpl(int64_t dim, int64_t mult = 4);
    torch::Tensor forward(const torch::Tensor& x);

private:
    torch::nn::ModuleList m_net{nullptr};
    Geglu m_geglu{nullptr};
    torch::nn::Linear m_out{nullptr};
};
TORCH_MODULE(FeedForward);

} // namespace invseg::nn
