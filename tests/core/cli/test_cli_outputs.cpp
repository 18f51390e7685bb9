// The CLI's outputs through the shared writer (image_outputs.h): labels edited by hand in the app survive --overwrite,
// and a folder's classes.txt numbers the labels.
#include "cli_test_support.h"

#include "invseg/image.h"
#include "invseg/image_outputs.h"
#include "invseg/label_files.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <filesystem>

using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace invseg::test {
namespace {

/// Saves labels of `imagePath` into outDir as the app's Save does (LabelStore::save: VOC + labelme + report through
/// writeImageOutputs, edited by hand), every pixel `label`.
void saveAsTheAppDoes(const std::string& imagePath, const std::string& outDir, uint8_t label)
{
    const Image image = loadImage(imagePath);
    LabelMap labels;
    labels.width = image.width;
    labels.height = image.height;
    labels.labels.assign(size_t(image.width) * size_t(image.height), label);
    ImageOutputRequest r;
    r.imagePath = imagePath;
    r.outDir = outDir;
    r.image = &image;
    r.labels = &labels;
    r.classNames = {"background", "sky"};
    r.voc = r.labelme = true;
    r.edited = true;
    r.replaceEdited = true;
    r.foreignLabelme = ForeignLabelme::Keep;
    writeImageOutputs(r);
}

} // namespace

TEST(CliBatch, OverwriteNeverReplacesLabelsEditedByHand)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    fs::create_directories(dir.file("in"));
    for (const char* name : {"a.png", "b.png"})
        writeImage(dir, std::string("in/") + name, 20, 16);
    const auto out = dir.file("out");
    auto batch = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = {"batch",   "--input", dir.file("in"), "--out", out,        "--classes",  "sky",
                                         "--model", model,     "--steps",      "1",     "--format", "voc,labelme"};
        args.insert(args.end(), extra.begin(), extra.end());
        return runCli(args);
    };
    auto r = batch({});
    ASSERT_EQ(r.exitCode, 0) << r.err;

    // The app saves a.png's labels after painting them (the report says "edited": true).
    saveAsTheAppDoes(dir.file("in/a.png"), out, kIgnoreLabel); // labels no run gives
    const auto edited = snapshot(out);
    ASSERT_EQ(readJson(out + "/a.report.json")["edited"], true);

    // --overwrite: refused before anything is written, naming the file and the flag that would replace them.
    r = batch({"--overwrite"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_THAT(r.err, HasSubstr("a.report.json"));
    EXPECT_THAT(r.err, HasSubstr("--overwrite-edited"));
    EXPECT_EQ(snapshot(out), edited) << "a refused batch writes nothing";
    EXPECT_EQ(readBytes(out + "/a.label.png"), edited.at("a.label.png"));

    // --resume counts them as done.
    r = batch({"--resume"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("to do: 0"));
    EXPECT_EQ(snapshot(out), edited);

    // A save of an older app version has only the labelme mark: the same protection.
    fs::remove(out + "/a.report.json");
    auto labelme = readJson(out + "/a.json");
    ASSERT_EQ(labelme["invseg"]["edited"], true);
    r = batch({"--overwrite"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_THAT(r.err, HasSubstr("a.json"));
    EXPECT_THAT(r.err, HasSubstr("--overwrite-edited"));
    EXPECT_EQ(readBytes(out + "/a.label.png"), edited.at("a.label.png"));

    // Only the separately named flag replaces them.
    r = batch({"--overwrite-edited"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(readBytes(out + "/a.label.png"), edited.at("a.label.png"));
    EXPECT_EQ(readJson(out + "/a.report.json")["edited"], false);
    EXPECT_EQ(readJson(out + "/a.json")["invseg"]["edited"], false);
}

TEST(CliSegment, OverwriteEditedIsNamedInTheHelp)
{
    for (const char* command : {"segment", "batch"}) {
        const auto r = runCli({command, "--help"});
        EXPECT_EQ(r.exitCode, 0);
        EXPECT_THAT(r.out, HasSubstr("--overwrite-edited")) << command;
    }
}

TEST(CliSegment, NumbersClassesByTheOutputFoldersClassList)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    const auto image = writeImage(dir, "scene.png", 40, 24);
    fs::create_directories(dir.file("plain"));
    fs::create_directories(dir.file("project"));
    const std::string list = "background\ngrass\n# the project's classes\nsky\n";
    writeBytes(dir.file("project/classes.txt"), list);
    auto segment = [&](const std::string& out) {
        return runCli({"segment", "--image", image, "--classes", "sky,tree", "--model", model, "--steps", "1", "--out",
                       out, "--format", "voc,coco", "--quiet"});
    };
    auto r = segment(dir.file("plain"));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = segment(dir.file("project"));
    ASSERT_EQ(r.exitCode, 0) << r.err;

    // Label i is class i of classes.txt; "tree", which it lacks, comes after it; the list itself is not replaced.
    EXPECT_EQ(readBytes(dir.file("plain/scene.label.classes.txt")), "background\nsky\ntree\n");
    EXPECT_EQ(readBytes(dir.file("project/scene.label.classes.txt")), "background\ngrass\nsky\ntree\n");
    EXPECT_EQ(readBytes(dir.file("project/classes.txt")), list);
    const auto plain = loadLabelMap(dir.file("plain/scene.label.png"));
    const auto project = loadLabelMap(dir.file("project/scene.label.png"));
    ASSERT_EQ(plain.labels.size(), project.labels.size());
    const uint8_t lut[3] = {0, 2, 3}; // background, sky, tree → their places in the project's numbering
    for (size_t i = 0; i < plain.labels.size(); ++i)
        ASSERT_EQ(project.labels[i], lut[plain.labels[i]]) << "pixel " << i;
    const auto coco = readJson(dir.file("project/coco.json"));
    ASSERT_EQ(coco["categories"].size(), 3u);
    EXPECT_EQ(coco["categories"][0]["name"], "grass");
    EXPECT_EQ(coco["categories"][1]["name"], "sky");
    EXPECT_EQ(coco["categories"][2]["name"], "tree");
    EXPECT_EQ(readJson(dir.file("project/scene.report.json"))["label_classes"],
              nlohmann::json({"background", "grass", "sky", "tree"}));
}

} // namespace invseg::test
