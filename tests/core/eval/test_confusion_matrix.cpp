// Confusion matrix and mIoU against hand-computed values: dataset-level accumulation, ignore label, absent classes,
// out-of-range predictions, JSON and Markdown reports.
#include "export/export_test_support.h"

#include "invseg/error.h"
#include "invseg/evaluation.h"
#include "invseg/toy_world.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using invseg::ConfusionMatrix;
using invseg::ErrorKind;
using invseg::LabelMap;
using invseg::test::expectError;

namespace {

/// Two 2x4 images over 4 classes (class 3 never occurs). By hand, summing both images:
///   image A  gt   0 0 1 1 | 1 2 2 255      pred 0 1 1 1 | 2 2 2 0
///   image B  gt   0 0 0 0 | 2 2 2 2        pred 0 0 2 2 | 2 2 2 2
/// class 0: TP = 1 + 2 = 3, gt = 2 + 4 = 6, pred = 1 + 2 = 3 (the ignored pixel's 0 does not count) → IoU 3/6 = 50 %
/// class 1: TP = 2, gt = 3, pred = 3                                                              → IoU 2/4 = 50 %
/// class 2: TP = 2 + 4 = 6, gt = 2 + 4 = 6, pred = 3 + 6 = 9                                      → IoU 6/9 = 66.67 %
/// class 3: absent → NaN.  mIoU = (50 + 50 + 66.667) / 3 = 55.556 %.  Pixel accuracy = 11/15 = 73.33 %.
/// Per-image mIoU would differ: image B alone gives class 0 50 %, class 2 66.7 %, and A gives 33/66.7/66.7.
const LabelMap kGtA{4, 2, {0, 0, 1, 1, 1, 2, 2, 255}};
const LabelMap kPredA{4, 2, {0, 1, 1, 1, 2, 2, 2, 0}};
const LabelMap kGtB{4, 2, {0, 0, 0, 0, 2, 2, 2, 2}};
const LabelMap kPredB{4, 2, {0, 0, 2, 2, 2, 2, 2, 2}};

} // namespace

TEST(ConfusionMatrix, DatasetLevelIouByHand)
{
    ConfusionMatrix cm(4);
    cm.add(kPredA, kGtA);
    cm.add(kPredB, kGtB);
    EXPECT_EQ(cm.images(), 2u);
    EXPECT_EQ(cm.countedPixels(), 15u);
    EXPECT_EQ(cm.ignoredPixels(), 1u);
    EXPECT_EQ(cm.count(0, 0), 3u);
    EXPECT_EQ(cm.count(0, 1), 1u);
    EXPECT_EQ(cm.count(0, 2), 2u);
    EXPECT_EQ(cm.count(1, 2), 1u);
    EXPECT_EQ(cm.count(2, 0), 0u);
    EXPECT_EQ(cm.groundTruthPixels(0), 6u);
    EXPECT_EQ(cm.predictedPixels(2), 9u);

    const std::vector<double> iou = cm.iou();
    ASSERT_EQ(iou.size(), 4u);
    EXPECT_NEAR(iou[0], 50.0, 1e-9);
    EXPECT_NEAR(iou[1], 50.0, 1e-9);
    EXPECT_NEAR(iou[2], 200.0 / 3.0, 1e-9);
    EXPECT_TRUE(std::isnan(iou[3]));
    EXPECT_FALSE(cm.present(3));
    EXPECT_TRUE(cm.present(1));
    EXPECT_NEAR(cm.meanIou(), (50.0 + 50.0 + 200.0 / 3.0) / 3.0, 1e-9);
    EXPECT_NEAR(cm.pixelAccuracy(), 100.0 * 11.0 / 15.0, 1e-9);
    // mAcc: recalls 3/6, 2/3, 6/6 over classes in the ground truth.
    EXPECT_NEAR(cm.meanAccuracy(), 100.0 * (0.5 + 2.0 / 3.0 + 1.0) / 3.0, 1e-9);
}

TEST(ConfusionMatrix, ClassOnlyPredictedCountsAsPresentWithZeroIou)
{
    // Class 2 is predicted but never in the ground truth: union > 0, IoU 0, and it pulls the mean down (mmseg).
    ConfusionMatrix cm(3);
    cm.add(LabelMap{2, 1, {0, 2}}, LabelMap{2, 1, {0, 0}});
    const auto iou = cm.iou();
    EXPECT_NEAR(iou[0], 50.0, 1e-9);
    EXPECT_TRUE(std::isnan(iou[1]));
    EXPECT_NEAR(iou[2], 0.0, 1e-12);
    EXPECT_NEAR(cm.meanIou(), 25.0, 1e-9);
    // Mean accuracy only averages classes in the ground truth.
    EXPECT_NEAR(cm.meanAccuracy(), 50.0, 1e-9);
}

