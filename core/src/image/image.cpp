// Loading images and label maps (own PNG/PNM decoders, OpenCV for the rest) and writing PNGs atomically.
#include "invseg/image.h"

#include "image/atomic_file.h"
#include "image/formats.h"
#include "image/pixel_limit.h"
#include "image/png.h"
#include "invseg/error.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unordered_map>

#ifdef INVSEG_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#endif

namespace invseg {
namespace {

[[noreturn]] void formatError(const std::string& path, const std::string& what)
{
    throw Error(ErrorKind::Format, path + ": " + what);
}

/// Reads a whole file. The size cap keeps a huge non-image from being read into memory: no image within maxPixels
/// needs more than 8 bytes a pixel (16-bit RGBA, uncompressed) plus a row byte, and 16 MiB of metadata.
std::vector<uint8_t> readFileBounded(const std::string& path, int64_t maxPixels)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        throw Error(ErrorKind::Io, path + ": cannot open: " + (err == ENOENT ? "no such file" : std::strerror(err)));
    }
    if (S_ISDIR(st.st_mode))
        throw Error(ErrorKind::Io, path + ": is a folder, not an image file");
    // Saturate: a caller may pass INT64_MAX to mean "no limit", and 9 times that wraps around.
    const uint64_t pixels = uint64_t(std::max<int64_t>(maxPixels, 0));
    const uint64_t cap = pixels > (UINT64_MAX - (uint64_t(16) << 20)) / 9 ? UINT64_MAX
                                                                          : pixels * 9 + (uint64_t(16) << 20);
    if (uint64_t(st.st_size) > cap)
        throw Error(ErrorKind::Unsupported, path + ": file is " + std::to_string(st.st_size) +
                                                " bytes, more than any image within the limit of " +
                                                std::to_string(maxPixels) + " pixels needs");
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        throw Error(ErrorKind::Io, path + ": cannot open: " + std::strerror(errno));
    std::vector<uint8_t> bytes(size_t(st.st_size));
    const size_t got = bytes.empty() ? 0 : std::fread(bytes.data(), 1, bytes.size(), f);
    const bool readError = std::ferror(f) != 0;
    std::fclose(f);
    if (readError || got != bytes.size())
        throw Error(ErrorKind::Io, path + ": read failed");
    if (bytes.empty())
        formatError(path, "empty file");
    return bytes;
}

/// One output byte from a sample of `maxValue` range with alpha `a` (same range), composited over white with a single
/// rounding: round((c·a + max·(max − a)) · 255 / max²). With a = max this is round(c · 255 / max).
inline uint8_t toByte(uint64_t c, uint64_t a, uint64_t maxValue)
{
    const uint64_t m2 = maxValue * maxValue;
    return uint8_t(((c * a + maxValue * (maxValue - a)) * 255 + m2 / 2) / m2);
}

/// Interleaved samples (1: gray, 2: gray+alpha, 3: colour, 4: colour+alpha; BGR order when `bgr`) to RGB8.
template <typename T>
Image toRgb8(const T* samples, int width, int height, int channels, size_t rowStride, bool bgr, uint32_t maxValue)
{
    Image img;
    img.width = width;
    img.height = height;
    img.rgb.resize(size_t(width) * size_t(height) * 3);
    const int r = bgr ? 2 : 0, b = bgr ? 0 : 2;
    for (int y = 0; y < height; ++y) {
        const T* s = samples + size_t(y) * rowStride;
        uint8_t* o = img.rgb.data() + size_t(y) * size_t(width) * 3;
        for (int x = 0; x < width; ++x, s += channels, o += 3) {
            switch (channels) {
            case 1: o[0] = o[1] = o[2] = toByte(s[0], maxValue, maxValue); break;
            case 2: o[0] = o[1] = o[2] = toByte(s[0], s[1], maxValue); break;
            case 3:
                o[0] = toByte(s[r], maxValue, maxValue);
                o[1] = toByte(s[1], maxValue, maxValue);
                o[2] = toByte(s[b], maxValue, maxValue);
                break;
            default:
                o[0] = toByte(s[r], s[3], maxValue);
                o[1] = toByte(s[1], s[3], maxValue);
                o[2] = toByte(s[b], s[3], maxValue);
                break;
            }
        }
    }
    return img;
}

