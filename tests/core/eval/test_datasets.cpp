// Dataset specs and readers on tiny fake trees (VOC, Context, COCO-Object) built in a temporary folder, and the
// class-name lists.
#include "export/export_test_support.h"

#include "invseg/error.h"
#include "invseg/evaluation.h"
#include "invseg/image.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace fs = std::filesystem;
using invseg::DatasetKind;
using invseg::ErrorKind;
using invseg::LabelMap;
using invseg::test::expectError;
using invseg::test::TempDir;
using invseg::test::writeText;

namespace {

void touch(const fs::path& p)
{
    fs::create_directories(p.parent_path());
    writeText(p.string(), "x");
}

/// VOCdevkit/VOC2012 with three images in val.txt (one listed with a trailing blank line and CRLF) and real label
/// PNGs for the first.
fs::path makeVoc(const TempDir& dir)
{
    const fs::path voc = fs::path(dir.path()) / "VOCdevkit" / "VOC2012";
    for (const char* id : {"2007_000033", "2007_000042", "2008_000001"}) {
        touch(voc / "JPEGImages" / (std::string(id) + ".jpg"));
        fs::create_directories(voc / "SegmentationClass");
        invseg::saveIndexedPng((voc / "SegmentationClass" / (std::string(id) + ".png")).string(),
                               LabelMap{2, 1, {0, 15}}, invseg::vocPalette());
    }
    fs::create_directories(voc / "ImageSets" / "Segmentation");
    writeText((voc / "ImageSets" / "Segmentation" / "val.txt").string(), "2007_000033\r\n2007_000042\n\n2008_000001\n");
    writeText((voc / "ImageSets" / "Segmentation" / "train.txt").string(), "2008_000001\n");
    return voc;
}

} // namespace

// ---- Specs ------------------------------------------------------------------------------------------------------

TEST(DatasetSpec, ParsesEveryKind)
{
    auto s = invseg::parseDatasetSpec("voc:/data/VOCdevkit");
    EXPECT_EQ(s.kind, DatasetKind::Voc);
    EXPECT_EQ(s.root, "/data/VOCdevkit");
    s = invseg::parseDatasetSpec("context:rel/VOC2010");
    EXPECT_EQ(s.kind, DatasetKind::Context);
    EXPECT_EQ(s.root, "rel/VOC2010");
    s = invseg::parseDatasetSpec("cocoobj:/d/coco_stuff164k");
    EXPECT_EQ(s.kind, DatasetKind::CocoObject);
    s = invseg::parseDatasetSpec("voc:C:/odd:path");
    EXPECT_EQ(s.root, "C:/odd:path") << "only the first ':' separates";
    s = invseg::parseDatasetSpec("toy:seeds=2000000000-2000000099");
    EXPECT_EQ(s.kind, DatasetKind::Toy);
    EXPECT_EQ(s.seeds, "2000000000-2000000099");
    EXPECT_TRUE(s.root.empty());
    EXPECT_STREQ(invseg::datasetKindName(DatasetKind::CocoObject), "cocoobj");
}

TEST(DatasetSpec, ToySeedsComeFromTheToyWorldsParser)
{
    EXPECT_EQ(invseg::toySeeds(invseg::parseDatasetSpec("toy:seeds=5-8")), (std::vector<uint64_t>{5, 6, 7, 8}));
    EXPECT_EQ(invseg::toySeeds(invseg::parseDatasetSpec("toy:seeds=3,1")), (std::vector<uint64_t>{3, 1}));
    expectError([] { invseg::toySeeds(invseg::parseDatasetSpec("toy:seeds=9-2")); }, ErrorKind::InvalidInput, {"9-2"});
}

TEST(DatasetSpec, BadSpecsNameTheProblem)
{
    expectError([] { invseg::parseDatasetSpec("/data/voc"); }, ErrorKind::InvalidInput, {"'/data/voc'", "voc:DIR"});
    expectError([] { invseg::parseDatasetSpec("ade:/data"); }, ErrorKind::InvalidInput, {"unknown kind 'ade'"});
    expectError([] { invseg::parseDatasetSpec("VOC:/data"); }, ErrorKind::InvalidInput, {"'VOC'"});
    expectError([] { invseg::parseDatasetSpec("voc:"); }, ErrorKind::InvalidInput, {"no folder"});
    expectError([] { invseg::parseDatasetSpec("toy:0-9"); }, ErrorKind::InvalidInput, {"toy:seeds=A-B"});
    expectError([] { invseg::parseDatasetSpec("toy:seeds="); }, ErrorKind::InvalidInput, {"toy:seeds=A-B"});
    expectError([] { invseg::openDataset("toy:seeds=0-9"); }, ErrorKind::InvalidInput, {"generated", "toySeeds"});
    expectError([] { invseg::toySeeds(invseg::parseDatasetSpec("voc:/x")); }, ErrorKind::InvalidInput, {"voc"});
}

// ---- VOC ----------------------------------------------------------------------------------------------------------

