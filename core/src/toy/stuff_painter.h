// Colours of the stuff classes (sky, wall, grass, sand, water, road): shaded, textured, integer only.
#pragma once

#include "toy/fixed_math.h"
#include "toy/scene_layout.h"

namespace invseg::toy {

/// Where a stuff pixel lies, with the per-column boundaries already evaluated.
struct StuffPoint {
    int64_t u = 0, v = 0; ///< pixel centre, kUnit units
    int64_t horizon = 0;  ///< StuffLayout::horizonAt(u)
    int64_t split = 0;    ///< StuffLayout::splitAt(u) in Band mode
    int label = 0;        ///< the stuff class there
};

/// The colour of a stuff pixel (no per-pixel grain; the painter adds it).
Rgb stuffColour(const StuffLayout& stuff, const StuffPoint& p);

} // namespace invseg::toy
