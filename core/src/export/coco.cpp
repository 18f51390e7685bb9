// COCO export: compressed RLE bit-for-bit as pycocotools writes it, so COCO tools read our masks unchanged.
#include "export/contours.h"
#include "invseg/error.h"
#include "invseg/exports.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace invseg {
namespace {

/// RLE counts of the pixels for which member(index) holds, scanning column-major (pycocotools' Fortran order).
/// Columns outside [x0, x1] are known to be empty and are counted without being read.
template <typename Member>
std::vector<uint32_t> countsOf(int height, int width, int x0, int x1, Member member)
{
    std::vector<uint32_t> counts;
    bool inside = false;
    uint64_t run = uint64_t(x0) * uint64_t(height);
    for (int x = x0; x <= x1; ++x)
        for (int y = 0; y < height; ++y) {
            const bool v = member(size_t(y) * size_t(width) + size_t(x));
            if (v != inside) {
                counts.push_back(uint32_t(run));
                run = 0;
                inside = v;
            }
            ++run;
        }
    // The columns after x1 are background: they extend a background run, or follow a foreground run that reaches
    // the bottom of column x1 as a run of their own (adding them to that run counted them as foreground).
    const uint64_t trailing = uint64_t(width - 1 - x1) * uint64_t(height);
    if (inside && trailing > 0) {
        counts.push_back(uint32_t(run));
        run = trailing;
    } else {
        run += trailing;
    }
    counts.push_back(uint32_t(run));
    return counts;
}

void checkMaskSize(int height, int width)
{
    if (height <= 0 || width <= 0)
        throw Error(ErrorKind::InvalidInput,
                    "COCO RLE: empty mask " + std::to_string(height) + "x" + std::to_string(width) + " (h x w)");
    if (uint64_t(height) * uint64_t(width) > 0xffffffffull)
        throw Error(ErrorKind::InvalidInput, "COCO RLE: mask too large for 32-bit run lengths");
}

} // namespace

std::vector<uint32_t> cocoRleCounts(const uint8_t* mask, int height, int width)
{
    checkMaskSize(height, width);
    if (!mask)
        throw Error(ErrorKind::InvalidInput, "COCO RLE: null mask");
    return countsOf(height, width, 0, width - 1, [mask](size_t i) { return mask[i] != 0; });
}

std::string cocoRleToString(const std::vector<uint32_t>& counts)
{
    std::string s;
    s.reserve(counts.size() * 2);
    for (size_t i = 0; i < counts.size(); ++i) {
        int64_t x = counts[i];
        if (i > 2)
            x -= int64_t(counts[i - 2]);
        bool more = true;
        while (more) {
            int c = int(x & 0x1f);
            x >>= 5; // arithmetic shift: negative differences end in a run of 1 bits
            more = (c & 0x10) ? x != -1 : x != 0;
            if (more)
                c |= 0x20;
            s.push_back(char(c + 48));
        }
    }
    return s;
}

std::vector<uint32_t> cocoRleFromString(const std::string& str)
{
    std::vector<uint32_t> counts;
    size_t p = 0;
    while (p < str.size()) {
        int64_t x = 0;
        int k = 0;
        bool more = true;
        while (more) {
            if (p >= str.size())
                throw Error(ErrorKind::Format, "COCO RLE: string ends inside a value");
            const int c = int(static_cast<unsigned char>(str[p])) - 48;
            if (c < 0 || c > 63)
                throw Error(ErrorKind::Format, "COCO RLE: invalid character '" + std::string(1, str[p]) +
                                                   "' at offset " + std::to_string(p));
            if (k >= 12)
                throw Error(ErrorKind::Format, "COCO RLE: value too long at offset " + std::to_string(p));
            x |= int64_t(c & 0x1f) << (5 * k);
            more = (c & 0x20) != 0;
            ++p;
            ++k;
            if (!more && (c & 0x10))
                x |= -(int64_t(1) << (5 * k)); // sign extension
        }
        if (counts.size() > 2)
            x += int64_t(counts[counts.size() - 2]);
        if (x < 0 || x > int64_t(0xffffffff))
            throw Error(ErrorKind::Format, "COCO RLE: run length " + std::to_string(x) + " out of range");
        counts.push_back(uint32_t(x));
    }
    return counts;
}

std::string cocoRleEncode(const uint8_t* mask, int height, int width)
{
    return cocoRleToString(cocoRleCounts(mask, height, width));
}

uint64_t cocoRleArea(const std::vector<uint32_t>& counts)
{
    uint64_t area = 0;
    for (size_t i = 1; i < counts.size(); i += 2)
        area += counts[i];
    return area;
}

