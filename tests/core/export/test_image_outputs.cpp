// The one writer of an image's outputs (image_outputs.h): rollback, the folder's class numbering, the report.
#include "export_test_support.h"

#include "export/image_outputs_detail.h"
#include "invseg/error.h"
#include "invseg/image.h"
#include "invseg/image_outputs.h"
#include "invseg/label_files.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

using invseg::ErrorKind;
using invseg::Image;
using invseg::ImageOutputRequest;
using invseg::LabelMap;
using invseg::test::expectError;
using invseg::test::readText;
using invseg::test::TempDir;
using invseg::test::writeText;
namespace fs = std::filesystem;

namespace {

/// An 8 × 4 image (left half red, right half blue) and its labels (left = 1, right = 2, one ignore pixel).
struct Scene {
    Image image;
    LabelMap labels;
    std::string path;

    explicit Scene(const TempDir& dir) : path(dir.file("scene.png"))
    {
        image.width = 8;
        image.height = 4;
        labels.width = 8;
        labels.height = 4;
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 8; ++x) {
                const bool left = x < 4;
                image.rgb.insert(image.rgb.end(), {uint8_t(left ? 200 : 20), 40, uint8_t(left ? 30 : 220)});
                labels.labels.push_back(left ? 1 : 2);
            }
        labels.labels[31] = invseg::kIgnoreLabel;
        invseg::saveRgbPng(path, image);
    }

    ImageOutputRequest request() const
    {
        ImageOutputRequest r;
        r.imagePath = path;
        r.image = &image;
        r.labels = &labels;
        r.classNames = {"background", "sky", "tree"};
        r.voc = r.overlay = r.labelme = true;
        r.runReport = {{"options", {{"steps", 3}}}, {"steps", nlohmann::json::array({{{"step", 1}, {"loss", 0.5}}})}};
        return r;
    }
};

/// Every file of a folder with its bytes.
std::map<std::string, std::string> snapshot(const TempDir& dir)
{
    std::map<std::string, std::string> out;
    for (const auto& name : dir.entries())
        if (fs::is_regular_file(dir.file(name)))
            out[name] = readText(dir.file(name));
    return out;
}

nlohmann::json readJson(const std::string& path)
{
    return nlohmann::json::parse(readText(path));
}

} // namespace

TEST(ImageOutputs, WritesEveryOutputAndAReportWithTheRunAndTheEditMark)
{
    TempDir dir;
    const Scene scene(dir);
    auto r = scene.request();
    r.edited = true;
    const auto res = invseg::writeImageOutputs(r);
    auto names = dir.entries();
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"scene.json", "scene.label.classes.txt", "scene.label.png",
                                               "scene.overlay.png", "scene.png", "scene.report.json"}));
    EXPECT_EQ(res.written.back(), dir.file("scene.report.json"));
    EXPECT_EQ(invseg::loadLabelMap(dir.file("scene.label.png")).labels, scene.labels.labels);
    const auto report = readJson(dir.file("scene.report.json"));
    EXPECT_EQ(report["options"]["steps"], 3);
    EXPECT_EQ(report["steps"].size(), 1u);
    EXPECT_EQ(report["edited"], true);
    EXPECT_EQ(report["image"]["width"], 8);
    EXPECT_EQ(report["outputs"]["voc"], "scene.label.png");
    EXPECT_EQ(report["pixels_per_class"]["sky"], 16);
    EXPECT_EQ(report["pixels_per_class"]["tree"], 15);
    EXPECT_EQ(readJson(dir.file("scene.json"))["invseg"]["edited"], true);

    const auto mark = invseg::readEditedMark(scene.path);
    EXPECT_TRUE(mark.known);
    EXPECT_TRUE(mark.edited);
    EXPECT_EQ(mark.source, dir.file("scene.report.json"));
    // Hand edits are replaced only when the request says so; the error names the file that carries the mark.
    r.edited = false;
    expectError([&] { invseg::writeImageOutputs(r); }, ErrorKind::InvalidInput, {"scene.report.json", "by hand"});
    EXPECT_EQ(readJson(dir.file("scene.report.json"))["edited"], true);

    // Without a run now, the existing report's run is kept.
    r.replaceEdited = true;
    r.runReport = nullptr;
    invseg::writeImageOutputs(r);
    const auto again = readJson(dir.file("scene.report.json"));
    EXPECT_EQ(again["options"]["steps"], 3);
    EXPECT_EQ(again["edited"], false);
}

TEST(ImageOutputs, AFaultInALaterWriteLeavesNoneOfTheEarlierFiles)
{
    TempDir dir;
    const Scene scene(dir);
    const auto before = snapshot(dir);
    // Every file is staged; then, just before the report goes into place, a folder appears at its path: the label PNG,
    // its class list, the overlay and the labelme file are already in place by then and must go again.
    std::vector<std::string> committed;
    const auto fault = [&](const std::string& path) {
        committed.push_back(path);
        if (path == dir.file("scene.report.json"))
            fs::create_directory(path);
    };
    expectError([&] { invseg::detail::writeImageOutputs(scene.request(), fault); }, ErrorKind::Io,
                {"scene.report.json"});
    EXPECT_EQ(committed.size(), 5u) << "the fault came after the other four files were in place";
    EXPECT_EQ(snapshot(dir), before) << "no earlier file stays, no temporary file is left";
    auto names = dir.entries();
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"scene.png", "scene.report.json"}));
}

