// xoshiro256** and splitmix64 (public-domain algorithms by Blackman and Vigna).
#include "toy/rng.h"

namespace invseg::toy {

namespace {

uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

} // namespace

uint64_t hashInts(uint64_t seed, int64_t a, int64_t b, int64_t c)
{
    uint64_t h = mix64(seed ^ static_cast<uint64_t>(a));
    h = mix64(h ^ static_cast<uint64_t>(b));
    return mix64(h ^ static_cast<uint64_t>(c));
}

Rng::Rng(uint64_t seed, uint64_t salt)
{
    uint64_t x = seed ^ salt;
    for (uint64_t& s : m_s) {
        x += 0x9E3779B97F4A7C15ull;
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        s = z ^ (z >> 31);
    }
}

uint64_t Rng::next()
{
    const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

int64_t Rng::range(int64_t lo, int64_t hi)
{
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
    if (span == 0) // the full 64-bit range
        return static_cast<int64_t>(next());
    // Reject the low values that would make some residues more likely than others.
    const uint64_t threshold = (0 - span) % span;
    uint64_t r = next();
    while (r < threshold)
        r = next();
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + r % span);
}

bool Rng::chance(int percent)
{
    return range(0, 99) < percent;
}

int Rng::weighted(const int* weights, int count)
{
    int64_t total = 0;
    for (int i = 0; i < count; ++i)
        total += weights[i];
    if (total <= 0) // a caller bug; keep the draw count fixed rather than loop on an empty range
        return 0;
    int64_t r = range(0, total - 1);
    for (int i = 0; i < count; ++i) {
        if (r < weights[i])
            return i;
        r -= weights[i];
    }
    return count - 1;
}

} // namespace invseg::toy
