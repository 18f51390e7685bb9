// Tests of the CLIP text encoder: parameter names, parity with every golden set, causality, gradients, errors.
#include "support/golden_sets.h"

#include "invseg/error.h"
#include "invseg/nn/clip_text_model.h"
#include "invseg/tensor_file.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

using invseg::Error;
using invseg::ErrorKind;
using invseg::TextEncoderConfig;
using invseg::nn::ClipTextModel;

namespace {

std::vector<std::string> parameterNames(torch::nn::Module& m)
{
    std::vector<std::string> names;
    for (const auto& p : m.named_parameters())
        names.push_back(p.key());
    std::sort(names.begin(), names.end());
    return names;
}

ClipTextModel buildAndLoad(const invseg::test::GoldenSet& set)
{
    const auto dir = std::filesystem::path(set.diffusersDir()) / "text_encoder";
    ClipTextModel model(invseg::parseTextEncoderConfig((dir / "config.json").string()));
    const std::string weights = (dir / "model.safetensors").string();
    // Names and shapes: named_parameters() is the file's key list.
    EXPECT_EQ(invseg::test::moduleShapes(*model), invseg::test::fileShapes(weights));
    invseg::test::loadWeights(*model, weights, "text_encoder");
    model->eval();
    for (auto& p : model->parameters())
        p.set_requires_grad(false);
    return model;
}

TextEncoderConfig tinyConfig()
{
    TextEncoderConfig c;
    c.vocabSize = 100;
    c.hiddenSize = 16;
    c.intermediateSize = 24;
    c.numHeads = 2;
    c.numLayers = 2;
    c.maxPositions = 10;
    return c;
}

} // namespace

TEST(ClipTextModel, ParameterNamesAreTheTransformersKeys)
{
    TextEncoderConfig c = tinyConfig();
    c.numLayers = 3;
    ClipTextModel model(c);
    std::vector<std::string> expected = {
        "text_model.embeddings.token_embedding.weight",
        "text_model.embeddings.position_embedding.weight",
        "text_model.final_layer_norm.weight",
        "text_model.final_layer_norm.bias",
    };
    for (int l = 0; l < 3; ++l) {
        const std::string p = "text_model.encoder.layers." + std::to_string(l) + ".";
        for (const char* m : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj",
                              "layer_norm1", "layer_norm2", "mlp.fc1", "mlp.fc2"})
            for (const char* w : {"weight", "bias"})
                expected.push_back(p + m + "." + w);
    }
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(parameterNames(*model), expected);
    EXPECT_TRUE(model->named_buffers().is_empty()) << "no position_ids buffer";

    const auto params = model->named_parameters();
    EXPECT_EQ(params["text_model.embeddings.token_embedding.weight"].sizes(), (std::vector<int64_t>{100, 16}));
    EXPECT_EQ(params["text_model.embeddings.position_embedding.weight"].sizes(), (std::vector<int64_t>{10, 16}));
    EXPECT_EQ(params["text_model.encoder.layers.2.mlp.fc1.weight"].sizes(), (std::vector<int64_t>{24, 16}));
    EXPECT_EQ(params["text_model.encoder.layers.2.mlp.fc2.weight"].sizes(), (std::vector<int64_t>{16, 24}));
    EXPECT_EQ(params["text_model.encoder.layers.0.self_attn.out_proj.bias"].sizes(), (std::vector<int64_t>{16}));
}

