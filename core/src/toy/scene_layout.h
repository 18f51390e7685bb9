// The size-independent plan of a scene (stuff geometry, placed things) in normalised units, and its planner.
#pragma once

#include "invseg/toy_world.h"
#include "toy/fixed_math.h"

#include <cstdint>
#include <vector>

namespace invseg::toy {

enum class SkyStyle : uint8_t { Clear, Cloudy, Sunset, Overcast };
enum class WallStyle : uint8_t { Brick, Stone, Plaster, Wood };

/// How the ground below the horizon is divided: one stuff; a far band over a near band split at a second
/// curve; or a path (road, river, sandy track) running from the bottom edge towards a vanishing point.
enum class GroundMode : uint8_t { Single, Band, Path };

/// v = base + tilt * (u - kUnit / 2) / kUnit + amp * sin(freq * u + phase), all in kUnit units.
struct Curve {
    int64_t base = 0, tilt = 0, amp = 0, freq = 0, phase = 0;
    int64_t at(int64_t u) const;
};

struct StuffLayout {
    int topClass = static_cast<int>(ClassId::Sky);
    int topStyle = 0; ///< a SkyStyle or WallStyle
    GroundMode mode = GroundMode::Single;
    int farClass = static_cast<int>(ClassId::Grass);  ///< right below the horizon; the only ground in Single mode
    int nearClass = static_cast<int>(ClassId::Grass); ///< Band: below the split; Path: the path; Single: farClass
    Curve horizon;
    Curve split;
    int64_t pathTopU = 0, pathBottomU = 0, pathTopHalf = 0, pathBottomHalf = 0;
    uint64_t textureSeed = 0;

    int64_t horizonAt(int64_t u) const; ///< clamped to a sane band
    int64_t splitAt(int64_t u) const;   ///< Band mode: always below the horizon and above the bottom
    /// Path mode: the path's centre and half-width on row v.
    void pathAt(int64_t v, int64_t& centre, int64_t& half) const;
    /// 0 at the horizon .. kUnit at the bottom edge (0 above the horizon).
    int64_t depthAt(int64_t u, int64_t v) const;
    /// The stuff class at a point, given horizonAt(u) (and splitAt(u) in Band mode) precomputed.
    int labelAt(int64_t u, int64_t v, int64_t horizon, int64_t split) const;
    int labelAt(int64_t u, int64_t v) const;
    /// The grounds present in the layout (one or two class ids).
    std::vector<int> grounds() const;
};

struct PlacedThing {
    Thing thing;        ///< class, colour, size, texture, support; pixels and box are filled by the painter
    int64_t footU = 0;  ///< centre of its base
    int64_t footV = 0;  ///< its lowest point (where it touches its support; a star's lowest tip)
    int64_t height = 0; ///< of its shape
    int64_t width = 0;  ///< of its shape
    int64_t depth = 0;  ///< StuffLayout::depthAt of the foot; decides "in the background"
    int variant = 0;    ///< shape variant (tree crown, roof colour, sail colour)
    int64_t angle = 0;  ///< stars: rotation in 1/kUnit turns
    uint64_t seed = 0;  ///< texture seed

    int64_t left() const { return footU - width / 2; }
    int64_t right() const { return left() + width; }
    int64_t top() const { return footV - height; }
};

struct SceneLayout {
    StuffLayout stuff;
    std::vector<PlacedThing> things; ///< in drawing order (far to near)
    bool outlines = true;
};

/// Plans a scene; a pure function of (seed, options), independent of options.size.
SceneLayout planScene(uint64_t seed, const SceneOptions& options);

} // namespace invseg::toy
