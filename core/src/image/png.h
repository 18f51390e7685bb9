// PNG through libpng: decoding to the samples as stored (label maps keep their palette indices) and encoding of
// 8-bit gray, RGB and palette images, so PNG works in builds without OpenCV.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace invseg::png {

/// PNG colour types (PNG spec, IHDR).
enum ColorType : int { kGray = 0, kRgb = 2, kPalette = 3, kGrayAlpha = 4, kRgba = 6 };

/// The fields of IHDR.
struct Header {
    uint32_t width = 0, height = 0;
    int bitDepth = 0, colorType = 0, interlace = 0;
};

/// A decoded PNG with its samples as stored: not scaled, palette not expanded. Exactly one of samples8 (bit depth
/// 1, 2, 4, 8; one sample per byte) or samples16 (bit depth 16) is filled, row-major, `channels` samples per pixel.
struct Decoded {
    Header header;
    int channels = 0; ///< 1 gray or palette index, 2 gray+alpha, 3 RGB, 4 RGBA
    std::vector<uint8_t> samples8;
    std::vector<uint16_t> samples16;
    std::vector<std::array<uint8_t, 3>> palette; ///< PLTE
    std::vector<uint8_t> paletteAlpha;           ///< tRNS of a palette image (may be shorter than the palette)
    bool hasColorKey = false;                    ///< tRNS of a gray or RGB image: this sample value is transparent
    std::array<uint16_t, 3> colorKey{};
};

/// True when data starts with the 8-byte PNG signature.
bool hasSignature(const uint8_t* data, size_t size);

/// Reads IHDR only (the first 33 bytes; nothing is decompressed). Throws Error(Format) naming `name` for a missing or
/// malformed header.
Header readHeader(const uint8_t* data, size_t size, const std::string& name);

/// Decodes a whole PNG with libpng. An image over `maxPixels` is refused with Error(Unsupported) after reading IHDR,
/// before anything is allocated or decompressed. The chunk framing is checked next (every chunk's length and CRC up
/// to IEND), so that a truncated or damaged file is an Error(Format) naming `name`, the chunk and its offset; what
/// libpng then finds (chunk order, missing PLTE, bad row filters, too little image data, ...) is an Error(Format)
/// naming `name` with libpng's message. libpng's warnings (a malformed ancillary chunk, extra image data) are ignored,
/// as libpng's own default does.
Decoded decode(const uint8_t* data, size_t size, const std::string& name, int64_t maxPixels);

/// Encodes 8-bit pixels (gray: 1, RGB: 3, palette: 1 byte per pixel, row-major, no padding) as a PNG with libpng.
/// `palette` is written as PLTE for kPalette (1..256 entries; the caller checks the indices). Throws
/// Error(InvalidInput) for sizes PNG cannot hold, Error(OutOfMemory) when the output cannot be allocated.
std::vector<uint8_t> encode(int width, int height, ColorType colorType, const uint8_t* pixels,
                            const std::vector<std::array<uint8_t, 3>>& palette = {});

} // namespace invseg::png