TEST(ClipTextModel, MatchesGoldenTextEmbeddings)
{
    const auto sets = invseg::test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& set : sets) {
        SCOPED_TRACE(set.name);
        auto model = buildAndLoad(set);
        const auto ids = set.tensors->tensor("input_ids").to(torch::kLong);
        const auto ref = set.get("text_embeddings");
        torch::Tensor out;
        {
            torch::NoGradGuard noGrad;
            out = model->forward(ids);
        }
        ASSERT_EQ(out.sizes(), ref.sizes());
        const double err = invseg::test::relativeError(out, ref);
        std::cout << "  [" << set.name << "] text_embeddings relative L2 error = " << err << "\n";
        EXPECT_LE(err, 1e-4);
        // Per prompt as well, so a single bad prompt cannot hide in the average.
        for (int64_t p = 0; p < ids.size(0); ++p)
            EXPECT_LE(invseg::test::relativeError(out[p], ref[p]), 1e-4) << "prompt " << p;
        // int32 ids (as stored in the golden file) give the same result.
        torch::NoGradGuard noGrad;
        EXPECT_TRUE(torch::equal(model->forward(ids.to(torch::kInt)), out));
    }
}

TEST(ClipTextModel, ForwardEmbeddingsEqualsForward)
{
    torch::manual_seed(0);
    ClipTextModel model(tinyConfig());
    torch::NoGradGuard noGrad;
    const auto ids = torch::randint(0, 100, {3, 7}, torch::kLong);
    const auto a = model->forward(ids);
    const auto b = model->forwardEmbeddings(model->embedTokens(ids));
    EXPECT_EQ(a.sizes(), (std::vector<int64_t>{3, 7, 16}));
    EXPECT_TRUE(torch::equal(a, b));
}

TEST(ClipTextModel, AttentionIsCausal)
{
    torch::manual_seed(1);
    ClipTextModel model(tinyConfig());
    torch::NoGradGuard noGrad;
    auto ids = torch::randint(0, 100, {1, 10}, torch::kLong);
    const auto before = model->forward(ids);
    ids[0][6] = (ids[0][6].item<int64_t>() + 1) % 100;
    const auto after = model->forward(ids);
    // Positions before the change see nothing of it; the changed one and later ones do.
    EXPECT_TRUE(torch::equal(before.narrow(1, 0, 6), after.narrow(1, 0, 6)));
    for (int64_t i = 6; i < 10; ++i)
        EXPECT_FALSE(torch::allclose(before[0][i], after[0][i])) << "position " << i;
    // A padding token at the end changes nothing before it either (no padding mask, but causal).
    const auto shorter = model->forward(ids.narrow(1, 0, 8));
    EXPECT_TRUE(torch::allclose(shorter, after.narrow(1, 0, 8), 1e-6, 1e-6));
}

TEST(ClipTextModel, GradientReachesTokenEmbeddingsWithFrozenWeights)
{
    torch::manual_seed(2);
    ClipTextModel model(tinyConfig());
    for (auto& p : model->parameters())
        p.set_requires_grad(false);
    torch::Tensor emb;
    {
        torch::NoGradGuard noGrad;
        emb = model->embedTokens(torch::randint(0, 100, {2, 5}, torch::kLong));
    }
    emb = emb.clone().requires_grad_(true);
    const auto out = model->forwardEmbeddings(emb);
    const auto g = torch::autograd::grad({out.pow(2).sum()}, {emb})[0];
    ASSERT_TRUE(g.defined());
    EXPECT_EQ(g.sizes(), emb.sizes());
    EXPECT_TRUE(torch::isfinite(g).all().item<bool>());
    EXPECT_GT(g.abs().sum().item<double>(), 0.0);
    // Finite-difference check of one coordinate, in double precision.
    model->to(torch::kDouble);
    const auto e64 = emb.detach().to(torch::kDouble).requires_grad_(true);
    const auto g64 = torch::autograd::grad({model->forwardEmbeddings(e64).pow(2).sum()}, {e64})[0];
    torch::NoGradGuard noGrad;
    const double h = 1e-6;
    auto plus = e64.detach().clone(), minus = e64.detach().clone();
    plus[1][3][4] += h;
    minus[1][3][4] -= h;
    const double fd = (model->forwardEmbeddings(plus).pow(2).sum().item<double>() -
                       model->forwardEmbeddings(minus).pow(2).sum().item<double>()) /
                      (2 * h);
    EXPECT_NEAR(g64[1][3][4].item<double>(), fd, 1e-6 * std::max(1.0, std::abs(fd)));
}