TEST(ConfusionMatrix, IgnoreAndOutOfRangeLabels)
{
    ConfusionMatrix cm(3);
    // gt 255 and gt 7 (out of range) are skipped whatever is predicted; prediction 255 on gt 1 is a miss.
    cm.add(LabelMap{4, 1, {1, 1, 0, 2}}, LabelMap{4, 1, {255, 7, 1, 1}});
    EXPECT_EQ(cm.ignoredPixels(), 2u);
    EXPECT_EQ(cm.countedPixels(), 2u);
    EXPECT_EQ(cm.invalidPredictions(), 0u);
    ConfusionMatrix cm2(3);
    cm2.add(LabelMap{3, 1, {255, 1, 9}}, LabelMap{3, 1, {1, 1, 1}});
    EXPECT_EQ(cm2.invalidPredictions(), 2u);
    EXPECT_EQ(cm2.groundTruthPixels(1), 3u);
    EXPECT_EQ(cm2.predictedPixels(1), 1u);
    EXPECT_NEAR(cm2.iou()[1], 100.0 / 3.0, 1e-9);
    EXPECT_NEAR(cm2.pixelAccuracy(), 100.0 / 3.0, 1e-9);
    // Nothing counted: means are NaN.
    ConfusionMatrix empty(2);
    empty.add(LabelMap{1, 1, {0}}, LabelMap{1, 1, {255}});
    EXPECT_TRUE(std::isnan(empty.meanIou()));
    EXPECT_TRUE(std::isnan(empty.pixelAccuracy()));
}

TEST(ConfusionMatrix, MergeEqualsAddingEverything)
{
    ConfusionMatrix a(4), b(4), all(4);
    a.add(kPredA, kGtA);
    b.add(kPredB, kGtB);
    all.add(kPredA, kGtA);
    all.add(kPredB, kGtB);
    a.merge(b);
    for (int g = 0; g < 4; ++g)
        for (int p = 0; p < 4; ++p)
            EXPECT_EQ(a.count(g, p), all.count(g, p));
    EXPECT_EQ(a.images(), 2u);
    EXPECT_DOUBLE_EQ(a.meanIou(), all.meanIou());
    expectError([&] { a.merge(ConfusionMatrix(3)); }, ErrorKind::InvalidInput, {"3 classes", "4"});
}

TEST(ConfusionMatrix, BadArguments)
{
    expectError([] { ConfusionMatrix(0); }, ErrorKind::InvalidInput, {"0 classes"});
    expectError([] { ConfusionMatrix(256); }, ErrorKind::InvalidInput, {"256"});
    ConfusionMatrix cm(3);
    expectError(
        [&] {
            cm.add(LabelMap{2, 2, {0, 0, 0, 0}}, LabelMap{4, 1, {0, 0, 0, 0}});
        },
        ErrorKind::InvalidInput, {"2x2", "4x1"});
    expectError([&] { cm.add(LabelMap{}, LabelMap{1, 1, {0}}); }, ErrorKind::InvalidInput, {"empty prediction"});
    expectError(
        [&] {
            cm.add(LabelMap{2, 2, {0}}, LabelMap{2, 2, {0, 0, 0, 0}});
        },
        ErrorKind::InvalidInput, {"1 labels"});
    EXPECT_EQ(cm.images(), 0u) << "failed adds add nothing";
    EXPECT_EQ(cm.countedPixels(), 0u);
    expectError([&] { cm.count(3, 0); }, ErrorKind::InvalidInput, {"count(3, 0)"});
}

