// labelme export: the JSON follows labelme 5.x's schema (keys, types, polygon shapes inside the image), and the
// polygons rasterise back to the regions they came from.
#include "export_test_support.h"

#include "invseg/error.h"
#include "invseg/exports.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

using invseg::ErrorKind;
using invseg::LabelMap;
using invseg::test::expectError;

namespace {

/// 40x30: a rectangle of class 1 with a square hole holding class 2, a disc of class 3, an ignore stripe, one
/// isolated pixel of class 2.
LabelMap scene()
{
    LabelMap m{40, 30, std::vector<uint8_t>(40 * 30, 0)};
    auto at = [&](int x, int y) -> uint8_t& { return m.labels[size_t(y) * 40 + size_t(x)]; };
    for (int y = 3; y < 20; ++y)
        for (int x = 2; x < 18; ++x)
            at(x, y) = 1;
    for (int y = 8; y < 13; ++y)
        for (int x = 7; x < 12; ++x)
            at(x, y) = 2;
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 40; ++x)
            if ((x - 29) * (x - 29) + (y - 18) * (y - 18) <= 49)
                at(x, y) = 3;
    for (int x = 0; x < 40; ++x)
        at(x, 27) = 255;
    at(37, 2) = 2;
    return m;
}

/// labelme's rasteriser (PIL ImageDraw.polygon) fills the interior and the outline: a pixel is in when its centre
/// is inside the polygon or within half a pixel of an edge.
bool covered(const nlohmann::json& pts, double px, double py)
{
    bool inside = false;
    const size_t n = pts.size();
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

/// Draws the shapes in order, as labelme's shapes_to_label does, into a map of class indices.
LabelMap rasterise(const nlohmann::json& doc, const std::vector<std::string>& names, int w, int h)
{
    LabelMap out{w, h, std::vector<uint8_t>(size_t(w) * size_t(h), 0)};
    for (const auto& shape : doc["shapes"]) {
        const auto it = std::find(names.begin(), names.end(), shape["label"].get<std::string>());
        const uint8_t label = uint8_t(it - names.begin());
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                if (covered(shape["points"], x, y))
                    out.labels[size_t(y) * size_t(w) + size_t(x)] = label;
    }
    return out;
}

} // namespace