Image pngToRgb8(const png::Decoded& d, const std::string& path)
{
    const int w = int(d.header.width), h = int(d.header.height);
    if (d.header.colorType == png::kPalette) {
        Image img;
        img.width = w;
        img.height = h;
        img.rgb.resize(size_t(w) * size_t(h) * 3);
        for (size_t i = 0; i < d.samples8.size(); ++i) {
            const uint8_t idx = d.samples8[i];
            if (idx >= d.palette.size())
                formatError(path, "corrupt PNG (palette index " + std::to_string(idx) + " but only " +
                                      std::to_string(d.palette.size()) + " palette entries)");
            const uint32_t a = idx < d.paletteAlpha.size() ? d.paletteAlpha[idx] : 255;
            for (int c = 0; c < 3; ++c)
                img.rgb[3 * i + size_t(c)] = toByte(d.palette[idx][size_t(c)], a, 255);
        }
        return img;
    }
    const uint32_t maxValue = (1u << d.header.bitDepth) - 1;
    const size_t stride = size_t(w) * size_t(d.channels);
    Image img = d.header.bitDepth == 16 ? toRgb8(d.samples16.data(), w, h, d.channels, stride, false, maxValue)
                                        : toRgb8(d.samples8.data(), w, h, d.channels, stride, false, maxValue);
    if (d.hasColorKey) {
        // tRNS on a gray or RGB image: pixels of exactly this value are fully transparent, hence white.
        const size_t n = size_t(w) * size_t(h);
        for (size_t i = 0; i < n; ++i) {
            bool match = true;
            for (int c = 0; c < d.channels && match; ++c) {
                const size_t at = i * size_t(d.channels) + size_t(c);
                const uint32_t v = d.header.bitDepth == 16 ? d.samples16[at] : d.samples8[at];
                match = v == d.colorKey[size_t(c)];
            }
            if (match)
                std::fill_n(img.rgb.begin() + std::ptrdiff_t(3 * i), 3, uint8_t(255));
        }
    }
    return img;
}

Image pnmToRgb8(const formats::Pnm& p)
{
    const size_t stride = size_t(p.width) * size_t(p.channels);
    return p.maxValue > 255
               ? toRgb8(p.samples16.data(), p.width, p.height, p.channels, stride, false, uint32_t(p.maxValue))
               : toRgb8(p.samples8.data(), p.width, p.height, p.channels, stride, false, uint32_t(p.maxValue));
}

#ifdef INVSEG_HAVE_OPENCV
/// OpenCV's own pixel limit. It reads OPENCV_IO_MAX_IMAGE_PIXELS once, when libopencv_imgcodecs loads, so a process
/// cannot change it afterwards; we can only read the same variable and stay below it, so that the refusal comes from
/// our check (before decoding, with a clear message) and not from inside OpenCV.
int64_t opencvPixelLimit()
{
    int64_t limit = int64_t(1) << 30; // CV_IO_MAX_IMAGE_PIXELS's default
    if (const char* env = std::getenv("OPENCV_IO_MAX_IMAGE_PIXELS")) {
        char* end = nullptr;
        const unsigned long long v = std::strtoull(env, &end, 10);
        if (end && end != env && v > 0 && v < (1ull << 62))
            limit = int64_t(v);
    }
    return limit;
}

