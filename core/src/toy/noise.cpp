// Value noise: hashed lattice values blended with a smoothstep, integer only.
#include "toy/noise.h"

#include "toy/fixed_math.h"
#include "toy/rng.h"

namespace invseg::toy {

namespace {

// One finaliser round per lattice point (hashInts takes three): the stuff pass evaluates a dozen of these
// per pixel, and the odd multipliers keep neighbouring (i, j) apart before the mix.
uint64_t cheapHash(uint64_t seed, int64_t i, int64_t j)
{
    return mix64(seed ^ (static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull) ^
                 (static_cast<uint64_t>(j) * 0xC2B2AE3D27D4EB4Full));
}

int lattice(uint64_t seed, int64_t i, int64_t j)
{
    return static_cast<int>(cheapHash(seed, i, j) >> 56); // 0..255
}

} // namespace

int valueNoise(uint64_t seed, int64_t u, int64_t v, int64_t cellU, int64_t cellV)
{
    const int64_t i = floorDiv(u, cellU);
    const int64_t j = floorDiv(v, cellV);
    const int fu = smooth256(static_cast<int>((u - i * cellU) * 256 / cellU));
    const int fv = smooth256(static_cast<int>((v - j * cellV) * 256 / cellV));
    const int a = lattice(seed, i, j), b = lattice(seed, i + 1, j);
    const int c = lattice(seed, i, j + 1), d = lattice(seed, i + 1, j + 1);
    const int top = a * 256 + (b - a) * fu;    // x256
    const int bottom = c * 256 + (d - c) * fu; // x256
    return (top * 256 + (bottom - top) * fv) / 65536;
}

int fractalNoise(uint64_t seed, int64_t u, int64_t v, int64_t cellU, int64_t cellV)
{
    const int coarse = valueNoise(seed, u, v, cellU, cellV);
    const int fine = valueNoise(mix64(seed), u, v, cellU / 2 > 0 ? cellU / 2 : 1, cellV / 2 > 0 ? cellV / 2 : 1);
    return (coarse * 2 + fine) / 3;
}

int pixelNoise(uint64_t seed, int x, int y, int amplitude)
{
    if (amplitude <= 0)
        return 0;
    const uint64_t h = cheapHash(seed, x, y);
    return static_cast<int>(h % static_cast<uint64_t>(2 * amplitude + 1)) - amplitude;
}

} // namespace invseg::toy
