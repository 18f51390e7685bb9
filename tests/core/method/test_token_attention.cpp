// inspectTokenAttention, the attention inspector's pass: token list, one normalised map per token and level, the
// level weighting, and the values against a direct UNet forward on the golden tiny models.
#include "invseg/error.h"
#include "invseg/nn/attention_capture.h"
#include "invseg/segment_tensors.h"
#include "invseg/segmenter.h"
#include "invseg/tokenizer.h"
#include "model/sd_model_impl.h"
#include "support/golden_sets.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <set>

namespace invseg {
namespace {

/// A 40×56 image: blue top, green bottom, a red square in the middle.
Image testImage()
{
    Image image;
    image.width = 56;
    image.height = 40;
    image.rgb.assign(static_cast<size_t>(image.width) * image.height * 3, 0);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            uint8_t* p = &image.rgb[(static_cast<size_t>(y) * image.width + x) * 3];
            p[y < image.height / 2 ? 2 : 1] = y < image.height / 2 ? 200 : 160;
            if (y >= 13 && y < 26 && x >= 18 && x < 37)
                p[0] = 230;
        }
    return image;
}

/// The mean over `level`'s cross-attention layers of one UNet forward, per token position, min-max normalised: what
/// the inspector computed when it lived in the UI, written out on the engine's internals.
torch::Tensor directLevelMaps(SdModel& model, const Image& image, const std::string& prompt,
                              const SegmentOptions& options, int level, const std::vector<int64_t>& positions)
{
    namespace F = torch::nn::functional;
    torch::NoGradGuard noGrad;
    auto& net = model.impl();
    const int64_t native = model.nativeImageSize();
    auto img = detail::toTensor(image).to(torch::kFloat).permute({2, 0, 1}).unsqueeze(0) / 127.5 - 1.0;
    img = F::interpolate(img, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{native, native})
                                  .mode(torch::kBilinear)
                                  .align_corners(false))
              .clamp(-1, 1);
    const auto z0 = net.imageToLatent(img);
    auto gen = at::detail::createCPUGenerator(options.seed);
    const auto noise = torch::randn(z0.sizes(), gen, torch::kFloat);
    const auto zt = net.schedule().addNoise(z0, noise, options.timestep);
    nn::AttentionCapture capture;
    capture.select = nn::AttentionCapture::selectKind(nn::AttnKind::Cross); // all of them, as the inspector does
    net.unet()->forward(zt, torch::full({1}, options.timestep, torch::kLong), net.encodeText(net.tokenIds({prompt})),
                        &capture);
    torch::Tensor sum;
    int64_t h = 0, w = 0;
    int layers = 0;
    for (const auto& l : capture.layers) {
        if (l.kind != nn::AttnKind::Cross || l.level != level)
            continue;
        const auto map = capture.maps.at(l.name)[0]; // [Q, 77]
        sum = sum.defined() ? sum + map : map.clone();
        h = l.height, w = l.width;
        ++layers;
    }
    const auto mean = sum / static_cast<double>(layers);
    std::vector<torch::Tensor> maps;
    for (const auto pos : positions) {
        const auto m = mean.select(1, pos).reshape({h, w});
        maps.push_back((m - m.min()) / (m.max() - m.min()).clamp_min(1e-12));
    }
    return torch::stack(maps);
}

