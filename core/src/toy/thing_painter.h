// Shapes and colours of the things (ball, box, tree, house, car, star, boat), tested per pixel centre.
#pragma once

#include "toy/fixed_math.h"
#include "toy/scene_layout.h"

namespace invseg::toy {

/// One placed thing ready to rasterise: precomputed geometry, then a point test that gives the colour.
class ThingPainter {
public:
    explicit ThingPainter(const PlacedThing& thing);

    /// True iff the point (kUnit units) lies inside the thing's shape; then colour is set.
    bool sample(int64_t u, int64_t v, Rgb& colour) const;

    /// The shape's bounds in kUnit units (it may extend a little beyond the layout box, never further).
    int64_t left() const { return m_left; }
    int64_t right() const { return m_right; }
    int64_t top() const { return m_top; }
    int64_t bottom() const { return m_bottom; }

private:
    bool ball(int64_t dx, int64_t dy, Rgb& c) const;
    bool box(int64_t dx, int64_t dy, Rgb& c) const;
    bool tree(int64_t dx, int64_t dy, Rgb& c) const;
    bool house(int64_t dx, int64_t dy, Rgb& c) const;
    bool car(int64_t dx, int64_t dy, Rgb& c) const;
    bool star(int64_t u, int64_t v, Rgb& c) const;
    bool boat(int64_t dx, int64_t dy, Rgb& c) const;
    /// The base colour with the thing's texture at local point (lx, ly), pattern scaled to `unit`.
    Rgb textured(int64_t lx, int64_t ly, int64_t unit, bool horizontalStripes) const;

    const PlacedThing& m_t;
    Rgb m_base;
    Rgb m_contrast;
    int64_t m_h = 0;
    int64_t m_left = 0, m_right = 0, m_top = 0, m_bottom = 0;
    int64_t m_starU[10] = {}, m_starV[10] = {};
};

} // namespace invseg::toy
