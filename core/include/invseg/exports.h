// Exporting segmentations: VOC palette PNG (+ class list), colour overlays, heat maps, labelme JSON and COCO RLE JSON.
//
// Conventions shared by every function here:
//   - A LabelMap holds 0 = background, 1..N = classes, 255 = ignore (never exported as a class).
//   - classNames is indexed by label, classNames[0] being the background's name ("background"), exactly as
//     SegmentResult::classNames. A label other than 255 that has no name is Error(InvalidInput).
//   - Regions are 8-connected (pixels touching at a corner belong to one region), in labelme and COCO alike.
//   - Writers are atomic (temporary file + rename; see image.h); failures are Error(Io) naming the path.
// All functions are reentrant and keep no state between calls.
#pragma once

#include "invseg/image.h"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace invseg {

// ---- VOC ----------------------------------------------------------------------------------------------------------

/// Writes `path` as an 8-bit palette PNG with the 256-colour VOC palette (pixel value = label, so VOC tools and
/// loadLabelMap read the labels back) and, beside it, `<stem>.classes.txt` (see classesFilePath): one class name per
/// line, line i (from 0) = label i, line 0 = classNames[0]. Error(InvalidInput) for an empty map, more than 255
/// names, a name containing a line break, or a label without a name. When the class list cannot be written the PNG
/// is removed again and Error(Io) names the list's path.
void writeVocPng(const std::string& path, const LabelMap& labels, const std::vector<std::string>& classNames);

/// The class list written beside a VOC PNG: "out/cat.png" → "out/cat.classes.txt" (extension replaced, or appended
/// when there is none).
std::string classesFilePath(const std::string& pngPath);

// ---- Overlays and heat maps ---------------------------------------------------------------------------------------

/// Blends the palette colour of each labelled pixel into the image: out = (1 − alpha)·image + alpha·palette[label].
/// Background (0) and ignore (255) pixels are left as they are. A label map of another size is resized to the image
/// first (nearest). Error(InvalidInput) for an empty image or map, alpha outside [0, 1], or a label beyond the palette.
Image colorOverlay(const Image& image, const LabelMap& labels, float alpha,
                   const std::vector<std::array<uint8_t, 3>>& palette = vocPalette());

/// Colour maps of heatmapImage. Viridis, Magma and Jet are matplotlib's 256-entry tables; Gray is a 0..255 ramp
/// looked up the same way.
enum class Colormap { Viridis, Jet, Magma, Gray };

/// "viridis", "jet", "magma", "gray" (also "grey"); Error(InvalidInput) listing the names otherwise.
Colormap colormapFromName(const std::string& name);
const char* colormapName(Colormap colormap);

/// Colours width × height values (row-major, expected in [0, 1]; values outside are clamped, NaN counts as 0) with a
/// colour map: value v takes entry min(⌊256·v⌋, 255), as matplotlib does. `values` is read, not kept.
/// Error(InvalidInput) for a null pointer or an empty size.
Image heatmapImage(const float* values, int width, int height, Colormap colormap = Colormap::Viridis);

// ---- labelme ------------------------------------------------------------------------------------------------------

/// A labelme annotation (labelme 5.x schema) of a label map: {version, flags {}, shapes, imagePath, imageData null,
/// imageHeight, imageWidth}; each shape {label, points [[x, y], ...], group_id null, description "", shape_type
/// "polygon", flags {}, mask null} (labelme 5.5 writes "mask" on every shape; older 5.x readers ignore it).
/// One polygon per 8-connected region of each class, traced along the region's outer boundary pixels (pixel
/// centres, the convention of labelme's own rasteriser and of OpenCV's findContours), then simplified with
/// Douglas-Peucker at tolerance `epsilon` pixels of the image. The default, 0, keeps every corner (only collinear
/// points go), so labelme's rasteriser (shapes_to_label) gives back the map pixel for pixel, single pixels and
/// one-pixel lines included (a region that simplifies to 1 or 2 points repeats its first point up to the 3 points
/// labelme wants); a positive epsilon gives fewer points to edit at the cost of pixels along the boundaries.
/// Holes are not exported (labelme polygons have none): a region's polygon covers its holes, and what lies in a hole
/// is a later region, emitted after it, so labelme's draw-in-order rasterisation restores it; background enclosed by
/// other regions is such a later region too, a shape labelled classNames[0]. Shapes come in the
/// raster order of the regions' first pixels. When the map's size differs from imageWidth × imageHeight, points are
/// scaled to the image.
/// `imagePath` is written as given (labelme expects it relative to the JSON file).
/// Error(InvalidInput) for an empty map, a non-positive image size, a negative epsilon or an unnamed label.
nlohmann::json toLabelme(const LabelMap& labels, const std::vector<std::string>& classNames,
                         const std::string& imagePath, int imageWidth, int imageHeight, double epsilon = 0.0);

