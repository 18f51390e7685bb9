// Scoring segmentations: the confusion matrix and mIoU (dataset-level, mmsegmentation's convention), readers for the
// standard benchmark layouts (PASCAL VOC, PASCAL Context, COCO-Object), and the bundled class-name lists.
//
// Torch-free and Qt-free: links only the media area (label maps) and the toy world (seed ranges).
// Errors are invseg::Error: InvalidInput for bad arguments and specs, Io naming the missing folder or file, Format
// for a malformed class list. Nothing here keeps global state; different objects may be used on different threads.
#pragma once

#include "invseg/image.h"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace invseg {

// ---- Confusion matrix and mIoU ------------------------------------------------------------------------------------

/// Pixel counts over a whole dataset: count(gt, pred) accumulates over every image added, so IoU is
/// Σ intersection / Σ union over the dataset (not a mean of per-image IoUs), as mmsegmentation and the papers in
/// invseg-method.md compute it.
///
/// Ground truth: a pixel whose label is kIgnoreLabel (255) or otherwise >= numClasses is not counted at all.
/// Prediction: a label >= numClasses (a caller's bug, or 255 left in a prediction) counts as a wrong answer for the
/// ground-truth class: it adds to that class's union but to no class's prediction column (mmsegmentation does the
/// same); invalidPredictions() reports how many pixels that was.
///
/// Not thread-safe; give each thread its own matrix and merge() them.
class ConfusionMatrix {
public:
    /// numClasses in 1..255 (label 255 is reserved for "ignore"); Error(InvalidInput) otherwise.
    explicit ConfusionMatrix(int numClasses);

    int numClasses() const { return m_numClasses; }

    /// Adds one image. Error(InvalidInput) naming both sizes when prediction and ground truth differ in size, or when
    /// either map is empty or its buffer does not match its size. On error nothing is added.
    void add(const LabelMap& prediction, const LabelMap& groundTruth);

    /// Adds another matrix's counts (same numClasses, else Error(InvalidInput)).
    void merge(const ConfusionMatrix& other);

    /// Pixels with ground truth `gt` predicted as `pred` (both in 0..numClasses-1; Error(InvalidInput) otherwise).
    uint64_t count(int gt, int pred) const;
    /// Ground-truth pixels of class c (row sum, including wrong predictions out of range).
    uint64_t groundTruthPixels(int c) const;
    /// Pixels predicted as class c among the counted ones (column sum).
    uint64_t predictedPixels(int c) const;

    uint64_t images() const { return m_images; }
    uint64_t countedPixels() const { return m_counted; } ///< pixels with a valid ground truth
    uint64_t ignoredPixels() const { return m_ignored; } ///< ground truth 255 or out of range
    uint64_t invalidPredictions() const { return m_invalidPredictions; }

    /// True when class c occurs in the ground truth or the prediction of a counted pixel (union > 0).
    bool present(int c) const;

    /// Per-class IoU in percent (100·TP / (TP + FP + FN)); NaN for a class that is never in the ground truth nor
    /// predicted on a counted pixel. Size numClasses.
    std::vector<double> iou() const;

    /// Mean of iou() over the present classes, in percent (mmsegmentation's nanmean); NaN when nothing was counted.
    double meanIou() const;
    /// The same mean over the present classes among `classes` (ids in 0..numClasses-1; Error(InvalidInput) for one out
    /// of range): the things' or the stuff's mIoU. NaN when none of them is present.
    double meanIou(const std::vector<int>& classes) const;
    /// Ground-truth pixels of class c whose prediction was out of range (on the toy world: labelled background).
    uint64_t outOfRangePredictions(int c) const;

    /// Correct pixels / counted pixels, in percent (NaN when nothing was counted).
    double pixelAccuracy() const;

    /// Per-class recall TP / ground-truth pixels in percent, averaged over the classes that occur in the ground truth
    /// (mmsegmentation's mAcc); NaN when nothing was counted.
    double meanAccuracy() const;

    /// {"miou": %, "pixel_accuracy": %, "mean_accuracy": %, "per_class": {name: IoU %} (present classes only; an
    /// object, so keys come out sorted by name), "absent_classes": [names in class order], "num_classes", "images",
    /// "counted_pixels", "ignored_pixels", "invalid_predictions"}. Percentages are rounded to 4 decimals; an
    /// undefined mean (nothing counted) is null. Class names must be distinct (they are keys).
    /// classNames.size() must equal numClasses() (Error(InvalidInput) otherwise).
    nlohmann::json toJson(const std::vector<std::string>& classNames) const;

    /// A Markdown table "| class | IoU (%) |" with one row per class (absent classes show "–"), then a bold mIoU row;
    /// two decimals. '|' in a class name is escaped. Same classNames rule as toJson.
    std::string toMarkdown(const std::vector<std::string>& classNames) const;

private:
    int m_numClasses;
    /// Row-major numClasses × (numClasses + 1): the extra last column holds out-of-range predictions.
    std::vector<uint64_t> m_counts;
    uint64_t m_images = 0, m_counted = 0, m_ignored = 0, m_invalidPredictions = 0;
};

// ---- Image-blind floor ----------------------------------------------------------------------------------------------

/// The toy world's layout rule, a floor that reads no pixel: it knows only the prompted classes (toy ids) and the
/// image size. The prompted top stuff (sky or wall) above 45 % of the height, the far ground from 45 % to 70 %, the
/// near ground below, no things. Of the prompted grounds the far one is the first in the order water, grass, sand, road
/// and the near one the last (one ground fills both bands); without a top stuff the grounds start at the top, without a
/// ground the top stuff fills the image. Labels are toy ids (0 where nothing is prompted).
LabelMap toyLayoutGuess(int width, int height, const std::vector<int>& promptedToyIds);