Image decodeWithOpenCv(std::vector<uint8_t>& bytes, formats::Format fmt, const std::string& path, int64_t maxPixels)
{
    // JPEG: IMREAD_COLOR applies the EXIF orientation and converts CMYK/YCCK and gray to BGR. Other formats:
    // IMREAD_UNCHANGED, the only mode that keeps alpha and 16-bit samples (it ignores EXIF orientation, which PNG,
    // BMP and WebP files seldom carry).
    const int flags = fmt == formats::Format::Jpeg ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED;
    cv::Mat m;
    try {
        const cv::Mat buf(1, int(std::min<size_t>(bytes.size(), size_t(INT32_MAX))), CV_8U, bytes.data());
        m = cv::imdecode(buf, flags);
    } catch (const cv::Exception& e) {
        std::string msg = e.what();
        std::replace(msg.begin(), msg.end(), '\n', ' ');
        formatError(path, std::string("cannot decode ") + formats::formatName(fmt) + " (" + msg + ")");
    }
    if (m.empty()) {
        if (fmt == formats::Format::Gif)
            throw Error(ErrorKind::Unsupported, path + ": GIF images are not supported by this build's OpenCV; "
                                                       "convert to PNG");
        formatError(path, std::string("cannot decode ") + formats::formatName(fmt) +
                              " data (corrupt or truncated, or a variant OpenCV cannot read)");
    }
    // Formats whose size we could not read beforehand (BigTIFF) are checked now, within OpenCV's own cap.
    checkPixelLimit(path, uint64_t(m.cols), uint64_t(m.rows), maxPixels);
    const int channels = m.channels();
    if (channels < 1 || channels > 4 || (m.depth() != CV_8U && m.depth() != CV_16U))
        throw Error(ErrorKind::Unsupported, path + ": " + formats::formatName(fmt) + " with " +
                                                std::to_string(channels) + " channels of depth " +
                                                std::to_string(m.depth()) + " (only 8- and 16-bit are read)");
    if (m.depth() == CV_16U)
        return toRgb8(m.ptr<uint16_t>(0), m.cols, m.rows, channels, m.step1(), true, 65535);
    return toRgb8(m.ptr<uint8_t>(0), m.cols, m.rows, channels, m.step1(), true, 255);
}
#endif

void checkImageBuffer(const Image& image, const std::string& what)
{
    if (image.width <= 0 || image.height <= 0)
        throw Error(ErrorKind::InvalidInput,
                    what + ": empty image (" + std::to_string(image.width) + "x" + std::to_string(image.height) + ")");
    if (image.rgb.size() != size_t(image.width) * size_t(image.height) * 3)
        throw Error(ErrorKind::InvalidInput, what + ": image buffer holds " + std::to_string(image.rgb.size()) +
                                                 " bytes, a " + std::to_string(image.width) + "x" +
                                                 std::to_string(image.height) + " RGB image needs " +
                                                 std::to_string(size_t(image.width) * size_t(image.height) * 3));
}

void checkLabelBuffer(const LabelMap& labels, const std::string& what)
{
    if (labels.width <= 0 || labels.height <= 0)
        throw Error(ErrorKind::InvalidInput, what + ": empty label map (" + std::to_string(labels.width) + "x" +
                                                 std::to_string(labels.height) + ")");
    if (labels.labels.size() != size_t(labels.width) * size_t(labels.height))
        throw Error(ErrorKind::InvalidInput, what + ": label buffer holds " + std::to_string(labels.labels.size()) +
                                                 " bytes, a " + std::to_string(labels.width) + "x" +
                                                 std::to_string(labels.height) + " map needs " +
                                                 std::to_string(size_t(labels.width) * size_t(labels.height)));
}

/// Maps RGB colours back to VOC indices; the first colour not in the palette is an error naming it.
LabelMap labelsFromVocColours(const uint8_t* samples, int width, int height, int channels, const std::string& path)
{
    std::unordered_map<uint32_t, uint8_t> inverse;
    const auto& pal = vocPalette();
    for (size_t i = 0; i < pal.size(); ++i)
        inverse.emplace((uint32_t(pal[i][0]) << 16) | (uint32_t(pal[i][1]) << 8) | pal[i][2], uint8_t(i));
    LabelMap out;
    out.width = width;
    out.height = height;
    out.labels.resize(size_t(width) * size_t(height));
    for (size_t i = 0; i < out.labels.size(); ++i) {
        const uint8_t* s = samples + i * size_t(channels);
        const auto it = inverse.find((uint32_t(s[0]) << 16) | (uint32_t(s[1]) << 8) | s[2]);
        if (it == inverse.end())
            formatError(path, "colour label map with colour (" + std::to_string(s[0]) + "," + std::to_string(s[1]) +
                                  "," + std::to_string(s[2]) + ") at (" + std::to_string(i % size_t(width)) + "," +
                                  std::to_string(i / size_t(width)) +
                                  ") that is not in the PASCAL VOC palette; save label maps as indexed or "
                                  "grayscale PNG");
        out.labels[i] = it->second;
    }
    return out;
}

} // namespace

