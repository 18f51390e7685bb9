// The whole InvSeg loop on every golden tiny model: shapes, finite losses, frozen weights, determinism, errors.
#include "invseg/error.h"
#include "invseg/nn/unet.h"
#include "invseg/sd_model.h"
#include "invseg/segment_tensors.h"
#include "invseg/segmenter.h"
#include "model/sd_model_impl.h"
#include "support/golden_sets.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>
#include <cmath>

namespace invseg {
namespace {

/// A non-square test image with a few flat regions, so the maps have something to find.
torch::Tensor testImage(int64_t h, int64_t w)
{
    auto img = torch::zeros({h, w, 3}, torch::kUInt8);
    img.slice(0, 0, h / 2).select(2, 2).fill_(200);                                    // blue top
    img.slice(0, h / 2, h).select(2, 1).fill_(160);                                    // green bottom
    img.slice(0, h / 3, 2 * h / 3).slice(1, w / 3, 2 * w / 3).select(2, 0).fill_(230); // red square
    return img;
}

/// The Segmenter's tensor entry point (what Segmenter::segment wraps), so that the assertions read tensors.
class TensorSegmenter {
public:
    explicit TensorSegmenter(std::shared_ptr<SdModel> model) : m_model(std::move(model)) {}
    detail::TensorSegmentResult segment(const torch::Tensor& image, const std::vector<std::string>& classes,
                                        const SegmentOptions& options,
                                        const detail::TensorSegmentCallbacks& callbacks = {})
    {
        return detail::segmentTensors(*m_model, image, classes, options, callbacks);
    }

private:
    std::shared_ptr<SdModel> m_model;
};

/// The same pixels as the engine's plain image.
Image toImage(const torch::Tensor& rgb)
{
    const auto t = rgb.contiguous();
    Image image;
    image.height = static_cast<int>(t.size(0));
    image.width = static_cast<int>(t.size(1));
    image.rgb.assign(t.data_ptr<uint8_t>(), t.data_ptr<uint8_t>() + t.numel());
    return image;
}

SegmentOptions fastOptions(int steps)
{
    SegmentOptions o;
    o.steps = steps;
    return o;
}

TEST(Segmenter, RunsKStepsWithFiniteLossesAndFullCoverage)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& set : sets) {
        SCOPED_TRACE(set.name);
        auto model = SdModel::load(set.diffusersDir());
        TensorSegmenter seg(model);
        const int K = 3;
        const auto image = testImage(45, 70);
        std::vector<int> seen;
        detail::TensorSegmentCallbacks cb;
        cb.wantMaps = true;
        cb.onStep = [&](const detail::TensorStepReport& r) {
            seen.push_back(r.step);
            ASSERT_TRUE(r.refinedMaps.defined());
            ASSERT_EQ(r.refinedMaps.dim(), 3);
            EXPECT_EQ(r.refinedMaps.size(0), 4);
            EXPECT_EQ(r.labels.sizes(), r.refinedMaps[0].sizes());
            EXPECT_EQ(r.anchors.sizes(), r.refinedMaps.sizes());
            EXPECT_EQ(r.posteriors.sizes(), r.refinedMaps.sizes());
            // Posteriors sum to 1 over classes.
            EXPECT_LT((r.posteriors.sum(0) - 1).abs().max().item<double>(), 1e-4);
        };
        const auto res = seg.segment(image, {"sky", "grass", "box"}, fastOptions(K), cb);
        EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3}));
        ASSERT_EQ(res.history.size(), static_cast<size_t>(K));
        for (const auto& s : res.history) {
            EXPECT_TRUE(std::isfinite(s.loss));
            EXPECT_TRUE(std::isfinite(s.csc));
            EXPECT_TRUE(std::isfinite(s.entropy));
            EXPECT_NEAR(s.loss, s.csc + s.entropy, 1e-5 * std::max(1.0, std::abs(s.loss)));
            EXPECT_GE(s.entropy, 0.0);
            EXPECT_LE(s.entropy, std::log(4.0) + 1e-6);
        }
        EXPECT_EQ(res.classNames, (std::vector<std::string>{"background", "sky", "grass", "box"}));
        ASSERT_EQ(res.labels.sizes(), (std::vector<int64_t>{45, 70}));
        EXPECT_EQ(res.labels.scalar_type(), torch::kByte);
        EXPECT_LT(res.labels.max().item<int>(), 4); // every pixel gets one of the 4 labels
        const int64_t lat = model->unetConfig().sampleSize;
        EXPECT_EQ(res.maps.sizes(), (std::vector<int64_t>{4, lat, lat}));
        EXPECT_EQ(res.initialMaps.sizes(), res.maps.sizes());
        EXPECT_TRUE(torch::isfinite(res.maps).all().item<bool>());
        EXPECT_GE(res.maps.min().item<double>(), 0.0);
        EXPECT_LE(res.maps.max().item<double>(), 1.0 + 1e-6);
        EXPECT_EQ(res.report["options"]["steps"], K);
        EXPECT_EQ(res.report["steps"].size(), static_cast<size_t>(K));
        EXPECT_GT(res.peakMemoryMb, 0.0);
    }
}

