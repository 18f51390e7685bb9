// Tests of image and label-map loading: every fixture decodes to the pixels its formula gives, every kind of bad
// input is refused with the documented error kind and a message naming the file, oversized headers are refused
// before decoding.
#include "export/export_test_support.h"
#include "image/png_builder.h"

#include "invseg/error.h"
#include "invseg/image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

using invseg::ErrorKind;
using invseg::Image;
using invseg::LabelMap;
using invseg::test::expectError;
using invseg::test::fixture;
using invseg::test::makePng;
using invseg::test::readBytes;
using invseg::test::TempDir;
using invseg::test::writeBytes;
using invseg::test::writeText;

namespace {

using Rgb = std::array<uint8_t, 3>;

Rgb pixel(const Image& img, int x, int y)
{
    const uint8_t* p = img.rgb.data() + (size_t(y) * size_t(img.width) + size_t(x)) * 3;
    return {p[0], p[1], p[2]};
}

/// make_fixtures.py's pattern: (x*19 % 256, y*23 % 256, (x*y*7 + 3) % 256), 13x11.
Rgb pattern(int x, int y)
{
    return {uint8_t(x * 19 % 256), uint8_t(y * 23 % 256), uint8_t((x * y * 7 + 3) % 256)};
}

void expectPattern(const std::string& name)
{
    SCOPED_TRACE(name);
    const Image img = invseg::loadImage(fixture(name));
    ASSERT_EQ(img.width, 13);
    ASSERT_EQ(img.height, 11);
    ASSERT_EQ(img.rgb.size(), 13u * 11u * 3u);
    for (int y = 0; y < 11; ++y)
        for (int x = 0; x < 13; ++x)
            ASSERT_EQ(pixel(img, x, y), pattern(x, y)) << "at " << x << "," << y;
}

/// A 1x1 8-bit RGB PNG whose IHDR claims width x height (the IDAT would not match; it must never be reached).
std::vector<uint8_t> pngClaiming(uint32_t width, uint32_t height)
{
    std::vector<uint8_t> out = invseg::test::pngSignature();
    invseg::test::putChunk(out, "IHDR", invseg::test::ihdrBody(width, height, 8, 2));
    const std::vector<uint8_t> raw{0, 1, 2, 3};
    invseg::test::putChunk(out, "IDAT", invseg::test::zlibCompress(raw.data(), raw.size()));
    invseg::test::putChunk(out, "IEND", {});
    return out;
}

} // namespace

// ---- Decoding what the fixtures hold ------------------------------------------------------------------------------

TEST(LoadImage, LosslessPatternFixturesDecodeExactly)
{
    expectPattern("pattern.ppm");
    expectPattern("pattern.png");
    expectPattern("pattern_adam7.png");
#ifdef INVSEG_HAVE_OPENCV
    expectPattern("pattern.bmp");
    expectPattern("pattern.tif");
    expectPattern("pattern_lossless.webp");
#endif
}

TEST(LoadImage, GrayscaleIsReplicatedToRgb)
{
    const Image g8 = invseg::loadImage(fixture("gray8.png"));
    ASSERT_EQ(g8.width, 8);
    ASSERT_EQ(g8.height, 2);
    for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 8; ++x) {
            const uint8_t v = uint8_t((x + 8 * y) * 16 + 7);
            EXPECT_EQ(pixel(g8, x, y), (Rgb{v, v, v})) << x << "," << y;
        }
    const Image g1 = invseg::loadImage(fixture("gray1.png"));
    ASSERT_EQ(g1.width, 8);
    const int bits[8] = {1, 0, 1, 1, 0, 0, 1, 0};
    for (int x = 0; x < 8; ++x)
        EXPECT_EQ(pixel(g1, x, 0)[0], bits[x] ? 255 : 0) << x;
}

TEST(LoadImage, SixteenBitSamplesAreScaledWithRounding)
{
    // 0, 65535, 25700, 1000, 32768 → round(v·255/65535) = 0, 255, 100, 4 (3.89), 128 (127.50).
    const Image g16 = invseg::loadImage(fixture("gray16.png"));
    ASSERT_EQ(g16.width, 5);
    const uint8_t want[5] = {0, 255, 100, 4, 128};
    for (int x = 0; x < 5; ++x)
        EXPECT_EQ(pixel(g16, x, 0), (Rgb{want[x], want[x], want[x]})) << x;
    // 16-bit RGBA: opaque red, then fully transparent blue → white.
    const Image rgba16 = invseg::loadImage(fixture("rgba16.png"));
    ASSERT_EQ(rgba16.width, 2);
    EXPECT_EQ(pixel(rgba16, 0, 0), (Rgb{255, 0, 0}));
    EXPECT_EQ(pixel(rgba16, 1, 0), (Rgb{255, 255, 255}));
}

