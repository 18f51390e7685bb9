// libFuzzer target: the PNG decoder (libpng behind png::decode) on arbitrary bytes, and the encoder on what decodes.
//
// Only invseg::Error may come out of decoding. What decodes must be self-consistent (sample counts match the header),
// and an 8-bit-or-less gray, palette or RGB image must survive encode + decode unchanged.
#include "image/png.h"
#include "invseg/error.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace invseg;
    png::Decoded d;
    try {
        d = png::decode(data, size, "fuzz.png", int64_t(1) << 20);
    } catch (const Error&) {
        return 0;
    }
    const size_t samples = size_t(d.header.width) * d.header.height * size_t(d.channels);
    if ((d.header.bitDepth == 16 ? d.samples16.size() : d.samples8.size()) != samples)
        std::abort();
    const int maxValue = (1 << d.header.bitDepth) - 1;
    for (uint8_t v : d.samples8)
        if (v > maxValue)
            std::abort(); // a sub-byte sample outside its range: unpacking went wrong

    const bool palette = d.header.colorType == png::kPalette && !d.palette.empty();
    const bool gray = d.header.colorType == png::kGray && d.header.bitDepth <= 8;
    const bool rgb = d.header.colorType == png::kRgb && d.header.bitDepth == 8;
    if (!palette && !gray && !rgb)
        return 0;
    const auto type = palette ? png::kPalette : gray ? png::kGray : png::kRgb;
    const std::vector<uint8_t> again = png::encode(int(d.header.width), int(d.header.height), type, d.samples8.data(),
                                                   d.palette);
    const png::Decoded back = png::decode(again.data(), again.size(), "again.png", int64_t(1) << 20);
    if (back.samples8 != d.samples8 || (palette && back.palette != d.palette))
        std::abort();
    return 0;
}
