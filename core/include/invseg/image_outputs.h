// Writing one image's outputs: the one writer of the CLI (segment, batch) and the GUI (save, export).
//
// The files follow invseg/label_files.h (for an image DIR/NAME.EXT, in outDir or beside the image):
//   NAME.label.png + NAME.label.classes.txt   the labels (VOC palette PNG) and the names of their indices
//   NAME.overlay.png                          the labels blended over the image
//   NAME.heat.CLASS.png                       one coloured map per class (needs the run's maps)
//   NAME.json                                 labelme 5.x polygons, marked as ours (markOwnLabelme)
//   NAME.report.json                          the run report, always, written last
// COCO is a file of a whole run or export, never of one image: coco.json (cocoFileName), or coco.shard-I-of-N.json for
// a shard of a batch; both front ends name it so.
//
// Class numbering: where the output folder has a class list (folderClassesPath: DIR/classes.txt), label i of every
// written NAME.label.png is class i of that list (line 0 background, read as readClassList reads it); classes the
// request names that the list lacks are appended after it, in the request's order, so existing indices never shift.
// Without a folder list the request's own order is written.
//
// Every write is all or nothing: the files are first written under temporary names in the output folder, then
// renamed into place; when any step fails, the files already renamed are removed and the earlier versions they
// replaced are put back, so a failed image leaves the folder as it was. No input is ever replaced (checkReplaceable),
// and labels marked as edited by hand (readEditedMark) are replaced only when the request allows it.
// All functions are reentrant; errors are invseg::Error naming the file.
#pragma once

#include "invseg/exports.h"
#include "invseg/float_maps.h"
#include "invseg/image.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace invseg {

/// What to do with a NAME.json that is not ours (a labelme file someone else made).
enum class ForeignLabelme {
    Refuse, ///< Error(InvalidInput) naming it, before anything is written (the CLI)
    Keep,   ///< leave it as it is, write the other outputs, and say so in ImageOutputResult::keptForeign (the GUI)
};

/// Everything needed to write one image's outputs.
struct ImageOutputRequest {
    std::string imagePath;               ///< the input image: names the outputs, never replaced
    std::string outDir;                  ///< "" = beside the image
    const Image* image = nullptr;        ///< its pixels (sizes, the labelme size, the overlay); borrowed, not null
    const LabelMap* labels = nullptr;    ///< the labels at the image's size; borrowed, not null
    std::vector<std::string> classNames; ///< label i ↔ classNames[i], background first (1 to 255 names)

    bool voc = true;       ///< NAME.label.png + NAME.label.classes.txt
    bool overlay = false;  ///< NAME.overlay.png
    bool heatmaps = false; ///< NAME.heat.CLASS.png, one per class name (needs maps)
    bool labelme = false;  ///< NAME.json

    float overlayAlpha = 0.5f;
    /// colors[i] = the overlay colour of classNames[i]; empty = the VOC colour of each written index.
    std::vector<std::array<uint8_t, 3>> colors;
    /// The run's maps, one per class name (in classNames' order), at the image's size (resizeMapsBilinear; values are
    /// clamped to [0, 1] by heatmapImage); borrowed.
    const FloatMaps* maps = nullptr;
    Colormap colormap = Colormap::Viridis;
    double labelmeEpsilon = 0.0; ///< toLabelme's simplification tolerance

    /// The engine's run report (SegmentResult::report: options, prompt, per-step losses, timings, model), or null when
    /// the labels did not come from a run just now: then the run keys of the image's existing report are kept.
    nlohmann::json runReport;
    bool edited = false; ///< the labels hold hand edits (recorded in the report and in the labelme mark)

    std::set<std::string> inputs; ///< normalisedPath of every input of the run (the image itself always counts)
    ForeignLabelme foreignLabelme = ForeignLabelme::Refuse;
    /// Whether existing outputs whose labels are marked as edited by hand may be replaced. Off: Error(InvalidInput)
    /// naming the file that carries the mark.
    bool replaceEdited = false;
    /// Write the folder's class list (the written numbering) when the output folder has none (the GUI's project list).
    bool createFolderClasses = false;
};

/// What writeImageOutputs did.
struct ImageOutputResult {
    std::vector<std::string> written;     ///< every path written, in order (the report last)
    std::vector<std::string> classNames;  ///< the numbering written (background first)
    LabelMap labels;                      ///< the labels as written (renumbered)
    std::vector<std::string> keptForeign; ///< files not ours that were left as they are (ForeignLabelme::Keep)
    std::string folderClassesWritten;     ///< the folder's class list when it was created now
    std::string folderClassesError;       ///< why it could not be created (the outputs are written all the same)
    nlohmann::json report;                ///< the report as written
};

/// What an image's existing outputs say about its labels.
struct EditedMark {
    bool known = false;  ///< a report with "edited", or our labelme mark, exists
    bool edited = false; ///< one of them says edited by hand
    std::string source;  ///< the file that says edited (else the first that says anything)
};

/// Reads NAME.report.json ("edited": true) and our NAME.json mark ("invseg": {"edited": true}) of imagePath in
/// outDir ("" = beside the image). Files that are missing, not JSON or not ours say nothing.
EditedMark readEditedMark(const std::string& imagePath, const std::string& outDir = {});

/// NAME.heat.CLASS.png of imagePath in outDir, the class name made file-system safe ([A-Za-z0-9_-], others '_').
std::string heatmapPathFor(const std::string& imagePath, const std::string& outDir, const std::string& className);

/// Every path writeImageOutputs may write for this request, the report last (NAME.json included when asked for, even
/// if a foreign one would be kept).
std::vector<std::string> imageOutputPaths(const ImageOutputRequest& request);

/// A folder's class list: one name a line, blank lines and '#' comments skipped, a first line "background" dropped.
/// Empty when the file is missing; Error(Io) when it exists but cannot be read.
std::vector<std::string> readClassList(const std::string& path);

/// The numbering written into outDir for these class names (background first): the folder list's order, then the
/// names it lacks (see the top of this file). Error(InvalidInput) for more than 255 names.
std::vector<std::string> numberedClassNames(const std::string& outDir, const std::vector<std::string>& classNames);

/// The checks writeImageOutputs makes before writing anything (they read only the paths, the formats, the class names
/// and the policies: image, labels and maps may be null, so a front end can check every image before any work): every
/// path replaceable (checkReplaceable with request.inputs and the image), a foreign NAME.json refused or noted,
/// hand-edited labels refused unless replaceEdited. Throws Error(InvalidInput) naming the file.
void checkImageOutputs(const ImageOutputRequest& request);

/// Checks, renumbers, writes every requested output and the report, all or nothing (see the top of this file).
/// The report is runReport (or the existing report's run keys) plus "image" {path, width, height}, "outputs" (file
/// names by kind), "label_classes" (the written numbering), "pixels_per_class" and "edited".
/// Error(InvalidInput) for a bad request (null pointers, sizes that differ, unnamed labels, maps missing), Error(Io)
/// naming the path that could not be written.
ImageOutputResult writeImageOutputs(const ImageOutputRequest& request);

/// "coco.json", or "coco.shard-I-of-N.json" for shard I of N > 1: the COCO file of a run or export.
std::string cocoFileName(int shard = 0, int shards = 1);

/// Writes a COCO file of these images (file names as given, label maps numbered by classNames), atomically.
void writeCocoFile(const std::string& path, const std::vector<std::string>& fileNames,
                   const std::vector<LabelMap>& maps, const std::vector<std::string>& classNames);

} // namespace invseg
