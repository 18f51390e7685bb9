// Stuff textures: graded and cloudy skies, brick/stone/plaster/plank walls, grass blades, sand ripples,
// water waves, asphalt with lane markings. Patterns live in normalised units so they scale with the image.
#include "toy/stuff_painter.h"

#include "toy/noise.h"
#include "toy/rng.h"

#include <algorithm>

namespace invseg::toy {

namespace {

constexpr int kSky = static_cast<int>(ClassId::Sky);
constexpr int kWall = static_cast<int>(ClassId::Wall);
constexpr int kGrass = static_cast<int>(ClassId::Grass);
constexpr int kSand = static_cast<int>(ClassId::Sand);
constexpr int kWater = static_cast<int>(ClassId::Water);
constexpr int kRoad = static_cast<int>(ClassId::Road);

Rgb skyColour(const StuffLayout& s, const StuffPoint& p)
{
    const int g = static_cast<int>(clamp64(p.v * 256 / (p.horizon > 0 ? p.horizon : 1), 0, 256));
    const uint64_t seed = s.textureSeed;
    switch (static_cast<SkyStyle>(s.topStyle)) {
    case SkyStyle::Clear: {
        Rgb c = mix({58, 118, 212}, {178, 214, 246}, g);
        // A soft glow of the sun somewhere in the upper sky.
        const int64_t sunU = frac(15, 100) + static_cast<int64_t>(mix64(seed) % frac(70, 100));
        const int64_t du = (p.u - sunU) / 64, dv = (p.v - frac(12, 100)) / 64;
        const int64_t d2 = du * du + dv * dv; // (kUnit/64)^2 = 1024^2 per unit^2
        const int64_t glowR2 = 300 * 300;
        if (d2 < glowR2)
            c = mix(c, {255, 250, 225}, static_cast<int>(150 - d2 * 150 / glowR2));
        return c;
    }
    case SkyStyle::Cloudy: {
        const Rgb base = mix({72, 128, 208}, {168, 202, 236}, g);
        const int n = fractalNoise(seed ^ 0x11, p.u, p.v, frac(22, 100), frac(9, 100));
        const int cover = clamp64((n - 128) * 256 / 45, 0, 256);
        if (cover == 0)
            return base;
        const int shade = valueNoise(seed ^ 0x12, p.u, p.v, frac(6, 100), frac(3, 100));
        const Rgb cloud = mix({252, 252, 255}, {188, 192, 204}, shade * 3 / 4);
        return mix(base, cloud, cover);
    }
    case SkyStyle::Sunset: {
        Rgb c = g < 128 ? mix({72, 62, 140}, {232, 118, 112}, g * 2)
                        : mix({232, 118, 112}, {255, 204, 112}, (g - 128) * 2);
        const int n = valueNoise(seed ^ 0x13, p.u, p.v, frac(30, 100), frac(2, 100));
        if (n > 165)
            c = mix(c, {255, 168, 142}, (n - 165) * 2);
        return c;
    }
    case SkyStyle::Overcast: {
        const Rgb c = mix({138, 142, 152}, {204, 206, 210}, g);
        const int n = fractalNoise(seed ^ 0x14, p.u, p.v, frac(25, 100), frac(12, 100));
        return offset(c, (n - 128) / 5);
    }
    }
    return {128, 128, 128};
}

Rgb wallColour(const StuffLayout& s, const StuffPoint& p)
{
    const uint64_t seed = s.textureSeed ^ 0x20;
    Rgb c;
    switch (static_cast<WallStyle>(s.topStyle)) {
    case WallStyle::Brick: {
        const int64_t bh = frac(5, 100), bw = frac(12, 100), mortar = frac(7, 1000);
        const int64_t row = floorDiv(p.v, bh);
        const int64_t shifted = p.u + ((row & 1) ? bw / 2 : 0);
        const int64_t col = floorDiv(shifted, bw);
        const int64_t mu = floorMod(shifted, bw), mv = floorMod(p.v, bh);
        if (mu < mortar || mv < mortar) {
            c = {196, 188, 176};
        } else {
            const int vary = static_cast<int>(hashInts(seed, row, col) % 41) - 20;
            c = {165 + vary, 72 + vary / 2, 52 + vary / 3};
            if (mv > bh - mortar * 2 || mu > bw - mortar * 2)
                c = scale(c, 205); // the brick's lower and right edge in shadow
        }
        break;
    }
    case WallStyle::Stone: {
        const int64_t bh = frac(9, 100), bw = frac(17, 100), mortar = frac(8, 1000);
        const int64_t row = floorDiv(p.v, bh);
        const int64_t shifted = p.u + static_cast<int64_t>(hashInts(seed, row, 7) % static_cast<uint64_t>(bw));
        const int64_t col = floorDiv(shifted, bw);
        if (floorMod(shifted, bw) < mortar || floorMod(p.v, bh) < mortar) {
            c = {88, 88, 94};
        } else {
            const int vary = static_cast<int>(hashInts(seed, row, col) % 37) - 18;
            const int n = valueNoise(seed ^ 1, p.u, p.v, frac(3, 100), frac(3, 100));
            c = offset({136 + vary, 136 + vary, 142 + vary}, (n - 128) / 10);
        }
        break;
    }
    case WallStyle::Plaster: {
        const int n = fractalNoise(seed ^ 2, p.u, p.v, frac(20, 100), frac(20, 100));
        c = offset({226, 212, 180}, (n - 128) / 9);
        if (p.horizon - p.v < frac(35, 1000))
            c = {122, 96, 74}; // a skirting board along the floor
        break;
    }
    case WallStyle::Wood: {
        const int64_t pw = frac(7, 100);
        const int64_t plank = floorDiv(p.u, pw);
        if (floorMod(p.u, pw) < frac(5, 1000)) {
            c = {72, 46, 28};
        } else {
            const uint64_t h = hashInts(seed, plank, 3);
            const int vary = static_cast<int>(h % 31) - 15;
            const int grain = intSin(p.v * static_cast<int64_t>(10 + h % 6) + static_cast<int64_t>(h >> 40) +
                                     valueNoise(seed ^ 3, p.u, p.v, frac(4, 100), frac(8, 100)) * 40) *
                              12 / 16384;
            c = offset({150 + vary, 104 + vary, 64 + vary / 2}, grain);
        }
        break;
    }
    }
    // The wall darkens a little towards the floor.
    const int64_t toFloor = p.horizon - p.v;
    if (toFloor < frac(6, 100))
        c = scale(c, static_cast<int>(215 + toFloor * 41 / frac(6, 100)));
    return c;
}

void roadMarking(const StuffLayout& s, const StuffPoint& p, Rgb& c)
{
    const Rgb paint = (s.textureSeed & 16) ? Rgb{232, 192, 52} : Rgb{236, 236, 228};
    if (s.mode == GroundMode::Path && p.label == s.nearClass) {
        int64_t centre = 0, half = 0;
        s.pathAt(p.v, centre, half);
        const int64_t t = clamp64((p.v - s.horizon.base) * kUnit / (kUnit - s.horizon.base), 0, kUnit);
        const int64_t d = p.u > centre ? p.u - centre : centre - p.u;
        const int64_t line = frac(3, 1000) + frac(5, 1000) * t / kUnit;
        if (d > half - line * 2 && d < half - line / 2)
            c = mix(c, {236, 236, 228}, 220); // edge lines
        else if (d < line && floorMod(p.v - s.horizon.base, frac(7, 100)) < frac(4, 100))
            c = mix(c, paint, 230); // dashed centre line
        return;
    }
    // A straight road band: a dashed line along its middle.
    int64_t top = p.horizon, bottom = kUnit;
    if (s.mode == GroundMode::Band) {
        if (p.label == s.farClass)
            bottom = p.split;
        else
            top = p.split;
    }
    const int64_t mid = (top + bottom) / 2;
    const int64_t line = frac(5, 1000);
    const int64_t d = p.v > mid ? p.v - mid : mid - p.v;
    if (d < line && floorMod(p.u, frac(14, 100)) < frac(8, 100))
        c = mix(c, paint, 230);
}

Rgb groundColour(const StuffLayout& s, const StuffPoint& p)
{
    const int64_t depth = p.v <= p.horizon ? 0
                                           : std::min<int64_t>(kUnit, (p.v - p.horizon) * kUnit / (kUnit - p.horizon));
    const int t = static_cast<int>(depth * 256 / kUnit); // 0 far .. 256 near
    const uint64_t seed = s.textureSeed;
    Rgb c;
    switch (static_cast<ClassId>(p.label)) {
    case ClassId::Grass: {
        c = mix({112, 172, 78}, {58, 138, 46}, t);
        const int patches = fractalNoise(seed ^ 0x31, p.u, p.v, frac(15, 100), frac(8, 100));
        c = scale(c, 215 + patches * 75 / 255);
        // Blades: narrow, tall cells, a little taller nearby.
        const int64_t cellV = frac(12, 1000) + frac(18, 1000) * t / 256;
        const int blades = valueNoise(seed ^ 0x32, p.u, p.v, frac(4, 1000), cellV);
        c = scale(c, 205 + blades * 95 / 255);
        break;
    }
    case ClassId::Sand: {
        c = mix({236, 214, 164}, {218, 190, 132}, t);
        const int warp = valueNoise(seed ^ 0x41, p.u, p.v, frac(20, 100), frac(20, 100));
        const int ripple = intSin(p.v * 22 + p.u * 3 + warp * 60);
        c = offset(c, ripple * 9 / 16384);
        const int grains = valueNoise(seed ^ 0x42, p.u, p.v, frac(6, 1000), frac(6, 1000));
        c = offset(c, (grains - 128) / 14);
        break;
    }
    case ClassId::Water: {
        c = mix({98, 158, 204}, {28, 84, 158}, t);
        // Broad swells, then thin crests: a sine across rows, denser far away, bent by noise.
        const int swell = fractalNoise(seed ^ 0x51, p.u, p.v, frac(25, 100), frac(8, 100));
        c = scale(c, 226 + swell * 60 / 255);
        const int bend = valueNoise(seed ^ 0x52, p.u, p.v, frac(9, 100), frac(3, 100));
        const int64_t rows = 70 - 40 * t / 256; // crests per image height
        const int crest = intSin(p.v * rows + bend * 90);
        const int breakUp = valueNoise(seed ^ 0x53, p.u, p.v, frac(5, 100), frac(2, 100));
        if (crest > 12500 && breakUp > 96)
            c = mix(c, {214, 232, 248}, std::min(200, (crest - 12500) / 16 + (breakUp - 96)));
        else if (crest < -13000)
            c = scale(c, 222);
        break;
    }
    case ClassId::Road: {
        c = mix({118, 118, 124}, {78, 78, 84}, t);
        const int grain = valueNoise(seed ^ 0x61, p.u, p.v, frac(7, 1000), frac(7, 1000));
        c = offset(c, (grain - 128) / 9);
        roadMarking(s, p, c);
        break;
    }
    default: c = {128, 128, 128};
    }
    // Aerial perspective: distant ground fades towards the sky (much less indoors).
    const int haze = (256 - t) * (256 - t) * (s.topClass == kSky ? 80 : 25) / 65536;
    return mix(c, {204, 214, 226}, haze);
}

} // namespace

Rgb stuffColour(const StuffLayout& stuff, const StuffPoint& p)
{
    if (p.label == kSky)
        return skyColour(stuff, p);
    if (p.label == kWall)
        return wallColour(stuff, p);
    if (p.label == kGrass || p.label == kSand || p.label == kWater || p.label == kRoad)
        return groundColour(stuff, p);
    return {128, 128, 128};
}

} // namespace invseg::toy