TEST(ClipTextModel, ReducedPrecisionOnCpuStaysClose)
{
    const auto sets = invseg::test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& set : sets) {
        SCOPED_TRACE(set.name);
        auto model = buildAndLoad(set);
        model->to(torch::kBFloat16);
        torch::NoGradGuard noGrad;
        const auto out = model->forward(set.tensors->tensor("input_ids"));
        EXPECT_EQ(out.scalar_type(), torch::kBFloat16);
        const double err = invseg::test::relativeError(out, set.get("text_embeddings"));
        std::cout << "  [" << set.name << "] bfloat16 (CPU) relative L2 error = " << err << "\n";
        // bfloat16 keeps 8 significant bits (relative rounding 2^-9 ≈ 2e-3 per operation).
        EXPECT_LE(err, 2e-2);
    }
}

TEST(ClipTextModel, GpuMatchesGoldenInEveryDtype)
{
    if (!torch::cuda::is_available())
        GTEST_SKIP() << "no CUDA device";
    const auto sets = invseg::test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& set : sets) {
        SCOPED_TRACE(set.name);
        auto model = buildAndLoad(set);
        const auto ids = set.tensors->tensor("input_ids").to(torch::kCUDA);
        const auto ref = set.get("text_embeddings");
        const struct {
            torch::ScalarType dtype;
            double bound;
        } cases[] = {{torch::kFloat, 1e-4}, {torch::kBFloat16, 2e-2}, {torch::kHalf, 5e-3}};
        for (const auto& c : cases) {
            model->to(torch::kCUDA, c.dtype);
            torch::NoGradGuard noGrad;
            const auto out = model->forward(ids);
            EXPECT_EQ(out.device().type(), torch::kCUDA);
            EXPECT_EQ(out.scalar_type(), c.dtype);
            const double err = invseg::test::relativeError(out, ref);
            std::cout << "  [" << set.name << "] CUDA " << c10::toString(c.dtype) << " relative L2 error = " << err
                      << "\n";
            EXPECT_LE(err, c.bound) << c10::toString(c.dtype);
        }
    }
}

TEST(ClipTextModel, BadInputsThrowTypedErrors)
{
    ClipTextModel model(tinyConfig());
    torch::NoGradGuard noGrad;
    auto expectKind = [](ErrorKind kind, auto&& fn) {
        try {
            fn();
            ADD_FAILURE() << "no exception";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), kind) << e.what();
        }
    };
    expectKind(ErrorKind::Shape, [&] { model->forward(torch::zeros({5}, torch::kLong)); });
    expectKind(ErrorKind::Shape, [&] { model->forward(torch::zeros({1, 11}, torch::kLong)); }); // > maxPositions
    expectKind(ErrorKind::Shape, [&] { model->forward(torch::zeros({1, 4}, torch::kFloat)); });
    expectKind(ErrorKind::InvalidInput, [&] { model->forward(torch::full({1, 4}, 100, torch::kLong)); });
    expectKind(ErrorKind::InvalidInput, [&] { model->forward(torch::full({1, 4}, -1, torch::kLong)); });
    expectKind(ErrorKind::Shape, [&] { model->forwardEmbeddings(torch::zeros({1, 4, 15})); });
    expectKind(ErrorKind::Shape, [&] { model->forwardEmbeddings(torch::zeros({1, 11, 16})); });
    expectKind(ErrorKind::Shape, [&] { model->forwardEmbeddings(torch::zeros({4, 16})); });

    TextEncoderConfig bad = tinyConfig();
    bad.numHeads = 3; // 16 is not divisible by 3
    expectKind(ErrorKind::InvalidInput, [&] { ClipTextModel m(bad); });
    bad = tinyConfig();
    bad.hiddenSize = 0;
    expectKind(ErrorKind::InvalidInput, [&] { ClipTextModel m(bad); });
}