TEST(ImageOutputs, AFailedRewritePutsBackTheFilesItReplaced)
{
    TempDir dir;
    const Scene scene(dir);
    invseg::writeImageOutputs(scene.request());
    const auto before = snapshot(dir);
    LabelMap other = scene.labels;
    std::fill(other.labels.begin(), other.labels.end(), 2);
    auto r = scene.request();
    r.labels = &other;
    const auto fault = [&](const std::string& path) {
        if (path == dir.file("scene.json")) {
            fs::remove(path);
            fs::create_directory(path);
        }
    };
    expectError([&] { invseg::detail::writeImageOutputs(r, fault); }, ErrorKind::Io, {"scene.json"});
    fs::remove(dir.file("scene.json")); // the folder the fault made
    auto after = snapshot(dir);
    auto expected = before;
    expected.erase("scene.json"); // removed by the fault itself
    EXPECT_EQ(after, expected) << "the label PNG, its classes and the overlay are the earlier ones again";
}

TEST(ImageOutputs, NumbersLabelsByTheFoldersClassListAndAppendsTheOthers)
{
    TempDir dir;
    const Scene scene(dir);
    writeText(dir.file("classes.txt"), "background\ngrass\n# a comment\n\nsky\n");
    const auto res = invseg::writeImageOutputs(scene.request());
    EXPECT_EQ(res.classNames, (std::vector<std::string>{"background", "grass", "sky", "tree"}));
    EXPECT_EQ(readText(dir.file("scene.label.classes.txt")), "background\ngrass\nsky\ntree\n");
    const auto labels = invseg::loadLabelMap(dir.file("scene.label.png"));
    for (size_t i = 0; i < labels.labels.size(); ++i) {
        const uint8_t want = scene.labels.labels[i] == 1 ? 2 : scene.labels.labels[i] == 2 ? 3 : 255;
        ASSERT_EQ(labels.labels[i], want) << "pixel " << i;
    }
    EXPECT_EQ(res.labels.labels, labels.labels);
    EXPECT_EQ(readJson(dir.file("scene.report.json"))["label_classes"], nlohmann::json(res.classNames));
    EXPECT_EQ(readText(dir.file("classes.txt")), "background\ngrass\n# a comment\n\nsky\n") << "never replaced";
}

TEST(ImageOutputs, CreatesTheFoldersClassListOnlyOnRequestAndOnlyWhenMissing)
{
    TempDir dir;
    const Scene scene(dir);
    auto r = scene.request();
    invseg::writeImageOutputs(r);
    EXPECT_FALSE(fs::exists(dir.file("classes.txt")));
    r.createFolderClasses = true;
    const auto res = invseg::writeImageOutputs(r);
    EXPECT_EQ(res.folderClassesWritten, dir.file("classes.txt"));
    EXPECT_EQ(readText(dir.file("classes.txt")), "background\nsky\ntree\n");
}

TEST(ImageOutputs, AForeignLabelmeFileIsRefusedOrKept)
{
    TempDir dir;
    const Scene scene(dir);
    const std::string foreign = "{\"version\": \"5.2.1\", \"shapes\": []}\n";
    writeText(dir.file("scene.json"), foreign);
    auto r = scene.request();
    expectError([&] { invseg::writeImageOutputs(r); }, ErrorKind::InvalidInput, {"scene.json"});
    EXPECT_FALSE(fs::exists(dir.file("scene.label.png")));
    r.foreignLabelme = invseg::ForeignLabelme::Keep;
    const auto res = invseg::writeImageOutputs(r);
    EXPECT_EQ(res.keptForeign, (std::vector<std::string>{dir.file("scene.json")}));
    EXPECT_EQ(readText(dir.file("scene.json")), foreign);
    EXPECT_TRUE(fs::exists(dir.file("scene.label.png")));
    EXPECT_FALSE(readJson(dir.file("scene.report.json"))["outputs"].contains("labelme"));
}

TEST(ImageOutputs, NeverReplacesAnInputOfTheRun)
{
    TempDir dir;
    const Scene scene(dir);
    auto r = scene.request();
    // Another input of the run that carries the name of this image's overlay.
    invseg::saveRgbPng(dir.file("scene.overlay.png"), scene.image);
    r.inputs = {invseg::normalisedPath(dir.file("scene.overlay.png"))};
    const auto before = snapshot(dir);
    expectError([&] { invseg::writeImageOutputs(r); }, ErrorKind::InvalidInput, {"scene.overlay.png"});
    EXPECT_EQ(snapshot(dir), before);
}

TEST(ImageOutputs, CocoFileNames)
{
    EXPECT_EQ(invseg::cocoFileName(), "coco.json");
    EXPECT_EQ(invseg::cocoFileName(1, 4), "coco.shard-1-of-4.json");
}
