// Resizing without OpenCV: Pillow-style separable triangle filter for images, centre sampling for label maps.
#include "invseg/error.h"
#include "invseg/image.h"

#include <algorithm>
#include <cmath>

namespace invseg {
namespace {

void checkTarget(const char* what, int srcW, int srcH, size_t bufferSize, size_t channels, int w, int h)
{
    if (srcW <= 0 || srcH <= 0 || bufferSize != size_t(srcW) * size_t(srcH) * channels)
        throw Error(ErrorKind::InvalidInput, std::string(what) + ": empty or inconsistent source (" +
                                                 std::to_string(srcW) + "x" + std::to_string(srcH) + ", " +
                                                 std::to_string(bufferSize) + " bytes)");
    if (w <= 0 || h <= 0)
        throw Error(ErrorKind::InvalidInput,
                    std::string(what) + ": target size " + std::to_string(w) + "x" + std::to_string(h) + " is empty");
}

/// Normalised filter taps of one output sample: weights of source samples first..first+count-1.
struct Taps {
    std::vector<int> first, count;
    std::vector<double> weights; // ksize per output
    int ksize = 0;
};

/// Pillow's precompute_coeffs with the triangle filter: when shrinking, the filter is stretched by the scale so every
/// source pixel contributes (an area-like average); when enlarging it is plain linear interpolation.
Taps computeTaps(int inSize, int outSize)
{
    const double scale = double(inSize) / outSize;
    const double filterScale = std::max(1.0, scale);
    const double support = 1.0 * filterScale;
    Taps t;
    t.ksize = int(std::ceil(support)) * 2 + 1;
    t.first.resize(size_t(outSize));
    t.count.resize(size_t(outSize));
    t.weights.assign(size_t(outSize) * size_t(t.ksize), 0.0);
    for (int i = 0; i < outSize; ++i) {
        const double center = (i + 0.5) * scale;
        int lo = int(center - support + 0.5);
        if (lo < 0)
            lo = 0;
        int hi = int(center + support + 0.5);
        if (hi > inSize)
            hi = inSize;
        const int n = std::min(hi - lo, t.ksize);
        double* w = t.weights.data() + size_t(i) * size_t(t.ksize);
        double total = 0;
        for (int k = 0; k < n; ++k) {
            const double x = std::abs((k + lo - center + 0.5) / filterScale);
            w[k] = x < 1.0 ? 1.0 - x : 0.0;
            total += w[k];
        }
        for (int k = 0; k < n && total > 0; ++k)
            w[k] /= total;
        t.first[size_t(i)] = lo;
        t.count[size_t(i)] = n;
    }
    return t;
}

inline uint8_t clampRound(double v)
{
    return uint8_t(std::clamp(std::floor(v + 0.5), 0.0, 255.0));
}

} // namespace

Image resizeBilinear(const Image& image, int width, int height)
{
    checkTarget("resizeBilinear", image.width, image.height, image.rgb.size(), 3, width, height);
    if (width == image.width && height == image.height)
        return image;
    // Horizontal pass, then vertical, each rounded to 8 bits in between as Pillow does.
    Image horiz;
    if (width == image.width) {
        horiz = image;
    } else {
        const Taps t = computeTaps(image.width, width);
        horiz.width = width;
        horiz.height = image.height;
        horiz.rgb.resize(size_t(width) * size_t(image.height) * 3);
        for (int y = 0; y < image.height; ++y) {
            const uint8_t* src = image.rgb.data() + size_t(y) * size_t(image.width) * 3;
            uint8_t* dst = horiz.rgb.data() + size_t(y) * size_t(width) * 3;
            for (int x = 0; x < width; ++x) {
                const double* w = t.weights.data() + size_t(x) * size_t(t.ksize);
                double acc[3] = {0, 0, 0};
                for (int k = 0; k < t.count[size_t(x)]; ++k) {
                    const uint8_t* p = src + size_t(t.first[size_t(x)] + k) * 3;
                    for (int c = 0; c < 3; ++c)
                        acc[c] += w[k] * p[c];
                }
                for (int c = 0; c < 3; ++c)
                    dst[3 * x + c] = clampRound(acc[c]);
            }
        }
    }
    if (height == horiz.height)
        return horiz;
    const Taps t = computeTaps(horiz.height, height);
    Image out;
    out.width = width;
    out.height = height;
    out.rgb.resize(size_t(width) * size_t(height) * 3);
    const size_t row = size_t(width) * 3;
    for (int y = 0; y < height; ++y) {
        const double* w = t.weights.data() + size_t(y) * size_t(t.ksize);
        uint8_t* dst = out.rgb.data() + size_t(y) * row;
        for (size_t i = 0; i < row; ++i) {
            double acc = 0;
            for (int k = 0; k < t.count[size_t(y)]; ++k)
                acc += w[k] * horiz.rgb[size_t(t.first[size_t(y)] + k) * row + i];
            dst[i] = clampRound(acc);
        }
    }
    return out;
}

LabelMap resizeNearest(const LabelMap& labels, int width, int height)
{
    checkTarget("resizeNearest", labels.width, labels.height, labels.labels.size(), 1, width, height);
    std::vector<int> xs(static_cast<size_t>(width));
    for (int x = 0; x < width; ++x)
        xs[size_t(x)] = std::min(labels.width - 1, int((x + 0.5) * labels.width / width));
    LabelMap out;
    out.width = width;
    out.height = height;
    out.labels.resize(size_t(width) * size_t(height));
    for (int y = 0; y < height; ++y) {
        const int sy = std::min(labels.height - 1, int((y + 0.5) * labels.height / height));
        const uint8_t* src = labels.labels.data() + size_t(sy) * size_t(labels.width);
        uint8_t* dst = out.labels.data() + size_t(y) * size_t(width);
        for (int x = 0; x < width; ++x)
            dst[x] = src[xs[size_t(x)]];
    }
    return out;
}

} // namespace invseg
