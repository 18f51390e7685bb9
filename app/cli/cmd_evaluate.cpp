// `invseg evaluate --dataset SPEC --method baseline|invseg|chance|layout`: dataset-level mIoU of the baseline, of
// InvSeg, of guessing, or of the toy world's image-blind layout rule.
#include "args.h"
#include "cli.h"
#include "commands.h"
#include "invseg/error.h"
#include "invseg/evaluation.h"
#include "invseg/image.h"
#include "invseg/sd_model.h"
#include "invseg/toy_world.h"
#include "segment_job.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

namespace invseg::cli {
namespace {

std::string help()
{
    return R"(usage: invseg evaluate --dataset SPEC --method baseline|invseg|chance|layout [--limit N] [--json FILE] [options]

Segments every image of a benchmark and prints the per-class IoU table (Markdown) and the mIoU, computed
the dataset-level way: intersections and unions summed over all images, then the mean over the classes
that occur; ground-truth label 255 is ignored.

  --dataset SPEC   voc:DIR (PASCAL VOC 2012), context:DIR (PASCAL Context, 60 classes),
                   cocoobj:DIR (COCO-Object, 81 classes), or toy:seeds=A-B (generated toy-world scenes;
                   the test split is seeds 2000000000-2000999999, validation 1000000000-1000999999)
  --method M       baseline (no optimisation), invseg (default), or chance (every pixel a label drawn
                   uniformly among the prompted classes and background, seeded by --seed: the score of
                   guessing), or layout (toy world only: the image-blind rule that reads no pixel, the prompted
                   top stuff above 45 % of the height, the far ground to 70 %, the near ground below, no things:
                   the floor that a model's maps must clear, since the class list alone already says that much)
  --split NAME     the split file / folder of a dataset on disk (default val)
  --limit N        only the first N images
  --json FILE      also write {"miou", "per_class", "seconds_per_image", "options", ...} to FILE; on the toy world
                   also "miou_things", "miou_stuff" and "background_rate" (per true class, the percent of its
                   pixels labelled background)
  --toy-size PX    size of generated toy scenes (default: the model's native size)
  --model PATH     the model (default: the bundled toy model)
  --steps K --lr X --timestep T --views 1|2 --seed S --image-size stretch|pad --config FILE
  --device DEV --dtype T --channels-last
  --threads N      CPU threads for LibTorch and OpenBLAS (default: the cores this process may use)
  --quiet          no per-image lines

Each image is prompted with the classes its ground truth contains plus background, as diffusion-segmentation
papers do after their class filter. On the toy world every pixel has a real class, so a pixel labelled
background counts as an error for its true class, and background is not one of the scored classes.
)";
}

/// The classes (dataset ids, ascending, without background 0) that a ground truth contains.
std::vector<int> presentClasses(const LabelMap& gt, int numClasses)
{
    std::vector<bool> seen(256, false);
    for (uint8_t l : gt.labels)
        seen[l] = true;
    std::vector<int> out;
    for (int c = 1; c < numClasses; ++c)
        if (seen[static_cast<size_t>(c)])
            out.push_back(c);
    return out;
}

} // namespace

int cmdEvaluate(const Argv& argv)
{
    auto valueOptions = std::set<std::string>{"dataset",    "method", "split",  "limit",    "json",   "toy-size",
                                              "model",      "steps",  "lr",     "timestep", "views",  "seed",
                                              "image-size", "config", "device", "dtype",    "threads"};
    const Args args(argv, valueOptions, {"help", "quiet", "channels-last"});
    if (args.has("help")) {
        std::cout << help();
        return kExitOk;
    }
    if (!args.positional().empty())
        throw UsageError("unexpected argument '" + args.positional()[0] + "'");
    if (!args.has("dataset"))
        throw UsageError("give the dataset with --dataset SPEC");
    const std::string method = args.value("method", "invseg");
    if (method != "baseline" && method != "invseg" && method != "chance" && method != "layout")
        throw UsageError("--method must be baseline, invseg, chance or layout, got '" + method + "'");
    const int limit = args.intValue("limit", 0);
    if (limit < 0)
        throw UsageError("--limit must be non-negative");
    SegmentOptions options = readMethodOptions(args);
    if (method == "baseline")
        options.steps = 0;
    const bool quiet = args.has("quiet");
    const std::string jsonPath = args.value("json");

    const DatasetSpec spec = parseDatasetSpec(args.value("dataset"));
    const bool toy = spec.kind == DatasetKind::Toy;
    if (method == "layout" && !toy)
        throw UsageError("--method layout is the toy world's rule: use it with --dataset toy:seeds=A-B");
    std::vector<uint64_t> seeds;
    Dataset dataset;
    if (toy) {
        seeds = toySeeds(spec);
        if (limit > 0 && seeds.size() > static_cast<size_t>(limit))
            seeds.resize(static_cast<size_t>(limit));
    } else {
        DatasetOptions dopt;
        dopt.split = args.value("split", "val");
        dopt.limit = static_cast<size_t>(limit);
        dataset = openDataset(spec, dopt);
    }
    const std::vector<std::string> datasetClasses = toy ? toy::classNames() : dataset.classNames;
    const size_t count = toy ? seeds.size() : dataset.items.size();
    if (count == 0)
        throw Error(ErrorKind::InvalidInput, "the dataset has no images");
    if (!jsonPath.empty()) {
        const auto parent = std::filesystem::path(jsonPath).parent_path();
        ensureWritableDir(parent.empty() ? "." : parent.string());
    }

    // Toy scores its 13 real classes (ids 1..13 → 0..12); a background prediction is an invalid label (an error
    // for the true class). Datasets on disk score every class, background included, with their own ids.
    const int offset = toy ? 1 : 0;
    const int scored = static_cast<int>(datasetClasses.size()) - offset;
    std::vector<std::string> scoredNames(datasetClasses.begin() + offset, datasetClasses.end());
    ConfusionMatrix confusion(scored);

    auto model = loadModel(resolveModelPath(args), options, quiet);
    Segmenter segmenter(model);
    installInterruptHandler();
    const int toySize = args.intValue("toy-size", static_cast<int>(model->nativeImageSize()));

    std::mt19937_64 chanceRng(options.seed); // --method chance: labels drawn uniformly among the prompted classes
    double segmentSeconds = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (size_t i = 0; i < count; ++i) {
        Image image;
        LabelMap gt;
        std::string id;
        if (toy) {
            const auto scene = toy::generateScene(seeds[i], toySize);
            image.width = gt.width = scene.width;
            image.height = gt.height = scene.height;
            image.rgb = scene.rgb;
            gt.labels = scene.labels;
            id = "seed " + std::to_string(seeds[i]);
        } else {
            const auto& item = dataset.items[i];
            image = loadImage(item.imagePath);
            gt = loadLabelMap(item.groundTruthPath);
            id = item.id;
            if (gt.width != image.width || gt.height != image.height)
                throw Error(ErrorKind::Format, "the ground truth '" + item.groundTruthPath + "' is " +
                                                   std::to_string(gt.width) + "x" + std::to_string(gt.height) +
                                                   " but its image is " + std::to_string(image.width) + "x" +
                                                   std::to_string(image.height));
        }
        const auto present = presentClasses(gt, static_cast<int>(datasetClasses.size()));
        LabelMap pred;
        pred.width = gt.width;
        pred.height = gt.height;
        if (present.empty()) {
            pred.labels.assign(gt.labels.size(), 0); // nothing but background / ignore: nothing to prompt with
        } else if (method == "layout") {
            pred = toyLayoutGuess(gt.width, gt.height, present);
        } else if (method == "chance") {
            std::uniform_int_distribution<size_t> draw(0, present.size()); // 0 = background, i = present[i - 1]
            pred.labels.resize(gt.labels.size());
            for (auto& l : pred.labels) {
                const size_t k = draw(chanceRng);
                l = k == 0 ? uint8_t(0) : static_cast<uint8_t>(present[k - 1]);
            }
        } else {
            std::vector<std::string> names;
            for (int c : present)
                names.push_back(datasetClasses[static_cast<size_t>(c)]);
            SegmentCallbacks cb;
            cb.cancel = interruptFlag();
            const auto ts = std::chrono::steady_clock::now();
            const auto res = segmenter.segment(image, names, options, cb);
            segmentSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - ts).count();
            const LabelMap& local = res.labels;
            pred.labels.resize(local.labels.size());
            for (size_t p = 0; p < local.labels.size(); ++p) {
                const uint8_t l = local.labels[p];
                pred.labels[p] = l == 0 ? uint8_t(0) : static_cast<uint8_t>(present[l - 1u]);
            }
        }
        if (toy) {
            for (auto& l : pred.labels)
                l = l == 0 ? kIgnoreLabel : static_cast<uint8_t>(l - 1);
            for (auto& l : gt.labels)
                l = static_cast<uint8_t>(l - 1);
        }
        ConfusionMatrix one(scored);
        one.add(pred, gt);
        confusion.merge(one);
        if (!quiet)
            std::cerr << "[" << i + 1 << "/" << count << "] " << id << ": " << present.size() << " classes, mIoU "
                      << std::fixed << std::setprecision(1) << one.meanIou() << " (running " << confusion.meanIou()
                      << ")\n";
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // The toy world's stuff (sky .. road) and things (ball .. boat), in scored ids (toy id - 1).
    std::vector<int> stuff, things;
    for (int c = int(toy::ClassId::Sky); c <= int(toy::ClassId::Road); ++c)
        stuff.push_back(c - 1);
    for (int c = int(toy::ClassId::Ball); c < int(toy::ClassId::Count); ++c)
        things.push_back(c - 1);
    std::cout << "## " << args.value("dataset") << ", " << method << " (" << count << " images)\n\n"
              << confusion.toMarkdown(scoredNames) << "\n"
              << std::fixed << std::setprecision(2) << "mIoU " << confusion.meanIou() << " %";
    if (toy)
        std::cout << " (things " << confusion.meanIou(things) << ", stuff " << confusion.meanIou(stuff) << ")";
    std::cout << ", " << segmentSeconds / static_cast<double>(count) << " s per image (" << model->device() << ")\n";
    if (!jsonPath.empty()) {
        auto j = confusion.toJson(scoredNames);
        j["dataset"] = args.value("dataset");
        j["method"] = method;
        j["images"] = count;
        j["seconds_per_image"] = segmentSeconds / static_cast<double>(count);
        j["wall_seconds"] = wall;
        j["options"] = options.toJson();
        j["model"] = model->path();
        j["background_scored"] = !toy;
        if (toy) {
            auto mean = [](double v) {
                return std::isnan(v) ? nlohmann::json() : nlohmann::json(std::round(v * 1e4) / 1e4);
            };
            j["miou_things"] = mean(confusion.meanIou(things));
            j["miou_stuff"] = mean(confusion.meanIou(stuff));
            nlohmann::json rate = nlohmann::json::object();
            for (int c = 0; c < scored; ++c)
                if (const uint64_t n = confusion.groundTruthPixels(c); n > 0)
                    rate[scoredNames[size_t(c)]] = std::round(1e6 * double(confusion.outOfRangePredictions(c)) /
                                                              double(n)) /
                                                   1e4;
            j["background_rate"] = rate;
        }
        writeJsonAtomic(jsonPath, j);
    }
    return kExitOk;
}

} // namespace invseg::cli
