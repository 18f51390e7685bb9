// Test support: discovering the golden reference sets and comparing tensors by relative L2 error.
#pragma once

#include "invseg/tensor_file.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace invseg::test {

/// One golden set: a folder holding golden.json, golden.safetensors, diffusers/ and single_file_fp16.safetensors.
struct GoldenSet {
    std::string name;
    std::filesystem::path dir;
    nlohmann::json meta;
    std::shared_ptr<TensorFile> tensors;

    std::string diffusersDir() const { return (dir / "diffusers").string(); }
    std::string singleFile() const { return (dir / "single_file_fp16.safetensors").string(); }
    torch::Tensor get(const std::string& key) const { return tensors->tensor(key).to(torch::kFloat); }
    bool has(const std::string& key) const { return tensors->contains(key); }
};

/// $INVSEG_GOLDEN_DIR, or the build's default (../shared/golden beside the checkout).
inline std::filesystem::path goldenRoot()
{
    if (const char* env = std::getenv("INVSEG_GOLDEN_DIR"); env && *env)
        return env;
    return INVSEG_GOLDEN_DIR_DEFAULT;
}

inline bool runningInCi()
{
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

/// Every subfolder of the golden root that holds a golden.json, sorted by name.
inline std::vector<GoldenSet> goldenSets()
{
    std::vector<GoldenSet> sets;
    std::error_code ec;
    const auto root = goldenRoot();
    if (!std::filesystem::is_directory(root, ec))
        return sets;
    for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
        const auto meta = entry.path() / "golden.json";
        if (!entry.is_directory() || !std::filesystem::is_regular_file(meta))
            continue;
        GoldenSet s;
        s.name = entry.path().filename().string();
        s.dir = entry.path();
        std::ifstream in(meta);
        s.meta = nlohmann::json::parse(in);
        s.tensors = openSafetensors((entry.path() / "golden.safetensors").string());
        sets.push_back(std::move(s));
    }
    std::sort(sets.begin(), sets.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return sets;
}

/// Skips the test when no golden set exists, except in CI (CI=true), where that is a failure.
#define INVSEG_REQUIRE_GOLDEN(sets)                                                                                 \
    do {                                                                                                            \
        if ((sets).empty()) {                                                                                       \
            if (::invseg::test::runningInCi())                                                                      \
                FAIL() << "no golden set under " << ::invseg::test::goldenRoot() << " (CI=true: this is a failure)"; \
            GTEST_SKIP() << "no golden set under " << ::invseg::test::goldenRoot();                                \
        }                                                                                                           \
    } while (0)

/// ‖a − b‖₂ / ‖b‖₂ in double precision.
inline double relativeError(const torch::Tensor& ours, const torch::Tensor& ref)
{
    const auto a = ours.detach().to(torch::kCPU, torch::kDouble);
    const auto b = ref.detach().to(torch::kCPU, torch::kDouble);
    if (!a.sizes().equals(b.sizes()))
        return std::numeric_limits<double>::infinity();
    const double denom = b.norm().item<double>();
    const double num = (a - b).norm().item<double>();
    return denom == 0.0 ? num : num / denom;
}

#define EXPECT_REL_ERROR_LE(ours, ref, bound, what)                                                               \
    do {                                                                                                          \
        const auto _o = (ours);                                                                                   \
        const auto _r = (ref);                                                                                    \
        ASSERT_EQ(_o.sizes(), _r.sizes()) << (what);                                                              \
        const double _e = ::invseg::test::relativeError(_o, _r);                                                  \
        EXPECT_LE(_e, (bound)) << (what);                                                                         \
        ::invseg::test::recordError((what), _e);                                                                  \
    } while (0)

/// Keeps the worst error seen per label, printed at the end of a test (so a log shows the margins).
inline std::map<std::string, double>& errorLog()
{
    static std::map<std::string, double> log;
    return log;
}
inline void recordError(const std::string& what, double e)
{
    auto& v = errorLog()[what];
    v = std::max(v, e);
}

} // namespace invseg::test