TEST(Labelme, FollowsTheLabelme5Schema)
{
    const LabelMap m = scene();
    const std::vector<std::string> names{"background", "table", "cup", "plate"};
    const nlohmann::json j = invseg::toLabelme(m, names, "scene.jpg", 40, 30);

    const std::set<std::string> keys{"version",   "flags",       "shapes",    "imagePath",
                                     "imageData", "imageHeight", "imageWidth"};
    std::set<std::string> got;
    for (const auto& [k, v] : j.items())
        got.insert(k);
    EXPECT_EQ(got, keys);
    EXPECT_EQ(j["version"], invseg::kLabelmeVersion);
    EXPECT_EQ(std::string(invseg::kLabelmeVersion).substr(0, 2), "5.");
    EXPECT_TRUE(j["flags"].is_object());
    EXPECT_TRUE(j["imageData"].is_null());
    EXPECT_EQ(j["imagePath"], "scene.jpg");
    EXPECT_TRUE(j["imageHeight"].is_number_integer());
    EXPECT_EQ(j["imageHeight"], 30);
    EXPECT_EQ(j["imageWidth"], 40);
    ASSERT_TRUE(j["shapes"].is_array());
    // In raster order of first pixels: the isolated pixel (a polygon of one repeated point), the rectangle, its
    // hole, the disc; ignore is never a shape.
    ASSERT_EQ(j["shapes"].size(), 4u) << j["shapes"].dump();
    EXPECT_EQ(j["shapes"][0]["label"], "cup");
    EXPECT_EQ(j["shapes"][1]["label"], "table");
    EXPECT_EQ(j["shapes"][2]["label"], "cup");
    EXPECT_EQ(j["shapes"][3]["label"], "plate");
    EXPECT_EQ(j["shapes"][0]["points"], nlohmann::json::parse("[[37, 2], [37, 2], [37, 2]]"));
    for (const auto& s : j["shapes"]) {
        std::set<std::string> sk;
        for (const auto& [k, v] : s.items())
            sk.insert(k);
        EXPECT_EQ(sk,
                  (std::set<std::string>{"label", "points", "group_id", "description", "shape_type", "flags", "mask"}));
        EXPECT_TRUE(s["mask"].is_null());
        EXPECT_TRUE(s["label"].is_string());
        EXPECT_EQ(s["shape_type"], "polygon");
        EXPECT_TRUE(s["group_id"].is_null());
        EXPECT_EQ(s["description"], "");
        EXPECT_TRUE(s["flags"].is_object());
        ASSERT_GE(s["points"].size(), 3u);
        for (const auto& p : s["points"]) {
            ASSERT_TRUE(p.is_array());
            ASSERT_EQ(p.size(), 2u);
            ASSERT_TRUE(p[0].is_number() && p[1].is_number());
            EXPECT_GE(p[0].get<double>(), 0.0);
            EXPECT_LE(p[0].get<double>(), 39.0);
            EXPECT_GE(p[1].get<double>(), 0.0);
            EXPECT_LE(p[1].get<double>(), 29.0);
        }
    }
    // The rectangle simplifies to its 4 corners (pixel centres), whatever the start and direction.
    std::set<std::pair<double, double>> corners;
    for (const auto& p : j["shapes"][1]["points"])
        corners.insert({p[0].get<double>(), p[1].get<double>()});
    EXPECT_EQ(corners, (std::set<std::pair<double, double>>{{2, 3}, {17, 3}, {17, 19}, {2, 19}}));
}

TEST(Labelme, PolygonsRasteriseBackToTheRegions)
{
    const LabelMap m = scene();
    const std::vector<std::string> names{"background", "table", "cup", "plate"};
    const nlohmann::json j = invseg::toLabelme(m, names, "scene.jpg", 40, 30, 1.0);
    const LabelMap back = rasterise(j, names, 40, 30);
    // Per class IoU, ignoring the ignore stripe (never a shape).
    for (uint8_t c = 1; c <= 3; ++c) {
        size_t inter = 0, uni = 0;
        for (size_t i = 0; i < m.labels.size(); ++i) {
            if (m.labels[i] == 255)
                continue;
            const bool a = m.labels[i] == c, b = back.labels[i] == c;
            inter += a && b;
            uni += a || b;
        }
        ASSERT_GT(uni, 0u);
        EXPECT_GT(double(inter) / double(uni), 0.9) << "class " << int(c);
    }
    // With epsilon 0 every pixel comes back, the isolated one included (the ignore stripe comes back as background).
    const nlohmann::json exact = invseg::toLabelme(m, names, "scene.jpg", 40, 30, 0.0);
    const LabelMap b0 = rasterise(exact, names, 40, 30);
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 40; ++x) {
            const uint8_t want = m.labels[size_t(y) * 40 + size_t(x)];
            EXPECT_EQ(b0.labels[size_t(y) * 40 + size_t(x)], want == 255 ? 0 : want) << x << "," << y;
        }
}

TEST(Labelme, BackgroundInsideARegionComesBackAsBackground)
{
    // A frame of class 1 around background (found by the labelme peer test: the frame's polygon covered the
    // background inside it). The enclosed background is a shape of class 0 after the frame.
    LabelMap m{12, 10, std::vector<uint8_t>(120, 0)};
    for (int y = 1; y < 9; ++y)
        for (int x = 2; x < 11; ++x)
            m.labels[size_t(y) * 12 + size_t(x)] = (y >= 3 && y < 7 && x >= 4 && x < 9) ? 0 : 1;
    const std::vector<std::string> names{"background", "frame"};
    const nlohmann::json j = invseg::toLabelme(m, names, "frame.png", 12, 10, 0.0);
    ASSERT_EQ(j["shapes"].size(), 2u) << j["shapes"].dump();
    EXPECT_EQ(j["shapes"][0]["label"], "frame");
    EXPECT_EQ(j["shapes"][1]["label"], "background");
    const LabelMap back = rasterise(j, names, 12, 10);
    EXPECT_EQ(back.labels, m.labels);
}

