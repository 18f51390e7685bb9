// Regions of a label map (8-connected components), their outer boundaries (Suzuki-Abe border following) and
// Douglas-Peucker simplification: the geometry behind labelme polygons and per-region COCO annotations.
#pragma once

#include "invseg/image.h"

#include <array>
#include <cstdint>
#include <vector>

namespace invseg::contours {

struct Point {
    int x = 0, y = 0;
    bool operator==(const Point& o) const { return x == o.x && y == o.y; }
};

/// One 8-connected region of equal label (labels 0 and 255 form no regions).
struct Region {
    uint8_t label = 0;
    size_t firstPixel = 0; ///< index (y·width + x) of its first pixel in raster order: the top row's leftmost pixel
    uint64_t area = 0;
    int minX = 0, maxX = 0, minY = 0, maxY = 0;
};

/// Every region of a map; ids[i] is the region index of pixel i (−1 for background and ignore). Regions are numbered
/// in raster order of their first pixels, so a region enclosed by another always comes after it.
struct Components {
    int width = 0, height = 0;
    std::vector<int32_t> ids;
    std::vector<Region> regions;
};

/// Labels the regions of `labels` (8-connectivity). Linear in the number of pixels; memory 4 bytes a pixel.
Components connectedComponents(const LabelMap& labels);

/// The outer boundary of region `id`: its boundary pixels in order (counter-clockwise on screen, starting at the
/// region's first pixel), each once per visit, as Suzuki & Abe's border following (OpenCV's findContours with
/// CHAIN_APPROX_NONE) gives it. A one-pixel region gives one point; a one-pixel-wide line is walked there and back.
std::vector<Point> traceOuterBoundary(const Components& components, int id);

/// Douglas-Peucker simplification of a closed polygon: keeps the points that lie farther than epsilon from the
/// simplified outline (at least the start point and the point farthest from it), drops the rest, including collinear
/// points when epsilon is 0. The result does not repeat its first point.
std::vector<std::array<double, 2>> simplifyClosed(const std::vector<std::array<double, 2>>& points, double epsilon);

} // namespace invseg::contours
