// Test support (library invseg_test_support): the golden reference sets (discovery, tensors, weights) and
// relative-error checks against them. The one place that knows where the golden root is.
#pragma once

#include "invseg/checkpoint.h"
#include "invseg/tensor_file.h"
#include "model/state_dict.h"

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
std::filesystem::path goldenRoot();

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
std::vector<GoldenSet> goldenSets();

/// What a test that needs golden sets reports when the root holds none.
std::string noGoldenSetMessage();

/// Fails the test (never skips it) when no golden set was found.
#define INVSEG_REQUIRE_GOLDEN(sets) ASSERT_FALSE((sets).empty()) << ::invseg::test::noGoldenSetMessage()

/// Name → shape of every parameter and buffer of a module.
std::map<std::string, std::vector<int64_t>> moduleShapes(const torch::nn::Module& module);

/// Name → shape of every tensor of a safetensors file.
std::map<std::string, std::vector<int64_t>> fileShapes(const std::string& path);

/// Loads every tensor of a safetensors file into the module with the engine's strict loader (all-or-nothing; a
/// missing, unexpected or mis-shaped key throws invseg::Error naming it).
void loadWeights(torch::nn::Module& module, const std::string& path, const std::string& what);

/// ‖ours − ref‖₂ / ‖ref‖₂ in double precision; infinite when the shapes differ.
double relativeError(const torch::Tensor& ours, const torch::Tensor& ref);

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
ErrorLog& errorLog();

#define EXPECT_REL_ERROR_LE(ours, ref, bound, what)                                                                    \
    do {                                                                                                               \
        const auto _o = (ours);                                                                                        \
        const auto _r = (ref);                                                                                         \
        ASSERT_EQ(_o.sizes(), _r.sizes()) << (what);                                                                   \
        const double _e = ::invseg::test::relativeError(_o, _r);                                                       \
        EXPECT_LE(_e, (bound)) << (what);                                                                              \
        ::invseg::test::errorLog().add((what), _e);                                                                    \
    } while (0)

} // namespace invseg::test
