// UNet2DConditionModel: parity with diffusers on every golden set (outputs, attention maps, gradients) and behaviour.
#include "support/golden_sets.h"

#include "invseg/error.h"
#include "invseg/nn/unet.h"
#include "nn/attention.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>
#include <set>

using namespace invseg;
using namespace invseg::nn;
using invseg::test::GoldenSet;
using invseg::test::relativeError;

namespace {

constexpr double kTol = 1e-4;

UNet2DConditionModel loadUNet(const GoldenSet& g)
{
    UNet2DConditionModel unet(parseUNetConfig(g.diffusers("unet/config.json")));
    test::loadWeights(*unet, g.diffusers("unet/diffusion_pytorch_model.safetensors"), "unet");
    unet->eval();
    for (auto& p : unet->parameters())
        p.set_requires_grad(false);
    return unet;
}

/// A small random UNet with the SD topology (4 levels, attention at the first three).
UNetConfig tinyConfig(bool linearProjection = false)
{
    UNetConfig c;
    c.blockOutChannels = {32, 32, 64, 64};
    c.numHeads = {2, 2, 4, 4};
    c.crossAttnDown = {true, true, true, false};
    c.crossAttentionDim = 16;
    c.useLinearProjection = linearProjection;
    return c;
}

} // namespace

TEST(UNetGolden, ModuleNamesEqualDiffusersKeys)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& g : sets) {
        SCOPED_TRACE(g.name);
        UNet2DConditionModel unet(parseUNetConfig(g.diffusers("unet/config.json")));
        const std::string weights = g.diffusers("unet/diffusion_pytorch_model.safetensors");
        // Names and shapes: named_parameters() is the diffusers key list.
        EXPECT_EQ(test::moduleShapes(*unet), test::fileShapes(weights));
        EXPECT_NO_THROW(test::loadWeights(*unet, weights, "unet"));
    }
}

TEST(UNetGolden, OutputsMatchForEveryTimestepAndPrompt)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& g : sets) {
        SCOPED_TRACE(g.name);
        auto unet = loadUNet(g);
        const auto emb = g.get("text_embeddings");
        test::ErrorLog log;
        torch::NoGradGuard noGrad;
        for (const int64_t t : g.timesteps()) {
            const auto zt = g.get("zt_" + std::to_string(t));
            for (size_t p = 0; p < g.numPrompts(); ++p) {
                const std::string key = "unet_out_t" + std::to_string(t) + "_p" + std::to_string(p);
                ASSERT_TRUE(g.has(key)) << key;
                const auto out = unet->forward(zt, torch::tensor(t), emb.narrow(0, static_cast<int64_t>(p), 1));
                const double e = relativeError(out, g.get(key));
                EXPECT_LE(e, kTol) << key;
                log.add("unet_out", e);
            }
        }
        // The same outputs batched: every prompt at once with per-item timesteps.
        const auto t0 = g.timesteps().front();
        const int64_t np = static_cast<int64_t>(g.numPrompts());
        const auto zt = g.get("zt_" + std::to_string(t0)).expand({np, -1, -1, -1});
        const auto out = unet->forward(zt, torch::full({np}, t0, torch::kLong), emb);
        for (int64_t p = 0; p < np; ++p) {
            const double e = relativeError(out.narrow(0, p, 1),
                                           g.get("unet_out_t" + std::to_string(t0) + "_p" + std::to_string(p)));
            EXPECT_LE(e, kTol) << "batched prompt " << p;
            log.add("unet_out (batched)", e);
        }
        log.print(g.name);
    }
}

