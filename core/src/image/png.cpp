// PNG reading and writing through libpng. libpng reports errors by longjmp: every libpng call that can fail runs
// under callLibpng(), whose frame holds no locals, from functions whose locals are all trivially destructible; the
// message is copied into the Context and turned into invseg::Error once control is back in ordinary C++.
#include "image/png.h"

#include "image/pixel_limit.h"
#include "invseg/error.h"
#include "util/byte_order.h"

#include <png.h>
#include <zlib.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <new>

namespace invseg::png {
namespace {

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
// libpng's default limit is 1,000,000 pixels a side; the caller's pixel budget (checked first) is what bounds us.
constexpr png_uint_32 kMaxSide = 0x7fffffffu;

/// CRC-32 of a chunk's type and body (n is at most 2^31 + 3, so it fits zlib's uInt).
uint32_t chunkCrc(const uint8_t* p, size_t n)
{
    return uint32_t(::crc32(::crc32(0L, Z_NULL, 0), p, uInt(n)));
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

/// Walks the chunks from the signature to IEND: each must lie inside the file and match its CRC. libpng checks the
/// same while decoding but reports only the symptom (a damaged chunk type reads as "invalid chunk type", a cut file
/// as a failed read); this names the chunk and its offset, and tells a cut file from a damaged one.
void checkChunks(const uint8_t* data, size_t size, const std::string& name)
{
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
                           std::to_string(uint64_t(len) + 12) + " bytes, the file has " + std::to_string(size - pos) +
                           " left)");
        if (chunkCrc(type, size_t(len) + 4) != be32(type + 4 + len))
            fail(name, "corrupt PNG (CRC mismatch in chunk " + tname + " at offset " + std::to_string(pos) + ")");
        if (std::memcmp(type, "IEND", 4) == 0)
            return;
        pos += size_t(len) + 12;
    }
    fail(name, "truncated PNG (no IEND chunk)");
}

// --- libpng plumbing ---------------------------------------------------------------------------------------------

/// What the callbacks share with the code that called libpng. Trivially destructible and owned by that code, so a
/// longjmp can skip nothing in it.
struct Context {
    const uint8_t* data = nullptr; ///< reading: the file
    size_t size = 0;
    size_t pos = 0;
    std::vector<uint8_t>* out = nullptr; ///< writing: the encoded bytes
    bool outOfMemory = false;
    char message[256] = {};
};

void onError(png_structp png, png_const_charp message)
{
    auto* ctx = static_cast<Context*>(png_get_error_ptr(png));
    std::snprintf(ctx->message, sizeof ctx->message, "%s", message ? message : "unknown libpng error");
    png_longjmp(png, 1);
}

void onWarning(png_structp, png_const_charp) {}

void readFromMemory(png_structp png, png_bytep out, size_t n)
{
    auto* ctx = static_cast<Context*>(png_get_io_ptr(png));
    if (n > ctx->size - ctx->pos)
        png_error(png, "unexpected end of the file");
    std::memcpy(out, ctx->data + ctx->pos, n);
    ctx->pos += n;
}

void writeToMemory(png_structp png, png_bytep data, size_t n)
{
    auto* ctx = static_cast<Context*>(png_get_io_ptr(png));
    bool appended = false;
    try {
        ctx->out->insert(ctx->out->end(), data, data + n);
        appended = true;
    } catch (const std::bad_alloc&) {
        ctx->outOfMemory = true;
    }
    // Outside the try block: png_error longjmps, which must not cross a live exception or handler.
    if (!appended)
        png_error(png, "out of memory for the encoded image");
}

void flushMemory(png_structp) {}

/// Calls body(png, info, arg) with libpng's error jump set in this frame, which has no locals at all. Returns false
/// when libpng reported an error (the message is in the Context).
bool callLibpng(png_structp png, png_infop info, void (*body)(png_structp, png_infop, void*), void* arg)
{
    if (setjmp(png_jmpbuf(png)))
        return false;
    body(png, info, arg);
    return true;
}

class Reader {
public:
    explicit Reader(Context& ctx)
    {
        m_png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, onError, onWarning);
        if (m_png)
            m_info = png_create_info_struct(m_png);
        if (!m_png || !m_info) {
            png_destroy_read_struct(m_png ? &m_png : nullptr, nullptr, nullptr);
            throw Error(ErrorKind::OutOfMemory, "PNG: libpng could not set up a decoder");
        }
        png_set_user_limits(m_png, kMaxSide, kMaxSide);
        png_set_read_fn(m_png, &ctx, readFromMemory);
    }
    ~Reader() { png_destroy_read_struct(&m_png, &m_info, nullptr); }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    png_structp png() const { return m_png; }
    png_infop info() const { return m_info; }

private:
    png_structp m_png = nullptr;
    png_infop m_info = nullptr;
};

class Writer {
public:
    explicit Writer(Context& ctx)
    {
        m_png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, onError, onWarning);
        if (m_png)
            m_info = png_create_info_struct(m_png);
        if (!m_png || !m_info) {
            png_destroy_write_struct(m_png ? &m_png : nullptr, nullptr);
            throw Error(ErrorKind::OutOfMemory, "PNG: libpng could not set up an encoder");
        }
        png_set_user_limits(m_png, kMaxSide, kMaxSide);
        png_set_write_fn(m_png, &ctx, writeToMemory, flushMemory);
    }
    ~Writer() { png_destroy_write_struct(&m_png, &m_info); }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    png_structp png() const { return m_png; }
    png_infop info() const { return m_info; }

private:
    png_structp m_png = nullptr;
    png_infop m_info = nullptr;
};