TEST(LoadImage, AlphaIsCompositedOverWhite)
{
    const Image rgba = invseg::loadImage(fixture("rgba.png"));
    ASSERT_EQ(rgba.width, 3);
    EXPECT_EQ(pixel(rgba, 0, 0), (Rgb{255, 255, 255})) << "transparent red";
    EXPECT_EQ(pixel(rgba, 1, 0), (Rgb{0, 0, 255})) << "opaque blue";
    EXPECT_EQ(pixel(rgba, 2, 0), (Rgb{127, 127, 127})) << "black at alpha 128: 255·127/255";
    const Image ga = invseg::loadImage(fixture("gray_alpha.png"));
    EXPECT_EQ(pixel(ga, 0, 0), (Rgb{100, 100, 100}));
    EXPECT_EQ(pixel(ga, 1, 0), (Rgb{255, 255, 255}));
}

TEST(LoadImage, PalettePngIsExpandedWithItsTransparency)
{
    const Image p = invseg::loadImage(fixture("palette_trns.png"));
    ASSERT_EQ(p.width, 3);
    EXPECT_EQ(pixel(p, 0, 0), (Rgb{255, 0, 0}));
    EXPECT_EQ(pixel(p, 1, 0), (Rgb{255, 255, 255})) << "green with alpha 0";
    EXPECT_EQ(pixel(p, 2, 0), (Rgb{0, 0, 255}));
    // A VOC ground truth loaded as an image shows the VOC colours.
    const Image voc = invseg::loadImage(fixture("voc_labels.png"));
    ASSERT_EQ(voc.width, 6);
    EXPECT_EQ(pixel(voc, 4, 0), invseg::vocColor(15));
    EXPECT_EQ(pixel(voc, 5, 1), invseg::vocColor(255));
}

TEST(LoadImage, RgbColorKeyMakesThatColourWhite)
{
    // tRNS on an RGB image: exactly (10, 20, 30) is transparent; (10, 20, 31) is not.
    const auto png = makePng(2, 1, 8, 2, {{10, 20, 30, 10, 20, 31}}, {{"tRNS", {0, 10, 0, 20, 0, 30}}});
    TempDir dir;
    writeBytes(dir.file("key.png"), png);
    const Image img = invseg::loadImage(dir.file("key.png"));
    EXPECT_EQ(pixel(img, 0, 0), (Rgb{255, 255, 255}));
    EXPECT_EQ(pixel(img, 1, 0), (Rgb{10, 20, 31}));
}

#ifdef INVSEG_HAVE_OPENCV
TEST(LoadImage, JpegAndCmykJpegDecodeNearTheirColour)
{
    const Image rgb = invseg::loadImage(fixture("rgb.jpg"));
    ASSERT_EQ(rgb.width, 16);
    ASSERT_EQ(rgb.height, 8);
    const Rgb c = pixel(rgb, 7, 3);
    EXPECT_NEAR(c[0], 200, 4);
    EXPECT_NEAR(c[1], 40, 4);
    EXPECT_NEAR(c[2], 60, 4);
    const Image cmyk = invseg::loadImage(fixture("cmyk.jpg"));
    ASSERT_EQ(cmyk.width, 16);
    const Rgb r = pixel(cmyk, 7, 3);
    EXPECT_GT(r[0], 230) << "pure red expected";
    EXPECT_LT(r[1], 25);
    EXPECT_LT(r[2], 25);
}
#endif