TEST(UNetGolden, AttentionMapsMatch)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& g : sets) {
        SCOPED_TRACE(g.name);
        auto unet = loadUNet(g);
        const auto& layersMeta = g.meta.at("attention_layers");
        AttentionCapture capture;
        capture.select = AttentionCapture::selectAll();
        capture.perHead = true;
        torch::NoGradGuard noGrad;
        const auto out = unet->forward(g.get("zt_100"), torch::tensor(int64_t(100)),
                                       g.get("text_embeddings").narrow(0, 1, 1), &capture);
        // Materialising the probabilities must not change the output.
        EXPECT_LE(relativeError(out, g.get("unet_out_t100_p1")), kTol);

        // Layer bookkeeping against golden.json.
        ASSERT_EQ(capture.layers.size(), layersMeta.size());
        EXPECT_EQ(capture.layers.size(), unet->attentionLayerNames().size());
        for (size_t i = 0; i < capture.layers.size(); ++i) {
            const auto& info = capture.layers[i];
            EXPECT_EQ(info.name, unet->attentionLayerNames()[i]);
            // What the topology fixes is known before any forward.
            ASSERT_EQ(unet->attentionLayers().size(), capture.layers.size());
            const auto& fixed = unet->attentionLayers()[i];
            EXPECT_EQ(fixed.name, info.name);
            EXPECT_EQ(fixed.kind, info.kind) << info.name;
            EXPECT_EQ(fixed.heads, info.heads) << info.name;
            EXPECT_EQ(fixed.level, info.level) << info.name;
            ASSERT_TRUE(layersMeta.contains(info.name)) << info.name;
            const auto& m = layersMeta[info.name];
            EXPECT_EQ(info.kind == AttnKind::Cross ? "cross" : "self", m.at("kind").get<std::string>()) << info.name;
            EXPECT_EQ(info.heads, m.at("heads").get<int64_t>()) << info.name;
            EXPECT_EQ(info.queries(), m.at("queries").get<int64_t>()) << info.name;
            EXPECT_EQ(info.keys, m.at("keys").get<int64_t>()) << info.name;
        }

        test::ErrorLog log;
        size_t compared = 0;
        for (const auto& key : g.tensors->keys()) {
            const bool perHead = key.rfind("attn_heads/", 0) == 0;
            if (key.rfind("attn/", 0) != 0 && !perHead)
                continue;
            const std::string layer = key.substr(key.find('/') + 1);
            auto& source = perHead ? capture.headMaps : capture.maps;
            ASSERT_TRUE(source.count(layer)) << key;
            const auto ours = source.at(layer)[0];
            const auto ref = g.get(key);
            ASSERT_EQ(ours.sizes(), ref.sizes()) << key;
            const double e = relativeError(ours, ref);
            EXPECT_LE(e, kTol) << key;
            log.add(perHead ? "attn_heads" : (layersMeta[layer].at("kind") == "cross" ? "attn (cross)" : "attn (self)"),
                    e);
            ++compared;
        }
        EXPECT_EQ(compared, layersMeta.size() + 1) << "expected one attn/ per layer plus one attn_heads/";
        // Rows of the head-mean are distributions.
        for (const auto& [name, m] : capture.maps)
            EXPECT_TRUE(torch::allclose(m.sum(-1), torch::ones_like(m.sum(-1)), 1e-5, 1e-5)) << name;
        log.print(g.name);
    }
}

TEST(UNetGolden, CrossAttentionLossGradientMatches)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& g : sets) {
        SCOPED_TRACE(g.name);
        auto unet = loadUNet(g);
        auto emb = g.get("text_embeddings").narrow(0, 1, 1).clone().requires_grad_(true);
        AttentionCapture capture;
        capture.select = AttentionCapture::selectKind(AttnKind::Cross);
        unet->forward(g.get("zt_100"), torch::tensor(int64_t(100)), emb, &capture);

        torch::Tensor loss = torch::zeros({}, torch::kFloat);
        size_t terms = 0;
        for (const auto& key : g.tensors->keys()) {
            if (key.rfind("loss_weight/", 0) != 0)
                continue;
            const std::string layer = key.substr(std::string("loss_weight/").size());
            ASSERT_TRUE(capture.maps.count(layer)) << layer;
            loss = loss + (capture.maps.at(layer)[0] * g.get(key)).sum();
            ++terms;
        }
        EXPECT_EQ(terms, capture.maps.size());
        const auto grad = torch::autograd::grad({loss}, {emb})[0];
        test::ErrorLog log;
        const double eLoss = relativeError(loss.reshape({1}), g.get("grad_loss"));
        const double eGrad = relativeError(grad, g.get("grad_text_embeddings"));
        EXPECT_LE(eLoss, kTol);
        EXPECT_LE(eGrad, kTol);
        log.add("grad_loss", eLoss);
        log.add("grad_text_embeddings", eGrad);
        // Frozen weights receive nothing.
        for (const auto& p : unet->parameters())
            EXPECT_FALSE(p.grad().defined());
        log.print(g.name);
    }
}