TEST(ConfusionMatrix, JsonReport)
{
    ConfusionMatrix cm(4);
    cm.add(kPredA, kGtA);
    cm.add(kPredB, kGtB);
    const nlohmann::json j = cm.toJson({"background", "cat", "dog", "bird"});
    EXPECT_NEAR(j["miou"].get<double>(), 55.5556, 1e-9);
    EXPECT_NEAR(j["pixel_accuracy"].get<double>(), 73.3333, 1e-9);
    ASSERT_TRUE(j["per_class"].is_object());
    EXPECT_EQ(j["per_class"].size(), 3u);
    EXPECT_EQ(j["per_class"]["background"], 50.0);
    EXPECT_EQ(j["per_class"]["cat"], 50.0);
    EXPECT_NEAR(j["per_class"]["dog"].get<double>(), 66.6667, 1e-9);
    EXPECT_FALSE(j["per_class"].contains("bird"));
    EXPECT_EQ(j["absent_classes"], (nlohmann::json{"bird"}));
    EXPECT_EQ(j["num_classes"], 4);
    EXPECT_EQ(j["images"], 2);
    EXPECT_EQ(j["counted_pixels"], 15);
    EXPECT_EQ(j["ignored_pixels"], 1);
    // Valid JSON text (no NaN), even with nothing counted.
    ConfusionMatrix none(2);
    const nlohmann::json n = none.toJson({"background", "cat"});
    EXPECT_TRUE(n["miou"].is_null());
    EXPECT_NO_THROW(nlohmann::json::parse(n.dump()));
    expectError([&] { cm.toJson({"background"}); }, ErrorKind::InvalidInput, {"1 class names", "4-class"});
    expectError([&] { cm.toJson({"a", "b", "a", "c"}); }, ErrorKind::InvalidInput, {"'a'", "twice"});
}

TEST(ConfusionMatrix, MarkdownTable)
{
    ConfusionMatrix cm(4);
    cm.add(kPredA, kGtA);
    cm.add(kPredB, kGtB);
    const std::string md = cm.toMarkdown({"background", "cat", "dog|hound", "bird"});
    EXPECT_EQ(md, "| class | IoU (%) |\n"
                  "|---|---:|\n"
                  "| background | 50.00 |\n"
                  "| cat | 50.00 |\n"
                  "| dog\\|hound | 66.67 |\n"
                  "| bird | – |\n"
                  "| **mIoU** | **55.56** |\n");
}

TEST(ConfusionMatrix, SubsetMeansAndOutOfRangePredictionsPerClass)
{
    ConfusionMatrix m(3);
    LabelMap gt, pred;
    gt.width = pred.width = 4;
    gt.height = pred.height = 1;
    gt.labels = {0, 1, 2, 2};
    pred.labels = {0, 1, 2, 200}; // one pixel of class 2 predicted out of range (toy: background)
    m.add(pred, gt);
    // IoU: class 0 100, class 1 100, class 2 50 (1 hit of 2 ground-truth pixels).
    EXPECT_DOUBLE_EQ(m.meanIou({0, 1}), 100.0);
    EXPECT_DOUBLE_EQ(m.meanIou({2}), 50.0);
    EXPECT_DOUBLE_EQ(m.meanIou({1, 2}), 75.0);
    EXPECT_TRUE(std::isnan(ConfusionMatrix(3).meanIou({0, 1, 2}))) << "nothing present";
    EXPECT_EQ(m.outOfRangePredictions(2), 1u);
    EXPECT_EQ(m.outOfRangePredictions(0), 0u);
    expectError([&] { m.meanIou({3}); }, ErrorKind::InvalidInput, {"3"});
}

TEST(ToyLayoutGuess, TopStuffFarAndNearGroundByHeightAndNoThings)
{
    using invseg::toy::ClassId;
    const int sky = int(ClassId::Sky), grass = int(ClassId::Grass), water = int(ClassId::Water),
              road = int(ClassId::Road), ball = int(ClassId::Ball);
    auto rowLabel = [](const LabelMap& m, int y) { return int(m.labels[size_t(y) * size_t(m.width)]); };
    // Sky, two grounds and a thing: sky to 45 %, the far ground (water before road) to 70 %, the near one below.
    auto m = invseg::toyLayoutGuess(10, 100, {sky, road, water, ball});
    ASSERT_EQ(m.labels.size(), 1000u);
    EXPECT_EQ(rowLabel(m, 0), sky);
    EXPECT_EQ(rowLabel(m, 44), sky);
    EXPECT_EQ(rowLabel(m, 45), water);
    EXPECT_EQ(rowLabel(m, 69), water);
    EXPECT_EQ(rowLabel(m, 70), road);
    EXPECT_EQ(rowLabel(m, 99), road);
    for (uint8_t l : m.labels)
        EXPECT_NE(int(l), ball);
    // One ground fills both bands; no top stuff: the grounds start at the top; no ground: the top stuff fills all.
    m = invseg::toyLayoutGuess(4, 20, {sky, grass});
    EXPECT_EQ(rowLabel(m, 10), grass);
    EXPECT_EQ(rowLabel(m, 19), grass);
    m = invseg::toyLayoutGuess(4, 20, {grass, road});
    EXPECT_EQ(rowLabel(m, 0), grass);
    EXPECT_EQ(rowLabel(m, 19), road);
    m = invseg::toyLayoutGuess(4, 20, {sky, ball});
    EXPECT_EQ(rowLabel(m, 19), sky);
}