TEST(Segmenter, OnlyTheClassTokensChangeAndWeightsStayBitIdentical)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& set : sets) {
        SCOPED_TRACE(set.name);
        auto model = SdModel::load(set.diffusersDir());
        std::vector<torch::Tensor> before;
        for (const auto& p : model->impl().unet()->parameters())
            before.push_back(p.detach().clone());
        TensorSegmenter seg(model);
        const auto res = seg.segment(testImage(32, 32), {"sky", "box"}, fastOptions(2));

        size_t i = 0;
        for (const auto& p : model->impl().unet()->parameters()) {
            EXPECT_FALSE(p.requires_grad());
            EXPECT_TRUE(torch::equal(p.detach(), before[i++])) << "a UNet weight changed";
        }
        // The encoder output of the same ids: equal everywhere but at the class positions.
        const auto ids = torch::tensor(res.promptIds, torch::kLong).unsqueeze(0);
        torch::Tensor P0;
        {
            torch::NoGradGuard g;
            P0 = model->impl().encodeText(ids)[0].to(torch::kFloat);
        }
        ASSERT_EQ(res.conditioning.sizes(), P0.sizes());
        std::vector<bool> learnable(static_cast<size_t>(P0.size(0)), false);
        for (const auto& cls : res.tokenPositions)
            for (auto pos : cls)
                learnable[static_cast<size_t>(pos)] = true;
        int changed = 0;
        for (int64_t r = 0; r < P0.size(0); ++r) {
            const bool same = torch::equal(res.conditioning[r], P0[r]);
            if (learnable[static_cast<size_t>(r)])
                changed += same ? 0 : 1;
            else
                EXPECT_TRUE(same) << "position " << r << " is not a class token but changed";
        }
        EXPECT_GT(changed, 0) << "no class token moved in 2 Adam steps";
    }
}

TEST(Segmenter, SameSeedOnCpuGivesIdenticalLabels)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    auto model = SdModel::load(sets[0].diffusersDir());
    TensorSegmenter seg(model);
    const auto img = testImage(40, 40);
    const auto a = seg.segment(img, {"sky", "grass"}, fastOptions(2));
    const auto b = seg.segment(img, {"sky", "grass"}, fastOptions(2));
    EXPECT_TRUE(torch::equal(a.labels, b.labels));
    EXPECT_TRUE(torch::equal(a.maps, b.maps));
    ASSERT_EQ(a.history.size(), b.history.size());
    for (size_t i = 0; i < a.history.size(); ++i)
        EXPECT_EQ(a.history[i].loss, b.history[i].loss);
}