TEST(ProbeImage, ReadsSizesWithoutDecoding)
{
    const auto png = invseg::probeImage(fixture("pattern.png"));
    EXPECT_EQ(png.format, "png");
    EXPECT_EQ(png.width, 13);
    EXPECT_EQ(png.height, 11);
    const auto jpg = invseg::probeImage(fixture("rgb.jpg"));
    EXPECT_EQ(jpg.format, "jpeg");
    EXPECT_EQ(jpg.width, 16);
    EXPECT_EQ(jpg.height, 8);
    for (const auto& [name, format] :
         std::vector<std::pair<std::string, std::string>>{{"pattern.bmp", "bmp"},
                                                          {"pattern.tif", "tiff"},
                                                          {"pattern_lossless.webp", "webp"},
                                                          {"pattern.ppm", "pnm"}}) {
        const auto info = invseg::probeImage(fixture(name));
        EXPECT_EQ(info.format, format) << name;
        EXPECT_EQ(info.width, 13) << name;
        EXPECT_EQ(info.height, 11) << name;
    }
    // A header claiming 4 gigapixels is only read, not refused: probing has no limit.
    TempDir dir;
    writeBytes(dir.file("huge.png"), pngClaiming(65536, 65536));
    const auto huge = invseg::probeImage(dir.file("huge.png"));
    EXPECT_EQ(huge.width, 65536);
    EXPECT_EQ(huge.height, 65536);
}

// ---- Bad input ------------------------------------------------------------------------------------------------

TEST(LoadImage, MissingFileAndFolderAreIoErrors)
{
    TempDir dir;
    const std::string missing = dir.file("nope.png");
    expectError([&] { invseg::loadImage(missing); }, ErrorKind::Io, {missing, "no such file"});
    expectError([&] { invseg::loadLabelMap(missing); }, ErrorKind::Io, {missing});
    expectError([&] { invseg::probeImage(missing); }, ErrorKind::Io, {missing});
    expectError([&] { invseg::loadImage(dir.path()); }, ErrorKind::Io, {dir.path(), "folder"});
    expectError([&] { invseg::loadLabelMap(dir.path()); }, ErrorKind::Io, {dir.path(), "folder"});
    expectError([&] { invseg::probeImage(dir.path()); }, ErrorKind::Io, {dir.path(), "folder"});
}

TEST(LoadImage, EmptyTextAndTruncatedFilesAreFormatErrors)
{
    TempDir dir;
    writeBytes(dir.file("empty.png"), {});
    expectError([&] { invseg::loadImage(dir.file("empty.png")); }, ErrorKind::Format, {"empty.png", "empty"});
    expectError([&] { invseg::loadLabelMap(dir.file("empty.png")); }, ErrorKind::Format, {"empty.png", "empty"});

    writeText(dir.file("notes.png"), "these are my notes, not a picture\n");
    expectError([&] { invseg::loadImage(dir.file("notes.png")); }, ErrorKind::Format, {"notes.png", "not an image"});
    expectError([&] { invseg::loadLabelMap(dir.file("notes.png")); }, ErrorKind::Format, {"notes.png", "not an image"});
    expectError([&] { invseg::probeImage(dir.file("notes.png")); }, ErrorKind::Format, {"notes.png", "not an image"});

    // Cut anywhere: inside the signature, inside IHDR, inside IDAT, just before IEND.
    const auto whole = readBytes(fixture("pattern.png"));
    for (size_t cut : {size_t(5), size_t(20), whole.size() / 2, whole.size() - 12, whole.size() - 1}) {
        SCOPED_TRACE(cut);
        writeBytes(dir.file("cut.png"), std::vector<uint8_t>(whole.begin(), whole.begin() + std::ptrdiff_t(cut)));
        expectError([&] { invseg::loadImage(dir.file("cut.png")); }, ErrorKind::Format, {"cut.png"});
        expectError([&] { invseg::loadLabelMap(dir.file("cut.png")); }, ErrorKind::Format, {"cut.png"});
    }
    writeBytes(dir.file("cut.png"), std::vector<uint8_t>(whole.begin(), whole.end() - 12));
    expectError([&] { invseg::loadImage(dir.file("cut.png")); }, ErrorKind::Format, {"cut.png", "truncated"});

#ifdef INVSEG_HAVE_OPENCV
    // A JPEG cut in its scan would decode as grey padding in libjpeg; here it is refused.
    const auto jpg = readBytes(fixture("rgb.jpg"));
    writeBytes(dir.file("cut.jpg"), std::vector<uint8_t>(jpg.begin(), jpg.end() - 40));
    expectError([&] { invseg::loadImage(dir.file("cut.jpg")); }, ErrorKind::Format, {"cut.jpg", "truncated"});
#endif
}

