// The InvSeg objective against naive references, hand-computed values and finite differences.
#include "invseg/losses.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace invseg {
namespace {

torch::Tensor randomRowStochastic(int64_t n, uint64_t seed)
{
    auto gen = at::detail::createCPUGenerator(seed);
    auto x = torch::rand({n, n}, gen, torch::kDouble) + 0.01;
    return x / x.sum(1, true);
}

TEST(StructureDistance, MatchesTheNaiveSymmetricKlLoop)
{
    for (int64_t n : {1, 2, 5, 17}) {
        const auto A = randomRowStochastic(n, 7 + n);
        const auto S = structureDistance(A, 1e-6);
        ASSERT_EQ(S.sizes(), (std::vector<int64_t>{n, n}));
        const auto a = A.accessor<double, 2>();
        const auto s = S.accessor<double, 2>();
        for (int64_t u = 0; u < n; ++u)
            for (int64_t v = 0; v < n; ++v) {
                double ref = 0;
                for (int64_t k = 0; k < n; ++k)
                    ref += (a[u][k] - a[v][k]) * (std::log(a[u][k] + 1e-6) - std::log(a[v][k] + 1e-6));
                ref *= 0.5;
                EXPECT_NEAR(s[u][v], ref, 1e-10 * std::max(1.0, std::abs(ref)))
                    << "n=" << n << " u=" << u << " v=" << v;
            }
        // Symmetric, zero diagonal, non-negative.
        EXPECT_TRUE(torch::allclose(S, S.t(), 0, 1e-12));
        EXPECT_LT(S.diag().abs().max().item<double>(), 1e-12);
        EXPECT_GE(S.min().item<double>(), -1e-12);
    }
}

TEST(StructureDistance, BatchedEqualsPerItem)
{
    const auto A = torch::stack({randomRowStochastic(6, 1), randomRowStochastic(6, 2)});
    const auto S = structureDistance(A);
    EXPECT_TRUE(torch::allclose(S[0], structureDistance(A[0])));
    EXPECT_TRUE(torch::allclose(S[1], structureDistance(A[1])));
}

TEST(Posteriors, SoftmaxOverClassesWithTemperature)
{
    // Two classes, one pixel: maps 1 and 0 at T = 0.1 → p = e^10 / (e^10 + 1).
    const auto maps = torch::tensor({1.0, 0.0}, torch::kDouble).reshape({2, 1});
    const auto p = classPosteriors(maps, 0.1);
    EXPECT_NEAR(p[0][0].item<double>(), std::exp(10.0) / (std::exp(10.0) + 1.0), 1e-12);
    const auto w = softAnchors(p, 0.5);
    EXPECT_NEAR(w[0][0].item<double>(), p[0][0].item<double>(), 1e-15);
    EXPECT_EQ(w[1][0].item<double>(), 0.0); // below δ
}

TEST(MinMaxNormalize, MapsEachRowToUnitRange)
{
    const auto x = torch::tensor({{2.0, 4.0, 3.0}, {-1.0, -1.0, 1.0}}, torch::kDouble);
    const auto y = minMaxNormalize(x);
    EXPECT_TRUE(torch::allclose(y, torch::tensor({{0.0, 1.0, 0.5}, {0.0, 0.0, 1.0}}, torch::kDouble), 1e-6, 1e-7));
}

TEST(EntropyLoss, HandComputedValue)
{
    // Two views of 2 classes × 2 pixels; mean posteriors are (0.5, 0.5) at pixel 0 and (1, 0) at pixel 1.
    const auto p = torch::tensor({{{0.25, 1.0}, {0.75, 0.0}}, {{0.75, 1.0}, {0.25, 0.0}}}, torch::kDouble);
    const double expected = (std::log(2.0) + 0.0) / 2.0;
    EXPECT_NEAR(entropyLoss(p).item<double>(), expected, 1e-9);
}

TEST(CscLoss, HandComputedValue)
{
    // 2 pixels, 2 classes. S = [[0, 1], [1, 0]]; class 0's map is all on pixel 0, class 1's on pixel 1.
    // D = S·M̃ᵀ = [[0, 1], [1, 0]], mean 0.5 → D' = [[0, 2], [2, 0]]. Pixel 0 anchors class 0 with weight 1:
    // −log softmax(−D'[0]/τ)[0] = log(1 + e^{−2/τ}). Pixel 1 anchors class 1 with weight 0.5: same value.
    const auto S = torch::tensor({{0.0, 1.0}, {1.0, 0.0}}, torch::kDouble);
    const auto M = torch::tensor({{3.0, 0.0}, {0.0, 2.0}}, torch::kDouble);
    const auto w = torch::tensor({{1.0, 0.0}, {0.0, 0.5}}, torch::kDouble);
    const double tau = 0.5;
    const double expected = std::log(1.0 + std::exp(-2.0 / tau));
    EXPECT_NEAR(cscLoss(S, M, w, tau).item<double>(), expected, 1e-12);
}

TEST(CscLoss, NoAnchorsGivesZero)
{
    const auto S = torch::rand({4, 4}, torch::kDouble);
    const auto M = torch::rand({3, 4}, torch::kDouble).requires_grad_(true);
    const auto loss = cscLoss(S, M, torch::zeros({3, 4}, torch::kDouble), 0.1);
    EXPECT_EQ(loss.item<double>(), 0.0);
    loss.backward(); // still differentiable
}

/// A small differentiable stand-in for the UNet: token vectors → cross-attention maps → refined maps M [C, N].
torch::Tensor refinedMaps(const torch::Tensor& tokens, const torch::Tensor& queries, const torch::Tensor& A)
{
    const auto attn = torch::softmax(torch::matmul(queries, tokens.t()), 1); // [N, C]
    const auto a = minMaxNormalize(attn.t());                                // [C, N]
    return torch::matmul(a, A.t());
}

/// The InvSeg objective with the step's constants (anchors, distance scale) held fixed, as the optimiser sees it.
torch::Tensor objective(const torch::Tensor& tokens, const torch::Tensor& queries, const torch::Tensor& A,
                        const torch::Tensor& S, const torch::Tensor& anchors, double scale)
{
    const auto M = refinedMaps(tokens, queries, A);
    const auto p = classPosteriors(minMaxNormalize(M), 0.5);
    return cscLoss(S, M, anchors, 0.3, scale) + 1.0 * entropyLoss(p.unsqueeze(0));
}

TEST(InvSegObjective, GradientMatchesFiniteDifferences)
{
    torch::manual_seed(3);
    const int64_t N = 9, C = 3, D = 4;
    const auto A = randomRowStochastic(N, 11);
    const auto S = structureDistance(A);
    const auto queries = torch::randn({N, D}, torch::kDouble);
    auto tokens = torch::randn({C, D}, torch::kDouble).requires_grad_(true);
    // The step's constants, taken at the current tokens as the segmenter takes them.
    torch::Tensor anchors;
    double scale = 0;
    {
        torch::NoGradGuard noGrad;
        const auto M = refinedMaps(tokens, queries, A);
        anchors = softAnchors(classPosteriors(minMaxNormalize(M), 0.5), 0.4);
        scale = anchorClassDistance(S, M).mean().item<double>();
        ASSERT_GT(anchors.sum().item<double>(), 0.0) << "the case must have anchors";
    }
    const auto loss = objective(tokens, queries, A, S, anchors, scale);
    // Without a fixed scale the loss is the same value (the scale is the detached mean).
    EXPECT_NEAR(cscLoss(S, refinedMaps(tokens, queries, A), anchors, 0.3).item<double>(),
                cscLoss(S, refinedMaps(tokens, queries, A), anchors, 0.3, scale).item<double>(), 1e-12);
    const auto grad = torch::autograd::grad({loss}, {tokens})[0];
    ASSERT_GT(grad.abs().max().item<double>(), 1e-6) << "the objective must depend on the tokens";
    const double h = 1e-6;
    torch::NoGradGuard noGrad;
    for (int64_t c = 0; c < C; ++c)
        for (int64_t d = 0; d < D; ++d) {
            auto plus = tokens.detach().clone(), minus = tokens.detach().clone();
            plus[c][d] += h;
            minus[c][d] -= h;
            const double fd = (objective(plus, queries, A, S, anchors, scale).item<double>() -
                               objective(minus, queries, A, S, anchors, scale).item<double>()) /
                              (2 * h);
            EXPECT_NEAR(grad[c][d].item<double>(), fd, 1e-6 + 1e-4 * std::abs(fd)) << "c=" << c << " d=" << d;
        }
}

} // namespace
} // namespace invseg
