// 8-bit RGB images and label maps: loading (bounded, validated), PNG writing, the PASCAL VOC palette, resizing.
//
// Works with and without OpenCV. What each build reads:
//   - always: PNG through libpng (every colour type and bit depth, interlaced or not) and binary PPM/PGM (P6/P5, own
//     reader);
//   - with OpenCV (INVSEG_HAVE_OPENCV): also JPEG (including CMYK/YCCK; EXIF orientation applied), BMP, TIFF, WebP.
//     GIF is recognised (its size is checked) but this OpenCV cannot decode it: Error(Unsupported).
// Writing is always PNG, through libpng.
//
// Errors: every function throws invseg::Error with a one-line message naming the file (or the bad argument):
//   Io          the file is missing, unreadable, a folder, or cannot be written;
//   Format      empty, truncated, corrupt, or not an image at all (e.g. text named .png);
//   Unsupported a valid image this build cannot read (JPEG without OpenCV, GIF, 32-bit float TIFF, ...), or one whose
//               header claims more than maxPixels pixels: "image is WxH (N pixels), over the limit of M pixels";
//   InvalidInput bad arguments (empty image, sizes that do not match the buffers, palette too small).
// All functions are reentrant: they share no state, so different threads may use them at once.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace invseg {

/// Row-major RGB, 8 bits per channel, no padding: rgb.size() == width * height * 3.
struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
    bool empty() const { return width <= 0 || height <= 0 || rgb.empty(); }
};

/// Row-major class indices, one byte per pixel: 0 = background, 1..N = classes, 255 = ignore (VOC's "void").
struct LabelMap {
    int width = 0, height = 0;
    std::vector<uint8_t> labels;
    bool empty() const { return width <= 0 || height <= 0 || labels.empty(); }
};

/// The label that evaluation and export skip (VOC's object boundaries and "void" areas).
constexpr uint8_t kIgnoreLabel = 255;

/// The default limit of loadImage() and loadLabelMap(): 100 megapixels.
constexpr int64_t kDefaultMaxPixels = 100'000'000;

/// What a file's header says, read without decoding the pixels.
struct ImageInfo {
    std::string format; ///< "png", "jpeg", "bmp", "gif", "webp", "tiff", "pnm"
    int width = 0, height = 0;
};

/// Reads only the header of an image file (PNG, JPEG, BMP, GIF, WebP, TIFF, PPM/PGM; any build). Throws Error(Io) for
/// a missing file, Error(Format) for anything that is not one of those formats or whose header is damaged.
ImageInfo probeImage(const std::string& path);

/// Loads an image as RGB8. The size in the file's header is checked against maxPixels before anything is decoded or
/// allocated (for every format listed above), so a small file claiming a huge size costs nothing. Conversions:
/// 16-bit samples are scaled to 8 bits (rounded, v * 255 / 65535); grayscale is replicated to RGB; an alpha channel
/// (or PNG tRNS transparency) is composited over white, so transparent areas become white rather than whatever
/// colour the encoder left under them; CMYK JPEGs are converted by OpenCV. A truncated PNG or JPEG (no IEND / no
/// end-of-image marker) is an Error(Format) rather than a partly grey image.
/// With OpenCV, its own OPENCV_IO_MAX_IMAGE_PIXELS (read once when OpenCV loads, 2^30 by default) is honoured too:
/// the effective limit for formats OpenCV decodes is the smaller of the two, so the message names it.
Image loadImage(const std::string& path, int64_t maxPixels = kDefaultMaxPixels);

/// Loads a ground-truth label map: the palette *indices* of an indexed PNG (not its colours), or the values of an
/// 8-bit (or 1/2/4-bit, values not rescaled) grayscale PNG or PGM. 16-bit grayscale is accepted when every value is at
/// most 255. An RGB(A) PNG or PPM is accepted only when every colour is in the PASCAL VOC palette (it is then mapped
/// back to the index); otherwise Error(Format) names the first unknown colour and its position. Other formats:
/// Error(Unsupported). Alpha is ignored.
LabelMap loadLabelMap(const std::string& path, int64_t maxPixels = kDefaultMaxPixels);

/// Writes an 8-bit RGB PNG, atomically: the bytes go to `<path>.tmp-<pid>`, which is then renamed to path. On failure
/// the temporary file is removed and Error(Io) names path; an unwritable folder leaves nothing behind.
/// Error(InvalidInput) for an empty image or one whose buffer does not match its size.
void saveRgbPng(const std::string& path, const Image& image);

/// Writes an 8-bit palette PNG (colour type 3, PLTE = palette, pixel value = label), atomically as saveRgbPng.
/// Error(InvalidInput) for an empty map, a palette of 0 or more than 256 colours, or a label with no palette entry.
void saveIndexedPng(const std::string& path, const LabelMap& labels,
                    const std::vector<std::array<uint8_t, 3>>& palette);

/// The PASCAL VOC colour of a label (the bit-interleaving colour map of the VOC devkit): 0 = (0,0,0),
/// 1 = (128,0,0), 2 = (0,128,0), ..., 15 = (192,128,128) "person", 255 = (224,224,192). Error(InvalidInput) outside
/// 0..255.
std::array<uint8_t, 3> vocColor(int index);

/// All 256 VOC colours, index = label.
const std::vector<std::array<uint8_t, 3>>& vocPalette();

/// Resizes with a triangle (bilinear) filter whose support widens with the reduction factor when shrinking, so large
/// reductions average rather than alias; this is Pillow's Image.resize(BILINEAR) (up to ±1 from rounding). Pixel
/// centres are aligned (half-pixel convention). Error(InvalidInput) for an empty source or a target size below 1.
Image resizeBilinear(const Image& image, int width, int height);

/// Resizes a label map by nearest neighbour, sampling the source pixel under each target pixel's centre, so no new
/// labels appear. Error(InvalidInput) as resizeBilinear.
LabelMap resizeNearest(const LabelMap& labels, int width, int height);

} // namespace invseg