// ---- Class lists --------------------------------------------------------------------------------------------------

/// Reads a class list: one name per line (line i of the names = label i, background first), surrounding spaces and
/// tabs trimmed, CR of CRLF files dropped, blank lines and lines starting with '#' skipped. Error(Io) naming the path
/// when it cannot be read; Error(Format) naming the path, the line number and the name for a duplicate, and for a
/// file with no names or more than 255.
std::vector<std::string> loadClassList(const std::string& path);

/// A bundled list from resources/classes (see resources.h for where that folder is found):
///   "voc"      21 names: background + the 20 PASCAL VOC classes;
///   "context"  60 names: background + PASCAL Context's 59 (mmsegmentation's PascalContextDataset order);
///   "cocoobj"  81 names: background + the 80 COCO thing classes in category-id order.
/// Names are the short prompts diffusion segmentation methods use ("potted plant", "tv monitor", "dining table").
/// Error(InvalidInput) listing the known names for any other name.
std::vector<std::string> bundledClassList(const std::string& name);

/// The path bundledClassList reads for `name` (same errors for unknown names).
std::string bundledClassListPath(const std::string& name);

// ---- Datasets -----------------------------------------------------------------------------------------------------

enum class DatasetKind { Voc, Context, CocoObject, Toy };

/// "voc", "context", "cocoobj", "toy".
const char* datasetKindName(DatasetKind kind);

/// A parsed dataset spec "KIND:ARGUMENT".
struct DatasetSpec {
    DatasetKind kind = DatasetKind::Voc;
    std::string root;  ///< the folder given (voc, context, cocoobj); empty for toy
    std::string seeds; ///< the seed range text after "seeds=" (toy only), e.g. "0-99"
};

/// Parses "voc:DIR", "context:DIR", "cocoobj:DIR" or "toy:seeds=RANGE". Only the syntax is checked (the folder is
/// checked by openDataset, the range by toySeeds). Error(InvalidInput) quoting the spec and listing the accepted
/// forms for an unknown kind, a missing ':' or an empty argument.
DatasetSpec parseDatasetSpec(const std::string& spec);

/// The seeds of a toy spec, via toy::parseSeedRange (Error(InvalidInput) from there for a bad range, or here for a
/// spec that is not toy).
std::vector<uint64_t> toySeeds(const DatasetSpec& spec);

/// One evaluation sample.
struct DatasetItem {
    std::string id;              ///< the split file's id or the image's stem ("2007_000033")
    std::string imagePath;       ///< the JPEG to segment
    std::string groundTruthPath; ///< its label map (read with loadLabelMap: palette indices / gray values)
};

/// A benchmark on disk: what to segment, what to compare with, and the class names (label i = classNames[i]).
struct Dataset {
    DatasetKind kind = DatasetKind::Voc;
    std::string root;                    ///< the folder that holds the layout below (after resolving parents)
    std::vector<std::string> classNames; ///< bundledClassList(datasetKindName(kind))
    std::vector<DatasetItem> items;      ///< in split-file order (VOC, Context) or sorted by file name (COCO-Object)
};

/// Which split to read and how much of it.
struct DatasetOptions {
    /// VOC, Context: the split file's name without ".txt" ("val" → val.txt). COCO-Object: the folder's name without
    /// the year ("val" → val2017; a name that already ends in 2017 is used as is). No '/' or '\' allowed.
    std::string split = "val";
    size_t limit = 0; ///< at most this many items (the first ones in order); 0 = all
};

/// Reads a dataset's index and checks that every listed image and ground-truth file exists (Error(Io) naming the
/// first missing folder or file). Layouts:
///
///   voc:DIR       PASCAL VOC 2012 (VOCdevkit). DIR is the VOC2012 folder or a folder holding VOC2012/ (such as
///                 VOCdevkit). Items: ImageSets/Segmentation/<split>.txt; image JPEGImages/<id>.jpg; ground truth
///                 SegmentationClass/<id>.png (palette PNG, 0 background, 1..20 classes, 255 boundaries). 21 classes.
///   context:DIR   PASCAL Context as mmsegmentation's tools/dataset_converters/pascal_context.py prepares it. DIR is
///                 the VOC2010 folder or a folder holding VOC2010/. Items: ImageSets/SegmentationContext/<split>.txt;
///                 image JPEGImages/<id>.jpg; ground truth SegmentationClassContext/<id>.png (0 background, 1..59).
///                 60 classes.
///   cocoobj:DIR   COCO-Object as TCL/GroupViT-style papers build it from COCO-Stuff 164k (convert_coco_object.py).
///                 DIR holds images/<split>2017/*.jpg and annotations/<split>2017/ with, for each image <stem>.jpg,
///                 <stem>_instanceTrainIds.png (that script's name) or else <stem>.png: 8-bit maps with 0
///                 background, 1..80 the thing classes in COCO category order, 255 ignore. Items: every .jpg of the
///                 images folder, sorted by name. 81 classes.
///   toy:...       not on disk: Error(InvalidInput) telling the caller to generate scenes for toySeeds(spec).
///
/// DatasetOptions::split picks the split ("val" by default; "train" reads train.txt / train2017).
Dataset openDataset(const DatasetSpec& spec, const DatasetOptions& options = {});
Dataset openDataset(const std::string& spec, const DatasetOptions& options = {});

} // namespace invseg
