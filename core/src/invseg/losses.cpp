// The InvSeg objective: structure distance, refined-map normalisation, soft anchors, CSC and entropy.
#include "invseg/losses.h"

#include <torch/torch.h>

namespace invseg {

torch::Tensor structureDistance(const torch::Tensor& A, double eps)
{
    const auto L = torch::log(A + eps);
    const auto h = (A * L).sum(-1, /*keepdim=*/true); // [.., N, 1]
    const auto ALt = torch::matmul(A, L.transpose(-1, -2));
    // A Lᵀ + L Aᵀ = A Lᵀ + (A Lᵀ)ᵀ: one product is enough.
    return 0.5 * (h + h.transpose(-1, -2) - ALt - ALt.transpose(-1, -2));
}

torch::Tensor minMaxNormalize(const torch::Tensor& maps)
{
    const auto mn = std::get<0>(maps.min(-1, /*keepdim=*/true));
    const auto mx = std::get<0>(maps.max(-1, /*keepdim=*/true));
    return (maps - mn) / (mx - mn + 1e-8);
}

torch::Tensor classPosteriors(const torch::Tensor& normalizedMaps, double temperature)
{
    return torch::softmax(normalizedMaps / temperature, -2);
}

torch::Tensor softAnchors(const torch::Tensor& posteriors, double threshold)
{
    const auto p = posteriors.detach();
    return p * (p >= threshold).to(p.scalar_type());
}

torch::Tensor anchorClassDistance(const torch::Tensor& S, const torch::Tensor& M)
{
    const auto Mt = M / (M.sum(-1, /*keepdim=*/true) + 1e-12); // [C, N], each row sums to 1
    return torch::matmul(S, Mt.transpose(0, 1));               // [N, C]
}

torch::Tensor cscLoss(const torch::Tensor& S, const torch::Tensor& M, const torch::Tensor& anchors, double tau,
                      std::optional<double> distanceScale)
{
    auto D = anchorClassDistance(S, M);
    // Dividing by the mean distance makes τ independent of the image; the mean is a constant of the step.
    D = distanceScale ? D / *distanceScale : D / (D.detach().mean() + 1e-12);
    const auto logp = torch::log_softmax(-D / tau, /*dim=*/1); // [N, C]
    const auto w = anchors.detach().transpose(0, 1);           // [N, C]
    const auto total = w.sum();
    if (total.item<double>() <= 0.0)
        return (logp * 0.0).sum();
    return -(w * logp).sum() / total;
}

torch::Tensor entropyLoss(const torch::Tensor& posteriors)
{
    const auto pbar = posteriors.mean(0); // [C, N]
    return -(pbar * torch::log(pbar.clamp_min(1e-12))).sum(0).mean();
}

} // namespace invseg
