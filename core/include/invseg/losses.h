// The InvSeg objective's pieces as pure tensor functions (method document, steps 6-11), testable on their own.
#pragma once

#include <torch/types.h>

#include <optional>

namespace invseg {

/// Symmetric KL distance between the rows of a row-stochastic matrix A [N, N] (or [B, N, N]):
/// S[u, v] = ½ Σ_k (A_uk − A_vk)(log(A_uk + ε) − log(A_vk + ε)), computed as ½ (h1ᵀ + 1hᵀ − A Lᵀ − L Aᵀ) with
/// L = log(A + ε) and h_u = Σ_k A_uk L_uk: two matrix products, no N³ loop. Returned in A's dtype.
torch::Tensor structureDistance(const torch::Tensor& A, double eps = 1e-6);

/// Min-max normalisation of each map along the last dimension: (x − min) / (max − min + 1e-8) → [0, 1].
torch::Tensor minMaxNormalize(const torch::Tensor& maps);

/// Class posteriors: softmax over the class dimension (dim −2 of [.., C, N]) of maps / temperature.
torch::Tensor classPosteriors(const torch::Tensor& normalizedMaps, double temperature);

/// Soft anchors w_c(u) = p_c(u)·[p_c(u) ≥ δ], detached.
torch::Tensor softAnchors(const torch::Tensor& posteriors, double threshold);

/// Contrastive soft clustering. S [N, N] structure distance (detached), refined maps M [C, N] (non-negative,
/// before normalisation), anchors w [C, N] (detached). D(u, c) = Σ_v S[u, v] M_c(v) / Σ_v M_c(v), divided by its
/// (detached) mean; L = −Σ_c Σ_u w_c(u) log softmax_c'(−D(u, c')/τ)[c] / Σ w. Returns 0 (with a graph) when no
/// pixel is an anchor. `distanceScale` replaces the detached mean of D when given (it is a constant of the step;
/// fixing it makes the loss a plain function of M, e.g. for finite-difference checks).
torch::Tensor cscLoss(const torch::Tensor& S, const torch::Tensor& M, const torch::Tensor& anchors, double tau,
                      std::optional<double> distanceScale = std::nullopt);

/// D(u, c) = Σ_v S[u, v] M_c(v) / Σ_v M_c(v) for S [N, N] and M [C, N]: [N, C].
torch::Tensor anchorClassDistance(const torch::Tensor& S, const torch::Tensor& M);

/// Entropy of the mean posterior over views: p [V, C, N] → mean over u of −Σ_c p̄_c(u) log p̄_c(u).
torch::Tensor entropyLoss(const torch::Tensor& posteriors);

} // namespace invseg
