// Test support: the golden reference sets (discovery, tensors, weights) and relative-error checks against them.
#pragma once

#include "invseg/checkpoint.h"
#include "invseg/state_dict.h"
#include "invseg/tensor_file.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace invseg::test {

/// $INVSEG_GOLDEN_DIR, or the build's default: the repository's own sets in tests/data/golden.
inline std::filesystem::path goldenRoot()
{
    if (const char* env = std::getenv("INVSEG_GOLDEN_DIR"); env && *env)
        return env;
    return INVSEG_GOLDEN_DIR_DEFAULT;
}

/// One golden set: a folder holding golden.json, golden.safetensors, diffusers/ and single_file_fp16.safetensors.
struct GoldenSet {
    std::string name;
    std::filesystem::path dir;
    nlohmann::json meta;
    std::shared_ptr<TensorFile> tensors;

    std::string diffusersDir() const { return (dir / "diffusers").string(); }
    /// A file of the diffusers folder, e.g. diffusers("unet/config.json").
    std::string diffusers(const std::string& rel) const { return (dir / "diffusers" / rel).string(); }
    std::string singleFile() const { return (dir / "single_file_fp16.safetensors").string(); }
    /// A reference tensor as float32 (ids too), owning its memory.
    torch::Tensor get(const std::string& key) const { return tensors->tensor(key).to(torch::kFloat).clone(); }
    bool has(const std::string& key) const { return tensors->contains(key); }
    std::vector<int64_t> timesteps() const { return meta.at("timesteps").get<std::vector<int64_t>>(); }
    size_t numPrompts() const { return meta.at("prompts").size(); }
};

/// Every subfolder of the golden root that holds a golden.json, sorted by name. A set that cannot be read throws.
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

/// What a test that needs golden sets reports when the root holds none.
inline std::string noGoldenSetMessage()
{
    return "no golden set (a folder holding golden.json) under " + goldenRoot().string() +
           ": the repository's sets are in tests/data/golden (tests/golden/make_golden.py makes them); "
           "INVSEG_GOLDEN_DIR names another golden root";
}

/// Fails the test (never skips it) when no golden set was found.
#define INVSEG_REQUIRE_GOLDEN(sets) ASSERT_FALSE((sets).empty()) << ::invseg::test::noGoldenSetMessage()

/// Name → shape of every parameter and buffer of a module.
inline std::map<std::string, std::vector<int64_t>> moduleShapes(const torch::nn::Module& module)
{
    std::map<std::string, std::vector<int64_t>> shapes;
    for (const auto& p : module.named_parameters(true))
        shapes[p.key()] = p.value().sizes().vec();
    for (const auto& b : module.named_buffers(true))
        shapes[b.key()] = b.value().sizes().vec();
    return shapes;
}

/// Name → shape of every tensor of a safetensors file.
inline std::map<std::string, std::vector<int64_t>> fileShapes(const std::string& path)
{
    std::map<std::string, std::vector<int64_t>> shapes;
    const auto file = openSafetensors(path);
    for (const auto& k : file->keys())
        shapes[k] = file->info(k).shape;
    return shapes;
}

/// Loads every tensor of a safetensors file into the module with the engine's strict loader (all-or-nothing; a
/// missing, unexpected or mis-shaped key throws invseg::Error naming it).
inline void loadWeights(torch::nn::Module& module, const std::string& path, const std::string& what)
{
    const auto file = openSafetensors(path);
    StateDict weights;
    for (const auto& k : file->keys())
        weights.emplace(k, file->tensor(k));
    loadStateDict(module, weights, what, path);
}

/// ‖ours − ref‖₂ / ‖ref‖₂ in double precision; infinite when the shapes differ.
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

/// The worst relative error per label, printed at the end of a test so that a log shows the margins.
struct ErrorLog {
    std::map<std::string, double> worst;
    void add(const std::string& label, double e)
    {
        auto& w = worst[label];
        w = std::max(w, e);
    }
    void print(const std::string& set) const
    {
        for (const auto& [label, e] : worst)
            std::printf("[golden %s] %-28s max rel-L2 %.3e\n", set.c_str(), label.c_str(), e);
    }
};

/// The log EXPECT_REL_ERROR_LE records into (one per test binary; a fixture prints and clears it).
inline ErrorLog& errorLog()
{
    static ErrorLog log;
    return log;
}

#define EXPECT_REL_ERROR_LE(ours, ref, bound, what)                                                                   \
    do {                                                                                                              \
        const auto _o = (ours);                                                                                       \
        const auto _r = (ref);                                                                                        \
        ASSERT_EQ(_o.sizes(), _r.sizes()) << (what);                                                                  \
        const double _e = ::invseg::test::relativeError(_o, _r);                                                      \
        EXPECT_LE(_e, (bound)) << (what);                                                                             \
        ::invseg::test::errorLog().add((what), _e);                                                                   \
    } while (0)

} // namespace invseg::test
