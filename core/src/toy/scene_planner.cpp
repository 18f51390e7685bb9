// Plans a scene in normalised units: the stuff (top, horizon, grounds) and the things on plausible supports.
#include "toy/scene_layout.h"

#include "toy/palette.h"
#include "toy/rng.h"

#include <algorithm>

namespace invseg::toy {

namespace {

constexpr uint64_t kLayoutSalt = 0x6C61796F75742E31ull; // "layout.1"

constexpr int kSky = static_cast<int>(ClassId::Sky);
constexpr int kWall = static_cast<int>(ClassId::Wall);
constexpr int kGrass = static_cast<int>(ClassId::Grass);
constexpr int kSand = static_cast<int>(ClassId::Sand);
constexpr int kWater = static_cast<int>(ClassId::Water);
constexpr int kRoad = static_cast<int>(ClassId::Road);

struct GroundCombo {
    GroundMode mode;
    int farClass;
    int nearClass;
    int weight;
};

// Plausible grounds: a beach in front of the sea, a road through a field, a lake beyond a lawn, ...
constexpr GroundCombo kCombos[] = {
    {GroundMode::Single, kGrass, kGrass, 8}, {GroundMode::Single, kSand, kSand, 3},
    {GroundMode::Single, kWater, kWater, 3}, {GroundMode::Single, kRoad, kRoad, 3},
    {GroundMode::Band, kWater, kSand, 5},    {GroundMode::Band, kGrass, kRoad, 4},
    {GroundMode::Band, kWater, kGrass, 2},   {GroundMode::Band, kGrass, kSand, 2},
    {GroundMode::Band, kSand, kWater, 2},    {GroundMode::Band, kRoad, kGrass, 2},
    {GroundMode::Band, kWater, kRoad, 2},    {GroundMode::Band, kGrass, kWater, 2},
    {GroundMode::Band, kRoad, kSand, 1},     {GroundMode::Band, kSand, kGrass, 1},
    {GroundMode::Path, kGrass, kRoad, 5},    {GroundMode::Path, kGrass, kWater, 3},
    {GroundMode::Path, kSand, kRoad, 2},     {GroundMode::Path, kGrass, kSand, 2},
    {GroundMode::Path, kSand, kWater, 1},
};
constexpr int kNumCombos = sizeof(kCombos) / sizeof(kCombos[0]);

/// Heights of the five sizes, in kUnit units, before the class factor and perspective.
constexpr int64_t kSizeHeight[5] = {frac(90, 1000), frac(130, 1000), frac(180, 1000), frac(240, 1000), frac(320, 1000)};
constexpr int kSizeWeights[5] = {2, 3, 3, 3, 2};
constexpr int kTextureWeights[4] = {4, 2, 2, 2};

struct ClassShape {
    int heightFactor; ///< x/256 of the size height
    int widthRatio;   ///< width = height * x / 256
};

ClassShape classShape(int classId)
{
    switch (static_cast<ClassId>(classId)) {
    case ClassId::Ball: return {190, 256};
    case ClassId::Box: return {200, 256};
    case ClassId::Tree: return {400, 195};
    case ClassId::House: return {330, 297};
    case ClassId::Car: return {160, 538};
    case ClassId::Star: return {210, 256};
    case ClassId::Boat: return {270, 307};
    default: return {256, 256};
    }
}

bool canStandOn(int thing, int support)
{
    const bool ground = support == kGrass || support == kSand || support == kWater || support == kRoad;
    switch (static_cast<ClassId>(thing)) {
    case ClassId::Ball:
    case ClassId::Box: return ground;
    case ClassId::Tree:
    case ClassId::House: return support == kGrass || support == kSand;
    case ClassId::Car: return support == kRoad || support == kGrass || support == kSand;
    case ClassId::Star: return support == kSky || support == kWall;
    case ClassId::Boat: return support == kWater;
    default: return false;
    }
}

int64_t boxArea(const PlacedThing& t)
{
    return t.width * t.height;
}

int64_t overlapArea(const PlacedThing& a, const PlacedThing& b)
{
    const int64_t w = std::min(a.right(), b.right()) - std::max(a.left(), b.left());
    const int64_t h = std::min(a.footV, b.footV) - std::max(a.top(), b.top());
    return (w > 0 && h > 0) ? w * h : 0;
}

bool containsCentre(const PlacedThing& a, const PlacedThing& b)
{
    const int64_t cu = b.footU, cv = b.footV - b.height / 2;
    return cu > a.left() && cu < a.right() && cv > a.top() && cv < a.footV;
}

/// Whether a new thing leaves enough of itself and of every placed thing in view. Decided on boxes in
/// normalised units, so the answer does not depend on the image size.
bool fitsAmong(const PlacedThing& t, const std::vector<PlacedThing>& placed, const std::vector<int64_t>& hidden)
{
    int64_t hiddenOfNew = 0;
    for (size_t i = 0; i < placed.size(); ++i) {
        const PlacedThing& e = placed[i];
        const int64_t inter = overlapArea(t, e);
        if (inter == 0)
            continue;
        if (containsCentre(t, e) || containsCentre(e, t))
            return false;
        if ((hidden[i] + inter) * 100 > boxArea(e) * 35)
            return false;
        hiddenOfNew += inter;
    }
    return hiddenOfNew * 100 <= boxArea(t) * 35;
}

StuffLayout planStuff(Rng& rng)
{
    StuffLayout s;
    s.textureSeed = rng.next();
    if (rng.chance(72)) {
        s.topClass = kSky;
        const int weights[4] = {3, 4, 2, 2};
        s.topStyle = rng.weighted(weights, 4);
    } else {
        s.topClass = kWall;
        s.topStyle = static_cast<int>(rng.range(0, 3));
    }
    int comboWeights[kNumCombos];
    for (int i = 0; i < kNumCombos; ++i)
        comboWeights[i] = kCombos[i].weight;
    const GroundCombo& combo = kCombos[rng.weighted(comboWeights, kNumCombos)];
    s.mode = combo.mode;
    s.farClass = combo.farClass;
    s.nearClass = combo.nearClass;

    Curve& h = s.horizon;
    h.base = rng.range(frac(30, 100), frac(60, 100));
    if (s.topClass == kSky) {
        if (rng.chance(45))
            h.tilt = rng.range(-frac(13, 100), frac(13, 100));
        if (rng.chance(50)) {
            h.amp = rng.range(frac(8, 1000), frac(35, 1000));
            h.freq = rng.range(1, 3);
            h.phase = rng.range(0, kUnit - 1);
        }
    } else if (rng.chance(20)) {
        h.tilt = rng.range(-frac(4, 100), frac(4, 100));
    }
    if (s.mode == GroundMode::Band) {
        Curve& c = s.split;
        c.base = rng.range(h.base + frac(14, 100), std::min(frac(88, 100), h.base + frac(33, 100)));
        if (rng.chance(40))
            c.tilt = rng.range(-frac(8, 100), frac(8, 100));
        if (rng.chance(50)) {
            c.amp = rng.range(frac(5, 1000), frac(20, 1000));
            c.freq = rng.range(1, 4);
            c.phase = rng.range(0, kUnit - 1);
        }
    } else if (s.mode == GroundMode::Path) {
        s.pathTopU = rng.range(frac(30, 100), frac(70, 100));
        s.pathBottomU = rng.range(frac(15, 100), frac(85, 100));
        s.pathBottomHalf = rng.range(frac(10, 100), frac(20, 100));
        s.pathTopHalf = frac(12, 1000);
    }
    return s;
}

/// One attempt at placing one more thing; false when the drawn class finds no room.
bool tryPlaceThing(Rng& rng, const StuffLayout& stuff, const std::vector<PlacedThing>& placed,
                   const std::vector<int64_t>& hidden, PlacedThing& out)
{
    const std::vector<int> grounds = stuff.grounds();
    const bool hasWater = std::find(grounds.begin(), grounds.end(), kWater) != grounds.end();
    const bool hasRoad = std::find(grounds.begin(), grounds.end(), kRoad) != grounds.end();
    const bool hasLand = std::any_of(grounds.begin(), grounds.end(), [](int g) { return g == kGrass || g == kSand; });
    int stars = 0;
    for (const PlacedThing& p : placed)
        stars += p.thing.classId == static_cast<int>(ClassId::Star);

    // Weights by class id, from Ball (7) to Boat (13).
    const int firstThing = static_cast<int>(ClassId::Ball);
    int weights[7] = {
        3,                               // ball
        3,                               // box
        hasLand ? 3 : 0,                 // tree
        hasLand ? 3 : 0,                 // house
        hasRoad ? 5 : (hasLand ? 2 : 0), // car
        stars < 2 ? 2 : 0,               // star
        hasWater ? 5 : 0,                // boat
    };
    const int classId = firstThing + rng.weighted(weights, 7);

    std::vector<int> supports;
    if (classId == static_cast<int>(ClassId::Star)) {
        supports.push_back(stuff.topClass);
    } else {
        for (int g : grounds)
            if (canStandOn(classId, g))
                supports.push_back(g);
    }
    if (supports.empty())
        return false;
    const int support = supports[rng.range(0, static_cast<int64_t>(supports.size()) - 1)];

    PlacedThing t;
    t.thing.classId = classId;
    t.thing.supportClassId = support;
    t.thing.size = static_cast<ThingSize>(rng.weighted(kSizeWeights, 5));
    t.thing.texture = static_cast<Texture>(rng.weighted(kTextureWeights, 4));
    // Never a colour close to what the thing stands on, so it stays visible against it.
    const Rgb supportColour = stuffReferenceColour(support, support == stuff.topClass ? stuff.topStyle : 0);
    for (;;) {
        t.thing.colour = static_cast<int>(rng.range(0, kNumColours - 1));
        if (colourDistance2(thingColour(t.thing.colour), supportColour) >= 80 * 80)
            break;
    }
    t.variant = static_cast<int>(rng.range(0, 5));
    t.angle = rng.range(-kUnit / 24, kUnit / 24);
    t.seed = rng.next();

    const ClassShape shape = classShape(classId);
    const int64_t baseHeight = kSizeHeight[static_cast<int>(t.thing.size)] * shape.heightFactor / 256;
    const int64_t margin = frac(2, 100);
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (classId == static_cast<int>(ClassId::Star)) {
            t.height = baseHeight * 190 / 256;
            t.width = t.height;
            const int64_t r = t.height / 2;
            const int64_t u = rng.range(r + margin, kUnit - r - margin);
            const int64_t hMin = std::min({stuff.horizonAt(u - r), stuff.horizonAt(u), stuff.horizonAt(u + r)});
            const int64_t vMin = r + margin;
            const int64_t vMax = hMin - r - frac(15, 1000);
            if (vMax < vMin)
                continue;
            const int64_t centre = rng.range(vMin, vMax);
            t.footU = u;
            t.footV = centre + r;
            t.depth = 0;
        } else {
            const int64_t u = rng.range(frac(6, 100), frac(94, 100));
            const int64_t h = stuff.horizonAt(u);
            const int64_t vLo = h + frac(2, 100);
            const int64_t vHi = frac(985, 1000);
            if (vLo > vHi)
                continue;
            const int64_t v = rng.range(vLo, vHi);
            if (stuff.labelAt(u, v) != support)
                continue;
            t.depth = stuff.depthAt(u, v);
            const int64_t perspective = 166 + 116 * t.depth / kUnit; // 0.65 at the horizon .. 1.1 at the bottom
            t.height = baseHeight * perspective / 256;
            t.width = t.height * shape.widthRatio / 256;
            t.footU = u;
            t.footV = v;
            if (v - t.height < margin)
                continue;
            const int64_t reach = t.width / 3;
            if (stuff.labelAt(clamp64(u - reach, 0, kUnit - 1), v) != support ||
                stuff.labelAt(clamp64(u + reach, 0, kUnit - 1), v) != support)
                continue;
        }
        if (!fitsAmong(t, placed, hidden))
            continue;
        out = t;
        return true;
    }
    return false;
}

} // namespace

