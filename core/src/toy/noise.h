// Integer value noise over normalised scene coordinates, for the stuff textures (clouds, grass, waves).
#pragma once

#include <cstdint>

namespace invseg::toy {

/// Smooth value noise in 0..255 at (u, v), in kUnit units, on a lattice of cellU x cellV (both > 0).
/// The lattice values are hashes of (seed, i, j), so the pattern is independent of the image size.
int valueNoise(uint64_t seed, int64_t u, int64_t v, int64_t cellU, int64_t cellV);

/// Two octaves of valueNoise (the second at half the cell size, a third of the weight), 0..255.
int fractalNoise(uint64_t seed, int64_t u, int64_t v, int64_t cellU, int64_t cellV);

/// A per-pixel hash in [-amplitude, amplitude], for grain that must not depend on draw order.
int pixelNoise(uint64_t seed, int x, int y, int amplitude);

} // namespace invseg::toy