TEST(VocDataset, ReadsTheSplitFromTheDevkitOrTheYearFolder)
{
    TempDir dir;
    const fs::path voc = makeVoc(dir);
    for (const fs::path& given : {voc, voc.parent_path(), fs::path(dir.path())}) {
        SCOPED_TRACE(given.string());
        const invseg::Dataset ds = invseg::openDataset("voc:" + given.string());
        EXPECT_EQ(ds.kind, DatasetKind::Voc);
        EXPECT_EQ(fs::path(ds.root), voc);
        ASSERT_EQ(ds.items.size(), 3u);
        EXPECT_EQ(ds.items[0].id, "2007_000033");
        EXPECT_EQ(ds.items[1].id, "2007_000042") << "CRLF and blank lines are tolerated";
        EXPECT_EQ(fs::path(ds.items[2].imagePath), voc / "JPEGImages" / "2008_000001.jpg");
        EXPECT_EQ(fs::path(ds.items[2].groundTruthPath), voc / "SegmentationClass" / "2008_000001.png");
        ASSERT_EQ(ds.classNames.size(), 21u);
        EXPECT_EQ(ds.classNames[0], "background");
        EXPECT_EQ(ds.classNames[15], "person");
    }
    // The ground truth reads back as VOC indices.
    const invseg::Dataset ds = invseg::openDataset("voc:" + voc.string());
    EXPECT_EQ(invseg::loadLabelMap(ds.items[0].groundTruthPath).labels, (std::vector<uint8_t>{0, 15}));
    // Options: another split, a limit.
    invseg::DatasetOptions train;
    train.split = "train";
    EXPECT_EQ(invseg::openDataset("voc:" + voc.string(), train).items.size(), 1u);
    invseg::DatasetOptions two;
    two.limit = 2;
    EXPECT_EQ(invseg::openDataset("voc:" + voc.string(), two).items.size(), 2u);
}

TEST(VocDataset, MissingPartsAreIoErrorsNamingThem)
{
    TempDir dir;
    const fs::path voc = makeVoc(dir);
    const std::string nowhere = dir.file("nowhere");
    expectError([&] { invseg::openDataset("voc:" + nowhere); }, ErrorKind::Io, {nowhere, "not a folder"});
    const std::string empty = dir.file("empty");
    fs::create_directories(empty);
    expectError([&] { invseg::openDataset("voc:" + empty); }, ErrorKind::Io, {"JPEGImages", empty + "/VOC2012"});

    invseg::DatasetOptions test;
    test.split = "test";
    expectError([&] { invseg::openDataset("voc:" + voc.string(), test); }, ErrorKind::Io,
                {(voc / "ImageSets" / "Segmentation" / "test.txt").string(), "split file"});
    invseg::DatasetOptions bad;
    bad.split = "../val";
    expectError([&] { invseg::openDataset("voc:" + voc.string(), bad); }, ErrorKind::InvalidInput, {"../val"});

    fs::remove(voc / "SegmentationClass" / "2007_000042.png");
    expectError([&] { invseg::openDataset("voc:" + voc.string()); }, ErrorKind::Io,
                {(voc / "SegmentationClass" / "2007_000042.png").string(), "val.txt"});
    fs::remove(voc / "JPEGImages" / "2007_000033.jpg");
    expectError([&] { invseg::openDataset("voc:" + voc.string()); }, ErrorKind::Io,
                {(voc / "JPEGImages" / "2007_000033.jpg").string()});
    fs::remove_all(voc / "SegmentationClass");
    expectError([&] { invseg::openDataset("voc:" + voc.string()); }, ErrorKind::Io,
                {(voc / "SegmentationClass").string(), "folder"});
    // A split file with no ids.
    TempDir other;
    const fs::path v2 = makeVoc(other);
    writeText((v2 / "ImageSets" / "Segmentation" / "val.txt").string(), "\n\n");
    expectError([&] { invseg::openDataset("voc:" + v2.string()); }, ErrorKind::Format, {"val.txt", "no images"});
}

// ---- Context and COCO-Object ----------------------------------------------------------------------------------------

TEST(ContextDataset, MmsegLayout)
{
    TempDir dir;
    const fs::path root = fs::path(dir.path()) / "VOCdevkit" / "VOC2010";
    touch(root / "JPEGImages" / "2008_000002.jpg");
    touch(root / "SegmentationClassContext" / "2008_000002.png");
    touch(root / "ImageSets" / "SegmentationContext" / "val.txt");
    writeText((root / "ImageSets" / "SegmentationContext" / "val.txt").string(), "2008_000002\n");
    const invseg::Dataset ds = invseg::openDataset("context:" + (fs::path(dir.path()) / "VOCdevkit").string());
    EXPECT_EQ(ds.kind, DatasetKind::Context);
    ASSERT_EQ(ds.items.size(), 1u);
    EXPECT_EQ(fs::path(ds.items[0].groundTruthPath), root / "SegmentationClassContext" / "2008_000002.png");
    ASSERT_EQ(ds.classNames.size(), 60u);
    EXPECT_EQ(ds.classNames[59], "wood");
    // A VOC 2012 tree is not a Context tree: the Context ground truth folder is missing.
    TempDir vocDir;
    const fs::path voc = makeVoc(vocDir);
    expectError([&] { invseg::openDataset("context:" + voc.string()); }, ErrorKind::Io,
                {"SegmentationClassContext", "folder"});
}