ImageInfo probeImage(const std::string& path)
{
    // Headers are small, but a JPEG's frame header can follow large EXIF/ICC segments: read up to 4 MiB.
    // A folder opens fine with fopen on Linux and then reads as empty: name it for what it is.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw Error(ErrorKind::Io, path + ": is a folder, not an image file");
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        const int err = errno;
        throw Error(ErrorKind::Io, path + ": cannot open: " + (err == ENOENT ? "no such file" : std::strerror(err)));
    }
    std::vector<uint8_t> head(size_t(4) << 20);
    const size_t got = std::fread(head.data(), 1, head.size(), f);
    std::fclose(f);
    head.resize(got);
    if (head.empty())
        formatError(path, "empty file");
    const formats::Format fmt = formats::detect(head.data(), head.size());
    if (fmt == formats::Format::Unknown)
        formatError(path, "not an image file (no PNG, JPEG, BMP, GIF, WebP, TIFF or PPM/PGM signature)");
    const formats::Dimensions dims = formats::probe(fmt, head.data(), head.size(), path);
    if (!dims.known || dims.width > INT32_MAX || dims.height > INT32_MAX)
        throw Error(ErrorKind::Unsupported,
                    path + ": cannot read the size from this " + formats::formatName(fmt) + " header");
    return {formats::formatName(fmt), int(dims.width), int(dims.height)};
}

Image loadImage(const std::string& path, int64_t maxPixels)
{
    std::vector<uint8_t> bytes = readFileBounded(path, maxPixels);
    const formats::Format fmt = formats::detect(bytes.data(), bytes.size());
    switch (fmt) {
    case formats::Format::Unknown:
        formatError(path, "not an image file (no PNG, JPEG, BMP, GIF, WebP, TIFF or PPM/PGM signature)");
    case formats::Format::Png: return pngToRgb8(png::decode(bytes.data(), bytes.size(), path, maxPixels), path);
    case formats::Format::Pnm: return pnmToRgb8(formats::decodePnm(bytes.data(), bytes.size(), path, maxPixels));
    default: break;
    }
    const formats::Dimensions dims = formats::probe(fmt, bytes.data(), bytes.size(), path);
#ifdef INVSEG_HAVE_OPENCV
    const int64_t limit = std::min(maxPixels, opencvPixelLimit());
    if (dims.known)
        checkPixelLimit(path, dims.width, dims.height, limit);
    if (fmt == formats::Format::Jpeg)
        formats::checkJpegComplete(bytes.data(), bytes.size(), path);
    return decodeWithOpenCv(bytes, fmt, path, limit);
#else
    if (dims.known)
        checkPixelLimit(path, dims.width, dims.height, maxPixels);
    throw Error(ErrorKind::Unsupported, path + ": " + formats::formatName(fmt) +
                                            " images need a build with OpenCV; this build reads PNG and PPM/PGM only");
#endif
}

