// labelme JSON export: one simplified polygon per region, traced by the engine itself (no OpenCV needed).
#include "export/contours.h"
#include "invseg/error.h"
#include "invseg/exports.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace invseg {

nlohmann::json toLabelme(const LabelMap& labels, const std::vector<std::string>& classNames,
                         const std::string& imagePath, int imageWidth, int imageHeight, double epsilon)
{
    if (labels.empty() || labels.labels.size() != size_t(labels.width) * size_t(labels.height))
        throw Error(ErrorKind::InvalidInput, "labelme export of " + imagePath + ": empty or inconsistent label map");
    if (imageWidth <= 0 || imageHeight <= 0)
        throw Error(ErrorKind::InvalidInput, "labelme export of " + imagePath + ": image size " +
                                                 std::to_string(imageWidth) + "x" + std::to_string(imageHeight));
    if (!(epsilon >= 0))
        throw Error(ErrorKind::InvalidInput, "labelme export of " + imagePath + ": negative simplification tolerance");

    const contours::Components comps = contours::connectedComponents(labels);
    // Background enclosed by other regions: labelme polygons have no holes, so the region around it would cover it.
    // Each such area is written as a shape of class 0 (classNames[0]) after the region around it; labelme's
    // draw-in-order rasterisation (shapes_to_label) then restores it.
    LabelMap background{labels.width, labels.height, std::vector<uint8_t>(labels.labels.size(), 0)};
    for (size_t i = 0; i < labels.labels.size(); ++i)
        background.labels[i] = labels.labels[i] == 0 ? 1 : 0;
    const contours::Components holes = contours::connectedComponents(background);
    struct Item {
        size_t firstPixel;
        const contours::Components* comps;
        int id;
    };
    std::vector<Item> items;
    for (size_t id = 0; id < comps.regions.size(); ++id)
        items.push_back({comps.regions[id].firstPixel, &comps, int(id)});
    for (size_t id = 0; id < holes.regions.size(); ++id) {
        const auto& r = holes.regions[id];
        if (r.minX > 0 && r.minY > 0 && r.maxX < labels.width - 1 && r.maxY < labels.height - 1)
            items.push_back({r.firstPixel, &holes, int(id)});
    }
    // Raster order of first pixels: a region comes after every region that encloses it.
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.firstPixel < b.firstPixel; });

    // Pixel centres map to pixel centres when the map and the image differ in size: c' = (c + 0.5)·s − 0.5.
    const double sx = double(imageWidth) / labels.width, sy = double(imageHeight) / labels.height;
    nlohmann::json shapes = nlohmann::json::array();
    for (const Item& item : items) {
        const uint8_t label = item.comps == &holes ? 0 : item.comps->regions[size_t(item.id)].label;
        if (label >= classNames.size())
            throw Error(ErrorKind::InvalidInput, "labelme export of " + imagePath + ": label " + std::to_string(label) +
                                                     " has no class name (" + std::to_string(classNames.size()) +
                                                     " names)");
        const std::vector<contours::Point> boundary = contours::traceOuterBoundary(*item.comps, item.id);
        std::vector<std::array<double, 2>> points;
        points.reserve(boundary.size());
        for (const auto& p : boundary)
            points.push_back({(p.x + 0.5) * sx - 0.5, (p.y + 0.5) * sy - 0.5});
        points = contours::simplifyClosed(points, epsilon);
        // A single pixel or a straight one-pixel line simplifies to 1 or 2 points; labelme wants at least 3, and its
        // rasteriser (PIL's polygon with outline) draws a polygon that repeats a point as exactly that pixel or line.
        if (points.empty())
            continue;
        while (points.size() < 3)
            points.push_back(points.front());
        nlohmann::json pts = nlohmann::json::array();
        for (const auto& p : points)
            pts.push_back({p[0], p[1]});
        shapes.push_back({{"label", classNames[label]},
                          {"points", std::move(pts)},
                          {"group_id", nullptr},
                          {"description", ""},
                          {"shape_type", "polygon"},
                          {"flags", nlohmann::json::object()},
                          // labelme 5.4+ writes "mask" on every shape (null except for mask shapes).
                          {"mask", nullptr}});
    }
    return {{"version", kLabelmeVersion},  {"flags", nlohmann::json::object()},
            {"shapes", std::move(shapes)}, {"imagePath", imagePath},
            {"imageData", nullptr},        {"imageHeight", imageHeight},
            {"imageWidth", imageWidth}};
}

} // namespace invseg