std::array<double, 4> cocoRleBbox(const std::vector<uint32_t>& counts, int height, int width)
{
    checkMaskSize(height, width);
    // pycocotools' rleToBbox: visit the first and last pixel of every foreground run; a run that wraps into a later
    // column covers the full height.
    const size_t m = counts.size() / 2 * 2;
    if (m == 0)
        return {0, 0, 0, 0};
    const uint64_t h = uint64_t(height);
    uint64_t xs = uint64_t(width), ys = h, xe = 0, ye = 0, cc = 0, xp = 0;
    for (size_t j = 0; j < m; ++j) {
        cc += counts[j];
        const uint64_t t = cc - j % 2;
        const uint64_t y = t % h, x = (t - y) / h;
        if (j % 2 == 0)
            xp = x;
        else if (xp < x) {
            ys = 0;
            ye = h - 1;
        }
        xs = std::min(xs, x);
        xe = std::max(xe, x);
        ys = std::min(ys, y);
        ye = std::max(ye, y);
    }
    return {double(xs), double(ys), double(xe - xs + 1), double(ye - ys + 1)};
}

nlohmann::json toCoco(const std::vector<CocoImage>& images, const std::vector<std::string>& classNames,
                      CocoGrouping grouping)
{
    if (classNames.size() < 2 || classNames.size() > 255)
        throw Error(ErrorKind::InvalidInput, "COCO export: needs background plus 1 to 254 class names, got " +
                                                 std::to_string(classNames.size()) + " names");
    nlohmann::json jsonImages = nlohmann::json::array();
    nlohmann::json annotations = nlohmann::json::array();
    int64_t annotationId = 0;
    for (size_t ii = 0; ii < images.size(); ++ii) {
        const CocoImage& img = images[ii];
        const LabelMap* lm = img.labels;
        if (!lm || lm->empty() || lm->labels.size() != size_t(lm->width) * size_t(lm->height))
            throw Error(ErrorKind::InvalidInput, "COCO export: no or inconsistent label map for " + img.fileName);
        const int64_t imageId = int64_t(ii) + 1;
        jsonImages.push_back(
            {{"id", imageId}, {"file_name", img.fileName}, {"width", lm->width}, {"height", lm->height}});

        const contours::Components comps = contours::connectedComponents(*lm);
        for (const auto& r : comps.regions)
            if (r.label >= classNames.size())
                throw Error(ErrorKind::InvalidInput, "COCO export of " + img.fileName + ": label " +
                                                         std::to_string(r.label) + " has no class name (" +
                                                         std::to_string(classNames.size()) + " names)");

        auto addAnnotation = [&](int categoryId, const std::vector<uint32_t>& counts) {
            const auto bbox = cocoRleBbox(counts, lm->height, lm->width);
            annotations.push_back(
                {{"id", ++annotationId},
                 {"image_id", imageId},
                 {"category_id", categoryId},
                 {"segmentation", {{"size", {lm->height, lm->width}}, {"counts", cocoRleToString(counts)}}},
                 {"area", cocoRleArea(counts)},
                 {"bbox", {bbox[0], bbox[1], bbox[2], bbox[3]}},
                 {"iscrowd", 0}});
        };

        if (grouping == CocoGrouping::PerComponent) {
            for (size_t id = 0; id < comps.regions.size(); ++id) {
                const auto& r = comps.regions[id];
                const int32_t want = int32_t(id);
                addAnnotation(r.label, countsOf(lm->height, lm->width, r.minX, r.maxX,
                                                [&](size_t i) { return comps.ids[i] == want; }));
            }
        } else {
            // Column span of every class present, so each class's scan reads only the columns it occupies.
            std::vector<int> minX(256, lm->width), maxX(256, -1);
            for (const auto& r : comps.regions) {
                minX[r.label] = std::min(minX[r.label], r.minX);
                maxX[r.label] = std::max(maxX[r.label], r.maxX);
            }
            for (int c = 1; c < int(classNames.size()); ++c) {
                if (maxX[size_t(c)] < 0)
                    continue;
                const uint8_t want = uint8_t(c);
                addAnnotation(c, countsOf(lm->height, lm->width, minX[size_t(c)], maxX[size_t(c)],
                                          [&](size_t i) { return lm->labels[i] == want; }));
            }
        }
    }
    nlohmann::json categories = nlohmann::json::array();
    for (size_t c = 1; c < classNames.size(); ++c)
        categories.push_back({{"id", c}, {"name", classNames[c]}, {"supercategory", ""}});
    return {{"images", std::move(jsonImages)},
            {"annotations", std::move(annotations)},
            {"categories", std::move(categories)}};
}

} // namespace invseg
