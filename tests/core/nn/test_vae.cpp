// AutoencoderKL: parity with diffusers on every golden set, names, optional quant convs, non-square images.
#include "support/golden_sets.h"

#include "invseg/error.h"
#include "invseg/nn/vae.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <set>

using namespace invseg;
using namespace invseg::nn;
using invseg::test::relativeError;

namespace {

constexpr double kTol = 1e-4;

VaeConfig tinyVae()
{
    VaeConfig c;
    c.blockOutChannels = {32, 32, 64, 64};
    return c;
}

} // namespace

TEST(VaeGolden, ModuleNamesEqualDiffusersKeys)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& g : sets) {
        SCOPED_TRACE(g.name);
        AutoencoderKL vae(parseVaeConfig(g.diffusers("vae/config.json")));
        // Names and shapes: named_parameters() is the diffusers key list.
        EXPECT_EQ(test::moduleShapes(*vae), test::fileShapes(g.diffusers("vae/diffusion_pytorch_model.safetensors")));
    }
}

TEST(VaeGolden, EncodeAndDecodeMatch)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& g : sets) {
        SCOPED_TRACE(g.name);
        const auto config = parseVaeConfig(g.diffusers("vae/config.json"));
        AutoencoderKL vae(config);
        test::loadWeights(*vae, g.diffusers("vae/diffusion_pytorch_model.safetensors"), "vae");
        vae->eval();
        const double scaling = g.meta.at("scaling_factor").get<double>();
        EXPECT_DOUBLE_EQ(scaling, config.scalingFactor);

        torch::NoGradGuard noGrad;
        test::ErrorLog log;
        const auto post = vae->encode(g.get("image"));
        const auto check = [&](const char* key, const torch::Tensor& ours) {
            const double e = relativeError(ours, g.get(key));
            EXPECT_LE(e, kTol) << key;
            log.add(key, e);
        };
        check("vae_posterior_mean", post.mean);
        check("vae_posterior_logvar", post.logvar);
        check("z0", post.mean * scaling);
        // Decode the reference z0 so that the decoder is tested on its own.
        check("vae_decoded", vae->decode(g.get("z0") / scaling));
        log.print(g.name);
    }
}

TEST(Vae, OptionalQuantConvsAndNames)
{
    VaeConfig c = tinyVae();
    c.useQuantConv = false;
    c.usePostQuantConv = false;
    AutoencoderKL vae(c);
    std::map<std::string, std::vector<int64_t>> shapes;
    for (const auto& p : vae->named_parameters(true))
        shapes[p.key()] = p.value().sizes().vec();
    EXPECT_FALSE(shapes.count("quant_conv.weight"));
    EXPECT_FALSE(shapes.count("post_quant_conv.weight"));
    for (const char* k :
         {"encoder.conv_in.weight", "encoder.down_blocks.0.downsamplers.0.conv.weight",
          "encoder.mid_block.attentions.0.group_norm.weight", "encoder.mid_block.attentions.0.to_q.bias",
          "encoder.mid_block.attentions.0.to_out.0.weight", "decoder.up_blocks.0.resnets.2.conv2.weight",
          "decoder.up_blocks.2.upsamplers.0.conv.weight", "decoder.conv_norm_out.bias"})
        EXPECT_TRUE(shapes.count(k)) << k;
    EXPECT_FALSE(shapes.count("encoder.down_blocks.1.resnets.0.conv_shortcut.weight")); // 32 → 32
    EXPECT_TRUE(shapes.count("encoder.down_blocks.2.resnets.0.conv_shortcut.weight"));
    EXPECT_FALSE(shapes.count("encoder.down_blocks.3.downsamplers.0.conv.weight"));
    EXPECT_FALSE(shapes.count("decoder.up_blocks.3.upsamplers.0.conv.weight"));
    EXPECT_EQ(shapes["encoder.conv_out.weight"], (std::vector<int64_t>{8, 64, 3, 3}));
    EXPECT_EQ(shapes["decoder.up_blocks.2.resnets.0.conv1.weight"], (std::vector<int64_t>{32, 64, 3, 3}));

    VaeConfig withConvs = tinyVae();
    AutoencoderKL vae2(withConvs);
    size_t quant = 0;
    for (const auto& p : vae2->named_parameters(true))
        quant += p.key().rfind("quant_conv.", 0) == 0 || p.key().rfind("post_quant_conv.", 0) == 0;
    EXPECT_EQ(quant, 4u);
}

TEST(Vae, NonSquareImagesRoundTripShapes)
{
    torch::manual_seed(0);
    AutoencoderKL vae(tinyVae());
    torch::NoGradGuard noGrad;
    const auto image = torch::rand({2, 3, 64, 96}) * 2 - 1;
    const auto post = vae->encode(image);
    EXPECT_EQ(post.mean.sizes(), (std::vector<int64_t>{2, 4, 8, 12}));
    EXPECT_EQ(post.logvar.sizes(), post.mean.sizes());
    EXPECT_LE(post.logvar.max().item<float>(), 20.0f);
    EXPECT_GE(post.logvar.min().item<float>(), -30.0f);
    EXPECT_EQ(vae->decode(post.mean).sizes(), image.sizes());
    EXPECT_EQ(vae->downscaleFactor(), 8);
    EXPECT_THROW(vae->encode(torch::rand({1, 4, 64, 64})), Error);
    EXPECT_THROW(vae->decode(torch::rand({1, 3, 8, 8})), Error);
}
