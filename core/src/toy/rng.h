// The toy world's own PRNG (xoshiro256** seeded by splitmix64) and stateless hashes for per-pixel noise.
#pragma once

#include <cstdint>

namespace invseg::toy {

/// splitmix64's finaliser: a bijective 64-bit mix. Inline: the noise calls it several times per pixel.
inline uint64_t mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/// A hash of a few integers, for noise and per-cell texture decisions that must not depend on draw order.
uint64_t hashInts(uint64_t seed, int64_t a, int64_t b = 0, int64_t c = 0);

/// xoshiro256**: fast, small, and bit-for-bit the same everywhere (no std distributions, whose output
/// is implementation-defined). Every draw below uses only integer arithmetic.
class Rng {
public:
    /// Seeds the state with splitmix64 from seed ^ salt, so that independent streams share a seed.
    explicit Rng(uint64_t seed, uint64_t salt = 0);

    uint64_t next();
    /// Uniform in [lo, hi], both inclusive; lo <= hi. Unbiased (rejection sampling).
    int64_t range(int64_t lo, int64_t hi);
    /// True with probability percent / 100.
    bool chance(int percent);
    /// Index drawn with the given non-negative integer weights (at least one positive).
    int weighted(const int* weights, int count);

private:
    uint64_t m_s[4];
};

} // namespace invseg::toy