LabelMap loadLabelMap(const std::string& path, int64_t maxPixels)
{
    const std::vector<uint8_t> bytes = readFileBounded(path, maxPixels);
    const formats::Format fmt = formats::detect(bytes.data(), bytes.size());
    if (fmt == formats::Format::Pnm) {
        const formats::Pnm p = formats::decodePnm(bytes.data(), bytes.size(), path, maxPixels);
        if (p.maxValue > 255)
            throw Error(ErrorKind::Unsupported, path + ": 16-bit PPM/PGM label maps are not supported");
        if (p.channels == 3)
            return labelsFromVocColours(p.samples8.data(), p.width, p.height, 3, path);
        return LabelMap{p.width, p.height, p.samples8};
    }
    if (fmt != formats::Format::Png) {
        if (fmt == formats::Format::Unknown)
            formatError(path, "not an image file (no PNG or PPM/PGM signature)");
        throw Error(ErrorKind::Unsupported,
                    path + ": label maps must be PNG (indexed or grayscale) or PGM, not " + formats::formatName(fmt));
    }
    png::Decoded d = png::decode(bytes.data(), bytes.size(), path, maxPixels);
    const int w = int(d.header.width), h = int(d.header.height);
    switch (d.header.colorType) {
    case png::kPalette:
    case png::kGray:
        if (d.header.bitDepth == 16) {
            LabelMap out{w, h, std::vector<uint8_t>(d.samples16.size())};
            for (size_t i = 0; i < d.samples16.size(); ++i) {
                if (d.samples16[i] > 255)
                    formatError(path, "16-bit label map with value " + std::to_string(d.samples16[i]) + " at (" +
                                          std::to_string(i % size_t(w)) + "," + std::to_string(i / size_t(w)) +
                                          "); labels go up to 255");
                out.labels[i] = uint8_t(d.samples16[i]);
            }
            return out;
        }
        return LabelMap{w, h, std::move(d.samples8)};
    case png::kGrayAlpha: {
        LabelMap out{w, h, std::vector<uint8_t>(size_t(w) * size_t(h))};
        for (size_t i = 0; i < out.labels.size(); ++i) {
            const uint32_t v = d.header.bitDepth == 16 ? d.samples16[2 * i] : d.samples8[2 * i];
            if (v > 255)
                formatError(path, "16-bit label map with value " + std::to_string(v) + "; labels go up to 255");
            out.labels[i] = uint8_t(v);
        }
        return out;
    }
    default: {
        // RGB(A): accepted only as exact VOC colours. 16-bit colour is brought to 8 bits first; only multiples of
        // 257 (what an 8-bit colour becomes) can be exact, anything else would silently round onto some colour.
        std::vector<uint8_t> rgb8(size_t(w) * size_t(h) * size_t(d.channels));
        for (size_t i = 0; i < rgb8.size(); ++i) {
            if (d.header.bitDepth == 16 && d.samples16[i] % 257 != 0) {
                const size_t px = i / size_t(d.channels);
                formatError(path, "16-bit colour label map with sample " + std::to_string(d.samples16[i]) + " at (" +
                                      std::to_string(px % size_t(w)) + "," + std::to_string(px / size_t(w)) +
                                      ") that is no 8-bit VOC colour; save label maps as indexed or grayscale PNG");
            }
            rgb8[i] = d.header.bitDepth == 16 ? uint8_t(d.samples16[i] / 257) : d.samples8[i];
        }
        return labelsFromVocColours(rgb8.data(), w, h, d.channels, path);
    }
    }
}

void saveRgbPng(const std::string& path, const Image& image)
{
    checkImageBuffer(image, path);
    const std::vector<uint8_t> bytes = png::encode(image.width, image.height, png::kRgb, image.rgb.data());
    writeFileAtomic(path, bytes.data(), bytes.size());
}

void saveIndexedPng(const std::string& path, const LabelMap& labels, const std::vector<std::array<uint8_t, 3>>& palette)
{
    checkLabelBuffer(labels, path);
    if (palette.empty() || palette.size() > 256)
        throw Error(ErrorKind::InvalidInput,
                    path + ": a PNG palette holds 1 to 256 colours, got " + std::to_string(palette.size()));
    for (size_t i = 0; i < labels.labels.size(); ++i)
        if (labels.labels[i] >= palette.size())
            throw Error(ErrorKind::InvalidInput,
                        path + ": label " + std::to_string(labels.labels[i]) + " at (" +
                            std::to_string(i % size_t(labels.width)) + "," + std::to_string(i / size_t(labels.width)) +
                            ") has no colour in a " + std::to_string(palette.size()) + "-colour palette");
    const std::vector<uint8_t> bytes = png::encode(labels.width, labels.height, png::kPalette, labels.labels.data(),
                                                   palette);
    writeFileAtomic(path, bytes.data(), bytes.size());
}

} // namespace invseg
