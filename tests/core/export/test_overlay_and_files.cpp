// Overlay and heat-map pixel values, the VOC export (PNG + class list) and atomic JSON writes.
#include "export_test_support.h"

#include "invseg/error.h"
#include "invseg/exports.h"
#include "invseg/image.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using invseg::ErrorKind;
using invseg::Image;
using invseg::LabelMap;
using invseg::test::expectError;
using invseg::test::readText;
using invseg::test::TempDir;
using invseg::test::writeText;

namespace {

using Rgb = std::array<uint8_t, 3>;

Rgb pixel(const Image& img, int i)
{
    return {img.rgb[size_t(3 * i)], img.rgb[size_t(3 * i + 1)], img.rgb[size_t(3 * i + 2)]};
}

} // namespace

TEST(Overlay, BlendsLabelColoursAndLeavesBackgroundAndIgnore)
{
    Image img{4, 1, {100, 50, 50, 100, 50, 50, 100, 50, 50, 100, 50, 50}};
    const LabelMap labels{4, 1, {0, 1, 15, 255}};
    const Image out = invseg::colorOverlay(img, labels, 0.5f);
    EXPECT_EQ(pixel(out, 0), (Rgb{100, 50, 50}));
    EXPECT_EQ(pixel(out, 1), (Rgb{114, 25, 25})); // 0.5·(100,50,50) + 0.5·(128,0,0)
    EXPECT_EQ(pixel(out, 2), (Rgb{146, 89, 89})); // 0.5·(100,50,50) + 0.5·(192,128,128)
    EXPECT_EQ(pixel(out, 3), (Rgb{100, 50, 50}));
    // alpha 0 keeps the image, alpha 1 paints the palette colour.
    EXPECT_EQ(invseg::colorOverlay(img, labels, 0.0f).rgb, img.rgb);
    EXPECT_EQ(pixel(invseg::colorOverlay(img, labels, 1.0f), 2), invseg::vocColor(15));
    // A smaller label map is stretched (nearest) over the image.
    const LabelMap half{2, 1, {0, 1}};
    const Image stretched = invseg::colorOverlay(img, half, 1.0f);
    EXPECT_EQ(pixel(stretched, 1), (Rgb{100, 50, 50}));
    EXPECT_EQ(pixel(stretched, 2), (Rgb{128, 0, 0}));
    EXPECT_EQ(pixel(stretched, 3), (Rgb{128, 0, 0}));
    expectError([&] { invseg::colorOverlay(img, labels, 1.5f); }, ErrorKind::InvalidInput, {"alpha"});
    expectError(
        [&] {
            invseg::colorOverlay(img, labels, 0.5f, {{0, 0, 0}, {1, 1, 1}});
        },
        ErrorKind::InvalidInput, {"label 15"});
    expectError([&] { invseg::colorOverlay(Image{}, labels, 0.5f); }, ErrorKind::InvalidInput, {"image"});
}

TEST(Heatmap, LooksUpMatplotlibEntries)
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float values[6] = {0.0f, 1.0f, 0.5f, -3.0f, nan, 2.0f};
    const Image v = invseg::heatmapImage(values, 3, 2, invseg::Colormap::Viridis);
    ASSERT_EQ(v.width, 3);
    ASSERT_EQ(v.height, 2);
    EXPECT_EQ(pixel(v, 0), (Rgb{68, 1, 84}));    // viridis(0) = (0.267, 0.005, 0.329)
    EXPECT_EQ(pixel(v, 1), (Rgb{253, 231, 37})); // viridis(1) = (0.993, 0.906, 0.144)
    EXPECT_EQ(pixel(v, 3), pixel(v, 0)) << "clamped below";
    EXPECT_EQ(pixel(v, 4), pixel(v, 0)) << "NaN counts as 0";
    EXPECT_EQ(pixel(v, 5), pixel(v, 1)) << "clamped above";
    const Image g = invseg::heatmapImage(values, 3, 2, invseg::Colormap::Gray);
    EXPECT_EQ(pixel(g, 2), (Rgb{128, 128, 128})); // ⌊256·0.5⌋
    EXPECT_EQ(pixel(g, 1), (Rgb{255, 255, 255}));
    const Image j = invseg::heatmapImage(values, 3, 2, invseg::Colormap::Jet);
    EXPECT_EQ(pixel(j, 0), (Rgb{0, 0, 128}));
    EXPECT_EQ(pixel(j, 1), (Rgb{128, 0, 0}));
    const Image m = invseg::heatmapImage(values, 3, 2, invseg::Colormap::Magma);
    EXPECT_EQ(pixel(m, 0), (Rgb{0, 0, 4}));
    EXPECT_EQ(pixel(m, 1), (Rgb{252, 253, 191}));
    expectError([&] { invseg::heatmapImage(nullptr, 3, 2); }, ErrorKind::InvalidInput, {"heatmapImage"});
    expectError([&] { invseg::heatmapImage(values, 0, 2); }, ErrorKind::InvalidInput, {"0x2"});
}

TEST(Heatmap, ColormapNames)
{
    for (auto c : {invseg::Colormap::Viridis, invseg::Colormap::Jet, invseg::Colormap::Magma, invseg::Colormap::Gray})
        EXPECT_EQ(invseg::colormapFromName(invseg::colormapName(c)), c);
    EXPECT_EQ(invseg::colormapFromName("grey"), invseg::Colormap::Gray);
    expectError([] { invseg::colormapFromName("rainbow"); }, ErrorKind::InvalidInput, {"rainbow", "viridis"});
}

