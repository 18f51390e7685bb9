// Integer helpers for the toy world's fixed-point geometry: floor division, sine table, colour maths.
#pragma once

#include <cstdint>

namespace invseg::toy {

/// Normalised scene coordinates: 0..kUnit spans the image side, so a layout is independent of the size.
/// Pixel x of an n-pixel side has its centre at (2x + 1) * kUnit / (2n), exact for powers of two up to 4096.
constexpr int64_t kUnit = 65536;

/// kUnit * num / den, for writing fractions of the image side as integers.
constexpr int64_t frac(int64_t num, int64_t den)
{
    return kUnit * num / den;
}

/// Division rounding towards minus infinity (b > 0), unlike C++'s truncation.
inline int64_t floorDiv(int64_t a, int64_t b)
{
    const int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/// The non-negative remainder of floorDiv (b > 0).
inline int64_t floorMod(int64_t a, int64_t b)
{
    const int64_t m = a % b;
    return m < 0 ? m + b : m;
}

/// Sine of an angle in 1/kUnit turns, scaled to [-16384, 16384]; a table with linear interpolation,
/// accurate to about 2 units. Integer only, so every platform gets the same value.
int32_t intSin(int64_t angle);
inline int32_t intCos(int64_t angle)
{
    return intSin(angle + kUnit / 4);
}

/// An RGB colour with unclamped int channels (clamped when stored).
struct Rgb {
    int r = 0, g = 0, b = 0;
};

/// A channel clamped to 0..255.
inline int clampChannel(int v)
{
    return v < 0 ? 0 : (v > 255 ? 255 : v);
}

/// a + (b - a) * t / 256, for t in 0..256. (Inline: the painters call these per pixel.)
inline Rgb mix(Rgb a, Rgb b, int t)
{
    return {a.r + (b.r - a.r) * t / 256, a.g + (b.g - a.g) * t / 256, a.b + (b.b - a.b) * t / 256};
}

/// Every channel times f / 256, clamped.
inline Rgb scale(Rgb c, int f)
{
    return {clampChannel(c.r * f / 256), clampChannel(c.g * f / 256), clampChannel(c.b * f / 256)};
}

/// Every channel plus d.
inline Rgb offset(Rgb c, int d)
{
    return {c.r + d, c.g + d, c.b + d};
}

/// Squared distance between colours.
inline int colourDistance2(Rgb a, Rgb b)
{
    const int dr = a.r - b.r, dg = a.g - b.g, db = a.b - b.b;
    return dr * dr + dg * dg + db * db;
}

/// v clamped to [lo, hi].
inline int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/// floor(sqrt(x)) for x >= 0 (0 for negative x), exact.
int64_t isqrt(int64_t x);

/// The smoothstep curve 3t^2 - 2t^3 on t in 0..256, returning 0..256.
inline int smooth256(int t)
{
    t = t < 0 ? 0 : (t > 256 ? 256 : t);
    return t * t * (3 * 256 - 2 * t) / (256 * 256);
}

} // namespace invseg::toy
