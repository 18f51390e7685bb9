// `invseg segment --image FILE... --classes "a,b" --out DIR`: InvSeg (or the baseline) on a few images.
#include "args.h"
#include "cli.h"
#include "commands.h"
#include "invseg/error.h"
#include "invseg/image.h"
#include "invseg/image_outputs.h"
#include "invseg/label_files.h"
#include "invseg/sd_model.h"
#include "segment_job.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <map>

namespace invseg::cli {
namespace {

std::string help()
{
    return std::string(R"(usage: invseg segment --image FILE [--image FILE ...] --classes "cat,sofa" --out DIR [options]

Segments each image into the classes plus background by test-time prompt inversion on a Stable Diffusion
model, and writes per image: DIR/NAME.label.png (VOC palette, pixel = class index, 0 = background) with
DIR/NAME.label.classes.txt, DIR/NAME.overlay.png, and with the matching formats DIR/NAME.heat.CLASS.png,
DIR/NAME.json (labelme) and DIR/coco.json (all images of the run), plus DIR/NAME.report.json (options, per-step
losses, timings, peak memory: everything needed to repeat the run). Images may also be given as positional
arguments. DIR may be the images' own folder: no input, no file invseg did not write, and no labels edited by hand
are ever replaced (exit 1 naming the file instead). When DIR has a classes.txt (a project's class list, as the app
writes it), label i is class i of that list and classes it lacks come after it.

options:
)") + kSegmentOptionsHelp +
           R"(  --baseline           the diffusion baseline (no optimisation; the same as --steps 0)

Every input is checked before the model loads: a missing or unreadable image writes nothing. Ctrl+C stops
cleanly after the current step.
)";
}

} // namespace

int cmdSegment(const Argv& argv)
{
    auto valueOptions = kSegmentValueOptions;
    valueOptions.insert("image");
    const Args args(argv, valueOptions, kSegmentFlags);
    if (args.has("help")) {
        std::cout << help();
        return kExitOk;
    }
    std::vector<std::string> images = args.values("image");
    for (const auto& p : args.positional())
        images.push_back(p);
    if (images.empty())
        throw UsageError("give at least one image with --image FILE");
    const SegmentSetup setup = readSetup(args);

    // Check every input before loading anything: a bad file costs nothing and writes nothing. Each image is decoded
    // once here (and dropped) so that a truncated file is caught before any output is written, not half-way.
    std::map<std::string, std::string> stems;
    for (const auto& path : images) {
        const auto [it, fresh] = stems.emplace(fileStem(path), path);
        if (!fresh)
            throw UsageError("'" + it->second + "' and '" + path + "' would write the same outputs (same name)");
        (void)loadImage(path);
    }
    std::set<std::string> inputs;
    for (const auto& path : images)
        inputs.insert(normalisedPath(path));
    for (const auto& path : images)
        checkOutputs(setup, path, inputs);
    const std::string cocoPath = (std::filesystem::path(setup.outDir) / cocoFileName()).string();
    if (setup.formats.coco)
        checkReplaceable(cocoPath, inputs);
    ensureWritableDir(setup.outDir);
    auto model = loadModel(setup);
    Segmenter segmenter(model);
    installInterruptHandler();

    Progress progress(setup.quiet, static_cast<int>(images.size()));
    std::vector<LabelMap> maps;
    std::vector<std::string> names;
    std::vector<std::string> classNames; // as written: the same for every image of the run
    for (size_t i = 0; i < images.size(); ++i) {
        progress.beginImage(static_cast<int>(i), std::filesystem::path(images[i]).filename().string());
        ImageOutputResult written = segmentImageFile(segmenter, setup, images[i], inputs, progress, interruptFlag());
        maps.push_back(std::move(written.labels));
        classNames = written.classNames;
        names.push_back(std::filesystem::path(images[i]).filename().string());
    }
    if (setup.formats.coco)
        writeCocoFile(cocoPath, names, maps, classNames);
    return kExitOk;
}

} // namespace invseg::cli