int64_t Curve::at(int64_t u) const
{
    int64_t v = base + tilt * (u - kUnit / 2) / kUnit;
    if (amp != 0)
        v += amp * intSin(freq * u + phase) / 16384;
    return v;
}

int64_t StuffLayout::horizonAt(int64_t u) const
{
    return clamp64(horizon.at(u), frac(15, 100), frac(80, 100));
}

int64_t StuffLayout::splitAt(int64_t u) const
{
    return clamp64(split.at(u), horizonAt(u) + frac(7, 100), frac(94, 100));
}

void StuffLayout::pathAt(int64_t v, int64_t& centre, int64_t& half) const
{
    const int64_t t = clamp64((v - horizon.base) * kUnit / (kUnit - horizon.base), 0, kUnit);
    centre = pathTopU + (pathBottomU - pathTopU) * t / kUnit;
    half = pathTopHalf + (pathBottomHalf - pathTopHalf) * t / kUnit;
}

int64_t StuffLayout::depthAt(int64_t u, int64_t v) const
{
    const int64_t h = horizonAt(u);
    if (v <= h)
        return 0;
    return std::min<int64_t>(kUnit, (v - h) * kUnit / (kUnit - h));
}

int StuffLayout::labelAt(int64_t u, int64_t v, int64_t horizonV, int64_t splitV) const
{
    if (v < horizonV)
        return topClass;
    switch (mode) {
    case GroundMode::Single: return farClass;
    case GroundMode::Band: return v < splitV ? farClass : nearClass;
    case GroundMode::Path: {
        int64_t centre = 0, half = 0;
        pathAt(v, centre, half);
        const int64_t d = u - centre;
        return (d > -half && d < half) ? nearClass : farClass;
    }
    }
    return farClass;
}

