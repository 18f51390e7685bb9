// The PNG decoder against an independent encoder written here: every colour type and bit depth, all five row
// filters, Adam7 at awkward sizes (smaller than the 8x8 pattern, odd sizes), chunk splits.
#include "export/export_test_support.h"
#include "image/png_builder.h"

#include "image/png.h"
#include "invseg/error.h"
#include "invseg/image.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

using invseg::ErrorKind;
using invseg::test::expectError;

namespace {

struct Spec {
    uint32_t width, height;
    int bitDepth, colorType;
};

int channelsOf(int colorType)
{
    return colorType == 0 || colorType == 3 ? 1 : colorType == 4 ? 2 : colorType == 2 ? 3 : 4;
}

uint8_t paethRef(int a, int b, int c)
{
    const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    return uint8_t(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

/// Packs the samples of the given pixels into one scanline (big-endian 16-bit, sub-byte packed from the high bit).
std::vector<uint8_t> packRow(const Spec& s, const std::vector<uint16_t>& samples, const std::vector<uint32_t>& xs,
                             uint32_t y)
{
    const int ch = channelsOf(s.colorType);
    std::vector<uint8_t> row((xs.size() * size_t(ch) * size_t(s.bitDepth) + 7) / 8, 0);
    size_t bit = 0;
    for (uint32_t x : xs)
        for (int c = 0; c < ch; ++c) {
            const uint16_t v = samples[(size_t(y) * s.width + x) * size_t(ch) + size_t(c)];
            if (s.bitDepth == 16) {
                row[bit / 8] = uint8_t(v >> 8);
                row[bit / 8 + 1] = uint8_t(v);
            } else if (s.bitDepth == 8) {
                row[bit / 8] = uint8_t(v);
            } else {
                row[bit / 8] |= uint8_t(v << (8 - s.bitDepth - int(bit % 8)));
            }
            bit += size_t(s.bitDepth);
        }
    return row;
}

/// A PNG of `samples` with filter type (row index + seed) % 5 on each row, optionally Adam7, IDAT split in pieces.
std::vector<uint8_t> encodeRef(const Spec& s, const std::vector<uint16_t>& samples, bool interlace, int seed,
                               const std::vector<std::pair<std::string, std::vector<uint8_t>>>& extra = {})
{
    const int ch = channelsOf(s.colorType);
    const size_t bpp = std::max<size_t>(1, size_t(ch) * size_t(s.bitDepth) / 8);
    struct P {
        uint32_t x0, y0, dx, dy;
    };
    const std::vector<P> passes = interlace ? std::vector<P>{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                                             {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}
                                            : std::vector<P>{{0, 0, 1, 1}};
    std::vector<uint8_t> raw;
    int rowIndex = seed;
    for (const P& p : passes) {
        std::vector<uint32_t> xs;
        for (uint32_t x = p.x0; x < s.width; x += p.dx)
            xs.push_back(x);
        if (xs.empty())
            continue;
        std::vector<uint8_t> prior;
        for (uint32_t y = p.y0; y < s.height; y += p.dy) {
            const std::vector<uint8_t> cur = packRow(s, samples, xs, y);
            if (prior.empty())
                prior.assign(cur.size(), 0);
            const int f = rowIndex++ % 5;
            raw.push_back(uint8_t(f));
            for (size_t i = 0; i < cur.size(); ++i) {
                const int a = i >= bpp ? cur[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
                const int pred = f == 1 ? a : f == 2 ? b : f == 3 ? (a + b) / 2 : f == 4 ? paethRef(a, b, c) : 0;
                raw.push_back(uint8_t(cur[i] - pred));
            }
            prior = cur;
        }
    }
    std::vector<uint8_t> out = invseg::test::pngSignature();
    invseg::test::putChunk(out, "IHDR", invseg::test::ihdrBody(s.width, s.height, s.bitDepth, s.colorType, interlace));
    for (const auto& [type, body] : extra)
        invseg::test::putChunk(out, type, body);
    const std::vector<uint8_t> z = invseg::test::zlibCompress(raw.data(), raw.size());
    // Split the zlib stream into IDAT chunks of 7 bytes (and an empty one): readers must concatenate them.
    invseg::test::putChunk(out, "IDAT", {});
    for (size_t pos = 0; pos < z.size(); pos += 7)
        invseg::test::putChunk(out, "IDAT",
                               std::vector<uint8_t>(z.begin() + std::ptrdiff_t(pos),
                                                    z.begin() + std::ptrdiff_t(std::min(z.size(), pos + 7))));
    invseg::test::putChunk(out, "tEXt", {'C', 'o', 'm', 'm', 'e', 'n', 't', 0, 'h', 'i'}); // ancillary: skipped
    invseg::test::putChunk(out, "IEND", {});
    return out;
}

} // namespace

TEST(PngDecode, EveryColourTypeDepthFilterAndInterlaceRoundTrips)
{
    const std::vector<std::pair<int, int>> kinds{{0, 1}, {0, 2}, {0, 4}, {0, 8}, {0, 16}, {2, 8}, {2, 16}, {3, 1},
                                                 {3, 2}, {3, 4}, {3, 8}, {4, 8}, {4, 16}, {6, 8}, {6, 16}};
    const std::vector<std::pair<uint32_t, uint32_t>> sizes{{1, 1}, {2, 3}, {3, 2},  {5, 5},
                                                           {7, 9}, {8, 8}, {13, 4}, {17, 11}};
    std::mt19937 rng(5);
    int seed = 0;
    for (const auto& [colorType, depth] : kinds)
        for (const auto& [w, h] : sizes)
            for (bool interlace : {false, true}) {
                const Spec s{w, h, depth, colorType};
                SCOPED_TRACE("type " + std::to_string(colorType) + " depth " + std::to_string(depth) + " " +
                             std::to_string(w) + "x" + std::to_string(h) + (interlace ? " adam7" : ""));
                const int ch = channelsOf(colorType);
                std::vector<uint16_t> samples(size_t(w) * h * size_t(ch));
                const uint32_t maxV = (1u << depth) - 1;
                for (auto& v : samples)
                    v = uint16_t(rng() % (maxV + 1));
                std::vector<std::pair<std::string, std::vector<uint8_t>>> extra;
                if (colorType == 3)
                    extra.push_back({"PLTE", std::vector<uint8_t>(size_t(maxV + 1) * 3, 17)});
                const auto png = encodeRef(s, samples, interlace, seed++, extra);
                const auto d = invseg::png::decode(png.data(), png.size(), "ref.png", 1 << 20);
                EXPECT_EQ(d.header.width, w);
                EXPECT_EQ(d.header.height, h);
                EXPECT_EQ(d.channels, ch);
                if (depth == 16) {
                    ASSERT_EQ(d.samples16, samples);
                } else {
                    ASSERT_EQ(d.samples8, std::vector<uint8_t>(samples.begin(), samples.end()));
                }
            }
}

TEST(PngDecode, InterlacedLabelMapReadsLikeTheNonInterlacedOne)
{
    const Spec s{11, 6, 8, 3};
    std::vector<uint16_t> labels(66);
    for (size_t i = 0; i < labels.size(); ++i)
        labels[i] = uint16_t(i % 21);
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> plte{{"PLTE", std::vector<uint8_t>(21 * 3, 0)}};
    invseg::test::TempDir dir;
    invseg::test::writeBytes(dir.file("i.png"), encodeRef(s, labels, true, 3, plte));
    const auto m = invseg::loadLabelMap(dir.file("i.png"));
    EXPECT_EQ(m.labels, std::vector<uint8_t>(labels.begin(), labels.end()));
}

TEST(PngDecode, StructuralErrors)
{
    const Spec s{2, 2, 8, 0};
    const std::vector<uint16_t> px{1, 2, 3, 4};
    auto png = encodeRef(s, px, false, 0);
    // An unknown critical chunk must stop decoding.
    std::vector<uint8_t> bad = invseg::test::pngSignature();
    invseg::test::putChunk(bad, "IHDR", invseg::test::ihdrBody(2, 2, 8, 0));
    invseg::test::putChunk(bad, "ZZZZ", {1});
    bad.insert(bad.end(), png.begin() + 33, png.end());
    expectError([&] { invseg::png::decode(bad.data(), bad.size(), "crit.png", 100); }, ErrorKind::Format,
                {"crit.png", "ZZZZ"});
    // Bit depth not allowed for the colour type.
    std::vector<uint8_t> depth = invseg::test::pngSignature();
    invseg::test::putChunk(depth, "IHDR", invseg::test::ihdrBody(2, 2, 4, 2));
    expectError([&] { invseg::png::readHeader(depth.data(), depth.size(), "depth.png"); }, ErrorKind::Format,
                {"depth.png", "colour type 2 with bit depth 4"});
    // Palette image without PLTE.
    const auto noPlte = encodeRef(Spec{2, 2, 8, 3}, px, false, 0);
    expectError([&] { invseg::png::decode(noPlte.data(), noPlte.size(), "p.png", 100); }, ErrorKind::Format,
                {"p.png", "PLTE"});
    // No IEND.
    png.resize(png.size() - 12);
    expectError([&] { invseg::png::decode(png.data(), png.size(), "end.png", 100); }, ErrorKind::Format,
                {"end.png", "IEND"});
}

TEST(PngDecode, DamagedFilesGiveErrorsNeverCrashes)
{
    // Random byte flips and cuts of real files: every outcome is an image or an invseg::Error (a crash or another
    // exception type fails). Run under ASan/UBSan this also checks the bounds of every parser.
    invseg::test::TempDir dir;
    std::mt19937 rng(99);
    for (const char* name :
         {"pattern.png", "pattern_adam7.png", "voc_labels.png", "gray16.png", "palette_trns.png", "pattern.ppm"}) {
        const auto original = invseg::test::readBytes(invseg::test::fixture(name));
        for (int trial = 0; trial < 150; ++trial) {
            auto bytes = original;
            const int flips = 1 + int(rng() % 4);
            for (int k = 0; k < flips; ++k)
                bytes[rng() % bytes.size()] ^= uint8_t(1 + rng() % 255);
            if (rng() % 3 == 0)
                bytes.resize(1 + rng() % bytes.size());
            const std::string path = dir.file(std::string("damaged_") + name);
            invseg::test::writeBytes(path, bytes);
            for (int which = 0; which < 3; ++which) {
                try {
                    if (which == 0) {
                        const auto img = invseg::loadImage(path, 1 << 16);
                        ASSERT_EQ(img.rgb.size(), size_t(img.width) * size_t(img.height) * 3);
                    } else if (which == 1) {
                        const auto m = invseg::loadLabelMap(path, 1 << 16);
                        ASSERT_EQ(m.labels.size(), size_t(m.width) * size_t(m.height));
                    } else {
                        invseg::probeImage(path);
                    }
                } catch (const invseg::Error&) {
                } catch (const std::exception& e) {
                    ADD_FAILURE() << name << " trial " << trial << ": " << e.what();
                }
            }
        }
    }
}
