// Method options a model folder carries (invseg_defaults.json): read on top of the method's defaults, kept by the
// user's changes when a front end switches models.
#include "invseg/error.h"
#include "invseg/segment_options.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace invseg {
namespace {

namespace fs = std::filesystem;

fs::path tempModelDir(const std::string& name, const std::string& defaultsJson)
{
    const auto d = fs::temp_directory_path() / ("invseg_defaults_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    if (!defaultsJson.empty())
        std::ofstream(d / SegmentOptions::kModelDefaultsFile) << defaultsJson;
    return d;
}

TEST(ModelDefaults, AFolderWithoutTheFileKeepsTheMethodDefaults)
{
    const auto d = tempModelDir("none", "");
    EXPECT_EQ(SegmentOptions::forModel(d.string()).toJson(), SegmentOptions().toJson());
    EXPECT_EQ(SegmentOptions::forModel((d / "model.safetensors").string()).toJson(), SegmentOptions().toJson());
    EXPECT_EQ(SegmentOptions::forModel("").toJson(), SegmentOptions().toJson());
    fs::remove_all(d);
}

TEST(ModelDefaults, TheFilesFieldsGoOnTopOfTheMethodDefaults)
{
    const auto d = tempModelDir("some", R"({"level_weights": [0.5, 0.5, 0, 0], "timestep": 300})");
    const auto o = SegmentOptions::forModel(d.string());
    EXPECT_EQ(o.levelWeights, (std::vector<double>{0.5, 0.5, 0, 0}));
    EXPECT_EQ(o.timestep, 300);
    EXPECT_EQ(o.steps, SegmentOptions().steps); // not in the file: the method's
    EXPECT_EQ(o.temperature, SegmentOptions().temperature);

    // a user's options file goes on top of the model's
    const auto user = SegmentOptions::fromJson({{"timestep", 50}}, o);
    EXPECT_EQ(user.timestep, 50);
    EXPECT_EQ(user.levelWeights, o.levelWeights);
    fs::remove_all(d);
}

TEST(ModelDefaults, ABadFileIsAnErrorNamingIt)
{
    const auto bad = tempModelDir("bad", "{not json");
    try {
        SegmentOptions::forModel(bad.string());
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Format);
        EXPECT_NE(std::string(e.what()).find(SegmentOptions::kModelDefaultsFile), std::string::npos);
    }
    const auto range = tempModelDir("range", R"({"timestep": 5000})");
    try {
        SegmentOptions::forModel(range.string());
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
        EXPECT_NE(std::string(e.what()).find("timestep"), std::string::npos);
    }
    fs::remove_all(bad);
    fs::remove_all(range);
}

TEST(ModelDefaults, RebasedFollowsTheNewModelWhereTheUserChangedNothing)
{
    const SegmentOptions method;
    SegmentOptions toy;
    toy.levelWeights = {0.5, 0.5, 0, 0};
    toy.timestep = 300;

    // untouched options follow the model: method -> toy -> method
    const auto a = SegmentOptions::rebased(method, method, toy);
    EXPECT_EQ(a.toJson(), toy.toJson());
    EXPECT_EQ(SegmentOptions::rebased(a, toy, method).toJson(), method.toJson());

    // a field the user set stays; the others follow
    SegmentOptions user = toy;
    user.timestep = 150;
    user.steps = 5;
    const auto b = SegmentOptions::rebased(user, toy, method);
    EXPECT_EQ(b.timestep, 150);
    EXPECT_EQ(b.steps, 5);
    EXPECT_EQ(b.levelWeights, method.levelWeights);
}

} // namespace
} // namespace invseg
