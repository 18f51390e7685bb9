// `invseg batch --input DIR --out DIR --classes ...`: a folder of images, shardable and resumable.
#include "args.h"
#include "cli.h"
#include "commands.h"
#include "invseg/error.h"
#include "invseg/image.h"
#include "invseg/image_outputs.h"
#include "invseg/label_files.h"
#include "segment_job.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

namespace fs = std::filesystem;

namespace invseg::cli {
namespace {

std::string help()
{
    return std::string(R"(usage: invseg batch --input DIR --out DIR --classes "a,b" [--shard I/N] [--resume] [options]

Segments every image in DIR (sorted by name; not recursive) and writes the outputs of 'invseg segment' for
each into the output folder. An image counts as done when its NAME.report.json exists (it is written last) or
its labels are marked as edited by hand (saved so by the app); those are never replaced by --overwrite, only
by --overwrite-edited.
Our own outputs (NAME.label.png, overlays, heat maps, reports) and ground truth (*.gt.png) in DIR are never taken
as images, and the output folder may be DIR itself: no input is ever replaced.

  --input DIR          the folder of images
  --shard I/N          process only images I, I+N, I+2N, ... (0 <= I < N) of the sorted list, so that N
                       machines split a dataset: a Slurm array job passes $SLURM_ARRAY_TASK_ID, a Kubernetes
                       Indexed Job $JOB_COMPLETION_INDEX (examples in packaging/). I may be 'env' to read
                       either variable.
  --resume             skip images that are done (a restarted job carries on where it stopped)
  --keep-going         on a bad image, report it and go on (exit 1 at the end); the default stops
options:
)") + kSegmentOptionsHelp +
           R"(  --baseline           the diffusion baseline (no optimisation; the same as --steps 0)

With --format coco the COCO file is DIR/coco.json, or DIR/coco.shard-I-of-N.json for a shard; it covers every
image of the shard that is done, including those skipped by --resume (read back from NAME.label.png, so keep voc).
)";
}

std::pair<int, int> parseShard(const std::string& spec)
{
    const auto slash = spec.find('/');
    if (slash == std::string::npos)
        throw UsageError("--shard must be I/N, got '" + spec + "'");
    std::string first = spec.substr(0, slash);
    if (first == "env") {
        const char* v = std::getenv("SLURM_ARRAY_TASK_ID");
        if (!v)
            v = std::getenv("JOB_COMPLETION_INDEX");
        if (!v)
            throw UsageError("--shard env/N: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set");
        first = v;
    }
    char* end = nullptr;
    const long i = std::strtol(first.c_str(), &end, 10);
    const bool iOk = !first.empty() && *end == '\0';
    const std::string second = spec.substr(slash + 1);
    const long n = std::strtol(second.c_str(), &end, 10);
    const bool nOk = !second.empty() && *end == '\0';
    if (!iOk || !nOk || n < 1 || i < 0 || i >= n || n > 1000000)
        throw UsageError("--shard must be I/N with 0 <= I < N, got '" + spec + "'");
    return {static_cast<int>(i), static_cast<int>(n)};
}

/// Every line of a file (a label PNG's class list: line i = label i); empty when it cannot be read.
std::vector<std::string> readLines(const std::string& path)
{
    std::ifstream in(path);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        out.push_back(line);
    }
    return out;
}

/// labels numbered by `from` (line i = label i; an empty list: already numbered by `to`) renumbered to `to`, names
/// `to` lacks appended to it. A label without a name stays as it is.
LabelMap renumberByName(LabelMap labels, const std::vector<std::string>& from, std::vector<std::string>& to)
{
    if (from.empty())
        return labels;
    std::vector<int> lut(256);
    for (int i = 0; i < 256; ++i)
        lut[size_t(i)] = i;
    for (size_t i = 1; i < from.size() && i < 255; ++i) {
        auto it = std::find(to.begin() + 1, to.end(), from[i]);
        if (it == to.end()) {
            if (to.size() >= 255)
                throw Error(ErrorKind::InvalidInput, "the COCO file would need more than 255 class names");
            it = to.insert(to.end(), from[i]);
        }
        lut[i] = int(it - to.begin());
    }
    for (auto& l : labels.labels)
        l = uint8_t(lut[l]);
    return labels;
}

} // namespace

