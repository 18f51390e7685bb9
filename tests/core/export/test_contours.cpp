// Region geometry behind labelme and per-region COCO: 8-connected components, outer-border following on random
// maps (it must close, stay on the region and enclose all of it), Douglas-Peucker.
#include "export_test_support.h"

#include "export/contours.h"
#include "invseg/exports.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <random>

using invseg::LabelMap;
namespace contours = invseg::contours;

namespace {

/// Inside the closed polygon, or within half a pixel of its outline (labelme's fill + outline).
bool covered(const std::vector<std::array<double, 2>>& pts, double px, double py)
{
    const size_t n = pts.size();
    if (n == 1)
        return std::hypot(px - pts[0][0], py - pts[0][1]) <= 0.5;
    bool inside = false;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        const double xi = pts[i][0], yi = pts[i][1], xj = pts[j][0], yj = pts[j][1];
        if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi)
            inside = !inside;
        const double vx = xj - xi, vy = yj - yi, len2 = vx * vx + vy * vy;
        double t = len2 > 0 ? ((px - xi) * vx + (py - yi) * vy) / len2 : 0;
        t = std::max(0.0, std::min(1.0, t));
        if (std::hypot(px - xi - t * vx, py - yi - t * vy) <= 0.5 + 1e-9)
            return true;
    }
    return inside;
}

/// Random blobs: a few random rectangles and discs of labels 1..3 plus salt noise, some ignore pixels.
LabelMap randomMap(std::mt19937& rng, int w, int h)
{
    LabelMap m{w, h, std::vector<uint8_t>(size_t(w) * size_t(h), 0)};
    const int shapes = 1 + int(rng() % 6);
    for (int s = 0; s < shapes; ++s) {
        const uint8_t label = uint8_t(1 + rng() % 3);
        const int cx = int(rng() % uint32_t(w)), cy = int(rng() % uint32_t(h)), r = 1 + int(rng() % 6);
        const bool disc = rng() % 2;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const bool in = disc ? (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r
                                     : std::abs(x - cx) <= r && std::abs(y - cy) <= r / 2 + 1;
                if (in)
                    m.labels[size_t(y) * size_t(w) + size_t(x)] = label;
            }
    }
    for (int k = 0; k < w * h / 10; ++k)
        m.labels[rng() % m.labels.size()] = uint8_t(rng() % 5 == 0 ? 255 : rng() % 4);
    return m;
}

} // namespace

TEST(Contours, ComponentsAreEightConnectedAndInRasterOrder)
{
    // Two diagonal 1s form one region; the 2 below the 1 at (0,0) starts later; 255 and 0 form none.
    const LabelMap m{3,
                     3,
                     {1, 0, 255, //
                      2, 1, 0,   //
                      2, 0, 1}};
    const auto c = contours::connectedComponents(m);
    ASSERT_EQ(c.regions.size(), 2u);
    EXPECT_EQ(c.regions[0].label, 1);
    EXPECT_EQ(c.regions[0].area, 3u);
    EXPECT_EQ(c.regions[0].firstPixel, 0u);
    EXPECT_EQ(c.regions[1].label, 2);
    EXPECT_EQ(c.regions[1].firstPixel, 3u);
    EXPECT_EQ(c.ids[2], -1);
    EXPECT_EQ(c.ids[8], 0);
}

TEST(Contours, SquareBoundaryCounterClockwiseFromTheFirstPixel)
{
    LabelMap m{4, 4, std::vector<uint8_t>(16, 0)};
    for (int y = 1; y <= 2; ++y)
        for (int x = 1; x <= 2; ++x)
            m.labels[size_t(y) * 4 + size_t(x)] = 1;
    const auto c = contours::connectedComponents(m);
    const auto b = contours::traceOuterBoundary(c, 0);
    ASSERT_EQ(b.size(), 4u);
    EXPECT_EQ(b[0], (contours::Point{1, 1}));
    EXPECT_EQ(b[1], (contours::Point{1, 2})); // down the left side first: counter-clockwise on screen
    EXPECT_EQ(b[2], (contours::Point{2, 2}));
    EXPECT_EQ(b[3], (contours::Point{2, 1}));
}

TEST(Contours, RandomMapsBoundariesCloseStayOnTheRegionAndEncloseIt)
{
    std::mt19937 rng(2024);
    for (int trial = 0; trial < 60; ++trial) {
        const int w = 3 + int(rng() % 30), h = 3 + int(rng() % 30);
        const LabelMap m = randomMap(rng, w, h);
        const auto c = contours::connectedComponents(m);
        for (size_t id = 0; id < c.regions.size(); ++id) {
            SCOPED_TRACE("trial " + std::to_string(trial) + " region " + std::to_string(id));
            std::vector<contours::Point> b;
            ASSERT_NO_THROW(b = contours::traceOuterBoundary(c, int(id)));
            ASSERT_FALSE(b.empty());
            EXPECT_EQ(size_t(b[0].y) * size_t(w) + size_t(b[0].x), c.regions[id].firstPixel);
            for (size_t k = 0; k < b.size(); ++k) {
                ASSERT_EQ(c.ids[size_t(b[k].y) * size_t(w) + size_t(b[k].x)], int(id));
                const auto& n = b[(k + 1) % b.size()];
                if (b.size() > 1) {
                    ASSERT_LE(std::abs(n.x - b[k].x), 1);
                    ASSERT_LE(std::abs(n.y - b[k].y), 1);
                }
            }
            std::vector<std::array<double, 2>> pts;
            for (const auto& p : b)
                pts.push_back({double(p.x), double(p.y)});
            for (size_t i = 0; i < m.labels.size(); ++i)
                if (c.ids[i] == int(id))
                    ASSERT_TRUE(covered(pts, double(i % size_t(w)), double(i / size_t(w))))
                        << "pixel " << i % size_t(w) << "," << i / size_t(w) << " outside its region's boundary";
            // Simplification at epsilon 0 keeps the covered set (only collinear points go).
            const auto simple = contours::simplifyClosed(pts, 0.0);
            if (simple.size() >= 3)
                for (size_t i = 0; i < m.labels.size(); ++i)
                    if (c.ids[i] == int(id))
                        ASSERT_TRUE(covered(simple, double(i % size_t(w)), double(i / size_t(w))));
        }
        // The labelme export of the same map never throws and keeps every point inside the image.
        const auto j = invseg::toLabelme(m, {"background", "a", "b", "c"}, "r.png", w, h, 1.0);
        for (const auto& s : j["shapes"])
            for (const auto& p : s["points"]) {
                ASSERT_GE(p[0].get<double>(), 0.0);
                ASSERT_LE(p[0].get<double>(), double(w - 1));
                ASSERT_GE(p[1].get<double>(), 0.0);
                ASSERT_LE(p[1].get<double>(), double(h - 1));
            }
    }
}

TEST(Contours, DouglasPeuckerDropsCollinearAndSmallDeviations)
{
    // A square with extra points on its edges and a 0.4-pixel bump.
    const std::vector<std::array<double, 2>> ring{{0, 0},   {0, 5},    {0, 10}, {5, 10},
                                                  {10, 10}, {10.4, 5}, {10, 0}, {5, 0}};
    const auto exact = contours::simplifyClosed(ring, 0.0);
    EXPECT_EQ(exact.size(), 5u) << "the bump stays at epsilon 0";
    const auto coarse = contours::simplifyClosed(ring, 1.0);
    EXPECT_EQ(coarse, (std::vector<std::array<double, 2>>{{0, 0}, {0, 10}, {10, 10}, {10, 0}}));
}
