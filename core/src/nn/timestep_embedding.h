// diffusers Timesteps (sinusoid) + TimestepEmbedding (linear_1 → SiLU → linear_2).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace invseg::nn {

/// The sinusoidal timestep embedding in float32 (diffusers get_timestep_embedding): timesteps [B] (any numeric
/// dtype) → [B, dim]; freqs exp(-ln(10000)·i/(dim/2 − freqShift)); [sin, cos], or [cos, sin] with flipSinToCos.
torch::Tensor timestepSinusoid(const torch::Tensor& timesteps, int64_t dim, bool flipSinToCos, double freqShift);

/// Children: linear_1 (in → out), linear_2 (out → out).
class TimestepEmbeddingImpl : public torch::nn::Module {
public:
    TimestepEmbeddingImpl(int64_t inChannels, int64_t outChannels);
    torch::Tensor forward(const torch::Tensor& sinusoid);

private:
    torch::nn::Linear m_linear1{nullptr};
    torch::nn::Linear m_linear2{nullptr};
};
TORCH_MODULE(TimestepEmbedding);

} // namespace invseg::nn
