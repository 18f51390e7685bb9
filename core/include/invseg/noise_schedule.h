// The DDPM training noise schedule: ᾱ_t, forward noising and conversions between prediction types.
#pragma once

#include "invseg/model_config.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace invseg {

/// Betas in float64 ("scaled_linear": linspace(√β₀, √β₁, N)²; "linear": linspace(β₀, β₁, N)), ᾱ = cumprod(1 − β).
/// Immutable after construction; thread-safe.
///
/// The tensor methods take t as an integer (one timestep for the whole batch) or as an integer tensor [B] (one per
/// batch item; it may live on the samples' device). They compute in float32 (float64 for float64 inputs) and return
/// the dtype of the first tensor argument. Errors: Error(InvalidInput) for t outside [0, N), Error(Shape) for
/// tensors whose shapes differ or whose batch does not match t.
class NoiseSchedule {
public:
    /// Throws Error(Unsupported) for another beta schedule, Error(InvalidInput) for N < 1 or betas outside (0, 1).
    explicit NoiseSchedule(const SchedulerConfig& config);

    const SchedulerConfig& config() const { return m_config; }
    int64_t numTrainTimesteps() const { return m_config.numTrainTimesteps; }
    PredictionType predictionType() const { return m_config.predictionType; }

    /// ᾱ as float32 [N] on the CPU.
    torch::Tensor alphasCumprod() const { return m_alphasCumprod32; }
    /// ᾱ_t in float64.
    double alphaCumprod(int64_t t) const;

    /// z_t = √ᾱ_t z0 + √(1−ᾱ_t) ε.
    torch::Tensor addNoise(const torch::Tensor& z0, const torch::Tensor& noise, int64_t t) const;
    torch::Tensor addNoise(const torch::Tensor& z0, const torch::Tensor& noise, const torch::Tensor& t) const;

    /// v = √ᾱ_t ε − √(1−ᾱ_t) z0.
    torch::Tensor vTarget(const torch::Tensor& z0, const torch::Tensor& noise, int64_t t) const;
    torch::Tensor vTarget(const torch::Tensor& z0, const torch::Tensor& noise, const torch::Tensor& t) const;

    /// ε from the model output: epsilon → pred; v → √ᾱ_t v + √(1−ᾱ_t) z_t.
    torch::Tensor epsFromPrediction(const torch::Tensor& pred, const torch::Tensor& zt, int64_t t) const;
    torch::Tensor epsFromPrediction(const torch::Tensor& pred, const torch::Tensor& zt, const torch::Tensor& t) const;

    /// z0 from the model output: epsilon → (z_t − √(1−ᾱ_t) ε)/√ᾱ_t; v → √ᾱ_t z_t − √(1−ᾱ_t) v.
    torch::Tensor x0FromPrediction(const torch::Tensor& pred, const torch::Tensor& zt, int64_t t) const;
    torch::Tensor x0FromPrediction(const torch::Tensor& pred, const torch::Tensor& zt, const torch::Tensor& t) const;

private:
    struct Coefs {
        torch::Tensor sqrtA;         ///< √ᾱ_t, broadcastable against `like`, compute dtype, like's device
        torch::Tensor sqrtOneMinusA; ///< √(1−ᾱ_t)
        torch::ScalarType dtype;     ///< the compute dtype (float32, or float64 for float64 input)
    };
    /// Validates t (range, batch) and the shapes of a and b, and gathers the coefficients.
    Coefs coefs(const torch::Tensor& t, const torch::Tensor& a, const torch::Tensor& b, const char* what) const;

    SchedulerConfig m_config;
    std::vector<double> m_alphasCumprod;
    torch::Tensor m_alphasCumprod64;
    torch::Tensor m_alphasCumprod32;
};

} // namespace invseg
