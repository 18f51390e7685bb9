// Where labels live on disk and which files are ours: the one naming convention of the CLI and the GUI.
//
// For an image DIR/NAME.EXT the label files are, beside the image by default (or in an output folder):
//   NAME.label.png          8-bit VOC palette PNG, pixel = class index (0 = background, 255 = ignore)
//   NAME.label.classes.txt  the names of those indices, one a line, line 0 = background (writeVocPng writes it)
//   NAME.json               labelme 5.x polygons, marked as ours by a top-level "invseg" object
//   NAME.overlay.png, NAME.heat.CLASS.png, NAME.report.json, and coco.json of a run or export (image_outputs.h, which
//   writes all of them for the CLI and the GUI alike; older GUI versions wrote NAME.coco.json, annotations.coco.json)
// and a folder's project class list is DIR/classes.txt.
//
// No input is ever replaced: before writing a file, checkReplaceable refuses a path that exists and is not one of
// our own earlier outputs (Error(InvalidInput) naming the file). Files whose names are ours (and *.gt.png ground
// truth) are never taken as inputs (isDerivedFileName).
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace invseg {

/// The label files of one image.
struct LabelFiles {
    std::string labelPng;    ///< NAME.label.png
    std::string classesTxt;  ///< NAME.label.classes.txt (classesFilePath(labelPng))
    std::string labelmeJson; ///< NAME.json
    std::string overlayPng;  ///< NAME.overlay.png
    std::string reportJson;  ///< NAME.report.json
};

/// The label files of imagePath in outDir; an empty outDir means beside the image.
LabelFiles labelFilesFor(const std::string& imagePath, const std::string& outDir = {});

/// DIR/classes.txt: the project class list of a folder.
std::string folderClassesPath(const std::string& dir);

/// True for names of files we write: *.label.png, *.label.classes.txt, *.overlay.png, *_overlay.png (older GUI
/// exports), *.heat.*.png, *.report.json, *.coco.json, coco.json, coco.shard-*.json. (NAME.json is ours only when
/// its content says so: isOwnLabelmeFile.)
bool isOwnOutputName(const std::string& fileName);

/// isOwnOutputName, or ground truth (*.gt.png): files that are never segmented or opened as images.
bool isDerivedFileName(const std::string& fileName);

/// The marker toLabelme's output gets before we write it: {"invseg": {"generator": "invseg", "edited": edited}}.
/// labelme keeps unknown top-level keys when it saves, so the mark survives a round trip through labelme.
void markOwnLabelme(nlohmann::json& labelme, bool edited);

/// True when path is a JSON object carrying the mark of markOwnLabelme.
bool isOwnLabelmeFile(const std::string& path);

/// Throws Error(InvalidInput) naming path when writing it would replace a file that is not ours: an input of this
/// run (`inputs`, compared as absolute normalised paths), a NAME.json without our mark, or any other existing file
/// whose name is not one of ours. A missing path, or our own earlier output, passes.
void checkReplaceable(const std::string& path, const std::set<std::string>& inputs = {});

/// The absolute, lexically normalised form used for comparing paths in checkReplaceable.
std::string normalisedPath(const std::string& path);

} // namespace invseg