TEST(UNet, NonSquareAndOddLatentsKeepTheirShape)
{
    torch::manual_seed(0);
    for (const bool linear : {false, true}) {
        UNet2DConditionModel unet(tinyConfig(linear));
        torch::NoGradGuard noGrad;
        for (const auto& hw :
             std::vector<std::pair<int64_t, int64_t>>{{16, 24}, {24, 16}, {8, 40}, {20, 28}, {9, 13}}) {
            SCOPED_TRACE(std::to_string(hw.first) + "x" + std::to_string(hw.second));
            const auto x = torch::randn({2, 4, hw.first, hw.second});
            const auto ctx = torch::randn({2, 7, 16});
            AttentionCapture capture;
            capture.select = AttentionCapture::selectKind(AttnKind::Cross, 0);
            const auto out = unet->forward(x, torch::tensor({3, 700}), ctx, &capture);
            EXPECT_EQ(out.sizes(), x.sizes());
            EXPECT_TRUE(torch::isfinite(out).all().item<bool>());
            ASSERT_FALSE(capture.maps.empty());
            for (const auto& [name, m] : capture.maps)
                EXPECT_EQ(m.sizes(), (std::vector<int64_t>{2, hw.first * hw.second, 7})) << name;
            for (const auto& info : capture.layers)
                if (info.level == 0)
                    EXPECT_EQ(std::make_pair(info.height, info.width), hw);
        }
    }
}

TEST(UNet, ParameterNamesFollowDiffusers)
{
    UNet2DConditionModel conv(tinyConfig(false));
    UNet2DConditionModel linear(tinyConfig(true));
    std::map<std::string, std::vector<int64_t>> shapes;
    for (const auto& p : conv->named_parameters(true))
        shapes[p.key()] = p.value().sizes().vec();
    const std::vector<std::string> expected = {
        "conv_in.weight",
        "time_embedding.linear_1.weight",
        "time_embedding.linear_2.bias",
        "down_blocks.0.resnets.0.time_emb_proj.weight",
        "down_blocks.0.attentions.1.transformer_blocks.0.attn1.to_q.weight",
        "down_blocks.0.attentions.1.transformer_blocks.0.attn2.to_out.0.bias",
        "down_blocks.0.attentions.1.transformer_blocks.0.ff.net.0.proj.weight",
        "down_blocks.0.attentions.1.transformer_blocks.0.ff.net.2.weight",
        "down_blocks.1.resnets.0.conv1.weight",
        "down_blocks.2.resnets.0.conv_shortcut.weight",
        "down_blocks.2.downsamplers.0.conv.weight",
        "down_blocks.3.resnets.1.conv2.weight",
        "mid_block.resnets.1.norm2.weight",
        "mid_block.attentions.0.proj_in.weight",
        "up_blocks.0.resnets.2.conv_shortcut.weight",
        "up_blocks.0.upsamplers.0.conv.weight",
        "up_blocks.3.attentions.2.proj_out.bias",
        "conv_norm_out.weight",
        "conv_out.bias",
    };
    for (const auto& k : expected)
        EXPECT_TRUE(shapes.count(k)) << k;
    EXPECT_FALSE(shapes.count("down_blocks.3.attentions.0.norm.weight"));
    EXPECT_FALSE(shapes.count("up_blocks.3.upsamplers.0.conv.weight"));
    EXPECT_FALSE(shapes.count("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.bias"));
    // Skip channels (as diffusers builds them, and as the golden checkpoints store them): up block 0 concatenates
    // 64 + 64 everywhere; the 64 → 32 transition shows in up block 1's last resnet (64 + 32) and up block 2's first
    // (32 from below + 64 skipped); up block 3 is 32 + 32 throughout.
    EXPECT_EQ(shapes["up_blocks.0.resnets.0.conv1.weight"], (std::vector<int64_t>{64, 128, 3, 3}));
    EXPECT_EQ(shapes["up_blocks.1.resnets.2.conv1.weight"], (std::vector<int64_t>{64, 96, 3, 3}));
    EXPECT_EQ(shapes["up_blocks.2.resnets.0.conv1.weight"], (std::vector<int64_t>{32, 96, 3, 3}));
    EXPECT_EQ(shapes["up_blocks.3.resnets.0.conv1.weight"], (std::vector<int64_t>{32, 64, 3, 3}));
    EXPECT_EQ(shapes["up_blocks.3.resnets.2.conv1.weight"], (std::vector<int64_t>{32, 64, 3, 3}));
    EXPECT_EQ(shapes["mid_block.attentions.0.proj_in.weight"], (std::vector<int64_t>{64, 64, 1, 1}));
    EXPECT_EQ(shapes["down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight"],
              (std::vector<int64_t>{32, 16}));
    EXPECT_EQ(shapes["down_blocks.0.attentions.0.transformer_blocks.0.ff.net.0.proj.weight"],
              (std::vector<int64_t>{256, 32}));
    for (const auto& p : linear->named_parameters(true))
        if (p.key() == "mid_block.attentions.0.proj_in.weight")
            EXPECT_EQ(p.value().sizes().vec(), (std::vector<int64_t>{64, 64}));
    EXPECT_EQ(conv->attentionLayerNames().size(), 32u);
}

