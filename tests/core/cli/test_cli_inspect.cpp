// The CLI's contract: exit codes, one-line errors naming the problem, and inspect/encode-text on real models.
#include "support/golden_sets.h"
#include "support/run_command.h"

#include "invseg/tensor_file.h"

#include <gmock/gmock.h>

using ::testing::HasSubstr;

namespace invseg::test {
namespace {

/// A safetensors file from a header (JSON text) and a data buffer.
std::string safetensorsBytes(const std::string& header, const std::string& data, int64_t lengthOverride = -1)
{
    std::string out(8, '\0');
    const uint64_t n = lengthOverride >= 0 ? static_cast<uint64_t>(lengthOverride) : header.size();
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return out + header + data;
}

struct Malformed {
    const char* name;
    std::string bytes;
    const char* message;
};

std::vector<Malformed> malformedFiles()
{
    const std::string f32x2(8, '\0');
    return {
        {"empty", "", "empty"},
        {"truncated", std::string("\x10\x00\x00", 3), "shorter than the 8-byte header length"},
        {"header_past_end", safetensorsBytes("{}", "", 4096), "runs past the end"},
        {"header_huge", safetensorsBytes("{}", "", int64_t(1) << 40), "exceeds the limit"},
        {"header_not_json", safetensorsBytes("{not json!", ""), "not valid JSON"},
        {"header_not_object", safetensorsBytes("[1, 2, 3]", ""), "not a JSON object"},
        {"unknown_dtype", safetensorsBytes(R"({"a":{"dtype":"F13","shape":[2],"data_offsets":[0,8]}})", f32x2),
         "unknown dtype 'F13'"},
        {"offsets_out_of_range", safetensorsBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,800]}})", f32x2),
         "past the 8 bytes of data"},
        {"offsets_reversed", safetensorsBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", f32x2),
         "reversed data_offsets"},
        {"offsets_overlap",
         safetensorsBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                          R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                          f32x2),
         "overlap"},
        {"negative_shape", safetensorsBytes(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", f32x2),
         "negative"},
        {"overflowing_shape",
         safetensorsBytes(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})", f32x2),
         "overflows"},
        {"random_bytes", std::string("\x93\x1f\xa2\x07\x55\xe1\x00\x3c garbage that is not a checkpoint", 41),
         "not a valid safetensors file"},
        {"not_a_model", safetensorsBytes(R"({"weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", f32x2),
         "not a Stable Diffusion 1.x/2.x checkpoint"},
    };
}

TEST(CliInspect, MalformedCheckpointsExitOneNamingTheProblem)
{
    ScratchDir dir;
    for (const auto& m : malformedFiles()) {
        SCOPED_TRACE(m.name);
        const std::string path = dir.file(std::string(m.name) + ".safetensors");
        writeBytes(path, m.bytes);
        const auto r = runCli({"inspect", path});
        EXPECT_EQ(r.exitCode, 1) << r.err;
        EXPECT_THAT(r.err, HasSubstr(m.message));
        EXPECT_THAT(r.err, HasSubstr(path)) << "the message names the file";
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    }
}

TEST(CliInspect, MissingFileIsARuntimeError)
{
    const auto r = runCli({"inspect", "/nonexistent/model.safetensors"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_THAT(r.err, HasSubstr("no such file"));
}

TEST(CliInspect, UsageErrorsExitTwo)
{
    EXPECT_EQ(runCli({}).exitCode, 2);
    EXPECT_EQ(runCli({"no-such-command"}).exitCode, 2);
    EXPECT_EQ(runCli({"inspect"}).exitCode, 2);
    const auto r = runCli({"inspect", "x", "--bogus"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_THAT(r.err, HasSubstr("unknown option --bogus"));
    EXPECT_EQ(runCli({"inspect", "--help"}).exitCode, 0);
    EXPECT_EQ(runCli({"--help"}).exitCode, 0);
    EXPECT_THAT(runCli({"--version"}).out, HasSubstr("invseg "));
}

/// Rewrites a golden single file with one tensor removed or reshaped.
class CliInspectGolden : public ::testing::Test {
protected:
    void SetUp() override { m_sets = goldenSets(); }
    std::vector<GoldenSet> m_sets;
};

TEST_F(CliInspectGolden, DescribesBothLayouts)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    for (const auto& set : m_sets) {
        SCOPED_TRACE(set.name);
        const bool sd2 = set.meta.at("variant") == "sd2";
        auto r = runCli({"inspect", set.diffusersDir()});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_THAT(r.out, HasSubstr("diffusers folder"));
        EXPECT_THAT(r.out, HasSubstr(sd2 ? "Stable Diffusion 2.x" : "Stable Diffusion 1.x"));
        EXPECT_THAT(r.out, HasSubstr(set.meta.at("prediction_type").get<std::string>()));
        EXPECT_THAT(r.out, HasSubstr("stored as F32"));
        r = runCli({"inspect", set.singleFile(), "--heads-from", set.diffusersDir()});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_THAT(r.out, HasSubstr("single file"));
        EXPECT_THAT(r.out, HasSubstr("stored as F16"));
        EXPECT_THAT(r.out, HasSubstr(sd2 ? "Stable Diffusion 2.x" : "Stable Diffusion 1.x"));
    }
}

TEST_F(CliInspectGolden, MissingOrMisshapedKeyIsNamed)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    ScratchDir dir;
    for (const auto& set : m_sets) {
        SCOPED_TRACE(set.name);
        auto file = openSafetensors(set.singleFile());
        std::map<std::string, torch::Tensor> all;
        for (const auto& k : file->keys())
            all[k] = file->tensor(k);
        const std::string victim = "model.diffusion_model.input_blocks.1.0.in_layers.2.bias";
        ASSERT_TRUE(all.count(victim));

        auto missing = all;
        missing.erase(victim);
        const std::string missingPath = dir.file(set.name + "-missing.safetensors");
        saveSafetensors(missingPath, missing);
        auto r = runCli({"inspect", missingPath, "--heads-from", set.diffusersDir()});
        EXPECT_EQ(r.exitCode, 1);
        EXPECT_THAT(r.err, HasSubstr("missing"));
        EXPECT_THAT(r.err, HasSubstr("down_blocks.0.resnets.0.conv1.bias"));

        auto wrong = all;
        wrong[victim] = torch::zeros({3, 3}, torch::kHalf);
        const std::string wrongPath = dir.file(set.name + "-wrong.safetensors");
        saveSafetensors(wrongPath, wrong);
        r = runCli({"inspect", wrongPath, "--heads-from", set.diffusersDir()});
        EXPECT_EQ(r.exitCode, 1);
        EXPECT_THAT(r.err, HasSubstr("wrong shape"));
        EXPECT_THAT(r.err, HasSubstr("down_blocks.0.resnets.0.conv1.bias"));
    }
}

TEST_F(CliInspectGolden, EncodeTextPrintsTheGoldenIds)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    for (const auto& set : m_sets) {
        const auto& t = set.meta.at("token_tests").at(0);
        const auto r = runCli({"encode-text", set.diffusersDir(), t.at("text").get<std::string>()});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        std::string expected;
        for (const auto& id : t.at("ids"))
            expected += (expected.empty() ? "" : " ") + std::to_string(id.get<int64_t>());
        EXPECT_EQ(r.out, expected + "\n");
    }
}

} // namespace
} // namespace invseg::test