TEST(Segmenter, PlainApiGivesTheTensorRunsValues)
{
    // Segmenter::segment (Image in, LabelMap / FloatMaps out) is the tensor entry point plus conversions: the same
    // run gives the same bytes and floats, and the step reports carry the same maps.
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    auto model = SdModel::load(sets[0].diffusersDir());
    const auto img = testImage(36, 44);
    std::vector<torch::Tensor> tensorSteps;
    detail::TensorSegmentCallbacks tcb;
    tcb.wantMaps = true;
    tcb.onStep = [&](const detail::TensorStepReport& r) { tensorSteps.push_back(r.posteriors.clone()); };
    const auto t = TensorSegmenter(model).segment(img, {"sky", "grass"}, fastOptions(2), tcb);

    std::vector<FloatMaps> plainSteps;
    SegmentCallbacks pcb;
    pcb.wantMaps = true;
    pcb.onStep = [&](const StepReport& r) {
        plainSteps.push_back(r.posteriors);
        EXPECT_EQ(r.labels.width, r.refinedMaps.width);
        EXPECT_EQ(r.labels.height, r.refinedMaps.height);
    };
    Segmenter seg(model);
    const auto p = seg.segment(toImage(img), {"sky", "grass"}, fastOptions(2), pcb);

    ASSERT_EQ(p.labels.width, 44);
    ASSERT_EQ(p.labels.height, 36);
    const auto labels = t.labels.contiguous();
    EXPECT_EQ(p.labels.labels, std::vector<uint8_t>(labels.data_ptr<uint8_t>(), labels.data_ptr<uint8_t>() + 36 * 44));
    ASSERT_EQ(p.maps.channels, 3);
    EXPECT_TRUE(torch::equal(detail::toTensor(p.maps), t.maps));
    EXPECT_TRUE(torch::equal(detail::toTensor(p.initialMaps), t.initialMaps));
    ASSERT_EQ(p.conditioning.channels, 1);
    EXPECT_TRUE(torch::equal(detail::toTensor(p.conditioning)[0], t.conditioning));
    EXPECT_EQ(p.promptIds, t.promptIds);
    ASSERT_EQ(plainSteps.size(), tensorSteps.size());
    for (size_t i = 0; i < plainSteps.size(); ++i)
        EXPECT_TRUE(torch::equal(detail::toTensor(plainSteps[i]), tensorSteps[i])) << "step " << i;
    EXPECT_THROW(seg.segment(Image{}, {"sky"}, fastOptions(0)), Error);
}

TEST(Segmenter, ChannelsLastModelGivesTheSameRun)
{
    // NHWC convolutions are another summation order, not another method: losses, maps and the initial maps of a
    // 3-step run agree with the NCHW model to float32 rounding.
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& set : sets) {
        SCOPED_TRACE(set.name);
        ModelOptions nhwc;
        nhwc.channelsLast = true;
        TensorSegmenter ref(SdModel::load(set.diffusersDir()));
        TensorSegmenter cl(SdModel::load(set.diffusersDir(), nhwc));
        const auto img = testImage(48, 40);
        const auto a = ref.segment(img, {"sky", "grass", "car"}, fastOptions(3));
        const auto b = cl.segment(img, {"sky", "grass", "car"}, fastOptions(3));
        // The golden sets' float32 bound, in their metric (max |ours - ref| / max |ref|).
        const double initialErr = test::relativeError(b.initialMaps, a.initialMaps);
        const double finalErr = test::relativeError(b.maps, a.maps);
        std::cout << "  " << set.name << ": relative error of the initial maps " << initialErr << ", final maps "
                  << finalErr << "\n";
        EXPECT_LE(initialErr, 1e-4);
        EXPECT_LE(finalErr, 1e-4);
        ASSERT_EQ(a.history.size(), b.history.size());
        for (size_t i = 0; i < a.history.size(); ++i)
            EXPECT_NEAR(b.history[i].loss, a.history[i].loss, 1e-4 * std::abs(a.history[i].loss));
    }
}

TEST(Segmenter, BaselineIsTheSamePathWithZeroSteps)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    auto model = SdModel::load(sets[0].diffusersDir());
    TensorSegmenter seg(model);
    const auto img = testImage(40, 48);
    const auto base = seg.segment(img, {"sky", "grass"}, fastOptions(0));
    EXPECT_TRUE(base.history.empty());
    EXPECT_EQ(base.labels.sizes(), (std::vector<int64_t>{40, 48}));
    // With no update, the final maps are the initial ones (same tokens, same noise).
    EXPECT_TRUE(torch::allclose(base.maps, base.initialMaps, 1e-5, 1e-6));
    // And a 2-step run starts from exactly those maps.
    const auto run = seg.segment(img, {"sky", "grass"}, fastOptions(2));
    EXPECT_TRUE(torch::equal(run.initialMaps, base.initialMaps));
}

TEST(Segmenter, CancelStopsWithinAStep)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    auto model = SdModel::load(sets[0].diffusersDir());
    TensorSegmenter seg(model);
    std::atomic<bool> cancel{false};
    int lastStep = -1;
    detail::TensorSegmentCallbacks cb;
    cb.cancel = &cancel;
    cb.onStep = [&](const detail::TensorStepReport& r) {
        lastStep = r.step;
        if (r.step == 1)
            cancel = true;
    };
    try {
        seg.segment(testImage(32, 32), {"sky"}, fastOptions(50), cb);
        FAIL() << "a cancelled run must throw Error(Cancelled)";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
    }
    EXPECT_EQ(lastStep, 1);
}

