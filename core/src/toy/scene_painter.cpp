// The painter: one pass over the stuff, then each thing over its own box, so a 4096^2 scene stays cheap.
#include "toy/scene_painter.h"

#include "toy/noise.h"
#include "toy/rng.h"
#include "toy/stuff_painter.h"
#include "toy/thing_painter.h"

#include <algorithm>

namespace invseg::toy {

namespace {

constexpr uint64_t kGrainSalt = 0x677261696E2E3031ull; // "grain.01"

void store(std::vector<uint8_t>& rgb, size_t i, Rgb c)
{
    rgb[3 * i] = static_cast<uint8_t>(clampChannel(c.r));
    rgb[3 * i + 1] = static_cast<uint8_t>(clampChannel(c.g));
    rgb[3 * i + 2] = static_cast<uint8_t>(clampChannel(c.b));
}

Rgb load(const std::vector<uint8_t>& rgb, size_t i)
{
    return {rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]};
}

/// The pixel range [lo, hi) whose centres may fall in [a, b) (kUnit units), clipped to the image.
void pixelSpan(int64_t a, int64_t b, int size, int& lo, int& hi)
{
    lo = static_cast<int>(clamp64(floorDiv(a * size, kUnit) - 1, 0, size));
    hi = static_cast<int>(clamp64(floorDiv(b * size, kUnit) + 2, 0, size));
}

} // namespace

void paintScene(const SceneLayout& layout, int size, uint64_t seed, Scene& scene)
{
    const StuffLayout& stuff = layout.stuff;
    const size_t n = static_cast<size_t>(size) * static_cast<size_t>(size);
    scene.width = size;
    scene.height = size;
    scene.rgb.assign(3 * n, 0);
    scene.labels.assign(n, 0);
    std::vector<uint8_t> instance(n, 0); // 0: stuff, k: things[k - 1]

    std::vector<int64_t> coord(static_cast<size_t>(size));
    for (int p = 0; p < size; ++p)
        coord[static_cast<size_t>(p)] = (2 * static_cast<int64_t>(p) + 1) * kUnit / (2 * static_cast<int64_t>(size));

    // Stuff.
    std::vector<int64_t> horizon(static_cast<size_t>(size)), split(static_cast<size_t>(size), 0);
    for (int x = 0; x < size; ++x) {
        horizon[static_cast<size_t>(x)] = stuff.horizonAt(coord[static_cast<size_t>(x)]);
        if (stuff.mode == GroundMode::Band)
            split[static_cast<size_t>(x)] = stuff.splitAt(coord[static_cast<size_t>(x)]);
    }
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            StuffPoint p;
            p.u = coord[static_cast<size_t>(x)];
            p.v = coord[static_cast<size_t>(y)];
            p.horizon = horizon[static_cast<size_t>(x)];
            p.split = split[static_cast<size_t>(x)];
            p.label = stuff.labelAt(p.u, p.v, p.horizon, p.split);
            const size_t i = static_cast<size_t>(y) * size + x;
            scene.labels[i] = static_cast<uint8_t>(p.label);
            store(scene.rgb, i, stuffColour(stuff, p));
        }
    }

    // Soft contact shadows of things standing on land (not of stars and boats), on the ground only.
    for (const PlacedThing& t : layout.things) {
        const int cls = t.thing.classId;
        if (cls == static_cast<int>(ClassId::Star) || cls == static_cast<int>(ClassId::Boat))
            continue;
        const int64_t cu = t.footU + t.width / 10, cv = t.footV;
        const int64_t rx = std::max<int64_t>(t.width * 55 / 100, 1),
                      ry = std::max<int64_t>(t.height * 7 / 100, frac(4, 1000));
        int x0, x1, y0, y1;
        pixelSpan(cu - rx, cu + rx, size, x0, x1);
        pixelSpan(cv - ry, cv + ry, size, y0, y1);
        for (int y = y0; y < y1; ++y) {
            for (int x = x0; x < x1; ++x) {
                const size_t i = static_cast<size_t>(y) * size + x;
                if (scene.labels[i] == stuff.topClass)
                    continue;
                const int64_t du = (coord[static_cast<size_t>(x)] - cu) * 1024 / rx;
                const int64_t dv = (coord[static_cast<size_t>(y)] - cv) * 1024 / ry;
                const int64_t d2 = du * du + dv * dv;
                if (d2 < 1024 * 1024)
                    store(scene.rgb, i, scale(load(scene.rgb, i), static_cast<int>(165 + d2 * 91 / (1024 * 1024))));
            }
        }
    }

    // Things, far to near; a later thing overwrites colour and label together.
    scene.things.clear();
    for (size_t k = 0; k < layout.things.size(); ++k) {
        const PlacedThing& t = layout.things[k];
        const ThingPainter painter(t);
        Thing info = t.thing;
        int bx0 = size, by0 = size, bx1 = 0, by1 = 0;
        int x0, x1, y0, y1;
        pixelSpan(painter.left(), painter.right(), size, x0, x1);
        pixelSpan(painter.top(), painter.bottom(), size, y0, y1);
        for (int y = y0; y < y1; ++y) {
            for (int x = x0; x < x1; ++x) {
                Rgb c;
                if (!painter.sample(coord[static_cast<size_t>(x)], coord[static_cast<size_t>(y)], c))
                    continue;
                const size_t i = static_cast<size_t>(y) * size + x;
                store(scene.rgb, i, c);
                scene.labels[i] = static_cast<uint8_t>(info.classId);
                instance[i] = static_cast<uint8_t>(k + 1);
                bx0 = std::min(bx0, x);
                by0 = std::min(by0, y);
                bx1 = std::max(bx1, x + 1);
                by1 = std::max(by1, y + 1);
            }
        }
        if (bx1 > bx0) {
            info.x0 = bx0;
            info.y0 = by0;
            info.x1 = bx1;
            info.y1 = by1;
        }
        scene.things.push_back(info);
    }

    // Outlines (a pixel-wide dark rim at 256, scaled with the size) and grain; labels are untouched.
    const int thickness = std::max(1, size / 256);
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const size_t i = static_cast<size_t>(y) * size + x;
            const uint8_t own = instance[i];
            Rgb c = load(scene.rgb, i);
            if (own != 0 && layout.outlines) {
                bool edge = false;
                for (int d = 1; d <= thickness && !edge; ++d) {
                    edge = (x >= d && instance[i - d] != own) || (x + d < size && instance[i + d] != own) ||
                           (y >= d && instance[i - static_cast<size_t>(d) * size] != own) ||
                           (y + d < size && instance[i + static_cast<size_t>(d) * size] != own);
                }
                if (edge)
                    c = scale(c, 120);
            }
            c = offset(c, pixelNoise(seed ^ kGrainSalt, x, y, own != 0 ? 3 : 5));
            store(scene.rgb, i, c);
        }
    }

    // Pixel counts and the present classes.
    std::vector<int> instancePixels(layout.things.size() + 1, 0);
    int classPixels[kNumClasses] = {};
    for (size_t i = 0; i < n; ++i) {
        ++instancePixels[instance[i]];
        ++classPixels[scene.labels[i]];
    }
    for (size_t k = 0; k < scene.things.size(); ++k) {
        scene.things[k].pixels = instancePixels[k + 1];
        scene.things[k].inCaption = scene.things[k].pixels > 0;
    }
    scene.presentClasses.clear();
    for (int c = 0; c < kNumClasses; ++c)
        if (classPixels[c] > 0)
            scene.presentClasses.push_back(c);
}

} // namespace invseg::toy