TEST(LoadImage, CorruptPngIsAFormatError)
{
    TempDir dir;
    auto bytes = readBytes(fixture("pattern.png"));
    bytes[40] ^= 0x55; // inside the first chunk after IHDR: its CRC no longer matches
    writeBytes(dir.file("crc.png"), bytes);
    expectError([&] { invseg::loadImage(dir.file("crc.png")); }, ErrorKind::Format, {"crc.png", "CRC"});

    // A row filter type that does not exist.
    std::vector<uint8_t> out = invseg::test::pngSignature();
    invseg::test::putChunk(out, "IHDR", invseg::test::ihdrBody(1, 1, 8, 0));
    const std::vector<uint8_t> raw{7, 42};
    invseg::test::putChunk(out, "IDAT", invseg::test::zlibCompress(raw.data(), raw.size()));
    invseg::test::putChunk(out, "IEND", {});
    writeBytes(dir.file("filter.png"), out);
    expectError([&] { invseg::loadImage(dir.file("filter.png")); }, ErrorKind::Format, {"filter.png", "filter"});

    // Image data one row short.
    writeBytes(dir.file("short.png"), makePng(2, 2, 8, 0, {{1, 2}}));
    expectError([&] { invseg::loadImage(dir.file("short.png")); }, ErrorKind::Format, {"short.png"});

    // A palette index beyond PLTE.
    writeBytes(dir.file("index.png"), makePng(2, 1, 8, 3, {{0, 5}}, {{"PLTE", {1, 2, 3, 4, 5, 6}}}));
    expectError([&] { invseg::loadImage(dir.file("index.png")); }, ErrorKind::Format, {"index.png", "palette index 5"});
}

TEST(LoadImage, HugeHeaderIsRefusedBeforeDecodingAndNamesTheLimit)
{
    TempDir dir;
    // 20000 x 20000 = 4e8 pixels in a 60-byte file: refused from IHDR, whatever follows.
    writeBytes(dir.file("huge.png"), pngClaiming(20000, 20000));
    expectError([&] { invseg::loadImage(dir.file("huge.png")); }, ErrorKind::Unsupported,
                {"huge.png", "20000x20000", "400000000 pixels", "limit of 100000000 pixels"});
    expectError([&] { invseg::loadLabelMap(dir.file("huge.png")); }, ErrorKind::Unsupported,
                {"huge.png", "limit of 100000000 pixels"});
    // The caller's own limit counts too: pattern.png is 13x11 = 143 pixels.
    expectError([&] { invseg::loadImage(fixture("pattern.png"), 100); }, ErrorKind::Unsupported,
                {"pattern.png", "143 pixels", "limit of 100 pixels"});
    EXPECT_NO_THROW(invseg::loadImage(fixture("pattern.png"), 143));
    // PPM header.
    writeText(dir.file("huge.ppm"), "P6\n30000 30000\n255\n\x01\x02\x03");
    expectError([&] { invseg::loadImage(dir.file("huge.ppm")); }, ErrorKind::Unsupported,
                {"huge.ppm", "30000x30000", "limit of 100000000 pixels"});
#ifdef INVSEG_HAVE_OPENCV
    // JPEG: patch the frame header of a real file to 60000 x 60000.
    auto jpg = readBytes(fixture("rgb.jpg"));
    bool patched = false;
    for (size_t i = 2; i + 9 < jpg.size() && !patched; ++i)
        if (jpg[i] == 0xff && (jpg[i + 1] == 0xc0 || jpg[i + 1] == 0xc2)) {
            jpg[i + 5] = 0xea; // height 0xea60 = 60000
            jpg[i + 6] = 0x60;
            jpg[i + 7] = 0xea;
            jpg[i + 8] = 0x60;
            patched = true;
        }
    ASSERT_TRUE(patched);
    writeBytes(dir.file("huge.jpg"), jpg);
    expectError([&] { invseg::loadImage(dir.file("huge.jpg")); }, ErrorKind::Unsupported,
                {"huge.jpg", "60000x60000", "over the limit of"});
    // BMP header: width and height at offsets 18 and 22.
    auto bmp = readBytes(fixture("pattern.bmp"));
    const uint32_t big = 50000;
    for (int k = 0; k < 4; ++k) {
        bmp[18 + size_t(k)] = uint8_t(big >> (8 * k));
        bmp[22 + size_t(k)] = uint8_t(big >> (8 * k));
    }
    writeBytes(dir.file("huge.bmp"), bmp);
    expectError([&] { invseg::loadImage(dir.file("huge.bmp")); }, ErrorKind::Unsupported,
                {"huge.bmp", "50000x50000", "limit of 100000000 pixels"});
#endif
}