/// The labelme schema version written by toLabelme.
constexpr const char* kLabelmeVersion = "5.5.0";

// ---- COCO ---------------------------------------------------------------------------------------------------------

/// Uncompressed COCO RLE counts of a binary mask (row-major, h × w, nonzero = foreground), as pycocotools'
/// mask.encode computes them: runs over the pixels in column-major order, alternating background and foreground,
/// the first run being background (0 when the first pixel is foreground).
std::vector<uint32_t> cocoRleCounts(const uint8_t* mask, int height, int width);

/// The compressed string of RLE counts, exactly pycocotools' rleToString: from the third count on, each count is
/// stored as its difference to the count two before, then every value is written in 5-bit groups, least significant
/// first, as characters 48 + group (+32 when more groups follow), sign-extended from bit 4 of the last group.
std::string cocoRleToString(const std::vector<uint32_t>& counts);

/// The inverse of cocoRleToString (pycocotools' rleFrString). Error(Format) for a character outside '0'..'o' or a
/// string that ends inside a value.
std::vector<uint32_t> cocoRleFromString(const std::string& counts);

/// cocoRleToString(cocoRleCounts(mask, height, width)): the "counts" of a COCO segmentation.
std::string cocoRleEncode(const uint8_t* mask, int height, int width);

/// Foreground pixels of an RLE (sum of the odd-indexed counts): pycocotools' mask.area.
uint64_t cocoRleArea(const std::vector<uint32_t>& counts);

/// Bounding box [x, y, width, height] of an RLE's foreground, pycocotools' mask.toBbox (all zeros when empty).
std::array<double, 4> cocoRleBbox(const std::vector<uint32_t>& counts, int height, int width);

/// One image of a COCO export. `labels` is borrowed for the duration of toCoco and must not be null; its size is the
/// image's size.
struct CocoImage {
    std::string fileName;
    const LabelMap* labels = nullptr;
};

/// How toCoco turns a label map into annotations.
enum class CocoGrouping {
    PerClass,     ///< one annotation per class present in an image (semantic segmentation; the default)
    PerComponent, ///< one annotation per 8-connected region of a class (instance-style, as X-AnyLabeling expects)
};

/// A COCO dataset: {images [{id, file_name, width, height}], annotations [{id, image_id, category_id, segmentation
/// {size [h, w], counts}, area, bbox [x, y, w, h], iscrowd 0}], categories [{id, name, supercategory ""}]}.
/// Image ids are 1.. in order; annotation ids 1.. in order of (image, then class / region in raster order);
/// category id = label (1..N; background and ignore are not categories). counts is the compressed RLE string.
/// Error(InvalidInput) for a null or empty map, a label without a name, or fewer than 2 class names.
nlohmann::json toCoco(const std::vector<CocoImage>& images, const std::vector<std::string>& classNames,
                      CocoGrouping grouping = CocoGrouping::PerClass);

// ---- Files --------------------------------------------------------------------------------------------------------

/// Writes j (indented by 2, UTF-8, trailing newline) atomically; Error(Io) naming path on failure, leaving nothing.
void writeJsonAtomic(const std::string& path, const nlohmann::json& j);

} // namespace invseg
