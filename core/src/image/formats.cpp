// Sizes from image headers, so oversized images are refused before any decoder allocates for them.
#include "image/formats.h"

#include "image/pixel_limit.h"
#include "image/png.h"
#include "invseg/error.h"
#include "util/byte_order.h"

#include <cstring>

namespace invseg::formats {
namespace {

[[noreturn]] void fail(const std::string& name, const std::string& what)
{
    throw Error(ErrorKind::Format, name + ": " + what);
}

bool isSof(uint8_t m)
{
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

struct JpegLayout {
    Dimensions dims;
    size_t scanStart = 0; ///< first byte after the first SOS header
};

JpegLayout parseJpeg(const uint8_t* d, size_t n, const std::string& name)
{
    JpegLayout out;
    size_t pos = 2;
    bool haveFrame = false;
    while (true) {
        if (pos >= n)
            fail(name, "truncated JPEG (the file ends inside its header)");
        if (d[pos] != 0xff)
            fail(name, "corrupt JPEG (no marker at offset " + std::to_string(pos) + ")");
        while (pos < n && d[pos] == 0xff) // fill bytes
            ++pos;
        if (pos >= n)
            fail(name, "truncated JPEG (the file ends inside its header)");
        const uint8_t marker = d[pos++];
        if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
            continue; // stand-alone markers carry no length
        if (marker == 0xd9)
            fail(name, "corrupt JPEG (end of image before any scan)");
        if (n - pos < 2)
            fail(name, "truncated JPEG (the file ends inside its header)");
        const size_t len = be16(d + pos);
        if (len < 2)
            fail(name,
                 "corrupt JPEG (segment length " + std::to_string(len) + " at offset " + std::to_string(pos) + ")");
        if (len > n - pos)
            fail(name, "truncated JPEG (a header segment runs past the end of the file)");
        if (isSof(marker)) {
            if (len < 8)
                fail(name, "corrupt JPEG (short frame header)");
            out.dims.height = be16(d + pos + 3);
            out.dims.width = be16(d + pos + 5);
            out.dims.known = true;
            haveFrame = true;
        }
        if (marker == 0xda) {
            out.scanStart = pos + len;
            break;
        }
        pos += len;
    }
    if (!haveFrame)
        fail(name, "corrupt JPEG (no frame header before the first scan)");
    if (out.dims.width == 0)
        fail(name, "corrupt JPEG (frame width 0)");
    if (out.dims.height == 0)
        throw Error(ErrorKind::Unsupported, name + ": JPEG whose height is given by a DNL marker");
    return out;
}

/// Position after the next PNM header token; skips whitespace and '#' comments.
bool pnmToken(const uint8_t* d, size_t n, size_t& pos, uint64_t& value)
{
    while (pos < n) {
        if (d[pos] == '#') {
            while (pos < n && d[pos] != '\n' && d[pos] != '\r')
                ++pos;
        } else if (d[pos] == ' ' || d[pos] == '\t' || d[pos] == '\n' || d[pos] == '\r' || d[pos] == '\v' ||
                   d[pos] == '\f') {
            ++pos;
        } else {
            break;
        }
    }
    if (pos >= n || d[pos] < '0' || d[pos] > '9')
        return false;
    value = 0;
    while (pos < n && d[pos] >= '0' && d[pos] <= '9') {
        value = value * 10 + uint64_t(d[pos] - '0');
        if (value > 0xffffffffull)
            return false;
        ++pos;
    }
    return true;
}

struct PnmHeader {
    uint64_t width = 0, height = 0, maxValue = 0;
    int channels = 0;
    size_t dataStart = 0;
};

PnmHeader parsePnm(const uint8_t* d, size_t n, const std::string& name)
{
    PnmHeader h;
    h.channels = d[1] == '6' ? 3 : 1;
    size_t pos = 2;
    if (!pnmToken(d, n, pos, h.width) || !pnmToken(d, n, pos, h.height) || !pnmToken(d, n, pos, h.maxValue))
        fail(name, "corrupt or truncated PPM/PGM header");
    // Exactly one whitespace byte separates the header from the samples.
    if (pos >= n || !(d[pos] == ' ' || d[pos] == '\t' || d[pos] == '\n' || d[pos] == '\r'))
        fail(name, "corrupt or truncated PPM/PGM header");
    h.dataStart = pos + 1;
    if (h.maxValue == 0 || h.maxValue > 65535)
        fail(name, "corrupt PPM/PGM (maximum value " + std::to_string(h.maxValue) + ")");
    return h;
}

} // namespace

const char* formatName(Format f)
{
    switch (f) {
    case Format::Png: return "png";
    case Format::Jpeg: return "jpeg";
    case Format::Bmp: return "bmp";
    case Format::Gif: return "gif";
    case Format::WebP: return "webp";
    case Format::Tiff: return "tiff";
    case Format::Pnm: return "pnm";
    case Format::Unknown: break;
    }
    return "unknown";
}

Format detect(const uint8_t* d, size_t n)
{
    if (png::hasSignature(d, n))
        return Format::Png;
    if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
        return Format::Jpeg;
    if (n >= 2 && d[0] == 'B' && d[1] == 'M')
        return Format::Bmp;
    if (n >= 6 && (std::memcmp(d, "GIF87a", 6) == 0 || std::memcmp(d, "GIF89a", 6) == 0))
        return Format::Gif;
    if (n >= 12 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0)
        return Format::WebP;
    if (n >= 4 && ((d[0] == 'I' && d[1] == 'I' && (d[2] == 42 || d[2] == 43) && d[3] == 0) ||
                   (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && (d[3] == 42 || d[3] == 43))))
        return Format::Tiff;
    if (n >= 3 && d[0] == 'P' && (d[1] == '5' || d[1] == '6') &&
        (d[2] == ' ' || d[2] == '\t' || d[2] == '\n' || d[2] == '\r' || d[2] == '#'))
        return Format::Pnm;
    return Format::Unknown;
}

Dimensions probe(Format f, const uint8_t* d, size_t n, const std::string& name)
{
    Dimensions dims;
    switch (f) {
    case Format::Png: {
        const png::Header h = png::readHeader(d, n, name);
        dims = {h.width, h.height, true};
        break;
    }
    case Format::Jpeg: dims = parseJpeg(d, n, name).dims; break;
    case Format::Bmp: {
        if (n < 26)
            fail(name, "truncated BMP header");
        const uint32_t dib = le32(d + 14);
        if (dib == 12) { // BITMAPCOREHEADER: 16-bit unsigned sizes
            dims = {le16(d + 18), le16(d + 20), true};
        } else if (dib >= 16 && n >= 26) {
            const int32_t w = int32_t(le32(d + 18));
            const int32_t h = int32_t(le32(d + 22));
            if (w <= 0 || h == 0 || h == INT32_MIN)
                fail(name, "corrupt BMP (size " + std::to_string(w) + "x" + std::to_string(h) + ")");
            dims = {uint64_t(w), uint64_t(h < 0 ? -int64_t(h) : h), true}; // negative height = top-down rows
        } else {
            fail(name, "corrupt BMP (header size " + std::to_string(dib) + ")");
        }
        break;
    }
    case Format::Gif:
        if (n < 10)
            fail(name, "truncated GIF header");
        dims = {le16(d + 6), le16(d + 8), true};
        break;
    case Format::WebP: {
        if (n < 30)
            fail(name, "truncated WebP header");
        if (std::memcmp(d + 12, "VP8 ", 4) == 0) {
            if (d[23] != 0x9d || d[24] != 0x01 || d[25] != 0x2a)
                fail(name, "corrupt WebP (bad VP8 frame start)");
            dims = {le16(d + 26) & 0x3fffu, le16(d + 28) & 0x3fffu, true};
        } else if (std::memcmp(d + 12, "VP8L", 4) == 0) {
            if (d[20] != 0x2f)
                fail(name, "corrupt WebP (bad VP8L signature)");
            const uint32_t bits = le32(d + 21);
            dims = {(bits & 0x3fffu) + 1, ((bits >> 14) & 0x3fffu) + 1, true};
        } else if (std::memcmp(d + 12, "VP8X", 4) == 0) {
            const uint64_t w = uint64_t(d[24]) | (uint64_t(d[25]) << 8) | (uint64_t(d[26]) << 16);
            const uint64_t h = uint64_t(d[27]) | (uint64_t(d[28]) << 8) | (uint64_t(d[29]) << 16);
            dims = {w + 1, h + 1, true};
        } else {
            fail(name, "corrupt WebP (unknown first chunk)");
        }
        break;
    }
    case Format::Tiff: {
        const bool le = d[0] == 'I';
        auto u16 = [&](size_t at) { return le ? le16(d + at) : be16(d + at); };
        auto u32 = [&](size_t at) { return le ? le32(d + at) : be32(d + at); };
        if ((le ? d[2] : d[3]) == 43) // BigTIFF: 64-bit offsets; left to the decoder and the post-decode check
            break;
        if (n < 8)
            fail(name, "truncated TIFF header");
        const uint64_t ifd = u32(4);
        if (ifd + 2 > n)
            fail(name, "truncated TIFF (first directory past the end of the file)");
        const uint32_t count = u16(size_t(ifd));
        if (ifd + 2 + uint64_t(count) * 12 > n)
            fail(name, "truncated TIFF (first directory runs past the end of the file)");
        bool haveW = false, haveH = false;
        for (uint32_t i = 0; i < count; ++i) {
            const size_t e = size_t(ifd) + 2 + size_t(i) * 12;
            const uint32_t tag = u16(e), type = u16(e + 2);
            uint32_t value;
            if (type == 3)
                value = u16(e + 8);
            else if (type == 4)
                value = u32(e + 8);
            else
                continue;
            if (tag == 256) {
                dims.width = value;
                haveW = true;
            } else if (tag == 257) {
                dims.height = value;
                haveH = true;
            }
        }
        dims.known = haveW && haveH;
        break;
    }
    case Format::Pnm: {
        const PnmHeader h = parsePnm(d, n, name);
        dims = {h.width, h.height, true};
        break;
    }
    case Format::Unknown: fail(name, "not a recognised image format");
    }
    if (dims.known && (dims.width == 0 || dims.height == 0))
        fail(name, std::string("corrupt ") + formatName(f) + " (size " + std::to_string(dims.width) + "x" +
                       std::to_string(dims.height) + ")");
    return dims;
}

void checkJpegComplete(const uint8_t* d, size_t n, const std::string& name)
{
    const size_t scan = parseJpeg(d, n, name).scanStart;
    // Entropy-coded data stuffs every 0xFF with 0x00, so FF D9 after the first scan can only be the end marker;
    // trailing bytes after it (some cameras append data) do not matter.
    for (size_t i = n; i >= scan + 2; --i)
        if (d[i - 2] == 0xff && d[i - 1] == 0xd9)
            return;
    fail(name, "truncated JPEG (no end-of-image marker)");
}

Pnm decodePnm(const uint8_t* d, size_t n, const std::string& name, int64_t maxPixels)
{
    const PnmHeader h = parsePnm(d, n, name);
    checkPixelLimit(name, h.width, h.height, maxPixels);
    Pnm out;
    out.width = int(h.width);
    out.height = int(h.height);
    out.channels = h.channels;
    out.maxValue = int(h.maxValue);
    const size_t samples = size_t(h.width) * size_t(h.height) * size_t(h.channels);
    const size_t bytes = samples * (h.maxValue > 255 ? 2 : 1);
    if (n - h.dataStart < bytes)
        fail(name, "truncated PPM/PGM (" + std::to_string(n - h.dataStart) + " of " + std::to_string(bytes) +
                       " bytes of pixels)");
    const uint8_t* p = d + h.dataStart;
    if (h.maxValue > 255) {
        out.samples16.resize(samples);
        for (size_t i = 0; i < samples; ++i)
            out.samples16[i] = uint16_t(be16(p + 2 * i)); // PNM stores 16-bit samples big-endian
    } else {
        out.samples8.assign(p, p + samples);
    }
    return out;
}

} // namespace invseg::formats
