// Image container sniffing and header parsing (sizes without decoding), plus the binary PPM/PGM reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace invseg::formats {

enum class Format { Unknown, Png, Jpeg, Bmp, Gif, WebP, Tiff, Pnm };

/// Lower-case short name ("png", "jpeg", ...; "unknown").
const char* formatName(Format f);

/// The format announced by the first bytes (magic numbers), or Unknown.
Format detect(const uint8_t* data, size_t size);

/// Width and height from the header. `known` is false only where the header cannot say cheaply (BigTIFF, a TIFF
/// whose first directory lacks the tags). Throws Error(Format) naming `name` when the header is cut short or
/// impossible, Error(Unsupported) for a JPEG whose height is deferred to a DNL marker.
struct Dimensions {
    uint64_t width = 0, height = 0;
    bool known = false;
};
Dimensions probe(Format f, const uint8_t* data, size_t size, const std::string& name);

/// Throws Error(Format) naming `name` when a JPEG has no end-of-image marker after its first scan, i.e. the file was
/// cut short (libjpeg would pad the missing part with grey and only warn).
void checkJpegComplete(const uint8_t* data, size_t size, const std::string& name);

/// A decoded binary PNM (P5 gray or P6 RGB), samples as stored: 8-bit when maxValue < 256, else 16-bit.
struct Pnm {
    int width = 0, height = 0, channels = 0, maxValue = 0;
    std::vector<uint8_t> samples8;
    std::vector<uint16_t> samples16;
};

/// Decodes P5/P6. Checks the size against maxPixels before allocating; Error(Format) for a short or malformed file.
Pnm decodePnm(const uint8_t* data, size_t size, const std::string& name, int64_t maxPixels);

} // namespace invseg::formats
