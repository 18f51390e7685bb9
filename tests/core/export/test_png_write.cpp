// Tests of PNG writing (libpng), the VOC palette, and atomic writes: what we write reads back exactly, with our
// reader and (when built in) OpenCV's, and a failed write leaves nothing behind.
#include "export_test_support.h"

#include "image/png.h"
#include "invseg/error.h"
#include "invseg/image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <set>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

// OpenCV decodes what we write, as an independent check, when the build gives this test its headers (the media
// library may link OpenCV privately).
#if defined(INVSEG_HAVE_OPENCV) && defined(__has_include)
#if __has_include(<opencv2/imgcodecs.hpp>)
#include <opencv2/imgcodecs.hpp>
#define INVSEG_TEST_WITH_OPENCV_CHECK 1
#endif
#endif

using invseg::ErrorKind;
using invseg::Image;
using invseg::LabelMap;
using invseg::test::expectError;
using invseg::test::readBytes;
using invseg::test::TempDir;

namespace {

using Rgb = std::array<uint8_t, 3>;

uint32_t be32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

/// The chunk types of a PNG file in order, with their lengths.
std::vector<std::pair<std::string, uint32_t>> chunkList(const std::vector<uint8_t>& png)
{
    std::vector<std::pair<std::string, uint32_t>> out;
    size_t pos = 8;
    while (pos + 12 <= png.size()) {
        const uint32_t len = be32(png.data() + pos);
        out.emplace_back(std::string(reinterpret_cast<const char*>(png.data() + pos + 4), 4), len);
        pos += 12 + size_t(len);
    }
    return out;
}

/// A map with every label 0..20, a band of 255 (ignore) and irregular edges.
LabelMap sampleLabels(int w, int h)
{
    LabelMap m{w, h, std::vector<uint8_t>(size_t(w) * size_t(h))};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            m.labels[size_t(y) * size_t(w) + size_t(x)] = (y == h / 2) ? 255 : uint8_t((x / 3 + y * 7 + x * y) % 21);
    return m;
}

/// A smooth gradient plus noise, so the encoder's row filters get exercised.
Image sampleImage(int w, int h, uint32_t seed)
{
    std::mt19937 rng(seed);
    Image img{w, h, std::vector<uint8_t>(size_t(w) * size_t(h) * 3)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t* p = img.rgb.data() + (size_t(y) * size_t(w) + size_t(x)) * 3;
            p[0] = uint8_t(x * 255 / std::max(1, w - 1));
            p[1] = uint8_t(y * 255 / std::max(1, h - 1));
            p[2] = uint8_t(rng() & 0x3f) + uint8_t((x + y) & 0x80);
        }
    return img;
}

} // namespace

TEST(VocPalette, KnownColours)
{
    // The VOC devkit's colour map: bit-interleaving of the index into the high bits of R, G and B.
    EXPECT_EQ(invseg::vocColor(0), (Rgb{0, 0, 0}));         // background
    EXPECT_EQ(invseg::vocColor(1), (Rgb{128, 0, 0}));       // aeroplane
    EXPECT_EQ(invseg::vocColor(2), (Rgb{0, 128, 0}));       // bicycle
    EXPECT_EQ(invseg::vocColor(3), (Rgb{128, 128, 0}));     // bird
    EXPECT_EQ(invseg::vocColor(4), (Rgb{0, 0, 128}));       // boat
    EXPECT_EQ(invseg::vocColor(7), (Rgb{128, 128, 128}));   // car
    EXPECT_EQ(invseg::vocColor(8), (Rgb{64, 0, 0}));        // cat
    EXPECT_EQ(invseg::vocColor(12), (Rgb{64, 0, 128}));     // dog
    EXPECT_EQ(invseg::vocColor(15), (Rgb{192, 128, 128}));  // person
    EXPECT_EQ(invseg::vocColor(20), (Rgb{0, 64, 128}));     // tvmonitor
    EXPECT_EQ(invseg::vocColor(255), (Rgb{224, 224, 192})); // void / ignore
}