TEST(TokenAttention, OneNormalisedMapPerTokenAndLevelMatchingADirectForward)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& set : sets) {
        SCOPED_TRACE(set.name);
        auto model = SdModel::load(set.diffusersDir());
        SegmentOptions options;
        options.seed = 3;
        const Image image = testImage();
        const auto a = inspectTokenAttention(*model, image, {"sky", "grass", "box"}, options);

        EXPECT_EQ(a.prompt, "a photograph of sky and grass and box and background");
        // The prompt's text tokens, decoded, without start / end of text.
        const auto ids = model->tokenizer().encode(a.prompt);
        ASSERT_EQ(a.tokens.size(), ids.size());
        for (size_t k = 0; k < ids.size(); ++k)
            EXPECT_EQ(a.tokens[k], model->tokenizer().decode({ids[k]}));
        const int T = static_cast<int>(ids.size());

        // The levels are those with cross-attention layers, finest first, with that level's grid (the latent of
        // the native square, halved per level by the stride-2 downsamplers, rounding up).
        std::map<int, std::pair<int64_t, int64_t>> grids;
        for (const auto& l : model->impl().unet()->attentionLayers())
            if (l.kind == nn::AttnKind::Cross) {
                int64_t side = model->unetConfig().sampleSize;
                for (int k = 0; k < l.level; ++k)
                    side = (side + 1) / 2;
                grids[l.level] = {side, side};
            }
        ASSERT_FALSE(grids.empty());
        ASSERT_EQ(a.levels.size(), grids.size());
        ASSERT_EQ(a.levelMaps.size(), grids.size());
        size_t i = 0;
        for (const auto& [level, grid] : grids) {
            SCOPED_TRACE("level " + std::to_string(level));
            EXPECT_EQ(a.levels[i], level);
            const FloatMaps& m = a.levelMaps[i++];
            ASSERT_EQ(m.channels, T);
            ASSERT_EQ(m.height, grid.first);
            ASSERT_EQ(m.width, grid.second);
            ASSERT_EQ(m.data.size(), static_cast<size_t>(T) * m.planeSize());
            for (int c = 0; c < T; ++c) {
                const auto [lo, hi] = std::minmax_element(m.plane(c), m.plane(c) + m.planeSize());
                EXPECT_EQ(*lo, 0.0f) << "token " << c;
                EXPECT_NEAR(*hi, 1.0f, 1e-6) << "token " << c;
            }
        }

        // The values: the finest level against a forward written out here (positions 1..T of the 77).
        std::vector<int64_t> positions(static_cast<size_t>(T));
        for (int k = 0; k < T; ++k)
            positions[static_cast<size_t>(k)] = k + 1;
        const auto direct = directLevelMaps(*model, image, a.prompt, options, a.levels[0], positions);
        const double err = test::relativeError(detail::toTensor(a.levelMaps[0]), direct);
        EXPECT_LE(err, 1e-6) << "max relative difference to the direct forward";

        // Default weights: one weighted map per token at the finest level's grid, normalised.
        ASSERT_EQ(a.weighted.channels, T);
        EXPECT_EQ(a.weighted.height, a.levelMaps[0].height);
        EXPECT_EQ(a.weighted.width, a.levelMaps[0].width);
        EXPECT_EQ(*std::min_element(a.weighted.data.begin(), a.weighted.data.end()), 0.0f);
        EXPECT_NEAR(*std::max_element(a.weighted.data.begin(), a.weighted.data.end()), 1.0f, 1e-6);

        // All the weight on the finest level: the weighted maps are that level's maps.
        SegmentOptions finest = options;
        finest.levelWeights.assign(4, 0.0);
        finest.levelWeights[static_cast<size_t>(a.levels[0])] = 1.0;
        const auto f = inspectTokenAttention(*model, image, {"sky", "grass", "box"}, finest);
        EXPECT_LE(test::relativeError(detail::toTensor(f.weighted), detail::toTensor(a.levelMaps[0])), 1e-6);
        // No weight anywhere: no weighted maps.
        SegmentOptions none = options;
        none.levelWeights.assign(4, 0.0);
        EXPECT_TRUE(inspectTokenAttention(*model, image, {"sky", "grass", "box"}, none).weighted.empty());

        // The seed draws the noise: the same seed repeats the maps exactly, another changes them.
        const auto again = inspectTokenAttention(*model, image, {"sky", "grass", "box"}, options);
        EXPECT_EQ(again.levelMaps[0].data, a.levelMaps[0].data);
        SegmentOptions other = options;
        other.seed = 4;
        EXPECT_NE(inspectTokenAttention(*model, image, {"sky", "grass", "box"}, other).levelMaps[0].data,
                  a.levelMaps[0].data);
    }
}

TEST(TokenAttention, BadInputsAreClearErrors)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    auto model = SdModel::load(sets[0].diffusersDir());
    auto expectInvalid = [&](const Image& image, const std::vector<std::string>& classes) {
        try {
            inspectTokenAttention(*model, image, classes, SegmentOptions{});
            ADD_FAILURE() << "accepted a bad input";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::InvalidInput) << e.what();
        }
    };
    expectInvalid(Image{}, {"sky"});
    expectInvalid(testImage(), {});
    expectInvalid(testImage(), {"sky", "Sky"});
}

} // namespace
} // namespace invseg