TEST(LoadImage, ZeroSizeHeaderIsAFormatError)
{
    TempDir dir;
    writeBytes(dir.file("zero.png"), pngClaiming(0, 5));
    expectError([&] { invseg::loadImage(dir.file("zero.png")); }, ErrorKind::Format, {"zero.png", "0x5"});
}

// ---- Label maps -----------------------------------------------------------------------------------------------

TEST(LoadLabelMap, IndexedPngGivesIndicesNotColours)
{
    const std::vector<uint8_t> want{0,  0,  1,  1,  15,  15,  //
                                    0,  1,  1,  15, 15,  255, //
                                    2,  2,  0,  0,  255, 255, //
                                    20, 20, 20, 0,  0,   0};
    const LabelMap m = invseg::loadLabelMap(fixture("voc_labels.png"));
    ASSERT_EQ(m.width, 6);
    ASSERT_EQ(m.height, 4);
    EXPECT_EQ(m.labels, want);
    const LabelMap g = invseg::loadLabelMap(fixture("gray_labels.png"));
    ASSERT_EQ(g.width, 4);
    EXPECT_EQ(g.labels, (std::vector<uint8_t>{0, 1, 2, 3, 255, 3, 2, 1}));
}

TEST(LoadLabelMap, IndexedRoundTripThroughSaveIndexedPng)
{
    TempDir dir;
    LabelMap m{17, 9, {}};
    for (int i = 0; i < 17 * 9; ++i)
        m.labels.push_back(uint8_t(i % 7 == 0 ? 255 : i % 21));
    invseg::saveIndexedPng(dir.file("gt.png"), m, invseg::vocPalette());
    const LabelMap back = invseg::loadLabelMap(dir.file("gt.png"));
    EXPECT_EQ(back.width, 17);
    EXPECT_EQ(back.height, 9);
    EXPECT_EQ(back.labels, m.labels);
    // Sub-byte palette and gray depths: values as stored, not rescaled.
    writeBytes(dir.file("p4.png"), makePng(4, 1, 4, 3, {{0x01, 0x2f}}, {{"PLTE", std::vector<uint8_t>(16 * 3, 9)}}));
    EXPECT_EQ(invseg::loadLabelMap(dir.file("p4.png")).labels, (std::vector<uint8_t>{0, 1, 2, 15}));
    writeBytes(dir.file("g2.png"), makePng(4, 1, 2, 0, {{0x1b}}));
    EXPECT_EQ(invseg::loadLabelMap(dir.file("g2.png")).labels, (std::vector<uint8_t>{0, 1, 2, 3}));
}

TEST(LoadLabelMap, SixteenBitGrayAcceptedUpTo255)
{
    TempDir dir;
    writeBytes(dir.file("ok16.png"), makePng(3, 1, 16, 0, {invseg::test::be16Row({0, 7, 255})}));
    EXPECT_EQ(invseg::loadLabelMap(dir.file("ok16.png")).labels, (std::vector<uint8_t>{0, 7, 255}));
    writeBytes(dir.file("bad16.png"), makePng(3, 1, 16, 0, {invseg::test::be16Row({0, 256, 1})}));
    expectError([&] { invseg::loadLabelMap(dir.file("bad16.png")); }, ErrorKind::Format, {"bad16.png", "256", "(1,0)"});
}

