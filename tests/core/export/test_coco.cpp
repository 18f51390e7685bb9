// COCO RLE against values worked out by hand with pycocotools' algorithm (column-major runs, rleToString's delta and
// 5-bit coding, rleToBbox), and the structure of toCoco's dataset.
#include "export_test_support.h"

#include "invseg/error.h"
#include "invseg/exports.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>

using invseg::ErrorKind;
using invseg::LabelMap;
using invseg::test::expectError;
using Counts = std::vector<uint32_t>;
using Box = std::array<double, 4>;

TEST(CocoRle, ThreeByThreeMaskByHand)
{
    // Row-major         column-major scan: 0 1 0 | 1 1 0 | 0 0 1
    //   0 1 0           runs: bg 1, fg 1, bg 1, fg 2, bg 3, fg 1
    //   1 1 0           string: 1,1,1 as is; then 2-1 = 1, 3-1 = 2, 1-2 = -1 → 31 → 'O'
    //   0 0 1
    const uint8_t mask[9] = {0, 1, 0, 1, 1, 0, 0, 0, 1};
    EXPECT_EQ(invseg::cocoRleCounts(mask, 3, 3), (Counts{1, 1, 1, 2, 3, 1}));
    EXPECT_EQ(invseg::cocoRleEncode(mask, 3, 3), "11112O");
    EXPECT_EQ(invseg::cocoRleFromString("11112O"), (Counts{1, 1, 1, 2, 3, 1}));
    EXPECT_EQ(invseg::cocoRleArea(Counts{1, 1, 1, 2, 3, 1}), 4u);
    EXPECT_EQ(invseg::cocoRleBbox(Counts{1, 1, 1, 2, 3, 1}, 3, 3), (Box{0, 0, 3, 3}));
}

TEST(CocoRle, NonSquareMaskAreaAndBbox)
{
    // h = 4, w = 5, foreground rows 1-2 of columns 2-3. Column-major: 8 + 1 bg, 2 fg, 2 bg, 2 fg, 1 + 4 bg.
    std::vector<uint8_t> mask(20, 0);
    for (int y = 1; y <= 2; ++y)
        for (int x = 2; x <= 3; ++x)
            mask[size_t(y) * 5 + size_t(x)] = 255; // any nonzero value is foreground
    const Counts counts = invseg::cocoRleCounts(mask.data(), 4, 5);
    EXPECT_EQ(counts, (Counts{9, 2, 2, 2, 5}));
    EXPECT_EQ(invseg::cocoRleToString(counts), "92203"); // 9, 2, 2, 2-2 = 0, 5-2 = 3
    EXPECT_EQ(invseg::cocoRleArea(counts), 4u);
    EXPECT_EQ(invseg::cocoRleBbox(counts, 4, 5), (Box{2, 1, 2, 2}));
}

TEST(CocoRle, AllZeroAllOnesAndForegroundFirst)
{
    // All zeros: one background run of 100 = 0b00011_00100 → groups 4 (+32 for more) and 3: 'T', '3'.
    const std::vector<uint8_t> zeros(100, 0);
    EXPECT_EQ(invseg::cocoRleCounts(zeros.data(), 10, 10), (Counts{100}));
    EXPECT_EQ(invseg::cocoRleEncode(zeros.data(), 10, 10), "T3");
    EXPECT_EQ(invseg::cocoRleArea(Counts{100}), 0u);
    EXPECT_EQ(invseg::cocoRleBbox(Counts{100}, 10, 10), (Box{0, 0, 0, 0}));
    // All ones: an empty background run first.
    const std::vector<uint8_t> ones(6, 1);
    EXPECT_EQ(invseg::cocoRleCounts(ones.data(), 2, 3), (Counts{0, 6}));
    EXPECT_EQ(invseg::cocoRleEncode(ones.data(), 2, 3), "06");
    EXPECT_EQ(invseg::cocoRleArea(Counts{0, 6}), 6u);
    EXPECT_EQ(invseg::cocoRleBbox(Counts{0, 6}, 2, 3), (Box{0, 0, 3, 2}));
    // First pixel foreground, rest background: 0, 1, 3.
    const uint8_t first[4] = {1, 0, 0, 0};
    EXPECT_EQ(invseg::cocoRleCounts(first, 2, 2), (Counts{0, 1, 3}));
    EXPECT_EQ(invseg::cocoRleEncode(first, 2, 2), "013");
    EXPECT_EQ(invseg::cocoRleBbox(Counts{0, 1, 3}, 2, 2), (Box{0, 0, 1, 1}));
}