TEST(Segmenter, OutOfMemoryEndsTheRunWithOneLineAndTheNextRunWorks)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    auto model = SdModel::load(sets[0].diffusersDir());
    TensorSegmenter seg(model);
    struct Off {
        ~Off() { testing::injectOutOfMemoryAtStep(-1); }
    } off;
    int lastStep = -1;
    detail::TensorSegmentCallbacks cb;
    cb.onStep = [&](const detail::TensorStepReport& r) { lastStep = r.step; };
    for (const int at : {0, 2}) {
        testing::injectOutOfMemoryAtStep(at);
        try {
            seg.segment(testImage(24, 40), {"sky"}, fastOptions(at == 0 ? 0 : 4), cb);
            FAIL() << "the injected out-of-memory error did not end the run (step " << at << ")";
        } catch (const Error& e) {
            const std::string what = e.what();
            EXPECT_EQ(e.kind(), ErrorKind::OutOfMemory) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << "one line: " << what;
            // where, the image's size, the model's size and precision, and what to try
            EXPECT_NE(what.find("out of memory on cpu"), std::string::npos) << what;
            EXPECT_NE(what.find("40\u00d724 image"), std::string::npos) << what;
            EXPECT_NE(what.find("fp32"), std::string::npos) << what;
            EXPECT_NE(what.find("try reusing self-attention, one view"), std::string::npos) << what;
        }
        EXPECT_EQ(lastStep, at == 0 ? -1 : 1) << "the run stopped at the injected step";
    }
    testing::injectOutOfMemoryAtStep(-1);
    const auto ok = seg.segment(testImage(24, 40), {"sky"}, fastOptions(2), cb);
    EXPECT_EQ(ok.history.size(), 2u);
}

TEST(Segmenter, BadClassListsAreClearErrors)
{
    auto expectInvalid = [](const std::vector<std::string>& classes, const std::string& needle) {
        try {
            Segmenter::normalizeClasses(classes);
            ADD_FAILURE() << "accepted a bad class list";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    expectInvalid({}, "empty");
    expectInvalid({"cat", " "}, "empty name");
    expectInvalid({"cat", "Cat"}, "twice");
    expectInvalid({"cat", "background"}, "background");
    EXPECT_EQ(Segmenter::normalizeClasses({"background", "cat"}), (std::vector<std::string>{"background", "cat"}));
}

TEST(Segmenter, TooManyClassesSaysHowManyFit)
{
    const auto sets = test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    auto model = SdModel::load(sets[0].diffusersDir());
    TensorSegmenter seg(model);
    std::vector<std::string> classes;
    for (int i = 0; i < 60; ++i)
        classes.push_back("thing" + std::to_string(i));
    try {
        seg.segment(testImage(16, 16), classes, fastOptions(1));
        FAIL() << "60 classes cannot fit in 77 tokens";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
        const std::string msg = e.what();
        EXPECT_NE(msg.find("at most"), std::string::npos) << msg;
        // The number it names must really fit, and one more must not.
        const auto pos = msg.find("at most ");
        const int fit = std::stoi(msg.substr(pos + 8));
        ASSERT_GT(fit, 0);
        ASSERT_LT(fit, 60);
        std::vector<std::string> ok(classes.begin(), classes.begin() + fit);
        EXPECT_NO_THROW(seg.segment(testImage(16, 16), ok, fastOptions(0)));
        std::vector<std::string> over(classes.begin(), classes.begin() + fit + 1);
        EXPECT_THROW(seg.segment(testImage(16, 16), over, fastOptions(0)), Error);
    }
}

TEST(SegmentOptions, JsonRoundTripAndBadFields)
{
    SegmentOptions o;
    o.steps = 7;
    o.levelWeights = {0, 1, 0, 0};
    o.imageSize = ImageSizePolicy::Pad;
    o.channelsLast = true;
    const auto back = SegmentOptions::fromJson(o.toJson());
    EXPECT_EQ(back.toJson(), o.toJson());
    EXPECT_TRUE(back.channelsLast);
    EXPECT_THROW(SegmentOptions::fromJson({{"stepz", 3}}), Error);
    EXPECT_THROW(SegmentOptions::fromJson({{"steps", "many"}}), Error);
    EXPECT_THROW(SegmentOptions::fromJson({{"views", 3}}), Error);
    EXPECT_THROW(SegmentOptions::fromJson({{"level_weights", {0, 0}}}), Error);
}

} // namespace
} // namespace invseg
