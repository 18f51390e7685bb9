// The one check (and message) for images whose header claims more pixels than the caller allows.
#pragma once

#include "invseg/error.h"

#include <cstdint>
#include <string>

namespace invseg {

/// Throws Error(Format) for a zero size and Error(Unsupported) "name: image is WxH (N pixels), over the limit of M
/// pixels" when width × height exceeds maxPixels (or either side exceeds what an int holds).
inline void checkPixelLimit(const std::string& name, uint64_t width, uint64_t height, int64_t maxPixels)
{
    if (width == 0 || height == 0)
        throw Error(ErrorKind::Format, name + ": header gives an empty image (" + std::to_string(width) + "x" +
                                           std::to_string(height) + ")");
    // Both sides fit in 32 bits wherever this is called, so the product cannot overflow 64 bits.
    const uint64_t pixels = width * height;
    const uint64_t limit = maxPixels > 0 ? uint64_t(maxPixels) : 0;
    if (pixels > limit || width > 0x7fffffffu || height > 0x7fffffffu)
        throw Error(ErrorKind::Unsupported, name + ": image is " + std::to_string(width) + "x" +
                                                std::to_string(height) + " (" + std::to_string(pixels) +
                                                " pixels), over the limit of " + std::to_string(limit) + " pixels");
}

} // namespace invseg