TEST(CocoRle, MultiCharacterAndNegativeDeltas)
{
    // 1, 40 (8 | 32 → 'X', then 1 → '1'), 1, 1 - 40 = -39 (low group 25 | 32 → 'i', then -2 & 31 = 30 → 'N').
    EXPECT_EQ(invseg::cocoRleToString(Counts{1, 40, 1, 1}), "1X11iN");
    EXPECT_EQ(invseg::cocoRleFromString("1X11iN"), (Counts{1, 40, 1, 1}));
    // A run that wraps into the next column makes the box span the full height (pycocotools' rule).
    // h = 3, w = 2: pixels (x=0, y=2) and (x=1, y=0) form one run in column-major order.
    EXPECT_EQ(invseg::cocoRleBbox(Counts{2, 2, 2}, 3, 2), (Box{0, 0, 2, 3}));
}

TEST(CocoRle, RandomMasksRoundTripThroughTheString)
{
    std::mt19937 rng(11);
    for (int trial = 0; trial < 50; ++trial) {
        const int h = 1 + int(rng() % 40), w = 1 + int(rng() % 40);
        std::vector<uint8_t> mask(size_t(h) * size_t(w));
        const uint32_t density = rng() % 100;
        for (auto& m : mask)
            m = (rng() % 100) < density ? 1 : 0;
        const Counts counts = invseg::cocoRleCounts(mask.data(), h, w);
        uint64_t total = 0, fg = 0;
        for (size_t i = 0; i < counts.size(); ++i)
            total += counts[i];
        for (uint8_t m : mask)
            fg += m;
        EXPECT_EQ(total, uint64_t(h) * uint64_t(w));
        EXPECT_EQ(invseg::cocoRleArea(counts), fg);
        EXPECT_EQ(invseg::cocoRleFromString(invseg::cocoRleToString(counts)), counts);
    }
}

TEST(CocoRle, BadStringsAndMasks)
{
    expectError([] { invseg::cocoRleFromString("12~"); }, ErrorKind::Format, {"'~'", "offset 2"});
    expectError([] { invseg::cocoRleFromString("1X"); }, ErrorKind::Format, {"ends inside a value"});
    const uint8_t one = 1;
    expectError([&] { invseg::cocoRleCounts(&one, 0, 1); }, ErrorKind::InvalidInput, {"empty"});
    expectError([&] { invseg::cocoRleCounts(nullptr, 1, 1); }, ErrorKind::InvalidInput, {"null"});
}

