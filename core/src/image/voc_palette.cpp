// The PASCAL VOC colour map, computed as the VOC devkit's VOClabelcolormap.m does (bits of the index interleaved
// into the high bits of R, G and B), so that exported masks open with the colours every VOC tool expects.
#include "invseg/error.h"
#include "invseg/image.h"

namespace invseg {
namespace {

std::array<uint8_t, 3> interleavedColour(int index)
{
    int r = 0, g = 0, b = 0;
    int c = index;
    // Bit 3k of the index becomes bit 7-k of red, bit 3k+1 of green, bit 3k+2 of blue.
    for (int j = 0; j < 8; ++j) {
        r |= ((c >> 0) & 1) << (7 - j);
        g |= ((c >> 1) & 1) << (7 - j);
        b |= ((c >> 2) & 1) << (7 - j);
        c >>= 3;
    }
    return {uint8_t(r), uint8_t(g), uint8_t(b)};
}

} // namespace

std::array<uint8_t, 3> vocColor(int index)
{
    if (index < 0 || index > 255)
        throw Error(ErrorKind::InvalidInput, "VOC palette: index " + std::to_string(index) + " is outside 0..255");
    return vocPalette()[size_t(index)];
}

const std::vector<std::array<uint8_t, 3>>& vocPalette()
{
    static const std::vector<std::array<uint8_t, 3>> palette = [] {
        std::vector<std::array<uint8_t, 3>> p(256);
        for (int i = 0; i < 256; ++i)
            p[size_t(i)] = interleavedColour(i);
        return p;
    }();
    return palette;
}

} // namespace invseg