TEST(Labelme, PixelsAndOnePixelLinesComeBackExactly)
{
    // Speckle of a noisy mask (found by the labelme peer test on the samples): single pixels, a two-pixel piece, a
    // straight, a diagonal and a bent one-pixel line. Each is a shape, and labelme's rasteriser gives it back.
    LabelMap m{16, 12, std::vector<uint8_t>(16 * 12, 0)};
    auto at = [&](int x, int y) -> uint8_t& { return m.labels[size_t(y) * 16 + size_t(x)]; };
    at(1, 1) = 1;
    at(14, 10) = 2;
    at(4, 1) = at(5, 1) = 2;
    for (int x = 1; x < 9; ++x)
        at(x, 4) = 1;
    for (int i = 0; i < 5; ++i)
        at(10 + i, 1 + i) = 2;
    for (int y = 6; y < 11; ++y)
        at(2, y) = 1;
    for (int x = 3; x < 8; ++x)
        at(x, 10) = 1;
    const std::vector<std::string> names{"background", "wire", "dot"};
    const nlohmann::json j = invseg::toLabelme(m, names, "speckle.png", 16, 12, 0.0);
    EXPECT_EQ(j["shapes"].size(), 6u) << j["shapes"].dump();
    for (const auto& s : j["shapes"])
        EXPECT_GE(s["points"].size(), 3u) << s.dump();
    EXPECT_EQ(rasterise(j, names, 16, 12).labels, m.labels);
}

TEST(Labelme, ScalesPointsToTheImageSize)
{
    // A 4x4 map of a 2x2 square at (1..2, 1..2), exported for an 8x8 image: centres c → (c + 0.5)·2 − 0.5.
    LabelMap m{4, 4, std::vector<uint8_t>(16, 0)};
    for (int y = 1; y <= 2; ++y)
        for (int x = 1; x <= 2; ++x)
            m.labels[size_t(y) * 4 + size_t(x)] = 1;
    const nlohmann::json j = invseg::toLabelme(m, {"background", "box"}, "a.png", 8, 8, 0.0);
    ASSERT_EQ(j["shapes"].size(), 1u);
    std::set<std::pair<double, double>> pts;
    for (const auto& p : j["shapes"][0]["points"])
        pts.insert({p[0].get<double>(), p[1].get<double>()});
    EXPECT_EQ(pts, (std::set<std::pair<double, double>>{{2.5, 2.5}, {4.5, 2.5}, {4.5, 4.5}, {2.5, 4.5}}));
    EXPECT_EQ(j["imageWidth"], 8);
}

TEST(Labelme, RejectsBadInput)
{
    const LabelMap m{2, 1, {0, 4}};
    expectError(
        [&] {
            invseg::toLabelme(m, {"background", "a"}, "x.jpg", 2, 1);
        },
        ErrorKind::InvalidInput, {"x.jpg", "label 4"});
    expectError([&] { invseg::toLabelme(LabelMap{}, {"background"}, "x.jpg", 2, 1); }, ErrorKind::InvalidInput,
                {"x.jpg"});
    const LabelMap ok{2, 1, {0, 1}};
    expectError([&] { invseg::toLabelme(ok, {"background", "a"}, "x.jpg", 0, 1); }, ErrorKind::InvalidInput, {"0x1"});
    expectError(
        [&] {
            invseg::toLabelme(ok, {"background", "a"}, "x.jpg", 2, 1, -1.0);
        },
        ErrorKind::InvalidInput, {"negative"});
}