TEST(CocoObjectDataset, ImagesSortedAndBothGroundTruthNames)
{
    TempDir dir;
    const fs::path root = fs::path(dir.path()) / "coco_stuff164k";
    touch(root / "images" / "val2017" / "000000000285.jpg");
    touch(root / "images" / "val2017" / "000000000139.jpg");
    touch(root / "images" / "val2017" / "notes.txt");
    touch(root / "annotations" / "val2017" / "000000000139_instanceTrainIds.png");
    touch(root / "annotations" / "val2017" / "000000000285.png");
    const invseg::Dataset ds = invseg::openDataset("cocoobj:" + root.string());
    EXPECT_EQ(ds.kind, DatasetKind::CocoObject);
    ASSERT_EQ(ds.items.size(), 2u);
    EXPECT_EQ(ds.items[0].id, "000000000139");
    EXPECT_EQ(fs::path(ds.items[0].groundTruthPath),
              root / "annotations" / "val2017" / "000000000139_instanceTrainIds.png");
    EXPECT_EQ(fs::path(ds.items[1].groundTruthPath), root / "annotations" / "val2017" / "000000000285.png");
    ASSERT_EQ(ds.classNames.size(), 81u);
    EXPECT_EQ(ds.classNames[1], "person");
    EXPECT_EQ(ds.classNames[80], "toothbrush");

    touch(root / "images" / "val2017" / "000000000632.jpg");
    expectError([&] { invseg::openDataset("cocoobj:" + root.string()); }, ErrorKind::Io,
                {"000000000632_instanceTrainIds.png", "000000000632.jpg"});
    expectError([&] { invseg::openDataset("cocoobj:" + dir.path()); }, ErrorKind::Io,
                {(fs::path(dir.path()) / "images" / "val2017").string(), "folder"});
}

// ---- Class lists ----------------------------------------------------------------------------------------------------

TEST(ClassList, BundledListsHaveTheBenchmarkCountsAndNoDuplicates)
{
    for (const auto& [name, count] :
         std::vector<std::pair<std::string, size_t>>{{"voc", 21}, {"context", 60}, {"cocoobj", 81}}) {
        SCOPED_TRACE(name);
        const auto names = invseg::bundledClassList(name);
        ASSERT_EQ(names.size(), count);
        EXPECT_EQ(names[0], "background");
        EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), count);
        for (const auto& n : names) {
            EXPECT_FALSE(n.empty());
            EXPECT_EQ(n.find_first_of("\t\r\n#"), std::string::npos) << n;
            EXPECT_NE(n.front(), ' ');
            EXPECT_NE(n.back(), ' ');
        }
    }
    const auto voc = invseg::bundledClassList("voc");
    EXPECT_EQ(voc[11], "dining table");
    EXPECT_EQ(voc[16], "potted plant");
    EXPECT_EQ(voc[20], "tv monitor");
    const auto context = invseg::bundledClassList("context");
    EXPECT_EQ(context[1], "aeroplane");
    EXPECT_EQ(context[40], "potted plant");
    EXPECT_EQ(context[55], "tv monitor");
    const auto coco = invseg::bundledClassList("cocoobj");
    EXPECT_EQ(coco[59], "potted plant");
    EXPECT_EQ(coco[61], "dining table");
    EXPECT_EQ(coco[63], "tv");
    expectError([] { invseg::bundledClassList("ade20k"); }, ErrorKind::InvalidInput, {"'ade20k'", "voc"});
}

TEST(ClassList, LoaderTrimsSkipsCommentsAndRejectsDuplicates)
{
    TempDir dir;
    writeText(dir.file("a.txt"), "\xEF\xBB\xBF# my classes\nbackground\r\n\n  cat \t\n# dog\ndog\n");
    EXPECT_EQ(invseg::loadClassList(dir.file("a.txt")), (std::vector<std::string>{"background", "cat", "dog"}));
    writeText(dir.file("dup.txt"), "background\ncat\n\ncat\n");
    expectError([&] { invseg::loadClassList(dir.file("dup.txt")); }, ErrorKind::Format,
                {"dup.txt:4", "'cat'", "label 1"});
    writeText(dir.file("empty.txt"), "# nothing\n\n");
    expectError([&] { invseg::loadClassList(dir.file("empty.txt")); }, ErrorKind::Format, {"empty.txt", "no names"});
    std::string many;
    for (int i = 0; i < 256; ++i)
        many += "c" + std::to_string(i) + "\n";
    writeText(dir.file("many.txt"), many);
    expectError([&] { invseg::loadClassList(dir.file("many.txt")); }, ErrorKind::Format, {"256 classes"});
    expectError([&] { invseg::loadClassList(dir.file("missing.txt")); }, ErrorKind::Io, {"missing.txt"});
}
