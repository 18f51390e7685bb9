// What `segment` and `batch` share: options from flags, model loading, output formats, one image end to end.
#pragma once

#include "args.h"
#include "invseg/exports.h"
#include "invseg/image_outputs.h"
#include "invseg/segment_options.h"
#include "invseg/segmenter.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace invseg::cli {

/// The value options and flags every segmenting command accepts (merged into each command's own).
extern const std::set<std::string> kSegmentValueOptions;
extern const std::set<std::string> kSegmentFlags;

/// Help text for those options.
extern const char* kSegmentOptionsHelp;

struct OutputFormats {
    bool voc = false, overlay = false, heatmaps = false, labelme = false, coco = false;
    /// Parses "voc,overlay,heatmaps,labelme,coco" (any subset; "all"); UsageError names an unknown one.
    static OutputFormats parse(const std::string& list);
};

/// Everything the commands resolve from flags before any work is done.
struct SegmentSetup {
    SegmentOptions options;
    std::vector<std::string> classes; ///< as the user gave them (Segmenter::normalizeClasses checked)
    std::string modelPath;
    std::string headsFrom; ///< --heads-from: head counts of a single file from this diffusers folder
    OutputFormats formats;
    std::string outDir;
    double overlayAlpha = 0.5;
    double labelmeEpsilon = 0.0;
    std::string colormap = "viridis";
    bool quiet = false;
    bool overwrite = false;       ///< --overwrite: replace our own outputs of an image already done (never an input)
    bool overwriteEdited = false; ///< --overwrite-edited: also replace labels marked as edited by hand
};

/// Reads --config, then --steps/--lr/--timestep/--views/--seed/--device/--dtype/--image-size on top, the classes
/// (--classes "a,b" and/or --classes-file), --model (default: the bundled model), --format, --out. Throws UsageError
/// or invseg::Error (bad config file, bad classes) before anything is loaded or written.
SegmentSetup readSetup(const Args& args);

/// Creates outDir if needed and proves it writable with a probe file (removed again). Error(Io) naming the folder.
void ensureWritableDir(const std::string& dir);

/// --config, then the method flags on top (steps, lr, timestep, views, seed, image-size, device, dtype, baseline).
SegmentOptions readMethodOptions(const Args& args);
/// --model, or the bundled model (Error(Io) when it is missing).
std::string resolveModelPath(const Args& args);

/// Loads the model on the options' device and dtype, with a line on stderr unless quiet.
std::shared_ptr<SdModel> loadModel(const SegmentSetup& setup);
std::shared_ptr<SdModel> loadModel(const std::string& path, const SegmentOptions& options, bool quiet,
                                   const std::string& headsFrom = {});

/// Progress on stderr: a bar rewritten in place on a terminal, a line every few steps otherwise.
class Progress {
public:
    Progress(bool quiet, int imageCount);
    void beginImage(int index, const std::string& name);
    void step(const StepReport& r);
    void endImage(const std::string& message);

private:
    bool m_quiet, m_tty;
    int m_count, m_index = 0;
    std::string m_name;
};

/// The output names of an image follow invseg/label_files.h and invseg/image_outputs.h (which writes them all):
/// "<out>/<stem>.label.png" (+ ".label.classes.txt"), ".overlay.png", ".heat.<class>.png", ".json" (labelme),
/// ".report.json" (written last: its presence means the image is done).
std::string reportPath(const std::string& outDir, const std::string& imagePath);

/// The request of the shared writer for this image with these flags (no pixels yet: enough for checkImageOutputs).
ImageOutputRequest outputRequest(const SegmentSetup& setup, const std::string& imagePath,
                                 const std::set<std::string>& inputs);

/// Done: the image's report exists, or its labels are marked as edited by hand (what --resume skips).
bool isDone(const SegmentSetup& setup, const std::string& imagePath);

/// Refuses (Error(InvalidInput) naming the file) before anything is written when an output of the image would
/// replace an input of the run (`inputs`: normalisedPath of every input image) or a file that is not ours; without
/// --overwrite-edited, labels marked as edited by hand (naming the file that says so and the flag); without
/// --overwrite, the outputs of an image already done (its report exists).
void checkOutputs(const SegmentSetup& setup, const std::string& imagePath, const std::set<std::string>& inputs);

/// Loads the image, segments it and writes the chosen outputs through writeImageOutputs (all or none, the report
/// last; numbered by the output folder's classes.txt when it has one). Returns what was written (the labels and class
/// names as written, for COCO). Throws invseg::Error; on failure no output of this image is left.
ImageOutputResult segmentImageFile(Segmenter& segmenter, const SegmentSetup& setup, const std::string& imagePath,
                                   const std::set<std::string>& inputs, Progress& progress,
                                   const std::atomic<bool>* cancel);

/// The file name without folders and extension.
std::string fileStem(const std::string& path);

/// The set of image extensions the loader can read in this build (lower case, with the dot).
bool isImageFileName(const std::string& path);

/// An image `batch` segments: a readable image extension and not one of our outputs or a *.gt.png ground truth.
bool isBatchInput(const std::string& path);

} // namespace invseg::cli