TEST(CocoExport, DatasetStructurePerClassAndPerComponent)
{
    // Image 1 (4x3): class 1 in two separate blobs, class 2 once, one ignore pixel. Image 2: only background.
    const LabelMap a{4,
                     3,
                     {1, 0, 0, 2, //
                      0, 0, 0, 2, //
                      255, 0, 1, 1}};
    const LabelMap b{2, 2, {0, 0, 0, 0}};
    const std::vector<std::string> names{"background", "cat", "dog"};
    const nlohmann::json j = invseg::toCoco({{"a.jpg", &a}, {"b.jpg", &b}}, names);

    ASSERT_TRUE(j.contains("images") && j.contains("annotations") && j.contains("categories"));
    ASSERT_EQ(j["images"].size(), 2u);
    EXPECT_EQ(j["images"][0], (nlohmann::json{{"id", 1}, {"file_name", "a.jpg"}, {"width", 4}, {"height", 3}}));
    EXPECT_EQ(j["images"][1]["id"], 2);
    ASSERT_EQ(j["categories"].size(), 2u);
    EXPECT_EQ(j["categories"][0], (nlohmann::json{{"id", 1}, {"name", "cat"}, {"supercategory", ""}}));
    EXPECT_EQ(j["categories"][1]["name"], "dog");

    const auto& ann = j["annotations"];
    ASSERT_EQ(ann.size(), 2u) << ann.dump();
    // cat: column-major 1 0 255→bg | 0 0 0 | 0 0 1 | 0 0 1 → counts 0 1 7 1 2 1 → area 3, box x 0..3, y 0..2.
    EXPECT_EQ(ann[0]["id"], 1);
    EXPECT_EQ(ann[0]["image_id"], 1);
    EXPECT_EQ(ann[0]["category_id"], 1);
    EXPECT_EQ(ann[0]["iscrowd"], 0);
    EXPECT_EQ(ann[0]["segmentation"]["size"], (nlohmann::json{3, 4}));
    EXPECT_EQ(ann[0]["segmentation"]["counts"], invseg::cocoRleToString(Counts{0, 1, 7, 1, 2, 1}));
    EXPECT_EQ(ann[0]["area"], 3);
    EXPECT_EQ(ann[0]["bbox"], (nlohmann::json{0.0, 0.0, 4.0, 3.0}));
    // dog: column 3, rows 0-1 → counts 9 2 1, box [3, 0, 1, 2].
    EXPECT_EQ(ann[1]["category_id"], 2);
    EXPECT_EQ(ann[1]["segmentation"]["counts"], invseg::cocoRleToString(Counts{9, 2, 1}));
    EXPECT_EQ(ann[1]["area"], 2);
    EXPECT_EQ(ann[1]["bbox"], (nlohmann::json{3.0, 0.0, 1.0, 2.0}));

    // Per component: the two cat blobs become two annotations, in raster order of their first pixels.
    const nlohmann::json k = invseg::toCoco({{"a.jpg", &a}}, names, invseg::CocoGrouping::PerComponent);
    const auto& parts = k["annotations"];
    ASSERT_EQ(parts.size(), 3u) << parts.dump();
    EXPECT_EQ(parts[0]["category_id"], 1);
    EXPECT_EQ(parts[0]["area"], 1);
    EXPECT_EQ(parts[0]["bbox"], (nlohmann::json{0.0, 0.0, 1.0, 1.0}));
    EXPECT_EQ(parts[1]["category_id"], 2);
    EXPECT_EQ(parts[2]["category_id"], 1);
    EXPECT_EQ(parts[2]["area"], 2);
    EXPECT_EQ(parts[2]["bbox"], (nlohmann::json{2.0, 2.0, 2.0, 1.0}));
    for (size_t i = 0; i < parts.size(); ++i)
        EXPECT_EQ(parts[i]["id"], int(i) + 1);
}

TEST(CocoExport, ClassEndingAtTheBottomOfAColumnBeforeEmptyColumns)
{
    // Found by the pycocotools peer test: a class whose last pixel in scan order is the bottom pixel of a column,
    // with columns after it, had those columns counted as foreground. Row-major 3x2:
    //   0 0 0        cat, column-major: 0 1 | 0 0 | 0 0 → counts 1 1 4 (area 1), not 1 5
    //   1 0 0
    const LabelMap a{3, 2, {0, 0, 0, 1, 0, 0}};
    const nlohmann::json j = invseg::toCoco({{"a.png", &a}}, {"background", "cat"});
    ASSERT_EQ(j["annotations"].size(), 1u);
    EXPECT_EQ(j["annotations"][0]["segmentation"]["counts"], invseg::cocoRleToString(Counts{1, 1, 4}));
    EXPECT_EQ(j["annotations"][0]["area"], 1);
    EXPECT_EQ(j["annotations"][0]["bbox"], (nlohmann::json{0.0, 1.0, 1.0, 1.0}));
    // The same class reaching the last column keeps ending with its foreground run (no trailing 0), as pycocotools.
    const LabelMap b{3, 2, {0, 0, 0, 0, 0, 1}};
    const nlohmann::json k = invseg::toCoco({{"b.png", &b}}, {"background", "cat"});
    EXPECT_EQ(k["annotations"][0]["segmentation"]["counts"], invseg::cocoRleToString(Counts{5, 1}));
}

TEST(CocoExport, RejectsBadInput)
{
    const LabelMap a{2, 1, {0, 3}};
    expectError(
        [&] {
            invseg::toCoco({{"a.jpg", &a}}, {"background", "cat"});
        },
        ErrorKind::InvalidInput, {"a.jpg", "label 3"});
    expectError(
        [&] {
            invseg::toCoco({{"a.jpg", nullptr}}, {"background", "cat"});
        },
        ErrorKind::InvalidInput, {"a.jpg"});
    expectError([&] { invseg::toCoco({{"a.jpg", &a}}, {"background"}); }, ErrorKind::InvalidInput, {"1 names"});
}