TEST(VocPalette, HasAllDistinctColoursAndRejectsOutOfRange)
{
    const auto& pal = invseg::vocPalette();
    ASSERT_EQ(pal.size(), 256u);
    EXPECT_EQ(std::set<Rgb>(pal.begin(), pal.end()).size(), 256u);
    for (int i = 0; i < 256; ++i)
        EXPECT_EQ(invseg::vocColor(i), pal[size_t(i)]);
    expectError([] { invseg::vocColor(256); }, ErrorKind::InvalidInput, {"256"});
    expectError([] { invseg::vocColor(-1); }, ErrorKind::InvalidInput, {"-1"});
}

TEST(IndexedPng, RoundTripKeepsIndicesAndWritesATruePalettePng)
{
    TempDir dir;
    const LabelMap labels = sampleLabels(37, 23);
    const std::string path = dir.file("labels.png");
    invseg::saveIndexedPng(path, labels, invseg::vocPalette());

    const auto bytes = readBytes(path);
    ASSERT_GT(bytes.size(), 33u);
    EXPECT_EQ(be32(bytes.data() + 16), 37u);
    EXPECT_EQ(be32(bytes.data() + 20), 23u);
    EXPECT_EQ(bytes[24], 8) << "bit depth";
    EXPECT_EQ(bytes[25], 3) << "colour type (palette)";
    const auto chunks = chunkList(bytes);
    ASSERT_GE(chunks.size(), 4u);
    EXPECT_EQ(chunks[0].first, "IHDR");
    EXPECT_EQ(chunks[1], (std::pair<std::string, uint32_t>{"PLTE", 256 * 3}));
    EXPECT_EQ(chunks.back().first, "IEND");
    // PLTE body starts at 8 + 25 + 8: entry 15 is person's colour.
    EXPECT_EQ(bytes[41 + 45], 192);
    EXPECT_EQ(bytes[41 + 46], 128);
    EXPECT_EQ(bytes[41 + 47], 128);

    const LabelMap back = invseg::loadLabelMap(path);
    EXPECT_EQ(back.width, 37);
    EXPECT_EQ(back.height, 23);
    EXPECT_EQ(back.labels, labels.labels);

#ifdef INVSEG_TEST_WITH_OPENCV_CHECK
    // OpenCV expands the palette to colours: each pixel must show its label's VOC colour (BGR).
    const cv::Mat m = cv::imread(path, cv::IMREAD_COLOR);
    ASSERT_FALSE(m.empty());
    ASSERT_EQ(m.cols, 37);
    ASSERT_EQ(m.rows, 23);
    for (int y = 0; y < m.rows; ++y)
        for (int x = 0; x < m.cols; ++x) {
            const cv::Vec3b bgr = m.at<cv::Vec3b>(y, x);
            const Rgb want = invseg::vocColor(labels.labels[size_t(y) * 37 + size_t(x)]);
            ASSERT_EQ((Rgb{bgr[2], bgr[1], bgr[0]}), want) << "at " << x << "," << y;
        }
#endif
}

TEST(IndexedPng, SmallPaletteAndBadInputs)
{
    TempDir dir;
    LabelMap two{3, 2, {0, 1, 1, 0, 1, 0}};
    const std::vector<Rgb> pal{{0, 0, 0}, {255, 255, 255}};
    invseg::saveIndexedPng(dir.file("two.png"), two, pal);
    const auto chunks = chunkList(readBytes(dir.file("two.png")));
    ASSERT_GE(chunks.size(), 2u);
    EXPECT_EQ(chunks[1], (std::pair<std::string, uint32_t>{"PLTE", 6}));
    EXPECT_EQ(invseg::loadLabelMap(dir.file("two.png")).labels, two.labels);

    LabelMap beyond{2, 1, {0, 2}};
    expectError([&] { invseg::saveIndexedPng(dir.file("beyond.png"), beyond, pal); }, ErrorKind::InvalidInput,
                {"beyond.png", "label 2", "(1,0)"});
    expectError([&] { invseg::saveIndexedPng(dir.file("empty.png"), LabelMap{}, pal); }, ErrorKind::InvalidInput,
                {"empty.png", "empty"});
    expectError([&] { invseg::saveIndexedPng(dir.file("nopal.png"), two, {}); }, ErrorKind::InvalidInput,
                {"nopal.png", "1 to 256"});
    LabelMap shortBuffer{4, 4, {0, 1}};
    expectError([&] { invseg::saveIndexedPng(dir.file("short.png"), shortBuffer, pal); }, ErrorKind::InvalidInput,
                {"short.png", "2 bytes"});
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"two.png"});
}

