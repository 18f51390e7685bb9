// PNG decoding (all colour types, bit depths and Adam7) and encoding (8-bit gray/RGB/palette, own DEFLATE) without
// zlib or OpenCV, so label maps keep their palette indices and PNG works in builds without OpenCV.
#include "image/png.h"

#include "image/pixel_limit.h"
#include "invseg/error.h"
#include "invseg/inflate.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace invseg::png {
namespace {

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

uint32_t be32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

void putBe32(std::vector<uint8_t>& out, uint32_t v)
{
    out.push_back(uint8_t(v >> 24));
    out.push_back(uint8_t(v >> 16));
    out.push_back(uint8_t(v >> 8));
    out.push_back(uint8_t(v));
}

[[noreturn]] void fail(const std::string& name, const std::string& what)
{
    throw Error(ErrorKind::Format, name + ": " + what);
}

int channelsOf(int colorType)
{
    switch (colorType) {
    case kGray: return 1;
    case kRgb: return 3;
    case kPalette: return 1;
    case kGrayAlpha: return 2;
    case kRgba: return 4;
    default: return 0;
    }
}

bool validDepth(int colorType, int depth)
{
    switch (colorType) {
    case kGray: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case kPalette: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case kRgb:
    case kGrayAlpha:
    case kRgba: return depth == 8 || depth == 16;
    default: return false;
    }
}

std::string chunkName(const uint8_t* p)
{
    std::string s;
    for (int i = 0; i < 4; ++i)
        s.push_back(p[i] >= 32 && p[i] < 127 ? char(p[i]) : '?');
    return s;
}

/// One reduced image of Adam7 (or the whole image when not interlaced): origin and step.
struct Pass {
    uint32_t x0, y0, dx, dy;
};
constexpr Pass kAdam7[7] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                            {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
constexpr Pass kWhole[1] = {{0, 0, 1, 1}};

uint32_t passExtent(uint32_t size, uint32_t origin, uint32_t step)
{
    return size > origin ? (size - origin + step - 1) / step : 0;
}

uint64_t rowBytesOf(uint64_t width, int bitsPerPixel) { return (width * uint64_t(bitsPerPixel) + 7) / 8; }

uint8_t paeth(int a, int b, int c)
{
    const int p = a + b - c;
    const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    if (pa <= pb && pa <= pc)
        return uint8_t(a);
    return uint8_t(pb <= pc ? b : c);
}

} // namespace

bool hasSignature(const uint8_t* data, size_t size)
{
    return size >= 8 && std::memcmp(data, kSignature, 8) == 0;
}

Header readHeader(const uint8_t* data, size_t size, const std::string& name)
{
    if (!hasSignature(data, size))
        fail(name, "not a PNG file (bad signature)");
    if (size < 8 + 8 + 13 + 4)
        fail(name, "truncated PNG (the file ends inside the IHDR chunk)");
    const uint8_t* c = data + 8;
    if (be32(c) != 13 || std::memcmp(c + 4, "IHDR", 4) != 0)
        fail(name, "corrupt PNG (the first chunk is not a 13-byte IHDR)");
    if (crc32(c + 4, 17) != be32(c + 21))
        fail(name, "corrupt PNG (CRC mismatch in chunk IHDR)");
    Header h;
    h.width = be32(c + 8);
    h.height = be32(c + 12);
    h.bitDepth = c[16];
    h.colorType = c[17];
    h.interlace = c[20];
    if (h.width == 0 || h.height == 0 || h.width > 0x7fffffffu || h.height > 0x7fffffffu)
        fail(name, "corrupt PNG (invalid size " + std::to_string(h.width) + "x" + std::to_string(h.height) + ")");
    if (!validDepth(h.colorType, h.bitDepth))
        fail(name, "corrupt PNG (colour type " + std::to_string(h.colorType) + " with bit depth " +
                       std::to_string(h.bitDepth) + ")");
    if (c[18] != 0 || c[19] != 0 || h.interlace > 1)
        fail(name, "corrupt PNG (unknown compression, filter or interlace method)");
    return h;
}

Decoded decode(const uint8_t* data, size_t size, const std::string& name, int64_t maxPixels)
{
    Decoded out;
    out.header = readHeader(data, size, name);
    const Header& h = out.header;
    // Refuse oversized images before walking the rest of the file, let alone inflating it.
    checkPixelLimit(name, h.width, h.height, maxPixels);
    out.channels = channelsOf(h.colorType);

    std::vector<uint8_t> idat;
    bool sawPlte = false, sawIend = false;
    size_t pos = 8;
    while (pos < size) {
        if (size - pos < 12)
            fail(name, "truncated PNG (the file ends inside a chunk header at offset " + std::to_string(pos) + ")");
        const uint32_t len = be32(data + pos);
        const uint8_t* type = data + pos + 4;
        const std::string tname = chunkName(type);
        if (len > 0x7fffffffu)
            fail(name, "corrupt PNG (chunk " + tname + " at offset " + std::to_string(pos) + " claims " +
                           std::to_string(len) + " bytes)");
        if (uint64_t(len) + 12 > size - pos)
            fail(name, "truncated PNG (chunk " + tname + " at offset " + std::to_string(pos) + " needs " +
                           std::to_string(uint64_t(len) + 12) + " bytes, the file has " +
                           std::to_string(size - pos) + " left)");
        const uint8_t* body = type + 4;
        if (crc32(type, size_t(len) + 4) != be32(body + len))
            fail(name, "corrupt PNG (CRC mismatch in chunk " + tname + " at offset " + std::to_string(pos) + ")");
        pos += size_t(len) + 12;

        if (std::memcmp(type, "IHDR", 4) == 0) {
            if (pos != 8 + 25)
                fail(name, "corrupt PNG (a second IHDR chunk)");
        } else if (std::memcmp(type, "PLTE", 4) == 0) {
            if (h.colorType == kGray || h.colorType == kGrayAlpha)
                fail(name, "corrupt PNG (PLTE in a grayscale image)");
            if (len == 0 || len % 3 != 0 || len / 3 > 256 || sawPlte || !idat.empty())
                fail(name, "corrupt PNG (bad PLTE chunk)");
            sawPlte = true;
            out.palette.resize(len / 3);
            for (uint32_t i = 0; i < len / 3; ++i)
                out.palette[i] = {body[3 * i], body[3 * i + 1], body[3 * i + 2]};
        } else if (std::memcmp(type, "tRNS", 4) == 0) {
            // Malformed tRNS is ignored, as libpng does (it only warns): it is ancillary.
            if (h.colorType == kPalette && sawPlte && len <= out.palette.size()) {
                out.paletteAlpha.assign(body, body + len);
            } else if (h.colorType == kGray && len == 2) {
                out.hasColorKey = true;
                out.colorKey[0] = uint16_t((body[0] << 8) | body[1]);
            } else if (h.colorType == kRgb && len == 6) {
                out.hasColorKey = true;
                for (int i = 0; i < 3; ++i)
                    out.colorKey[size_t(i)] = uint16_t((body[2 * i] << 8) | body[2 * i + 1]);
            }
        } else if (std::memcmp(type, "IDAT", 4) == 0) {
            if (idat.size() + len > size_t(1) << 40)
                fail(name, "corrupt PNG (too much image data)");
            idat.insert(idat.end(), body, body + len);
        } else if (std::memcmp(type, "IEND", 4) == 0) {
            sawIend = true;
            break;
        } else if ((type[0] & 0x20) == 0) {
            // Bit 5 of the first letter clear = critical: the spec forbids decoding what we do not understand.
            fail(name, "unsupported PNG (unknown critical chunk " + tname + ")");
        }
    }
    if (!sawIend)
        fail(name, "truncated PNG (no IEND chunk)");
    if (h.colorType == kPalette && !sawPlte)
        fail(name, "corrupt PNG (palette image without PLTE)");
    if (idat.size() < 2)
        fail(name, "corrupt PNG (no image data)");

    const int bitsPerPixel = out.channels * h.bitDepth;
    const size_t filterStride = size_t(std::max(1, bitsPerPixel / 8));
    const Pass* passes = h.interlace ? kAdam7 : kWhole;
    const int passCount = h.interlace ? 7 : 1;
    uint64_t expected = 0;
    for (int p = 0; p < passCount; ++p) {
        const uint64_t pw = passExtent(h.width, passes[p].x0, passes[p].dx);
        const uint64_t ph = passExtent(h.height, passes[p].y0, passes[p].dy);
        if (pw && ph)
            expected += ph * (1 + rowBytesOf(pw, bitsPerPixel));
    }

    // zlib wrapper (RFC 1950): deflate with a window of at most 32 KiB, no preset dictionary. The Adler-32 trailer is
    // not checked: every chunk's CRC already was, and the exact output size is below.
    const uint8_t cmf = idat[0], flg = idat[1];
    if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0 || (flg & 0x20))
        fail(name, "corrupt PNG (bad zlib header in the image data)");
    std::vector<uint8_t> raw;
    try {
        raw = inflateRaw(idat.data() + 2, idat.size() - 2, size_t(expected));
    } catch (const Error& e) {
        fail(name, std::string("corrupt PNG image data (") + e.what() + ")");
    }
    idat.clear();
    idat.shrink_to_fit();
    if (raw.size() != expected)
        fail(name, "truncated PNG image data (" + std::to_string(raw.size()) + " of " + std::to_string(expected) +
                       " bytes)");

