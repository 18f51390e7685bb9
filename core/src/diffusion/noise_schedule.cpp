// DDPM noise schedule (diffusers scheduling_ddpm/ddim), betas in float64 as LDM's make_beta_schedule computes them.
#include "invseg/noise_schedule.h"

#include "invseg/error.h"
#include "io/shape_string.h"

#include <torch/torch.h>

#include <cmath>

namespace invseg {

NoiseSchedule::NoiseSchedule(const SchedulerConfig& config) : m_config(config)
{
    const int64_t n = config.numTrainTimesteps;
    if (n < 1)
        throw Error(ErrorKind::InvalidInput,
                    "noise schedule: num_train_timesteps must be positive, got " + std::to_string(n));
    if (!(config.betaStart > 0.0 && config.betaEnd > 0.0 && config.betaStart < 1.0 && config.betaEnd < 1.0))
        throw Error(ErrorKind::InvalidInput, "noise schedule: beta_start and beta_end must lie in (0, 1)");
    std::vector<double> betas(static_cast<size_t>(n));
    // linspace as torch computes it: start + i·step, step = (end − start)/(n − 1).
    auto linspace = [n](double a, double b, int64_t i) {
        return n == 1 ? a : a + (b - a) * static_cast<double>(i) / static_cast<double>(n - 1);
    };
    if (config.betaSchedule == "scaled_linear") {
        const double a = std::sqrt(config.betaStart), b = std::sqrt(config.betaEnd);
        for (int64_t i = 0; i < n; ++i) {
            const double s = linspace(a, b, i);
            betas[static_cast<size_t>(i)] = s * s;
        }
    } else if (config.betaSchedule == "linear") {
        for (int64_t i = 0; i < n; ++i)
            betas[static_cast<size_t>(i)] = linspace(config.betaStart, config.betaEnd, i);
    } else {
        throw Error(ErrorKind::Unsupported, "noise schedule: beta_schedule \"" + config.betaSchedule +
                                                "\" is not supported (scaled_linear, linear)");
    }
    m_alphasCumprod.resize(betas.size());
    double prod = 1.0;
    for (size_t i = 0; i < betas.size(); ++i) {
        prod *= 1.0 - betas[i];
        m_alphasCumprod[i] = prod;
    }
    m_alphasCumprod64 = torch::tensor(m_alphasCumprod, torch::kDouble);
    m_alphasCumprod32 = m_alphasCumprod64.to(torch::kFloat);
}

double NoiseSchedule::alphaCumprod(int64_t t) const
{
    if (t < 0 || t >= m_config.numTrainTimesteps)
        throw Error(ErrorKind::InvalidInput, "timestep " + std::to_string(t) + " outside [0, " +
                                                 std::to_string(m_config.numTrainTimesteps) + ")");
    return m_alphasCumprod[static_cast<size_t>(t)];
}

NoiseSchedule::Coefs NoiseSchedule::coefs(const torch::Tensor& t, const torch::Tensor& a, const torch::Tensor& b,
                                          const char* what) const
{
    if (!a.defined() || !b.defined() || a.sizes() != b.sizes())
        throw Error(ErrorKind::Shape, std::string("noise schedule ") + what + ": shapes differ: " + shapeString(a) +
                                          " vs " + shapeString(b));
    if (!t.defined() || t.dim() > 1 || t.is_floating_point() || t.is_complex())
        throw Error(ErrorKind::InvalidInput,
                    std::string("noise schedule ") + what + ": timesteps must be an integer scalar or [B] tensor");
    if (t.dim() == 1 && (a.dim() == 0 || t.size(0) != a.size(0)))
        throw Error(ErrorKind::Shape, std::string("noise schedule ") + what + ": " + std::to_string(t.numel()) +
                                          " timesteps for samples " + shapeString(a));
    const auto tCpu = t.to(torch::kCPU, torch::kLong);
    if (tCpu.numel() > 0) {
        const int64_t lo = tCpu.min().item<int64_t>(), hi = tCpu.max().item<int64_t>();
        if (lo < 0 || hi >= m_config.numTrainTimesteps)
            throw Error(ErrorKind::InvalidInput, std::string("noise schedule ") + what + ": timestep " +
                                                     std::to_string(lo < 0 ? lo : hi) + " outside [0, " +
                                                     std::to_string(m_config.numTrainTimesteps) + ")");
    }
    Coefs c;
    c.dtype = a.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat;
    auto ac = m_alphasCumprod64.index_select(0, tCpu.reshape({-1}));
    if (t.dim() == 0) {
        ac = ac.reshape({});
    } else {
        std::vector<int64_t> shape(static_cast<size_t>(a.dim()), 1);
        shape[0] = t.size(0);
        ac = ac.reshape(shape);
    }
    // Square roots in float64, then one cast: the coefficients are exact to the compute dtype.
    c.sqrtA = ac.sqrt().to(a.device(), c.dtype);
    c.sqrtOneMinusA = (1.0 - ac).sqrt().to(a.device(), c.dtype);
    return c;
}

torch::Tensor NoiseSchedule::addNoise(const torch::Tensor& z0, const torch::Tensor& noise, const torch::Tensor& t) const
{
    const auto c = coefs(t, z0, noise, "addNoise");
    return (c.sqrtA * z0.to(c.dtype) + c.sqrtOneMinusA * noise.to(c.dtype)).to(z0.scalar_type());
}

torch::Tensor NoiseSchedule::vTarget(const torch::Tensor& z0, const torch::Tensor& noise, const torch::Tensor& t) const
{
    const auto c = coefs(t, z0, noise, "vTarget");
    return (c.sqrtA * noise.to(c.dtype) - c.sqrtOneMinusA * z0.to(c.dtype)).to(z0.scalar_type());
}

torch::Tensor NoiseSchedule::epsFromPrediction(const torch::Tensor& pred, const torch::Tensor& zt,
                                               const torch::Tensor& t) const
{
    const auto c = coefs(t, pred, zt, "epsFromPrediction");
    if (m_config.predictionType == PredictionType::Epsilon)
        return pred;
    return (c.sqrtA * pred.to(c.dtype) + c.sqrtOneMinusA * zt.to(c.dtype)).to(pred.scalar_type());
}

torch::Tensor NoiseSchedule::x0FromPrediction(const torch::Tensor& pred, const torch::Tensor& zt,
                                              const torch::Tensor& t) const
{
    const auto c = coefs(t, pred, zt, "x0FromPrediction");
    const auto p = pred.to(c.dtype), z = zt.to(c.dtype);
    if (m_config.predictionType == PredictionType::Epsilon)
        return ((z - c.sqrtOneMinusA * p) / c.sqrtA).to(pred.scalar_type());
    return (c.sqrtA * z - c.sqrtOneMinusA * p).to(pred.scalar_type());
}

torch::Tensor NoiseSchedule::addNoise(const torch::Tensor& z0, const torch::Tensor& noise, int64_t t) const
{
    return addNoise(z0, noise, torch::tensor(t, torch::kLong));
}

torch::Tensor NoiseSchedule::vTarget(const torch::Tensor& z0, const torch::Tensor& noise, int64_t t) const
{
    return vTarget(z0, noise, torch::tensor(t, torch::kLong));
}

torch::Tensor NoiseSchedule::epsFromPrediction(const torch::Tensor& pred, const torch::Tensor& zt, int64_t t) const
{
    return epsFromPrediction(pred, zt, torch::tensor(t, torch::kLong));
}

torch::Tensor NoiseSchedule::x0FromPrediction(const torch::Tensor& pred, const torch::Tensor& zt, int64_t t) const
{
    return x0FromPrediction(pred, zt, torch::tensor(t, torch::kLong));
}

} // namespace invseg
