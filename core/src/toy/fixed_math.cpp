// Integer sine table and square root for the toy world.
#include "toy/fixed_math.h"

namespace invseg::toy {

namespace {

// round(16384 * sin(i * pi / 128)) for i = 0..64: a quarter wave in 64 steps (generated with Python).
constexpr int32_t kQuarterSine[65] = {
    0,     402,   804,   1205,  1606,  2006,  2404,  2801,  3196,  3590,  3981,  4370,  4756,
    5139,  5520,  5897,  6270,  6639,  7005,  7366,  7723,  8076,  8423,  8765,  9102,  9434,
    9760,  10080, 10394, 10702, 11003, 11297, 11585, 11866, 12140, 12406, 12665, 12916, 13160,
    13395, 13623, 13842, 14053, 14256, 14449, 14635, 14811, 14978, 15137, 15286, 15426, 15557,
    15679, 15791, 15893, 15986, 16069, 16143, 16207, 16261, 16305, 16340, 16364, 16379, 16384,
};

// Sine on [0, 1/4 turn], the angle in 1/kUnit turns (0..16384).
int32_t quarter(int64_t a)
{
    const int64_t i = a >> 8; // 256 angle units per table step
    const int64_t f = a & 255;
    if (i >= 64)
        return kQuarterSine[64];
    return static_cast<int32_t>(kQuarterSine[i] + ((kQuarterSine[i + 1] - kQuarterSine[i]) * f) / 256);
}

} // namespace

int32_t intSin(int64_t angle)
{
    const int64_t a = floorMod(angle, kUnit);
    const int64_t q = kUnit / 4;
    if (a < q)
        return quarter(a);
    if (a < 2 * q)
        return quarter(2 * q - a);
    if (a < 3 * q)
        return -quarter(a - 2 * q);
    return -quarter(4 * q - a);
}

int64_t isqrt(int64_t x)
{
    if (x <= 0)
        return 0;
    // Bitwise integer square root: exact, no floating point.
    uint64_t n = static_cast<uint64_t>(x);
    uint64_t result = 0;
    uint64_t bit = uint64_t(1) << 62;
    while (bit > n)
        bit >>= 2;
    while (bit != 0) {
        if (n >= result + bit) {
            n -= result + bit;
            result = (result >> 1) + bit;
        } else {
            result >>= 1;
        }
        bit >>= 2;
    }
    return static_cast<int64_t>(result);
}

} // namespace invseg::toy
