// `invseg bench`: every --arch builds its model and times one step at a small size, and bad arguments are usage errors.
#include "support/run_command.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using ::testing::HasSubstr;

namespace invseg::test {
namespace {

struct ArchCase {
    const char* arch;
    const char* size;   ///< --size, or "" for the architecture's native size
    int64_t latent;     ///< the latent side the run must report
    double unetParamsM; ///< UNet parameters in millions, as published (toy: read from the bundled model below)
};

void PrintTo(const ArchCase& c, std::ostream* os)
{
    *os << c.arch;
}

nlohmann::json benchJson(const ArchCase& c, const std::filesystem::path& json)
{
    std::vector<std::string> args = {"bench", "--arch",  c.arch, "--steps", "1",          "--repeat",
                                     "1",     "--views", "1",    "--json",  json.string()};
    if (*c.size) {
        args.push_back("--size");
        args.push_back(c.size);
    }
    const auto r = runCli(args);
    EXPECT_EQ(r.exitCode, 0) << c.arch << ": " << r.err;
    std::ifstream in(json);
    if (!in)
        return nullptr;
    return nlohmann::json::parse(in);
}

class CliBench : public ::testing::TestWithParam<ArchCase> {};

TEST_P(CliBench, EveryArchTimesOneStep)
{
    const ArchCase c = GetParam();
    ScratchDir dir;
    const auto j = benchJson(c, dir.path() / "bench.json");
    ASSERT_FALSE(j.is_null()) << c.arch << ": no JSON written";
    EXPECT_EQ(j.at("latent_size").get<int64_t>(), c.latent) << c.arch;
    EXPECT_EQ(j.at("input_size").get<int64_t>(), c.latent * 8) << c.arch;
    EXPECT_EQ(j.at("steps").get<int>(), 1);
    const double ms = j.at("ms_per_step").get<double>();
    EXPECT_TRUE(std::isfinite(ms) && ms > 0) << c.arch << ": ms_per_step " << ms;
    EXPECT_GT(j.at("s_per_image").get<double>(), ms / 1000.0) << c.arch << ": an image includes its one step";
    EXPECT_NEAR(j.at("unet_params_m").get<double>(), c.unetParamsM, 0.05 * c.unetParamsM) << c.arch;
    EXPECT_EQ(j.at("model").get<std::string>(), std::string("random:") + c.arch);
}

// SD 1.5's UNet has 859.5 M parameters and SD 2.1's 865.9 M; the toy UNet's count comes from the bundled model's
// weights, which the CLI reports for --model.
INSTANTIATE_TEST_SUITE_P(Archs, CliBench,
                         ::testing::Values(ArchCase{"sd15", "64", 8, 859.5}, ArchCase{"sd21", "64", 8, 865.9}),
                         [](const auto& info) { return std::string(info.param.arch); });

TEST(CliBench, ToyArchHasTheBundledModelsSizes)
{
    ScratchDir dir;
    // The bundled model itself, timed for one step: its UNet size is what --arch toy must rebuild.
    const auto model = runCli({"bench", "--model", INVSEG_SOURCE_DIR "/resources/models/toy", "--steps", "1",
                               "--repeat", "1", "--views", "1", "--json", (dir.path() / "model.json").string()});
    ASSERT_EQ(model.exitCode, 0) << model.err;
    std::ifstream in(dir.path() / "model.json");
    const auto m = nlohmann::json::parse(in);
    const auto j = benchJson(ArchCase{"toy", "", m.at("latent_size").get<int64_t>(), m.at("unet_params_m")},
                             dir.path() / "toy.json");
    ASSERT_FALSE(j.is_null());
    EXPECT_EQ(j.at("latent_size"), m.at("latent_size"));
    EXPECT_DOUBLE_EQ(j.at("unet_params_m").get<double>(), m.at("unet_params_m").get<double>());
}

TEST(CliBench, BadArgumentsAreUsageErrors)
{
    EXPECT_EQ(runCli({"bench"}).exitCode, 2);
    const auto badArch = runCli({"bench", "--arch", "sd3"});
    EXPECT_EQ(badArch.exitCode, 2);
    EXPECT_THAT(badArch.err, HasSubstr("--arch must be sd15, sd21 or toy"));
    const auto badSize = runCli({"bench", "--arch", "toy", "--size", "100"});
    EXPECT_EQ(badSize.exitCode, 2);
    EXPECT_THAT(badSize.err, HasSubstr("multiple of 64"));
    EXPECT_EQ(runCli({"bench", "--arch", "toy", "--steps", "0"}).exitCode, 2);
}

} // namespace
} // namespace invseg::test