/// The rows to decode into, prepared by the caller (which owns the buffer) from IHDR.
struct ReadJob {
    png_bytepp rows;
    size_t rowBytes;
};

void readBody(png_structp png, png_infop info, void* arg)
{
    const auto* job = static_cast<const ReadJob*>(arg);
    png_read_info(png, info);
    if (png_get_bit_depth(png, info) < 8)
        png_set_packing(png); // one sample per byte, values as stored
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != job->rowBytes)
        png_error(png, "unexpected row layout after the transformations");
    png_read_image(png, job->rows);
    png_read_end(png, nullptr);
}

struct WriteJob {
    png_uint_32 width, height;
    int colorType;
    png_const_colorp palette;
    int paletteSize;
    const uint8_t* pixels;
    size_t rowBytes;
};

void writeBody(png_structp png, png_infop info, void* arg)
{
    const auto* job = static_cast<const WriteJob*>(arg);
    png_set_IHDR(png, info, job->width, job->height, 8, job->colorType, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (job->colorType == PNG_COLOR_TYPE_PALETTE)
        png_set_PLTE(png, info, job->palette, job->paletteSize);
    png_write_info(png, info);
    for (png_uint_32 y = 0; y < job->height; ++y)
        png_write_row(png, job->pixels + size_t(y) * job->rowBytes);
    png_write_end(png, nullptr);
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
    if (chunkCrc(c + 4, 17) != be32(c + 21))
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
    checkPixelLimit(name, h.width, h.height, maxPixels);
    checkChunks(data, size, name);
    out.channels = channelsOf(h.colorType);

    // libpng writes the rows straight into the samples: 16-bit samples arrive big-endian and are swapped below.
    const size_t samplesPerRow = size_t(h.width) * size_t(out.channels);
    const size_t samples = samplesPerRow * h.height;
    std::vector<png_bytep> rows(h.height);
    png_bytep base = nullptr;
    size_t rowBytes = samplesPerRow;
    if (h.bitDepth == 16) {
        out.samples16.resize(samples);
        base = reinterpret_cast<png_bytep>(out.samples16.data());
        rowBytes *= 2;
    } else {
        out.samples8.resize(samples);
        base = out.samples8.data();
    }
    for (size_t y = 0; y < rows.size(); ++y)
        rows[y] = base + y * rowBytes;

    Context ctx;
    ctx.data = data;
    ctx.size = size;
    Reader reader(ctx);
    ReadJob job{rows.data(), rowBytes};
    if (!callLibpng(reader.png(), reader.info(), readBody, &job))
        fail(name, std::string("corrupt PNG (") + ctx.message + ")");

    for (uint16_t& s : out.samples16) {
        uint8_t b[2];
        std::memcpy(b, &s, 2);
        s = uint16_t((b[0] << 8) | b[1]);
    }
    png_colorp plte = nullptr;
    int plteSize = 0;
    if (png_get_PLTE(reader.png(), reader.info(), &plte, &plteSize) & PNG_INFO_PLTE)
        for (int i = 0; i < plteSize; ++i)
            out.palette.push_back({plte[i].red, plte[i].green, plte[i].blue});
    png_bytep alpha = nullptr;
    int alphaCount = 0;
    png_color_16p key = nullptr;
    if (png_get_tRNS(reader.png(), reader.info(), &alpha, &alphaCount, &key) & PNG_INFO_tRNS) {
        if (h.colorType == kPalette && alpha) {
            out.paletteAlpha.assign(alpha, alpha + alphaCount);
        } else if (h.colorType == kGray && key) {
            out.hasColorKey = true;
            out.colorKey[0] = key->gray;
        } else if (h.colorType == kRgb && key) {
            out.hasColorKey = true;
            out.colorKey = {key->red, key->green, key->blue};
        }
    }
    return out;
}

std::vector<uint8_t> encode(int width, int height, ColorType colorType, const uint8_t* pixels,
                            const std::vector<std::array<uint8_t, 3>>& palette)
{
    if (width <= 0 || height <= 0)
        throw Error(ErrorKind::InvalidInput,
                    "PNG: cannot encode an empty image (" + std::to_string(width) + "x" + std::to_string(height) + ")");
    if (colorType != kRgb && colorType != kGray && colorType != kPalette)
        throw Error(ErrorKind::InvalidInput, "PNG: the encoder writes only 8-bit gray, RGB and palette images");
    if (colorType == kPalette && (palette.empty() || palette.size() > 256))
        throw Error(ErrorKind::InvalidInput,
                    "PNG: a palette needs 1 to 256 colours, got " + std::to_string(palette.size()));
    std::vector<png_color> plte;
    for (const auto& c : palette)
        plte.push_back({c[0], c[1], c[2]});

    std::vector<uint8_t> out;
    Context ctx;
    ctx.out = &out;
    Writer writer(ctx);
    WriteJob job{png_uint_32(width),
                 png_uint_32(height),
                 colorType,
                 plte.data(),
                 int(plte.size()),
                 pixels,
                 size_t(width) * size_t(colorType == kRgb ? 3 : 1)};
    if (!callLibpng(writer.png(), writer.info(), writeBody, &job)) {
        if (ctx.outOfMemory)
            throw Error(ErrorKind::OutOfMemory, "PNG: out of memory encoding a " + std::to_string(width) + "x" +
                                                    std::to_string(height) + " image");
        throw Error(ErrorKind::InvalidInput, "PNG: libpng cannot encode a " + std::to_string(width) + "x" +
                                                 std::to_string(height) + " image (" + ctx.message + ")");
    }
    return out;
}

} // namespace invseg::png