int StuffLayout::labelAt(int64_t u, int64_t v) const
{
    return labelAt(u, v, horizonAt(u), mode == GroundMode::Band ? splitAt(u) : 0);
}

std::vector<int> StuffLayout::grounds() const
{
    if (mode == GroundMode::Single)
        return {farClass};
    return {farClass, nearClass};
}

SceneLayout planScene(uint64_t seed, const SceneOptions& options)
{
    Rng rng(seed, kLayoutSalt);
    SceneLayout layout;
    layout.stuff = planStuff(rng);
    layout.outlines = rng.chance(80);

    const int count = static_cast<int>(rng.range(options.minThings, options.maxThings));
    std::vector<PlacedThing> placed;
    std::vector<int64_t> hidden; // box area of each placed thing covered by the others
    for (int slot = 0; slot < count; ++slot) {
        for (int attempt = 0; attempt < 12; ++attempt) {
            PlacedThing t;
            if (!tryPlaceThing(rng, layout.stuff, placed, hidden, t))
                continue;
            for (size_t i = 0; i < placed.size(); ++i)
                hidden[i] += overlapArea(placed[i], t);
            placed.push_back(t);
            hidden.push_back(0);
            for (size_t i = 0; i + 1 < placed.size(); ++i)
                hidden.back() += overlapArea(placed[i], t);
            break;
        }
    }
    // Far to near: a thing lower in the picture stands in front.
    std::stable_sort(placed.begin(), placed.end(),
                     [](const PlacedThing& a, const PlacedThing& b) { return a.footV < b.footV; });
    layout.things = std::move(placed);
    return layout;
}

} // namespace invseg::toy