TEST(LoadLabelMap, RgbAcceptedOnlyInVocColours)
{
    TempDir dir;
    Image img{3, 1, {}};
    for (int label : {0, 15, 255})
        for (uint8_t c : invseg::vocColor(label))
            img.rgb.push_back(c);
    invseg::saveRgbPng(dir.file("colours.png"), img);
    EXPECT_EQ(invseg::loadLabelMap(dir.file("colours.png")).labels, (std::vector<uint8_t>{0, 15, 255}));
    img.rgb[3] = 1; // (1, 128, 128) at (1, 0) is no VOC colour
    invseg::saveRgbPng(dir.file("odd.png"), img);
    expectError([&] { invseg::loadLabelMap(dir.file("odd.png")); }, ErrorKind::Format,
                {"odd.png", "(1,128,128)", "(1,0)", "VOC palette"});
    // 16-bit colour whose samples are not 8-bit values scaled by 257 is not a VOC colour either.
    writeBytes(dir.file("rgb16.png"), makePng(1, 1, 16, 2, {invseg::test::be16Row({128 * 257, 0, 0})}));
    EXPECT_EQ(invseg::loadLabelMap(dir.file("rgb16.png")).labels, (std::vector<uint8_t>{1}));
    writeBytes(dir.file("rgb16odd.png"), makePng(1, 1, 16, 2, {invseg::test::be16Row({128 * 257 + 3, 0, 0})}));
    expectError([&] { invseg::loadLabelMap(dir.file("rgb16odd.png")); }, ErrorKind::Format, {"rgb16odd.png"});
#ifdef INVSEG_HAVE_OPENCV
    expectError([&] { invseg::loadLabelMap(fixture("rgb.jpg")); }, ErrorKind::Unsupported, {"rgb.jpg", "jpeg"});
#endif
}

// ---- Resizing -------------------------------------------------------------------------------------------------

TEST(Resize, BilinearMatchesPillowOnHandComputedRows)
{
    // Pillow's triangle filter. Shrinking 4 → 2 (support 2): out0 = (0·.75 + 100·.75 + 200·.25)/1.75 = 71.4,
    // out1 = (100·.25 + 200·.75 + 255·.75)/1.75 = 209.3. Enlarging 2 → 4: 0, 63.75, 191.25, 255.
    auto gray = [](std::vector<uint8_t> v) {
        Image img{int(v.size()), 1, {}};
        for (uint8_t x : v)
            img.rgb.insert(img.rgb.end(), {x, x, x});
        return img;
    };
    auto firstChannel = [](const Image& img) {
        std::vector<int> out;
        for (size_t i = 0; i < img.rgb.size(); i += 3)
            out.push_back(img.rgb[i]);
        return out;
    };
    const Image down = invseg::resizeBilinear(gray({0, 100, 200, 255}), 2, 1);
    EXPECT_EQ(firstChannel(down), (std::vector<int>{71, 209}));
    const Image up = invseg::resizeBilinear(gray({0, 255}), 4, 1);
    EXPECT_EQ(firstChannel(up), (std::vector<int>{0, 64, 191, 255}));
    // A constant image stays constant at any size.
    Image flat{7, 5, std::vector<uint8_t>(7 * 5 * 3, 77)};
    const Image r = invseg::resizeBilinear(flat, 3, 11);
    EXPECT_EQ(r.width, 3);
    EXPECT_EQ(r.height, 11);
    EXPECT_EQ(r.rgb, std::vector<uint8_t>(3 * 11 * 3, 77));
    expectError([&] { invseg::resizeBilinear(flat, 0, 4); }, ErrorKind::InvalidInput, {"0x4"});
    expectError([&] { invseg::resizeBilinear(Image{}, 4, 4); }, ErrorKind::InvalidInput, {"resizeBilinear"});
}

TEST(Resize, NearestSamplesCentresAndAddsNoLabels)
{
    const LabelMap m{4, 2, {1, 2, 3, 4, 5, 6, 7, 255}};
    const LabelMap half = invseg::resizeNearest(m, 2, 1);
    // Target centre x = 0.5 → source (0.5·4/2) = 1; x = 1.5 → 3; y = 0.5 → 1.
    EXPECT_EQ(half.labels, (std::vector<uint8_t>{6, 255}));
    const LabelMap twice = invseg::resizeNearest(m, 8, 4);
    EXPECT_EQ(twice.labels[0], 1);
    EXPECT_EQ(twice.labels[1], 1);
    EXPECT_EQ(twice.labels[2], 2);
    EXPECT_EQ(twice.labels[8 * 3 + 7], 255);
    for (uint8_t v : twice.labels)
        EXPECT_NE(std::find(m.labels.begin(), m.labels.end(), v), m.labels.end());
    expectError([&] { invseg::resizeNearest(m, 3, -1); }, ErrorKind::InvalidInput, {"resizeNearest"});
}
