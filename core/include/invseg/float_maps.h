// Plain float maps [C, h, w] (attention maps, posteriors, anchors, text conditioning): what the engine's API hands out
// instead of tensors, so that its callers need no LibTorch headers.
#pragma once

#include <cstddef>
#include <vector>

namespace invseg {

/// Row-major float32 values of `channels` maps of height × width: data.size() == channels * height * width, and
/// value (c, y, x) is data[(c * height + y) * width + x]. Empty (all zero) when a map was not asked for.
struct FloatMaps {
    int channels = 0, height = 0, width = 0;
    std::vector<float> data;

    bool empty() const { return channels <= 0 || height <= 0 || width <= 0 || data.empty(); }
    size_t planeSize() const { return static_cast<size_t>(height) * static_cast<size_t>(width); }
    /// The first value of map c (planeSize() values follow). No bounds check.
    const float* plane(int c) const { return data.data() + static_cast<size_t>(c) * planeSize(); }
    float at(int c, int y, int x) const { return plane(c)[static_cast<size_t>(y) * width + x]; }
};

/// Resizes every map to width × height with bilinear interpolation, pixel centres aligned (LibTorch's
/// interpolate(mode = bilinear, align_corners = false), no antialiasing), the same function the engine uses for its
/// own label maps. Error(InvalidInput) for empty maps, a buffer that does not match the sizes, or a target below 1.
FloatMaps resizeMapsBilinear(const FloatMaps& maps, int width, int height);

} // namespace invseg
