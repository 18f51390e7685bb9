// Colour overlays of label maps and colour-mapped heat maps (attention maps, posteriors) as RGB images.
#include "export/colormap_tables.h"
#include "invseg/error.h"
#include "invseg/exports.h"

#include <algorithm>
#include <cmath>

namespace invseg {

Image colorOverlay(const Image& image, const LabelMap& labels, float alpha,
                   const std::vector<std::array<uint8_t, 3>>& palette)
{
    if (image.empty() || image.rgb.size() != size_t(image.width) * size_t(image.height) * 3)
        throw Error(ErrorKind::InvalidInput, "colorOverlay: empty or inconsistent image");
    if (labels.empty() || labels.labels.size() != size_t(labels.width) * size_t(labels.height))
        throw Error(ErrorKind::InvalidInput, "colorOverlay: empty or inconsistent label map");
    if (!(alpha >= 0.0f && alpha <= 1.0f))
        throw Error(ErrorKind::InvalidInput, "colorOverlay: alpha " + std::to_string(alpha) + " is outside [0, 1]");
    const LabelMap sized = (labels.width == image.width && labels.height == image.height)
                               ? labels
                               : resizeNearest(labels, image.width, image.height);
    Image out = image;
    const float keep = 1.0f - alpha;
    for (size_t i = 0; i < sized.labels.size(); ++i) {
        const uint8_t v = sized.labels[i];
        if (v == 0 || v == kIgnoreLabel)
            continue;
        if (v >= palette.size())
            throw Error(ErrorKind::InvalidInput, "colorOverlay: label " + std::to_string(v) + " has no colour in a " +
                                                     std::to_string(palette.size()) + "-colour palette");
        for (int c = 0; c < 3; ++c) {
            uint8_t& o = out.rgb[3 * i + size_t(c)];
            o = uint8_t(std::lround(keep * o + alpha * palette[v][size_t(c)]));
        }
    }
    return out;
}

Colormap colormapFromName(const std::string& name)
{
    if (name == "viridis")
        return Colormap::Viridis;
    if (name == "jet")
        return Colormap::Jet;
    if (name == "magma")
        return Colormap::Magma;
    if (name == "gray" || name == "grey")
        return Colormap::Gray;
    throw Error(ErrorKind::InvalidInput, "unknown colour map '" + name + "' (viridis, jet, magma, gray)");
}

const char* colormapName(Colormap colormap)
{
    switch (colormap) {
    case Colormap::Viridis: return "viridis";
    case Colormap::Jet: return "jet";
    case Colormap::Magma: return "magma";
    case Colormap::Gray: return "gray";
    }
    return "viridis";
}

Image heatmapImage(const float* values, int width, int height, Colormap colormap)
{
    if (!values || width <= 0 || height <= 0)
        throw Error(ErrorKind::InvalidInput,
                    "heatmapImage: no values or empty size " + std::to_string(width) + "x" + std::to_string(height));
    const uint8_t(*table)[3] = nullptr;
    switch (colormap) {
    case Colormap::Viridis: table = colormaps::kViridis; break;
    case Colormap::Jet: table = colormaps::kJet; break;
    case Colormap::Magma: table = colormaps::kMagma; break;
    case Colormap::Gray: break;
    }
    Image out;
    out.width = width;
    out.height = height;
    out.rgb.resize(size_t(width) * size_t(height) * 3);
    for (size_t i = 0; i < size_t(width) * size_t(height); ++i) {
        const float v = std::isnan(values[i]) ? 0.0f : std::clamp(values[i], 0.0f, 1.0f);
        // matplotlib's lookup: ⌊256·v⌋, with v = 1 falling into the last entry.
        const int index = std::min(255, int(v * 256.0f));
        uint8_t* o = out.rgb.data() + 3 * i;
        if (table) {
            o[0] = table[index][0];
            o[1] = table[index][1];
            o[2] = table[index][2];
        } else {
            o[0] = o[1] = o[2] = uint8_t(index);
        }
    }
    return out;
}

} // namespace invseg