    const size_t samples = size_t(h.width) * h.height * size_t(out.channels);
    if (h.bitDepth == 16)
        out.samples16.resize(samples);
    else
        out.samples8.resize(samples);

    size_t at = 0;
    std::vector<uint8_t> zeros;
    for (int p = 0; p < passCount; ++p) {
        const Pass& ps = passes[p];
        const uint32_t pw = passExtent(h.width, ps.x0, ps.dx);
        const uint32_t ph = passExtent(h.height, ps.y0, ps.dy);
        if (!pw || !ph)
            continue;
        const size_t rowBytes = size_t(rowBytesOf(pw, bitsPerPixel));
        zeros.assign(rowBytes, 0);
        const uint8_t* prior = zeros.data();
        for (uint32_t py = 0; py < ph; ++py) {
            const uint8_t filter = raw[at];
            uint8_t* cur = raw.data() + at + 1;
            at += rowBytes + 1;
            switch (filter) {
            case 0: break;
            case 1:
                for (size_t i = filterStride; i < rowBytes; ++i)
                    cur[i] = uint8_t(cur[i] + cur[i - filterStride]);
                break;
            case 2:
                for (size_t i = 0; i < rowBytes; ++i)
                    cur[i] = uint8_t(cur[i] + prior[i]);
                break;
            case 3:
                for (size_t i = 0; i < rowBytes; ++i) {
                    const int left = i >= filterStride ? cur[i - filterStride] : 0;
                    cur[i] = uint8_t(cur[i] + ((left + prior[i]) >> 1));
                }
                break;
            case 4:
                for (size_t i = 0; i < rowBytes; ++i) {
                    const int left = i >= filterStride ? cur[i - filterStride] : 0;
                    const int upLeft = i >= filterStride ? prior[i - filterStride] : 0;
                    cur[i] = uint8_t(cur[i] + paeth(left, prior[i], upLeft));
                }
                break;
            default: fail(name, "corrupt PNG (row filter type " + std::to_string(filter) + ")");
            }
            prior = cur;

            const size_t y = size_t(ps.y0) + size_t(py) * ps.dy;
            for (uint32_t px = 0; px < pw; ++px) {
                const size_t x = size_t(ps.x0) + size_t(px) * ps.dx;
                const size_t dst = (y * h.width + x) * size_t(out.channels);
                if (h.bitDepth == 16) {
                    const uint8_t* s = cur + size_t(px) * size_t(out.channels) * 2;
                    for (int c = 0; c < out.channels; ++c)
                        out.samples16[dst + size_t(c)] = uint16_t((s[2 * c] << 8) | s[2 * c + 1]);
                } else if (h.bitDepth == 8) {
                    const uint8_t* s = cur + size_t(px) * size_t(out.channels);
                    for (int c = 0; c < out.channels; ++c)
                        out.samples8[dst + size_t(c)] = s[c];
                } else {
                    // Sub-byte depths exist only for one-channel images; pixels are packed from the high bit down.
                    const size_t bit = size_t(px) * size_t(h.bitDepth);
                    const int shift = 8 - h.bitDepth - int(bit % 8);
                    out.samples8[dst] = uint8_t((cur[bit / 8] >> shift) & ((1u << h.bitDepth) - 1));
                }
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding

namespace {

uint32_t adler32(const uint8_t* data, size_t size)
{
    uint32_t a = 1, b = 0;
    while (size > 0) {
        // 5552 is the largest block for which b cannot overflow 32 bits before the modulo (zlib's NMAX).
        const size_t n = std::min<size_t>(size, 5552);
        for (size_t i = 0; i < n; ++i) {
            a += data[i];
            b += a;
        }
        a %= 65521;
        b %= 65521;
        data += n;
        size -= n;
    }
    return (b << 16) | a;
}

class BitWriter {
public:
    explicit BitWriter(std::vector<uint8_t>& out) : m_out(out) {}

    /// Appends `count` bits of `bits`, least significant first (DEFLATE's order for everything but Huffman codes).
    void put(uint32_t bits, int count)
    {
        m_acc |= uint64_t(bits) << m_count;
        m_count += count;
        while (m_count >= 8) {
            m_out.push_back(uint8_t(m_acc));
            m_acc >>= 8;
            m_count -= 8;
        }
    }

    /// Appends a Huffman code, which DEFLATE stores most significant bit first.
    void putCode(uint32_t code, int length)
    {
        uint32_t reversed = 0;
        for (int i = 0; i < length; ++i)
            reversed |= ((code >> i) & 1u) << (length - 1 - i);
        put(reversed, length);
    }

    void flush()
    {
        if (m_count > 0)
            m_out.push_back(uint8_t(m_acc));
        m_acc = 0;
        m_count = 0;
    }

private:
    std::vector<uint8_t>& m_out;
    uint64_t m_acc = 0;
    int m_count = 0;
};

constexpr uint16_t kLenBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                   31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr uint8_t kLenExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr uint16_t kDistBase[30] = {1,   2,   3,    4,    5,    7,    9,    13,    17,    25,
                                    33,  49,  65,   97,   129,  193,  257,  385,   513,   769,
                                    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/// The fixed Huffman code (RFC 1951 3.2.6) of a literal/length symbol.
void putFixedSymbol(BitWriter& w, int sym)
{
    if (sym < 144)
        w.putCode(uint32_t(0x30 + sym), 8);
    else if (sym < 256)
        w.putCode(uint32_t(0x190 + sym - 144), 9);
    else if (sym < 280)
        w.putCode(uint32_t(sym - 256), 7);
    else
        w.putCode(uint32_t(0xc0 + sym - 280), 8);
}

void putMatch(BitWriter& w, int length, int distance)
{
    int li = 28;
    while (kLenBase[li] > length)
        --li;
    putFixedSymbol(w, 257 + li);
    if (kLenExtra[li])
        w.put(uint32_t(length - kLenBase[li]), kLenExtra[li]);
    int di = 29;
    while (kDistBase[di] > distance)
        --di;
    w.putCode(uint32_t(di), 5);
    if (kDistExtra[di])
        w.put(uint32_t(distance - kDistBase[di]), kDistExtra[di]);
}

/// One fixed-Huffman block with greedy LZ77 over a 32 KiB window (hash chains, bounded search). Label maps and
/// overlays compress well this way; a dynamic-Huffman encoder would gain little for the code it costs.
std::vector<uint8_t> deflateFixed(const uint8_t* d, size_t n)
{
    constexpr size_t kWindow = 32768;
    constexpr int kMaxMatch = 258, kMaxChain = 48;
    constexpr uint32_t kHashBits = 15;
    std::vector<uint8_t> out;
    out.reserve(n / 4 + 64);
    BitWriter w(out);
    w.put(1, 1); // BFINAL
    w.put(1, 2); // BTYPE = fixed Huffman
    std::vector<int64_t> head(size_t(1) << kHashBits, -1);
    std::vector<int64_t> prev(kWindow, -1);
    auto hashAt = [&](size_t i) {
        return ((uint32_t(d[i]) << 10) ^ (uint32_t(d[i + 1]) << 5) ^ d[i + 2]) & ((1u << kHashBits) - 1);
    };
    auto insert = [&](size_t i) {
        if (i + 3 > n)
            return;
        const uint32_t hv = hashAt(i);
        prev[i & (kWindow - 1)] = head[hv];
        head[hv] = int64_t(i);
    };
    size_t i = 0;
    while (i < n) {
        int best = 0;
        size_t bestDist = 0;
        if (i + 3 <= n) {
            const size_t maxLen = std::min<size_t>(kMaxMatch, n - i);
            int64_t cand = head[hashAt(i)];
            for (int chain = 0; cand >= 0 && i - size_t(cand) <= kWindow && chain < kMaxChain; ++chain) {
                const uint8_t* a = d + cand;
                const uint8_t* b = d + i;
                size_t len = 0;
                while (len < maxLen && a[len] == b[len])
                    ++len;
                if (int(len) > best) {
                    best = int(len);
                    bestDist = i - size_t(cand);
                    if (len == maxLen)
                        break;
                }
                cand = prev[size_t(cand) & (kWindow - 1)];
            }
        }
        if (best >= 3) {
            putMatch(w, best, int(bestDist));
            for (int k = 0; k < best; ++k)
                insert(i + size_t(k));
            i += size_t(best);
        } else {
            putFixedSymbol(w, d[i]);
            insert(i);
            ++i;
        }
    }
    putFixedSymbol(w, 256);
    w.flush();
    return out;
}

size_t storedSize(size_t n) { return n + 5 * std::max<size_t>(1, (n + 65534) / 65535); }

std::vector<uint8_t> deflateStored(const uint8_t* d, size_t n)
{
    std::vector<uint8_t> out;
    out.reserve(storedSize(n));
    size_t pos = 0;
    do {
        const size_t len = std::min<size_t>(65535, n - pos);
        out.push_back(pos + len == n ? 1 : 0); // BFINAL, BTYPE = stored, padding to the byte boundary
        out.push_back(uint8_t(len));
        out.push_back(uint8_t(len >> 8));
        out.push_back(uint8_t(~len));
        out.push_back(uint8_t(~len >> 8));
        out.insert(out.end(), d + pos, d + pos + len);
        pos += len;
    } while (pos < n);
    return out;
}

void putChunk(std::vector<uint8_t>& out, const char* type, const uint8_t* body, size_t len)
{
    putBe32(out, uint32_t(len));
    const size_t start = out.size();
    out.insert(out.end(), type, type + 4);
    if (len)
        out.insert(out.end(), body, body + len);
    putBe32(out, crc32(out.data() + start, len + 4));
}

} // namespace

std::vector<uint8_t> zlibCompress(const uint8_t* data, size_t size)
{
    std::vector<uint8_t> body = deflateFixed(data, size);
    // Fixed codes spend 9 bits on half the byte values, so noise-like data can come out larger than it went in.
    const bool stored = body.size() >= storedSize(size);
    if (stored)
        body = deflateStored(data, size);
    std::vector<uint8_t> out;
    out.reserve(body.size() + 6);
    out.push_back(0x78);                   // CM = deflate, 32 KiB window
    out.push_back(stored ? 0x01 : 0x9c);   // FLEVEL, with FCHECK making the header a multiple of 31
    out.insert(out.end(), body.begin(), body.end());
    putBe32(out, adler32(data, size));
    return out;
}

std::vector<uint8_t> encode(int width, int height, ColorType colorType, const uint8_t* pixels,
                            const std::vector<std::array<uint8_t, 3>>& palette)
{
    if (width <= 0 || height <= 0)
        throw Error(ErrorKind::InvalidInput, "PNG: cannot encode an empty image (" + std::to_string(width) + "x" +
                                                 std::to_string(height) + ")");
    const int channels = colorType == kRgb ? 3 : 1;
    if (colorType != kRgb && colorType != kGray && colorType != kPalette)
        throw Error(ErrorKind::InvalidInput, "PNG: the encoder writes only 8-bit gray, RGB and palette images");
    if (colorType == kPalette && (palette.empty() || palette.size() > 256))
        throw Error(ErrorKind::InvalidInput,
                    "PNG: a palette needs 1 to 256 colours, got " + std::to_string(palette.size()));
    const size_t rowBytes = size_t(width) * size_t(channels);

    // Filter each row: none for gray and palette images (index differences mean nothing, as libpng also assumes),
    // and for RGB the filter with the smallest sum of absolute differences (libpng's heuristic).
    std::vector<uint8_t> filtered((rowBytes + 1) * size_t(height));
    std::vector<uint8_t> candidate(rowBytes);
    const std::vector<uint8_t> zeros(rowBytes, 0);
    for (int y = 0; y < height; ++y) {
        const uint8_t* cur = pixels + size_t(y) * rowBytes;
        const uint8_t* prior = y > 0 ? cur - rowBytes : zeros.data();
        uint8_t* dst = filtered.data() + size_t(y) * (rowBytes + 1);
        if (colorType != kRgb) {
            dst[0] = 0;
            std::memcpy(dst + 1, cur, rowBytes);
            continue;
        }
        uint64_t bestScore = UINT64_MAX;
        for (int f = 0; f < 5; ++f) {
            uint64_t score = 0;
            for (size_t i = 0; i < rowBytes; ++i) {
                const int left = i >= 3 ? cur[i - 3] : 0;
                const int upLeft = i >= 3 ? prior[i - 3] : 0;
                int pred = 0;
                switch (f) {
                case 1: pred = left; break;
                case 2: pred = prior[i]; break;
                case 3: pred = (left + prior[i]) >> 1; break;
                case 4: pred = paeth(left, prior[i], upLeft); break;
                default: break;
                }
                candidate[i] = uint8_t(cur[i] - pred);
                score += uint64_t(std::abs(int(int8_t(candidate[i]))));
            }
            if (score < bestScore) {
                bestScore = score;
                dst[0] = uint8_t(f);
                std::memcpy(dst + 1, candidate.data(), rowBytes);
            }
        }
    }

    std::vector<uint8_t> out(kSignature, kSignature + 8);
    uint8_t ihdr[13];
    const uint32_t w32 = uint32_t(width), h32 = uint32_t(height);
    for (int i = 0; i < 4; ++i) {
        ihdr[i] = uint8_t(w32 >> (24 - 8 * i));
        ihdr[4 + i] = uint8_t(h32 >> (24 - 8 * i));
    }
    ihdr[8] = 8; // bit depth
    ihdr[9] = uint8_t(colorType);
    ihdr[10] = ihdr[11] = ihdr[12] = 0; // deflate, adaptive filtering, no interlace
    putChunk(out, "IHDR", ihdr, 13);
    if (colorType == kPalette) {
        std::vector<uint8_t> plte;
        for (const auto& c : palette)
            plte.insert(plte.end(), c.begin(), c.end());
        putChunk(out, "PLTE", plte.data(), plte.size());
    }
    const std::vector<uint8_t> z = zlibCompress(filtered.data(), filtered.size());
    // Split the stream into IDAT chunks of at most 1 MiB, as encoders usually do; readers accept any split.
    constexpr size_t kIdatMax = size_t(1) << 20;
    for (size_t pos = 0; pos < z.size(); pos += kIdatMax)
        putChunk(out, "IDAT", z.data() + pos, std::min(kIdatMax, z.size() - pos));
    putChunk(out, "IEND", nullptr, 0);
    return out;
}

} // namespace invseg::png
