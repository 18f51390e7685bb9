// segment / batch / evaluate through the real CLI: outputs, reports, sharding, resume, and every kind of bad input.
#include "cli_test_support.h"

#include "invseg/image.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace invseg::test {
namespace {

uint32_t crc32(const std::string& data)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char c : data) {
        crc ^= c;
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::string be32(uint32_t v)
{
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

/// A PNG whose IHDR claims width × height and that carries no pixel data worth the name.
std::string pngClaiming(uint32_t width, uint32_t height)
{
    const std::string ihdr = "IHDR" + be32(width) + be32(height) + std::string("\x08\x02\x00\x00\x00", 5);
    const std::string idat = "IDAT" + std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8);
    return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + ihdr + be32(crc32(ihdr)) + be32(8) + idat +
           be32(crc32(idat)) + be32(0) + "IEND" + be32(crc32("IEND"));
}

TEST(CliSegment, WritesEveryFormatAndARepeatableReport)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    const auto image = writeImage(dir, "scene.png", 72, 40);
    const auto out = dir.file("out");
    const auto r = runCli({"segment", "--image", image, "--classes", "sky, grass", "--model", model, "--steps", "2",
                           "--out", out, "--format", "voc,overlay,heatmaps,labelme,coco", "--quiet"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(listDir(out), (std::vector<std::string>{"coco.json", "scene.heat.background.png", "scene.heat.grass.png",
                                                      "scene.heat.sky.png", "scene.json", "scene.label.classes.txt",
                                                      "scene.label.png", "scene.overlay.png", "scene.report.json"}));
    const auto labels = loadLabelMap(out + "/scene.label.png");
    EXPECT_EQ(labels.width, 72);
    EXPECT_EQ(labels.height, 40);
    for (uint8_t l : labels.labels)
        ASSERT_LT(l, 3);
    std::ifstream classes(out + "/scene.label.classes.txt");
    std::string l0, l1, l2;
    std::getline(classes, l0);
    std::getline(classes, l1);
    std::getline(classes, l2);
    EXPECT_EQ(l0 + "|" + l1 + "|" + l2, "background|sky|grass");

    const auto report = readJson(out + "/scene.report.json");
    EXPECT_EQ(report["options"]["steps"], 2);
    EXPECT_EQ(report["steps"].size(), 2u);
    EXPECT_TRUE(report["steps"][0]["loss"].is_number());
    EXPECT_GT(report["peak_memory_mb"].get<double>(), 0.0);
    EXPECT_EQ(report["image"]["width"], 72);
    const auto labelme = readJson(out + "/scene.json");
    EXPECT_EQ(labelme["imageWidth"], 72);
    EXPECT_EQ(labelme["imagePath"], "../scene.png");
    const auto coco = readJson(out + "/coco.json");
    EXPECT_EQ(coco["images"].size(), 1u);
    EXPECT_EQ(coco["categories"].size(), 2u);

    // The report's options repeat the run: same labels.
    const auto again = dir.file("again");
    const auto r2 = runCli({"segment", "--image", image, "--classes", "sky,grass", "--model", model, "--config",
                            out + "/scene.report.json", "--out", again, "--format", "voc", "--quiet"});
    ASSERT_EQ(r2.exitCode, 0) << r2.err;
    EXPECT_EQ(loadLabelMap(again + "/scene.label.png").labels, labels.labels);
}

TEST(CliSegment, ChannelsLastIsRecordedAndRepeatedFromTheReport)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    const auto image = writeImage(dir, "scene.png", 48, 48);
    // One segment run into dir/NAME with the given extra arguments; its report.
    auto segment = [&](const std::string& name, std::vector<std::string> extra) {
        std::vector<std::string> args = {"segment", "--image", image,          "--classes", "sky,grass", "--model",
                                         model,     "--out",   dir.file(name), "--format",  "voc",       "--quiet"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = runCli(args);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return readJson(dir.file(name) + "/scene.report.json");
    };
    const auto first = segment("out", {"--steps", "1", "--channels-last"});
    EXPECT_EQ(first["options"]["channels_last"], true);
    EXPECT_EQ(first["model"]["channels_last"], true); // what the model really is
    const auto again = segment("again", {"--config", dir.file("out") + "/scene.report.json"});
    EXPECT_EQ(again["options"]["channels_last"], true);
    // Without the flag the run is NCHW, and says so.
    const auto plain = segment("plain", {"--steps", "1"});
    EXPECT_EQ(plain["options"]["channels_last"], false);
    EXPECT_EQ(plain["model"]["channels_last"], false);
}

TEST(CliSegment, HandlesSixteenBitGrayscaleAndAlphaImages)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    std::vector<std::string> images = {fixture("gray16.png"), fixture("gray8.png"), fixture("rgba.png"),
                                       fixture("rgba16.png"), fixture("palette_trns.png")};
#ifdef INVSEG_HAVE_OPENCV
    images.push_back(fixture("cmyk.jpg"));
#endif
    std::vector<std::string> args = {"segment", "--classes", "thing",         "--model",  model, "--steps",
                                     "1",       "--out",     dir.file("out"), "--format", "voc", "--quiet"};
    for (const auto& i : images) {
        args.push_back("--image");
        args.push_back(i);
    }
    const auto r = runCli(args);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const auto& i : images) {
        const auto info = probeImage(i);
        const auto labels = loadLabelMap(dir.file("out/" + fs::path(i).stem().string() + ".label.png"));
        EXPECT_EQ(labels.width, info.width) << i;
        EXPECT_EQ(labels.height, info.height) << i;
    }
}

