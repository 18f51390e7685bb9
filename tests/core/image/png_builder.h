// Hand-made PNG files for the image tests: any IHDR (valid or not), raw scanlines compressed with zlib, correct or
// broken CRCs, so that every decoder path can be reached without fixture files.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace invseg::test {

inline void putBe32(std::vector<uint8_t>& out, uint32_t v)
{
    out.push_back(uint8_t(v >> 24));
    out.push_back(uint8_t(v >> 16));
    out.push_back(uint8_t(v >> 8));
    out.push_back(uint8_t(v));
}

/// One chunk: length, type, body, CRC over type + body.
inline void putChunk(std::vector<uint8_t>& out, const std::string& type, const std::vector<uint8_t>& body)
{
    putBe32(out, uint32_t(body.size()));
    std::vector<uint8_t> typed(type.begin(), type.end());
    typed.insert(typed.end(), body.begin(), body.end());
    out.insert(out.end(), typed.begin(), typed.end());
    putBe32(out, uint32_t(::crc32(0L, typed.data(), uInt(typed.size()))));
}

/// A zlib stream (RFC 1950) of data, as IDAT holds it.
inline std::vector<uint8_t> zlibCompress(const uint8_t* data, size_t size)
{
    uLongf n = compressBound(uLong(size));
    std::vector<uint8_t> out(n);
    if (compress2(out.data(), &n, data, uLong(size), Z_BEST_COMPRESSION) != Z_OK)
        throw std::runtime_error("zlib compress2 failed");
    out.resize(n);
    return out;
}

inline std::vector<uint8_t> pngSignature()
{
    return {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
}

inline std::vector<uint8_t> ihdrBody(uint32_t width, uint32_t height, int bitDepth, int colorType, int interlace = 0)
{
    std::vector<uint8_t> b;
    putBe32(b, width);
    putBe32(b, height);
    b.push_back(uint8_t(bitDepth));
    b.push_back(uint8_t(colorType));
    b.push_back(0);
    b.push_back(0);
    b.push_back(uint8_t(interlace));
    return b;
}

/// A complete non-interlaced PNG. `rows` are the scanlines without filter bytes (filter 0 is prepended to each);
/// `extra` chunks (PLTE, tRNS, ...) go between IHDR and IDAT.
inline std::vector<uint8_t> makePng(uint32_t width, uint32_t height, int bitDepth, int colorType,
                                    const std::vector<std::vector<uint8_t>>& rows,
                                    const std::vector<std::pair<std::string, std::vector<uint8_t>>>& extra = {})
{
    std::vector<uint8_t> out = pngSignature();
    putChunk(out, "IHDR", ihdrBody(width, height, bitDepth, colorType));
    for (const auto& [type, body] : extra)
        putChunk(out, type, body);
    std::vector<uint8_t> raw;
    for (const auto& r : rows) {
        raw.push_back(0);
        raw.insert(raw.end(), r.begin(), r.end());
    }
    putChunk(out, "IDAT", zlibCompress(raw.data(), raw.size()));
    putChunk(out, "IEND", {});
    return out;
}

/// 16-bit samples as big-endian bytes (one scanline).
inline std::vector<uint8_t> be16Row(const std::vector<uint16_t>& samples)
{
    std::vector<uint8_t> r;
    for (uint16_t s : samples) {
        r.push_back(uint8_t(s >> 8));
        r.push_back(uint8_t(s));
    }
    return r;
}

} // namespace invseg::test