TEST(UNet, UnselectedLayersMaterialiseNoMaps)
{
    torch::manual_seed(1);
    UNet2DConditionModel unet(tinyConfig());
    torch::NoGradGuard noGrad;
    const auto x = torch::randn({1, 4, 16, 16});
    const auto ctx = torch::randn({1, 5, 16});
    const auto t = torch::tensor(int64_t(250));
    const auto reference = unet->forward(x, t, ctx);

    AttentionCapture none;
    const auto outNone = unet->forward(x, t, ctx, &none);
    EXPECT_TRUE(none.maps.empty());
    EXPECT_TRUE(none.headMaps.empty());
    EXPECT_EQ(none.layers.size(), unet->attentionLayerNames().size());
    EXPECT_LE(relativeError(outNone, reference), 1e-6);

    const std::string chosen = "up_blocks.2.attentions.1.transformer_blocks.0.attn1";
    AttentionCapture one;
    one.select = AttentionCapture::selectByName({chosen});
    one.perHead = true;
    const auto outOne = unet->forward(x, t, ctx, &one);
    ASSERT_EQ(one.maps.size(), 1u);
    EXPECT_EQ(one.maps.begin()->first, chosen);
    EXPECT_EQ(one.maps.at(chosen).sizes(), (std::vector<int64_t>{1, 64, 64}));
    EXPECT_EQ(one.headMaps.at(chosen).sizes(), (std::vector<int64_t>{1, 2, 64, 64}));
    EXPECT_LE(relativeError(outOne, reference), 1e-5);

    AttentionCapture level1;
    level1.select = AttentionCapture::selectKind(AttnKind::Self, 1);
    unet->forward(x, t, ctx, &level1);
    EXPECT_EQ(level1.maps.size(), 5u); // 2 down + 3 up self-attention layers at half resolution
    EXPECT_TRUE(level1.headMaps.empty());
    for (const auto& [name, m] : level1.maps)
        EXPECT_NE(name.find("attn1"), std::string::npos) << name;
}

