// diffusers embeddings.py: get_timestep_embedding and TimestepEmbedding (act "silu", no cond projection).
#include "nn/timestep_embedding.h"

#include <torch/torch.h>

#include <cmath>

namespace invseg::nn {

torch::Tensor timestepSinusoid(const torch::Tensor& timesteps, int64_t dim, bool flipSinToCos, double freqShift)
{
    const int64_t half = dim / 2;
    const auto opts = torch::TensorOptions().dtype(torch::kFloat).device(timesteps.device());
    auto exponent = torch::arange(0, half, opts) * static_cast<float>(-std::log(10000.0));
    exponent = exponent / static_cast<float>(half - freqShift);
    const auto freqs = torch::exp(exponent);
    const auto args = timesteps.to(torch::kFloat).reshape({-1, 1}) * freqs.unsqueeze(0);
    auto emb = flipSinToCos ? torch::cat({torch::cos(args), torch::sin(args)}, -1)
                            : torch::cat({torch::sin(args), torch::cos(args)}, -1);
    if (dim % 2 == 1)
        emb = torch::constant_pad_nd(emb, {0, 1});
    return emb;
}

TimestepEmbeddingImpl::TimestepEmbeddingImpl(int64_t inChannels, int64_t outChannels)
{
    m_linear1 = register_module("linear_1", torch::nn::Linear(inChannels, outChannels));
    m_linear2 = register_module("linear_2", torch::nn::Linear(outChannels, outChannels));
}

torch::Tensor TimestepEmbeddingImpl::forward(const torch::Tensor& sinusoid)
{
    return m_linear2(torch::silu(m_linear1(sinusoid)));
}

} // namespace invseg::nn