struct BadImage {
    const char* name;
    std::string bytes; ///< written to scratch/<name>; empty name suffix "missing" = not written
    const char* message;
};

TEST(CliSegment, BadImagesFailWithExitOneAndWriteNothing)
{
    REQUIRE_GOLDEN_MODEL(model);
    std::string png;
    {
        std::ifstream in(fixture("pattern.png"), std::ios::binary);
        png.assign(std::istreambuf_iterator<char>(in), {});
    }
    ASSERT_GT(png.size(), 100u);
    const std::vector<BadImage> cases = {
        {"missing.png", "", "missing.png"},
        {"empty.png", "\x01", "empty.png"},
        {"truncated.png", png.substr(0, png.size() / 2), "truncated.png"},
        {"text.png", "this is not an image\n", "text.png"},
        {"huge.png", pngClaiming(200000, 200000), "limit"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        ScratchDir dir;
        const std::string path = dir.file(c.name);
        if (std::string(c.name) == "empty.png")
            writeBytes(path, "");
        else if (!c.bytes.empty())
            writeBytes(path, c.bytes);
        const auto good = writeImage(dir, "good.png", 16, 16);
        const auto r = runCli({"segment", "--image", good, "--image", path, "--classes", "cat", "--model", model,
                               "--steps", "1", "--out", dir.file("out"), "--quiet"});
        EXPECT_EQ(r.exitCode, 1) << r.err;
        EXPECT_THAT(r.err, HasSubstr(c.message));
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
        EXPECT_TRUE(listDir(dir.file("out")).empty()) << "a bad input must write nothing, not even for good.png";
    }
}

TEST(CliSegment, BadClassListsDevicesAndModelsAreClearErrors)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    const auto image = writeImage(dir, "a.png", 16, 16);
    const auto out = dir.file("out");
    struct Case {
        std::vector<std::string> args;
        int exitCode;
        const char* message;
    };
    writeBytes(dir.file("random.safetensors"), std::string(4096, '\x5a'));
    const std::vector<Case> cases = {
        {{"--classes", ""}, 1, "empty"},
        {{"--classes", " , "}, 1, "empty name"},
        {{"--classes", "cat,dog,Cat"}, 1, "twice"},
        {{"--classes", "cat", "--device", "quantum"}, 1, "quantum"},
        {{"--classes", "cat", "--dtype", "fp8"}, 1, "fp8"},
        {{"--classes", "cat", "--model", dir.file("random.safetensors")}, 1, "random.safetensors"},
        {{"--classes", "cat", "--model", dir.file("nothing-here")}, 1, "nothing-here"},
        {{"--classes", "cat", "--steps", "many"}, 2, "--steps"},
        {{"--classes", "cat", "--format", "gif"}, 2, "gif"},
        {{"--classes", "cat", "--bogus"}, 2, "--bogus"},
        {{"--classes-file", dir.file("no-classes.txt")}, 1, "no-classes.txt"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args = {"segment", "--image", image, "--out", out, "--quiet"};
        bool hasModel = false;
        for (const auto& a : c.args)
            hasModel |= a == "--model";
        if (!hasModel) {
            args.push_back("--model");
            args.push_back(model);
        }
        args.insert(args.end(), c.args.begin(), c.args.end());
        SCOPED_TRACE(::testing::PrintToString(c.args));
        const auto r = runCli(args);
        EXPECT_EQ(r.exitCode, c.exitCode) << r.err;
        EXPECT_THAT(r.err, HasSubstr(c.message));
        EXPECT_TRUE(listDir(out).empty());
    }
    // Missing required options are usage errors.
    EXPECT_EQ(runCli({"segment", "--image", image, "--model", model, "--out", out}).exitCode, 2);
    EXPECT_EQ(runCli({"segment", "--image", image, "--model", model, "--classes", "cat"}).exitCode, 2);
    EXPECT_EQ(runCli({"segment", "--classes", "cat", "--model", model, "--out", out}).exitCode, 2);
    EXPECT_EQ(runCli({"segment", "--help"}).exitCode, 0);
}

TEST(CliSegment, CudaWhereThereIsNoneIsAnError)
{
    if (torch::cuda::is_available())
        GTEST_SKIP() << "this machine has CUDA";
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    const auto r = runCli({"segment", "--image", writeImage(dir, "a.png", 16, 16), "--classes", "cat", "--model", model,
                           "--device", "cuda", "--out", dir.file("out")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_THAT(r.err, HasSubstr("CUDA"));
    EXPECT_TRUE(listDir(dir.file("out")).empty());
}

TEST(CliSegment, UnwritableOutputFolderIsAnErrorNamingIt)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    // A folder under a regular file cannot be created, even by root.
    writeBytes(dir.file("plain-file"), "x");
    const auto r = runCli({"segment", "--image", writeImage(dir, "a.png", 16, 16), "--classes", "cat", "--model", model,
                           "--out", dir.file("plain-file/out")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_THAT(r.err, HasSubstr("plain-file/out"));
}

TEST(CliBatch, ShardsSplitTheFolderAndResumeSkipsWhatIsDone)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    fs::create_directories(dir.file("in"));
    for (const char* name : {"a.png", "b.png", "c.png"})
        writeImage(dir, std::string("in/") + name, 24, 20);
    writeBytes(dir.file("in/notes.txt"), "not an image, not listed");
    const auto out = dir.file("out");
    auto batch = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = {"batch",   "--input", dir.file("in"), "--out", out,        "--classes", "sky",
                                         "--model", model,     "--steps",      "1",     "--format", "voc,coco"};
        args.insert(args.end(), extra.begin(), extra.end());
        return runCli(args);
    };
    auto r = batch({"--shard", "1/2"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(fs::exists(out + "/b.report.json"));
    EXPECT_FALSE(fs::exists(out + "/a.report.json"));
    EXPECT_FALSE(fs::exists(out + "/c.report.json"));
    EXPECT_EQ(readJson(out + "/coco.shard-1-of-2.json")["images"].size(), 1u);

    r = batch({"--shard", "0/2"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(fs::exists(out + "/a.report.json"));
    EXPECT_TRUE(fs::exists(out + "/c.report.json"));

    const auto before = fs::last_write_time(out + "/a.label.png");
    r = batch({"--resume"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("to do: 0"));
    EXPECT_EQ(fs::last_write_time(out + "/a.label.png"), before);
    EXPECT_EQ(readJson(out + "/coco.json")["images"].size(), 3u);

    // A removed report means the image is redone.
    fs::remove(out + "/c.report.json");
    r = batch({"--resume"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("to do: 1"));
    EXPECT_TRUE(fs::exists(out + "/c.report.json"));

    EXPECT_EQ(batch({"--shard", "2/2"}).exitCode, 2);
    EXPECT_EQ(batch({"--shard", "x"}).exitCode, 2);
}

TEST(CliSegment, OutputIntoTheInputFolderLeavesEveryInputByteIdentical)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    const auto image = writeImage(dir, "x.png", 24, 20);
    writeBytes(dir.file("x.classes.txt"), "background\nsky\n"); // a sample's own class list, as the GUI reads it
    writeBytes(dir.file("x.gt.png"), readBytes(image));         // ground truth beside the image
    const auto before = snapshot(dir.file(""));
    const auto r = runCli({"segment", "--image", image, "--classes", "sky", "--model", model, "--steps", "1",
                           "--format", "voc,overlay,labelme,coco", "--out", dir.file(""), "--quiet"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const auto& [name, bytes] : before)
        EXPECT_EQ(readBytes(dir.file(name)), bytes) << name << " was changed";
    EXPECT_TRUE(fs::exists(dir.file("x.label.png")));
    EXPECT_TRUE(fs::exists(dir.file("x.label.classes.txt")));
    EXPECT_TRUE(fs::exists(dir.file("x.json")));
    EXPECT_EQ(loadLabelMap(dir.file("x.label.png")).width, 24);

    // Again: the image is done, so without --overwrite nothing is replaced (exit 1 naming the report) ...
    const auto done = runCli({"segment", "--image", image, "--classes", "sky", "--model", model, "--steps", "1",
                              "--out", dir.file(""), "--quiet"});
    EXPECT_EQ(done.exitCode, 1);
    EXPECT_THAT(done.err, HasSubstr("x.report.json"));
    EXPECT_THAT(done.err, HasSubstr("--overwrite"));
    // ... and with it, our own outputs are replaced while the inputs stay as they were.
    const auto again = runCli({"segment", "--image", image, "--classes", "sky", "--model", model, "--steps", "1",
                               "--format", "voc,overlay,labelme", "--out", dir.file(""), "--quiet", "--overwrite"});
    ASSERT_EQ(again.exitCode, 0) << again.err;
    for (const auto& [name, bytes] : before)
        EXPECT_EQ(readBytes(dir.file(name)), bytes) << name << " was changed";
}

TEST(CliSegment, AnOutputThatWouldReplaceAnInputIsExitOneNamingTheFile)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    const auto image = writeImage(dir, "x.png", 16, 16);
    // An input that happens to carry an output's name: x.png's overlay would replace it.
    const auto other = writeImage(dir, "x.overlay.png", 16, 16);
    const auto before = snapshot(dir.file(""));
    auto r = runCli({"segment", "--image", image, "--image", other, "--classes", "sky", "--model", model, "--steps",
                     "1", "--out", dir.file(""), "--quiet", "--overwrite"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_THAT(r.err, HasSubstr("x.overlay.png"));
    EXPECT_EQ(snapshot(dir.file("")), before) << "a refused run writes nothing";

    // A labelme file someone else wrote (NAME.json) is an input too: never replaced, not even with --overwrite.
    writeBytes(dir.file("x.json"), "{\"version\": \"5.2.1\", \"shapes\": []}\n");
    const auto foreign = readBytes(dir.file("x.json"));
    for (const bool overwrite : {false, true}) {
        std::vector<std::string> args = {"segment",     "--image", image,        "--classes", "sky",
                                         "--model",     model,     "--steps",    "1",         "--format",
                                         "voc,labelme", "--out",   dir.file(""), "--quiet"};
        if (overwrite)
            args.push_back("--overwrite");
        r = runCli(args);
        EXPECT_EQ(r.exitCode, 1);
        EXPECT_THAT(r.err, HasSubstr("x.json"));
        EXPECT_EQ(readBytes(dir.file("x.json")), foreign);
        EXPECT_FALSE(fs::exists(dir.file("x.label.png")));
    }
}

TEST(CliBatch, OutputIntoTheInputFolderLeavesInputsAloneAndNeverTakesOutputsAsImages)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    fs::create_directories(dir.file("in"));
    for (const char* name : {"a.png", "b.png"})
        writeImage(dir, std::string("in/") + name, 20, 16);
    writeImage(dir, "in/a.gt.png", 20, 16); // ground truth: not an image to segment
    const auto in = dir.file("in");
    const auto before = snapshot(in);
    auto batch = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = {"batch",
                                         "--input",
                                         in,
                                         "--out",
                                         in,
                                         "--classes",
                                         "sky",
                                         "--model",
                                         model,
                                         "--steps",
                                         "1",
                                         "--format",
                                         "voc,overlay,heatmaps,labelme,coco"};
        args.insert(args.end(), extra.begin(), extra.end());
        return runCli(args);
    };
    auto r = batch({});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("batch: 2 images"));
    for (const auto& [name, bytes] : before)
        EXPECT_EQ(readBytes((fs::path(in) / name).string()), bytes) << name << " was changed";
    EXPECT_TRUE(fs::exists(in + "/a.label.png"));
    EXPECT_TRUE(fs::exists(in + "/b.label.png"));
    EXPECT_FALSE(fs::exists(in + "/a.gt.report.json"));

    // A second run sees the same two images, not its own outputs; done images are skipped with --resume ...
    r = batch({"--resume"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("batch: 2 images"));
    EXPECT_THAT(r.err, HasSubstr("to do: 0"));
    // ... refused without it (exit 1 naming a report), redone with --overwrite; the inputs never change.
    r = batch({});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_THAT(r.err, HasSubstr("a.report.json"));
    r = batch({"--overwrite"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("batch: 2 images"));
    for (const auto& [name, bytes] : before)
        EXPECT_EQ(readBytes((fs::path(in) / name).string()), bytes) << name << " was changed";

    // A file of ours that is not: b.json written by someone else stops the batch before anything is written.
    writeBytes(in + "/b.json", "{\"shapes\": []}\n");
    fs::remove(in + "/b.report.json");
    r = batch({"--resume", "--overwrite"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_THAT(r.err, HasSubstr("b.json"));
    EXPECT_EQ(readBytes(in + "/b.json"), "{\"shapes\": []}\n");
}

TEST(CliEvaluate, ScoresToySeedsAndWritesJson)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    const auto json = dir.file("eval.json");
    const auto r = runCli({"evaluate", "--dataset", "toy:seeds=1000000000-1000000002", "--method", "baseline",
                           "--model", model, "--json", json, "--quiet"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("| class |"));
    EXPECT_THAT(r.out, HasSubstr("mIoU"));
    const auto j = readJson(json);
    ASSERT_TRUE(j["miou"].is_number());
    EXPECT_GE(j["miou"].get<double>(), 0.0);
    EXPECT_LE(j["miou"].get<double>(), 100.0);
    EXPECT_TRUE(j["per_class"].is_object());
    EXPECT_FALSE(j["per_class"].contains("background")) << "toy pixels all have a real class";
    EXPECT_EQ(j["images"], 3);
    EXPECT_EQ(j["options"]["steps"], 0);

    EXPECT_EQ(runCli({"evaluate", "--dataset", "mnist:/x", "--model", model}).exitCode, 1);
    EXPECT_EQ(runCli({"evaluate", "--dataset", "voc:" + dir.file("no-voc"), "--model", model}).exitCode, 1);
    EXPECT_EQ(runCli({"evaluate", "--dataset", "toy:seeds=5-1", "--model", model}).exitCode, 1);
    EXPECT_EQ(runCli({"evaluate", "--dataset", "toy:seeds=1-2", "--method", "magic"}).exitCode, 2);
}

} // namespace
TEST(CliEvaluate, ChanceIsSeededAndScoresGuessingNearItsExpectedValue)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    auto chance = [&](const std::string& seed, const std::string& name) {
        const auto json = dir.file(name);
        const auto r = runCli({"evaluate", "--dataset", "toy:seeds=1000000000-1000000004", "--method", "chance",
                               "--seed", seed, "--model", model, "--json", json, "--quiet"});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return readJson(json);
    };
    const auto a = chance("0", "a.json"), b = chance("0", "b.json"), c = chance("1", "c.json");
    ASSERT_TRUE(a["miou"].is_number());
    EXPECT_EQ(a["miou"], b["miou"]) << "the same seed guesses the same labels";
    EXPECT_NE(a["miou"], c["miou"]) << "another seed guesses other labels";
    // Guessing uniformly among k prompted classes + background gives each present class an IoU of about
    // share/(k+1) / (share + 1/(k+1) - share/(k+1)) -- single digits to low tens of percent, never near 100.
    EXPECT_GT(a["miou"].get<double>(), 1.0);
    EXPECT_LT(a["miou"].get<double>(), 25.0);
    EXPECT_EQ(a["method"], "chance");
}

TEST(CliEvaluate, LayoutFloorReadsNoPixelAndReportsThingsStuffAndBackgroundRates)
{
    REQUIRE_GOLDEN_MODEL(model);
    ScratchDir dir;
    const auto json = dir.file("layout.json");
    const auto r = runCli({"evaluate", "--dataset", "toy:seeds=1000000000-1000000019", "--method", "layout", "--model",
                           model, "--json", json, "--quiet"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("(things "));
    const auto j = readJson(json);
    EXPECT_EQ(j["method"], "layout");
    // No thing is ever guessed: every thing that occurs scores 0; the stuff bands score well above it.
    ASSERT_TRUE(j["miou_things"].is_number());
    EXPECT_EQ(j["miou_things"].get<double>(), 0.0);
    ASSERT_TRUE(j["miou_stuff"].is_number());
    EXPECT_GT(j["miou_stuff"].get<double>(), 30.0);
    // Every prompted image has a ground or a top stuff, so no pixel is labelled background.
    ASSERT_TRUE(j["background_rate"].is_object());
    for (const auto& [name, rate] : j["background_rate"].items())
        EXPECT_EQ(rate.get<double>(), 0.0) << name;
    // A baseline run reports the same keys (and labels some pixels background where its maps say so).
    const auto base = dir.file("base.json");
    ASSERT_EQ(runCli({"evaluate", "--dataset", "toy:seeds=1000000000-1000000001", "--method", "baseline", "--model",
                      model, "--json", base, "--quiet"})
                  .exitCode,
              0);
    const auto b = readJson(base);
    EXPECT_TRUE(b.contains("miou_things") && b.contains("miou_stuff") && b["background_rate"].is_object());
    // The rule belongs to the toy world.
    EXPECT_EQ(
        runCli({"evaluate", "--dataset", "voc:" + dir.file("no-voc"), "--method", "layout", "--model", model}).exitCode,
        2);
}

} // namespace invseg::test
