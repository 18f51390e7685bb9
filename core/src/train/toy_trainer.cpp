// The toy-world trainer's entry points: trainToyModel (checks the options, runs a Run: toy_run.h) and the sample
// scenes written next to a model.
#include "invseg/train_toy.h"

#include "invseg/error.h"
#include "invseg/image.h"
#include "invseg/toy_world.h"
#include "train/diffusers_export.h"
#include "train/toy_options.h"
#include "train/toy_run.h"

#include <torch/torch.h>

#include <filesystem>

namespace invseg::train {

namespace fs = std::filesystem;

ToyTrainResult trainToyModel(const ToyTrainOptions& options, const ToyTrainCallbacks& callbacks)
{
    detail::validate(options);
    try {
        detail::Run run(options, callbacks);
        return run.run();
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Internal, std::string("training failed: ") + e.what_without_backtrace());
    }
}

std::vector<uint64_t> sampleSeeds()
{
    const uint64_t t = toy::splitRange(toy::Split::Test).first;
    return {t + 0, t + 1, t + 2, t + 3};
}

std::vector<std::string> writeToySamples(const std::string& dir, int size, const std::vector<uint64_t>& seeds)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error(ErrorKind::Io, dir + ": cannot create (" + ec.message() + ")");
    std::vector<std::string> names;
    for (uint64_t seed : seeds) {
        const auto scene = toy::generateScene(seed, size);
        const std::string name = "toy_" + std::to_string(seed);
        const fs::path base = fs::path(dir) / name;
        Image img;
        img.width = scene.width;
        img.height = scene.height;
        img.rgb = scene.rgb;
        saveRgbPng(base.string() + ".png", img);
        LabelMap gt;
        gt.width = scene.width;
        gt.height = scene.height;
        gt.labels = scene.labels;
        saveIndexedPng(base.string() + ".gt.png", gt, vocPalette());
        std::string classes;
        for (int c : scene.presentClasses)
            classes += toy::classNames()[static_cast<size_t>(c)] + "\n";
        writeTextAtomic(base.string() + ".classes.txt", classes);
        names.push_back(name);
    }
    return names;
}

} // namespace invseg::train