int cmdBatch(const Argv& argv)
{
    auto valueOptions = kSegmentValueOptions;
    valueOptions.insert({"input", "shard"});
    auto flags = kSegmentFlags;
    flags.insert({"resume", "keep-going"});
    const Args args(argv, valueOptions, flags);
    if (args.has("help")) {
        std::cout << help();
        return kExitOk;
    }
    if (!args.positional().empty())
        throw UsageError("unexpected argument '" + args.positional()[0] + "'");
    const std::string input = args.value("input");
    if (input.empty())
        throw UsageError("give the image folder with --input DIR");
    const auto [shard, shards] = args.has("shard") ? parseShard(args.value("shard")) : std::pair<int, int>{0, 1};
    SegmentSetup setup = readSetup(args);
    if (setup.formats.coco)
        setup.formats.voc = true; // the COCO file of a shard is rebuilt from the VOC PNGs
    if (!fs::is_directory(input))
        throw Error(ErrorKind::Io, "the input folder '" + input + "' does not exist or is not a folder");

    std::vector<std::string> all;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(input, ec))
        if (entry.is_regular_file() && isBatchInput(entry.path().string()))
            all.push_back(entry.path().string());
    if (ec)
        throw Error(ErrorKind::Io, "cannot list the input folder '" + input + "': " + ec.message());
    std::sort(all.begin(), all.end());
    std::map<std::string, std::string> stems;
    for (const auto& p : all) {
        const auto [it, fresh] = stems.emplace(fileStem(p), p);
        if (!fresh)
            throw Error(ErrorKind::InvalidInput,
                        "'" + it->second + "' and '" + p + "' would write the same outputs (same name)");
    }
    std::vector<std::string> mine;
    for (size_t i = 0; i < all.size(); ++i)
        if (static_cast<int>(i % shards) == shard)
            mine.push_back(all[i]);
    if (all.empty())
        throw Error(ErrorKind::InvalidInput, "no images in '" + input + "'");

    std::vector<std::string> todo;
    for (const auto& p : mine)
        if (!(args.has("resume") && isDone(setup, p)))
            todo.push_back(p);
    if (!setup.quiet)
        std::cerr << "batch: " << all.size() << " images, shard " << shard << "/" << shards << ": " << mine.size()
                  << ", to do: " << todo.size() << "\n";
    // Every collision is found before the model loads: nothing is written when one output would replace an input.
    std::set<std::string> inputs;
    for (const auto& p : all)
        inputs.insert(normalisedPath(p));
    for (const auto& p : todo)
        checkOutputs(setup, p, inputs);
    ensureWritableDir(setup.outDir);

    int failed = 0;
    if (!todo.empty()) {
        auto model = loadModel(setup);
        Segmenter segmenter(model);
        installInterruptHandler();
        Progress progress(setup.quiet, static_cast<int>(todo.size()));
        for (size_t i = 0; i < todo.size(); ++i) {
            progress.beginImage(static_cast<int>(i), fs::path(todo[i]).filename().string());
            try {
                segmentImageFile(segmenter, setup, todo[i], inputs, progress, interruptFlag());
            } catch (const Error& e) {
                if (e.kind() == ErrorKind::Cancelled || !args.has("keep-going"))
                    throw;
                progress.endImage(std::string("error: ") + e.what());
                ++failed;
            }
        }
    }
    if (setup.formats.coco) {
        // The numbering writeImageOutputs gave this run's labels; images labelled elsewhere (hand-edited in the app,
        // done with other classes) are matched to it by the names in their own NAME.label.classes.txt.
        std::vector<std::string> classNames = numberedClassNames(setup.outDir,
                                                                 Segmenter::normalizeClasses(setup.classes));
        std::vector<LabelMap> maps;
        std::vector<std::string> names;
        for (const auto& p : mine) {
            const LabelFiles files = labelFilesFor(p, setup.outDir);
            if (!fs::exists(reportPath(setup.outDir, p)) || !fs::exists(files.labelPng))
                continue;
            maps.push_back(renumberByName(loadLabelMap(files.labelPng), readLines(files.classesTxt), classNames));
            names.push_back(fs::path(p).filename().string());
        }
        const std::string cocoPath = (fs::path(setup.outDir) / cocoFileName(shard, shards)).string();
        checkReplaceable(cocoPath, inputs);
        writeCocoFile(cocoPath, names, maps, classNames);
    }
    if (failed) {
        std::cerr << "invseg batch: " << failed << " image(s) failed\n";
        return kExitRuntime;
    }
    return kExitOk;
}

} // namespace invseg::cli