TEST(RgbPng, RoundTripIsExact)
{
    TempDir dir;
    for (const auto& [w, h] : std::vector<std::pair<int, int>>{{1, 1}, {64, 48}, {301, 7}}) {
        const Image img = sampleImage(w, h, uint32_t(w * 1000 + h));
        const std::string path = dir.file("rgb_" + std::to_string(w) + ".png");
        invseg::saveRgbPng(path, img);
        const auto bytes = readBytes(path);
        EXPECT_EQ(bytes[24], 8);
        EXPECT_EQ(bytes[25], 2) << "colour type RGB";
        const Image back = invseg::loadImage(path);
        ASSERT_EQ(back.width, w);
        ASSERT_EQ(back.height, h);
        EXPECT_EQ(back.rgb, img.rgb);
#ifdef INVSEG_TEST_WITH_OPENCV_CHECK
        const cv::Mat m = cv::imread(path, cv::IMREAD_UNCHANGED);
        ASSERT_EQ(m.type(), CV_8UC3);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const cv::Vec3b bgr = m.at<cv::Vec3b>(y, x);
                const uint8_t* p = img.rgb.data() + (size_t(y) * size_t(w) + size_t(x)) * 3;
                ASSERT_EQ((Rgb{bgr[2], bgr[1], bgr[0]}), (Rgb{p[0], p[1], p[2]})) << "at " << x << "," << y;
            }
#endif
    }
}

TEST(RgbPng, RejectsInconsistentImages)
{
    TempDir dir;
    expectError([&] { invseg::saveRgbPng(dir.file("a.png"), Image{}); }, ErrorKind::InvalidInput, {"a.png", "empty"});
    expectError(
        [&] {
            invseg::saveRgbPng(dir.file("b.png"), Image{2, 2, std::vector<uint8_t>(11)});
        },
        ErrorKind::InvalidInput, {"b.png", "11 bytes", "needs 12"});
    EXPECT_TRUE(dir.entries().empty());
}

TEST(AtomicWrite, MissingFolderLeavesNothingAndNamesThePath)
{
    TempDir dir;
    const std::string path = dir.file("no_such_folder/out.png");
    expectError([&] { invseg::saveRgbPng(path, sampleImage(4, 4, 1)); }, ErrorKind::Io, {path});
    EXPECT_TRUE(dir.entries().empty());
}

TEST(AtomicWrite, FailedRenameRemovesTheTemporaryFile)
{
    // The target is a folder: the temporary file is written, the rename fails, and the temporary must go.
    TempDir dir;
    const std::string path = dir.file("taken");
    ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
    expectError([&] { invseg::saveIndexedPng(path, sampleLabels(5, 5), invseg::vocPalette()); }, ErrorKind::Io, {path});
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"taken"});
}

TEST(AtomicWrite, ReadOnlyFolderLeavesNothing)
{
    // As root the write is tried by a child dropped to "nobody", for whom the folder is read-only.
    TempDir dir;
    ASSERT_EQ(::chmod(dir.path().c_str(), 0555), 0);
    const std::string path = dir.file("out.png");
    const int code = invseg::test::runUnprivileged([&]() -> int {
        try {
            invseg::saveRgbPng(path, sampleImage(4, 4, 2));
            return 1;
        } catch (const invseg::Error& e) {
            return e.kind() == ErrorKind::Io && std::string(e.what()).find(path) != std::string::npos ? 0 : 2;
        } catch (...) {
            return 3;
        }
    });
    ::chmod(dir.path().c_str(), 0755);
    if (code == invseg::test::kCannotDropPrivileges)
        GTEST_SKIP() << "running as root and cannot drop privileges here";
    EXPECT_EQ(code, 0) << "1: the write succeeded; 2: not an Io error naming the file; 3: another exception";
    EXPECT_TRUE(dir.entries().empty());
}

TEST(AtomicWrite, ReplacesAnExistingFileWholly)
{
    TempDir dir;
    const std::string path = dir.file("out.png");
    invseg::saveRgbPng(path, sampleImage(50, 50, 3));
    invseg::saveRgbPng(path, sampleImage(3, 2, 4));
    EXPECT_EQ(invseg::loadImage(path).rgb, sampleImage(3, 2, 4).rgb);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.png"});
}