TEST(VocExport, WritesPalettePngAndClassList)
{
    TempDir dir;
    const LabelMap m{3, 2, {0, 1, 2, 255, 2, 1}};
    invseg::writeVocPng(dir.file("cat.png"), m, {"background", "cat", "dog"});
    EXPECT_EQ(invseg::loadLabelMap(dir.file("cat.png")).labels, m.labels);
    EXPECT_EQ(invseg::loadImage(dir.file("cat.png")).rgb[3], 128) << "label 1 shows VOC red";
    EXPECT_EQ(readText(dir.file("cat.classes.txt")), "background\ncat\ndog\n");
    expectError(
        [&] {
            invseg::writeVocPng(dir.file("x.png"), m, {"background", "cat"});
        },
        ErrorKind::InvalidInput, {"x.png", "label 2"});
    expectError(
        [&] {
            invseg::writeVocPng(dir.file("y.png"), m, {"background", "c\nat", "dog"});
        },
        ErrorKind::InvalidInput, {"line break"});
    auto entries = dir.entries();
    std::sort(entries.begin(), entries.end());
    EXPECT_EQ(entries, (std::vector<std::string>{"cat.classes.txt", "cat.png"}));
}

TEST(VocExport, NoPngWithoutItsClassList)
{
    TempDir dir;
    // The class list's name is taken by a folder: its rename fails, and the PNG must not stay behind alone.
    std::filesystem::create_directory(dir.file("cat.classes.txt"));
    expectError(
        [&] {
            invseg::writeVocPng(dir.file("cat.png"), LabelMap{1, 1, {1}}, {"background", "cat"});
        },
        ErrorKind::Io, {dir.file("cat.classes.txt")});
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"cat.classes.txt"});
}

TEST(VocExport, ClassesFilePath)
{
    EXPECT_EQ(invseg::classesFilePath("out/cat.png"), "out/cat.classes.txt");
    EXPECT_EQ(invseg::classesFilePath("out/cat"), "out/cat.classes.txt");
    EXPECT_EQ(invseg::classesFilePath("out.d/cat"), "out.d/cat.classes.txt");
    EXPECT_EQ(invseg::classesFilePath("out/.png"), "out/.png.classes.txt");
}

TEST(JsonAtomic, WritesIndentedJsonWithNewline)
{
    TempDir dir;
    const std::string path = dir.file("a.json");
    invseg::writeJsonAtomic(path, nlohmann::json{{"miou", 63.4}, {"n", 2}});
    const std::string text = readText(path);
    EXPECT_EQ(text, "{\n  \"miou\": 63.4,\n  \"n\": 2\n}\n");
    EXPECT_EQ(nlohmann::json::parse(text)["n"], 2);
    // Replacing keeps one file and no temporaries.
    invseg::writeJsonAtomic(path, nlohmann::json::array());
    EXPECT_EQ(readText(path), "[]\n");
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"a.json"});
}

TEST(JsonAtomic, UnwritableFolderIsAnIoErrorAndLeavesNothing)
{
    // A "folder" that is a regular file cannot hold anything, even for root (which ignores permission bits).
    TempDir dir;
    writeText(dir.file("plain"), "x");
    const std::string path = dir.file("plain/out.json");
    expectError([&] { invseg::writeJsonAtomic(path, nlohmann::json::object()); }, ErrorKind::Io, {path});
    expectError(
        [&] {
            invseg::saveRgbPng(dir.file("plain/out.png"), Image{1, 1, {1, 2, 3}});
        },
        ErrorKind::Io, {dir.file("plain/out.png")});
    expectError(
        [&] {
            invseg::writeVocPng(dir.file("plain/v.png"), LabelMap{1, 1, {0}}, {"background"});
        },
        ErrorKind::Io, {dir.file("plain/v.png")});
    const std::string missing = dir.file("missing/out.json");
    expectError([&] { invseg::writeJsonAtomic(missing, nlohmann::json::object()); }, ErrorKind::Io, {missing});
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"plain"});
    // The target itself is a folder: the temporary is written, the rename fails and the temporary goes.
    const std::string taken = dir.file("taken.json");
    std::filesystem::create_directory(taken);
    expectError([&] { invseg::writeJsonAtomic(taken, nlohmann::json::object()); }, ErrorKind::Io, {taken});
    auto entries = dir.entries();
    std::sort(entries.begin(), entries.end());
    EXPECT_EQ(entries, (std::vector<std::string>{"plain", "taken.json"}));
    EXPECT_TRUE(std::filesystem::is_empty(taken));
}

TEST(JsonAtomic, ReadOnlyFolderEvenWhenTestsRunAsRoot)
{
    // Root ignores permission bits, so as root the write is tried in a child that drops to user "nobody" (65534).
    TempDir dir;
    ASSERT_EQ(::chmod(dir.path().c_str(), 0555), 0);
    const std::string json = dir.file("out.json");
    const std::string png = dir.file("out.png");
    auto attempt = [&]() -> int {
        // 0: both writes failed with Error(Io) naming their paths; anything else identifies what went wrong.
        try {
            invseg::writeJsonAtomic(json, nlohmann::json::object());
            return 1;
        } catch (const invseg::Error& e) {
            if (e.kind() != ErrorKind::Io || std::string(e.what()).find(json) == std::string::npos)
                return 2;
        }
        try {
            invseg::saveRgbPng(png, Image{1, 1, {1, 2, 3}});
            return 3;
        } catch (const invseg::Error& e) {
            if (e.kind() != ErrorKind::Io || std::string(e.what()).find(png) == std::string::npos)
                return 4;
        }
        return 0;
    };
    const int code = invseg::test::runUnprivileged(attempt);
    ::chmod(dir.path().c_str(), 0755);
    if (code == invseg::test::kCannotDropPrivileges)
        GTEST_SKIP() << "cannot drop privileges here";
    EXPECT_EQ(code, 0) << "1/3: a write succeeded; 2/4: wrong error kind or message";
    EXPECT_TRUE(dir.entries().empty());
}