TEST(UNet, StopAfterEndsTheForwardEarly)
{
    torch::manual_seed(2);
    UNet2DConditionModel unet(tinyConfig());
    torch::NoGradGuard noGrad;
    AttentionCapture capture;
    capture.select = AttentionCapture::selectKind(AttnKind::Cross);
    capture.stopAfter = "up_blocks.1.attentions.0.transformer_blocks.0.attn2";
    const auto out = unet->forward(torch::randn({1, 4, 16, 16}), torch::tensor(int64_t(10)), torch::randn({1, 5, 16}),
                                   &capture);
    EXPECT_FALSE(out.defined());
    ASSERT_FALSE(capture.layers.empty());
    EXPECT_EQ(capture.layers.back().name, capture.stopAfter);
    EXPECT_EQ(capture.maps.size(), 8u); // 6 down + mid + the stopping layer
    EXPECT_TRUE(capture.maps.count(capture.stopAfter));

    capture.stopAfter = "down_blocks.0.attentions.0.attn2";
    try {
        unet->forward(torch::randn({1, 4, 16, 16}), torch::tensor(int64_t(10)), torch::randn({1, 5, 16}), &capture);
        FAIL() << "unknown stopAfter accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
        EXPECT_NE(std::string(e.what()).find("down_blocks.0.attentions.0.attn2"), std::string::npos);
    }
}

TEST(UNet, CancelFlagThrowsCancelled)
{
    UNet2DConditionModel unet(tinyConfig());
    torch::NoGradGuard noGrad;
    std::atomic<bool> cancel{true};
    AttentionCapture capture;
    capture.cancel = &cancel;
    try {
        unet->forward(torch::randn({1, 4, 16, 16}), torch::tensor(int64_t(10)), torch::randn({1, 5, 16}), &capture);
        FAIL() << "cancelled forward returned";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
    }
    cancel = false;
    EXPECT_TRUE(
        unet->forward(torch::randn({1, 4, 16, 16}), torch::tensor(int64_t(10)), torch::randn({1, 5, 16}), &capture)
            .defined());
}

TEST(UNet, RejectsMisShapedInputs)
{
    UNet2DConditionModel unet(tinyConfig());
    torch::NoGradGuard noGrad;
    const auto expectShape = [&](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& c) {
        try {
            unet->forward(x, t, c);
            ADD_FAILURE() << "accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Shape) << e.what();
        }
    };
    const auto t = torch::tensor(int64_t(1));
    expectShape(torch::randn({1, 3, 16, 16}), t, torch::randn({1, 5, 16}));
    expectShape(torch::randn({1, 4, 16, 16}), t, torch::randn({1, 5, 15}));
    expectShape(torch::randn({2, 4, 16, 16}), t, torch::randn({3, 5, 16}));
    expectShape(torch::randn({2, 4, 16, 16}), torch::tensor({1, 2, 3}), torch::randn({2, 5, 16}));
    UNetConfig bad = tinyConfig();
    bad.numHeads = {3, 2, 4, 4}; // 32 channels are not divisible by 3 heads
    EXPECT_THROW(UNet2DConditionModel{bad}, Error);
}

TEST(Attention, ChunkedMathPathMatchesMaterialisedProbabilities)
{
    torch::manual_seed(3);
    const auto q = torch::randn({2, 3, 50, 8});
    const auto k = torch::randn({2, 3, 20, 8});
    const auto v = torch::randn({2, 3, 20, 8});
    const auto reference = torch::matmul(attentionProbabilities(q, k, false), v);
    EXPECT_LE(relativeError(fastAttention(q, k, v, false), reference), 1e-6);
    for (const int64_t budget : {int64_t(1), int64_t(6 * 20 * 7), int64_t(6 * 20 * 49), int64_t(1) << 30})
        EXPECT_LE(relativeError(mathAttention(q, k, v, true, budget), reference), 1e-6) << budget;
    // Rows of the probabilities sum to one and the scale is d^-0.5.
    const auto p = attentionProbabilities(q, k, false);
    EXPECT_TRUE(torch::allclose(p.sum(-1), torch::ones({2, 3, 50}), 1e-5, 1e-5));
    const auto manual = torch::softmax(torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(8.0), -1);
    EXPECT_LE(relativeError(p, manual), 1e-6);
}
