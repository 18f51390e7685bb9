// Thing shapes: a lit ball, a crate or gift box in 3-D, round or conifer trees, a house with roof, door and
// window, a car with cabin and wheels, a faceted star, a sailing boat. All proportions are thousandths of the
// thing's height, so a thing looks the same at every image size.
#include "toy/thing_painter.h"

#include "toy/noise.h"
#include "toy/palette.h"

#include <algorithm>

namespace invseg::toy {

namespace {

int64_t absv(int64_t x)
{
    return x < 0 ? -x : x;
}

int luminance(Rgb c)
{
    return (299 * c.r + 587 * c.g + 114 * c.b) / 1000;
}

bool inCircle(int64_t dx, int64_t dy, int64_t cx, int64_t cy, int64_t r)
{
    const int64_t x = dx - cx, y = dy - cy;
    return x * x + y * y < r * r;
}

/// Even-odd point-in-polygon test with integer cross multiplication.
bool inPolygon(const int64_t* xs, const int64_t* ys, int n, int64_t px, int64_t py)
{
    bool inside = false;
    for (int i = 0, j = n - 1; i < n; j = i++) {
        if ((ys[i] > py) == (ys[j] > py))
            continue;
        // px < xi + (xj - xi) * (py - yi) / (yj - yi), multiplied out with the sign of (yj - yi).
        const int64_t dy = ys[j] - ys[i];
        const int64_t lhs = (px - xs[i]) * dy;
        const int64_t rhs = (xs[j] - xs[i]) * (py - ys[i]);
        if (dy > 0 ? lhs < rhs : lhs > rhs)
            inside = !inside;
    }
    return inside;
}

} // namespace

ThingPainter::ThingPainter(const PlacedThing& thing) : m_t(thing)
{
    m_base = thingColour(thing.thing.colour);
    m_contrast = luminance(m_base) < 150 ? mix(m_base, {255, 255, 255}, 150) : mix(m_base, {25, 25, 30}, 130);
    m_h = std::max<int64_t>(thing.height, 1);
    m_left = thing.left();
    m_right = thing.right();
    m_top = thing.top();
    m_bottom = thing.footV;
    if (thing.thing.classId == static_cast<int>(ClassId::Star)) {
        const int64_t r = m_h / 2;
        const int64_t cu = thing.footU, cv = thing.footV - r;
        for (int k = 0; k < 10; ++k) {
            const int64_t radius = (k % 2 == 0) ? r : r * 45 / 100;
            const int64_t angle = thing.angle + k * kUnit / 10; // 0 points straight up
            m_starU[k] = cu + radius * intSin(angle) / 16384;
            m_starV[k] = cv - radius * intCos(angle) / 16384;
        }
    }
}

bool ThingPainter::sample(int64_t u, int64_t v, Rgb& colour) const
{
    if (u < m_left || u >= m_right || v < m_top || v >= m_bottom)
        return false;
    const int64_t dx = u - m_t.footU, dy = m_t.footV - v;
    switch (static_cast<ClassId>(m_t.thing.classId)) {
    case ClassId::Ball: return ball(dx, dy, colour);
    case ClassId::Box: return box(dx, dy, colour);
    case ClassId::Tree: return tree(dx, dy, colour);
    case ClassId::House: return house(dx, dy, colour);
    case ClassId::Car: return car(dx, dy, colour);
    case ClassId::Star: return star(u, v, colour);
    case ClassId::Boat: return boat(dx, dy, colour);
    default: return false;
    }
}

Rgb ThingPainter::textured(int64_t lx, int64_t ly, int64_t unit, bool horizontalStripes) const
{
    unit = std::max<int64_t>(unit, 1);
    switch (m_t.thing.texture) {
    case Texture::Plain: return m_base;
    case Texture::Striped: {
        const int64_t s = horizontalStripes ? ly : lx + ly;
        return (floorDiv(s * 6, unit) & 1) ? m_contrast : m_base;
    }
    case Texture::Dotted: {
        const int64_t period = std::max<int64_t>(unit / 4, 1);
        const int64_t cx = floorMod(lx, period) - period / 2, cy = floorMod(ly, period) - period / 2;
        const int64_t r = period * 30 / 100;
        return cx * cx + cy * cy < r * r ? m_contrast : m_base;
    }
    case Texture::Shaded: {
        const int f = static_cast<int>(clamp64(215 + (ly - lx) * 110 / unit, 140, 330));
        return scale(m_base, f);
    }
    }
    return m_base;
}

bool ThingPainter::ball(int64_t dx, int64_t dy, Rgb& c) const
{
    const int64_t r = std::max<int64_t>(m_h / 2, 1);
    const int64_t x = dx, y = dy - r;
    if (x * x + y * y >= r * r)
        return false;
    const int64_t nx = x * 256 / r, ny = y * 256 / r;
    const int64_t nz = isqrt(std::max<int64_t>(0, 65536 - nx * nx - ny * ny));
    const int64_t light = (-95 * nx + 150 * ny + 186 * nz) / 256; // light from the upper left
    const int diffuse = static_cast<int>(105 + std::max<int64_t>(light, 0) * 175 / 256);
    c = scale(textured(x + r, y + r, 2 * r, true), diffuse);
    if (light > 232)
        c = mix(c, {255, 255, 255}, static_cast<int>(std::min<int64_t>(256, (light - 232) * 9)));
    return true;
}

bool ThingPainter::box(int64_t dx, int64_t dy, Rgb& c) const
{
    // A cube in oblique projection: front face, top face slanting right, side face.
    const int64_t s = m_h * 10 / 13, d = m_h - s;
    const int64_t lx = dx + m_t.width / 2, ly = dy;
    const bool crate = m_t.variant % 2 == 0;
    int face = -1;
    int64_t fx = 0, fy = 0; // position on the face
    if (lx >= 0 && lx < s && ly >= 0 && ly < s) {
        face = 0;
        fx = lx;
        fy = ly;
    } else if (ly >= s && ly < s + d && lx - (ly - s) >= 0 && lx - (ly - s) < s) {
        face = 1;
        fx = lx - (ly - s);
        fy = ly - s;
    } else if (lx >= s && lx < s + d && ly - (lx - s) >= 0 && ly - (lx - s) < s) {
        face = 2;
        fx = lx - s;
        fy = ly - (lx - s);
    }
    if (face < 0)
        return false;
    static constexpr int kFaceLight[3] = {232, 300, 160};
    c = scale(textured(face == 0 ? fx : (face == 1 ? fx : s + fx), face == 1 ? s + fy : fy, s, false),
              kFaceLight[face]);
    const int64_t edge = s * 8 / 100;
    if (crate) {
        const bool rim = face == 0 ? (fx < edge || fx > s - edge || fy < edge || fy > s - edge)
                                   : (face == 2 ? (fy < edge || fy > s - edge) : (fx < edge || fx > s - edge));
        if (rim)
            c = scale(c, 175);
    } else {
        // A gift box: a ribbon crossing the front and the top.
        const int64_t band = s * 7 / 100;
        const bool ribbon = face == 0 ? absv(fx - s / 2) < band
                                      : (face == 1 ? absv(fx - s / 2) < band || absv(fy - d / 2) < band / 2
                                                   : absv(fy - s / 2) < band);
        if (ribbon)
            c = scale(m_contrast, kFaceLight[face]);
    }
    return true;
}

bool ThingPainter::tree(int64_t dx, int64_t dy, Rgb& c) const
{
    const int64_t h = m_h;
    const bool conifer = m_t.variant % 2 == 1;
    const Rgb bark = m_t.thing.colour == 9 ? Rgb{74, 48, 30} : Rgb{112, 72, 42};
    bool crown = false;
    if (conifer) {
        for (int k = 0; k < 3 && !crown; ++k) {
            const int64_t y0 = h * (25 + 22 * k) / 100, th = h * 38 / 100;
            const int64_t hw = h * (36 - 8 * k) / 100;
            if (dy >= y0 && dy < y0 + th && absv(dx) * th < hw * (y0 + th - dy))
                crown = true;
        }
        if (dy >= h)
            crown = false;
    } else {
        crown = inCircle(dx, dy, 0, h * 66 / 100, h * 30 / 100) ||
                inCircle(dx, dy, -h * 18 / 100, h * 50 / 100, h * 19 / 100) ||
                inCircle(dx, dy, h * 18 / 100, h * 50 / 100, h * 19 / 100);
    }
    if (crown) {
        // Leaves: a lumpy pattern in the tree's own coordinates, lit from the upper left.
        const int leaves = valueNoise(m_t.seed, dx * 1024 / h, dy * 1024 / h, 110, 110);
        const int light = static_cast<int>(clamp64(200 + (dy - h / 2) * 70 / h - dx * 60 / h, 150, 290));
        c = scale(textured(dx + h, dy, h, false), light * (200 + leaves * 100 / 255) / 256);
        return true;
    }
    const int64_t trunkTop = conifer ? h * 30 / 100 : h * 44 / 100;
    if (absv(dx) < h * 65 / 1000 && dy >= 0 && dy < trunkTop) {
        c = scale(bark, dx < 0 ? 270 : 215);
        return true;
    }
    return false;
}

bool ThingPainter::house(int64_t dx, int64_t dy, Rgb& c) const
{
    const int64_t h = m_h;
    const int64_t bodyHalf = h * 50 / 100, bodyTop = h * 60 / 100;
    static constexpr Rgb kRoofs[3] = {{150, 52, 40}, {72, 74, 88}, {116, 78, 48}};
    Rgb roof = kRoofs[m_t.variant % 3];
    if (colourDistance2(roof, m_base) < 90 * 90)
        roof = kRoofs[(m_t.variant + 1) % 3];
    // Chimney, then roof, then the walls with a door and a window.
    if (dx >= h * 20 / 100 && dx < h * 31 / 100 && dy >= h * 70 / 100 && dy < h * 93 / 100) {
        c = scale(roof, 215);
        return true;
    }
    const int64_t roofBase = h * 57 / 100, roofHalf = h * 58 / 100;
    if (dy >= roofBase && dy < h && absv(dx) * (h - roofBase) < roofHalf * (h - dy)) {
        c = scale(roof, dx < 0 ? 250 : 200);
        if (floorMod(dy - roofBase, h * 8 / 100 + 1) < h * 12 / 1000)
            c = scale(c, 185); // rows of tiles
        return true;
    }
    if (absv(dx) >= bodyHalf || dy < 0 || dy >= bodyTop)
        return false;
    if (absv(dx - h * 20 / 100) < h * 9 / 100 && dy < h * 31 / 100) {
        c = {96, 60, 36}; // door
        if (inCircle(dx, dy, h * 25 / 100, h * 15 / 100, h * 15 / 1000 + 1))
            c = {230, 200, 90};
        return true;
    }
    const int64_t wx = dx + h * 20 / 100, wy = dy - h * 37 / 100;
    if (absv(wx) < h * 11 / 100 && absv(wy) < h * 10 / 100) {
        const bool frame = absv(wx) > h * 9 / 100 || absv(wy) > h * 8 / 100 || absv(wx) < h * 12 / 1000 ||
                           absv(wy) < h * 12 / 1000;
        c = frame ? Rgb{246, 246, 242}
                  : mix({150, 196, 228}, {210, 232, 246}, static_cast<int>(clamp64(128 + wy * 600 / h, 0, 256)));
        return true;
    }
    const int light = static_cast<int>(245 - (bodyTop - dy) * 40 / bodyTop);
    c = scale(textured(dx + bodyHalf, dy, h * 60 / 100, true), light);
    if (dy >= bodyTop - h * 3 / 100)
        c = scale(c, 170); // the shadow under the eaves
    return true;
}

bool ThingPainter::car(int64_t dx, int64_t dy, Rgb& c) const
{
    const int64_t h = m_h;
    const int64_t wheelX = h * 62 / 100, wheelY = h * 20 / 100, wheelR = h * 20 / 100;
    for (int side = -1; side <= 1; side += 2) {
        if (inCircle(dx, dy, side * wheelX, wheelY, wheelR)) {
            c = inCircle(dx, dy, side * wheelX, wheelY, h * 9 / 100) ? Rgb{172, 172, 178} : Rgb{30, 30, 33};
            return true;
        }
    }
    const int64_t bodyHalf = h * 105 / 100;
    if (dy >= h * 15 / 100 && dy < h * 55 / 100) {
        const int64_t bevel = std::max<int64_t>(0, dy - h * 45 / 100);
        if (absv(dx) >= bodyHalf - bevel)
            return false;
        const bool front = m_t.variant % 2 == 0 ? dx > 0 : dx < 0;
        if (absv(dx) > bodyHalf - h * 10 / 100 && dy >= h * 36 / 100 && dy < h * 46 / 100) {
            c = front ? Rgb{255, 240, 168} : Rgb{200, 40, 40}; // head and tail lights
            return true;
        }
        const int light = static_cast<int>(200 + (dy - h * 15 / 100) * 100 / (h * 40 / 100 + 1));
        c = scale(textured(dx + bodyHalf, dy, h * 60 / 100, true), light);
        if (absv(dy - h * 32 / 100) < h * 8 / 1000 + 1)
            c = scale(c, 170); // the door line
        return true;
    }
    if (dy >= h * 55 / 100 && dy < h * 95 / 100) {
        const int64_t half = h * 62 / 100 - (dy - h * 55 / 100) / 2;
        const int64_t shift = m_t.variant % 2 == 0 ? -h * 8 / 100 : h * 8 / 100; // cabin set back from the bonnet
        const int64_t x = dx - shift;
        if (absv(x) >= half)
            return false;
        const bool glass = absv(x) < half - h * 7 / 100 && dy < h * 89 / 100 && absv(x) > h * 4 / 100;
        if (glass)
            c = mix({120, 160, 196}, {205, 228, 242},
                    static_cast<int>(clamp64((dy - h * 55 / 100) * 256 / (h * 34 / 100 + 1), 0, 256)));
        else
            c = scale(textured(dx + bodyHalf, dy, h * 60 / 100, true), 255);
        return true;
    }
    return false;
}

bool ThingPainter::star(int64_t u, int64_t v, Rgb& c) const
{
    if (!inPolygon(m_starU, m_starV, 10, u, v))
        return false;
    // Faceted like a pressed-metal star: each arm has a lit and a shaded half.
    const int64_t r = m_h / 2;
    const int64_t cu = m_t.footU, cv = m_t.footV - r;
    const int64_t px = u - cu, py = v - cv;
    int best = 0;
    int64_t bestDot = INT64_MIN;
    for (int k = 0; k < 10; k += 2) {
        const int64_t dot = px * (m_starU[k] - cu) + py * (m_starV[k] - cv);
        if (dot > bestDot) {
            bestDot = dot;
            best = k;
        }
    }
    const int64_t cross = (m_starU[best] - cu) * py - (m_starV[best] - cv) * px;
    const int light = cross < 0 ? 290 : 205;
    c = scale(textured(px + r, r - py, 2 * r, false), light);
    return true;
}

bool ThingPainter::boat(int64_t dx, int64_t dy, Rgb& c) const
{
    const int64_t h = m_h;
    const int64_t hullTop = h * 30 / 100;
    if (dy >= 0 && dy < hullTop) {
        const int64_t half = h * 42 / 100 + dy * (h * 18 / 100) / hullTop;
        if (absv(dx) >= half)
            return false;
        c = scale(textured(dx + h, dy, h * 50 / 100, true), static_cast<int>(185 + dy * 80 / hullTop));
        if (dy >= hullTop - h * 5 / 100)
            c = scale(m_contrast, 240); // the gunwale
        return true;
    }
    const bool white = m_t.thing.colour == 7;
    const Rgb sail = white ? Rgb{236, 212, 160} : (m_t.variant % 3 == 0 ? Rgb{240, 226, 192} : Rgb{248, 246, 238});
    const int64_t mastX = -h * 2 / 100;
    if (absv(dx - mastX) < h * 25 / 1000 + 1 && dy < h * 99 / 100) {
        c = {108, 78, 48};
        return true;
    }
    const int64_t mainTop = h * 97 / 100, mainBottom = h * 36 / 100;
    const int64_t x = dx - mastX - h * 4 / 100;
    if (dy >= mainBottom && dy < mainTop && x >= 0 && x * (mainTop - mainBottom) < (h * 48 / 100) * (mainTop - dy)) {
        c = scale(sail, static_cast<int>(265 - x * 90 / h));
        return true;
    }
    const int64_t jibTop = h * 85 / 100;
    const int64_t xj = mastX - h * 5 / 100 - dx;
    if (dy >= mainBottom && dy < jibTop && xj >= 0 && xj * (jibTop - mainBottom) < (h * 38 / 100) * (jibTop - dy)) {
        c = scale(sail, 222);
        return true;
    }
    return false;
}

} // namespace invseg::toy
