// Test-local helpers for the nn parity tests: golden-set discovery, diffusers config parsing, strict weight loading.
// (Temporary: the tests switch to the engine's config/loader code in core/src/model once it lands.)
#pragma once

#include "invseg/error.h"
#include "invseg/model_config.h"
#include "invseg/tensor_file.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace invseg::test {

namespace fs = std::filesystem;
using nlohmann::json;

inline std::string goldenRoot()
{
    if (const char* env = std::getenv("INVSEG_GOLDEN_DIR"); env && *env)
        return env;
#ifdef INVSEG_GOLDEN_DIR_DEFAULT
    return INVSEG_GOLDEN_DIR_DEFAULT;
#else
    return "../shared/golden";
#endif
}

/// Every subfolder of the golden root that holds a golden.json, sorted.
inline std::vector<std::string> goldenSets()
{
    std::vector<std::string> sets;
    std::error_code ec;
    const fs::path root = goldenRoot();
    if (!fs::is_directory(root, ec))
        return sets;
    for (const auto& entry : fs::directory_iterator(root, ec))
        if (entry.is_directory() && fs::exists(entry.path() / "golden.json"))
            sets.push_back(entry.path().string());
    std::sort(sets.begin(), sets.end());
    return sets;
}

inline bool onCi()
{
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

/// Use at the top of a golden test: fails on CI when no set is found, skips elsewhere.
#define INVSEG_REQUIRE_GOLDEN_SETS(sets)                                                                  \
    do {                                                                                                  \
        if ((sets).empty()) {                                                                             \
            if (::invseg::test::onCi())                                                                   \
                FAIL() << "no golden set under " << ::invseg::test::goldenRoot() << " (CI=true)";         \
            GTEST_SKIP() << "no golden set under " << ::invseg::test::goldenRoot();                       \
        }                                                                                                 \
    } while (0)

inline json readJson(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorKind::Io, path + ": cannot open");
    return json::parse(in);
}

inline std::vector<int64_t> intList(const json& j)
{
    std::vector<int64_t> v;
    for (const auto& e : j)
        v.push_back(e.get<int64_t>());
    return v;
}

/// diffusers unet/config.json → UNetConfig (num_attention_heads = num_attention_heads or attention_head_dim).
inline UNetConfig parseUNet(const std::string& path)
{
    const json j = readJson(path);
    UNetConfig c;
    c.inChannels = j.value("in_channels", int64_t(4));
    c.outChannels = j.value("out_channels", int64_t(4));
    c.blockOutChannels = intList(j.at("block_out_channels"));
    const size_t levels = c.blockOutChannels.size();
    const json& heads = (j.contains("num_attention_heads") && !j["num_attention_heads"].is_null())
                            ? j["num_attention_heads"]
                            : j.at("attention_head_dim");
    c.numHeads = heads.is_array() ? intList(heads) : std::vector<int64_t>(levels, heads.get<int64_t>());
    c.crossAttnDown.clear();
    for (const auto& t : j.at("down_block_types"))
        c.crossAttnDown.push_back(t.get<std::string>() == "CrossAttnDownBlock2D");
    c.layersPerBlock = j.value("layers_per_block", int64_t(2));
    c.crossAttentionDim = j.at("cross_attention_dim").get<int64_t>();
    c.useLinearProjection = j.value("use_linear_projection", false);
    c.upcastAttention = j.value("upcast_attention", false);
    c.normNumGroups = j.value("norm_num_groups", int64_t(32));
    c.normEps = j.value("norm_eps", 1e-5);
    c.sampleSize = j.value("sample_size", int64_t(64));
    c.flipSinToCos = j.value("flip_sin_to_cos", true);
    c.freqShift = j.value("freq_shift", 0.0);
    return c;
}

inline VaeConfig parseVae(const std::string& path)
{
    const json j = readJson(path);
    VaeConfig c;
    c.inChannels = j.value("in_channels", int64_t(3));
    c.outChannels = j.value("out_channels", int64_t(3));
    c.blockOutChannels = intList(j.at("block_out_channels"));
    c.layersPerBlock = j.value("layers_per_block", int64_t(2));
    c.latentChannels = j.value("latent_channels", int64_t(4));
    c.normNumGroups = j.value("norm_num_groups", int64_t(32));
    c.scalingFactor = j.value("scaling_factor", 0.18215);
    c.sampleSize = j.value("sample_size", int64_t(512));
    auto flag = [&j](const char* key, bool dflt) {
        return j.contains(key) && !j[key].is_null() ? j[key].get<bool>() : dflt;
    };
    c.useQuantConv = flag("use_quant_conv", true);
    c.usePostQuantConv = flag("use_post_quant_conv", true);
    c.midBlockAddAttention = flag("mid_block_add_attention", true);
    return c;
}

inline SchedulerConfig parseScheduler(const std::string& path)
{
    const json j = readJson(path);
    SchedulerConfig c;
    c.numTrainTimesteps = j.value("num_train_timesteps", int64_t(1000));
    c.betaStart = j.value("beta_start", 0.0001);
    c.betaEnd = j.value("beta_end", 0.02);
    c.betaSchedule = j.value("beta_schedule", std::string("linear"));
    const std::string pred = j.value("prediction_type", std::string("epsilon"));
    c.predictionType = pred == "v_prediction" ? PredictionType::VPrediction : PredictionType::Epsilon;
    return c;
}

/// Copies the file's tensors into the module by exact name. Every parameter and buffer must have a tensor of the same
/// shape, and every tensor of the file must have a parameter/buffer: the lists of both directions are reported.
inline void loadStrict(torch::nn::Module& module, const std::string& path)
{
    const auto file = openSafetensors(path);
    const auto fileKeys = file->keys();
    const std::set<std::string> fileSet(fileKeys.begin(), fileKeys.end());
    std::map<std::string, torch::Tensor> targets;
    for (const auto& p : module.named_parameters(true))
        targets[p.key()] = p.value();
    for (const auto& b : module.named_buffers(true))
        targets[b.key()] = b.value();

    std::vector<std::string> missing, unexpected, misShaped;
    for (const auto& [name, t] : targets)
        if (!fileSet.count(name))
            missing.push_back(name);
        else if (file->info(name).shape != t.sizes().vec())
            misShaped.push_back(name);
    for (const auto& k : fileKeys)
        if (!targets.count(k))
            unexpected.push_back(k);
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (size_t i = 0; i < v.size() && i < 8; ++i)
            s += (i ? ", " : "") + v[i];
        return s + (v.size() > 8 ? ", … (" + std::to_string(v.size()) + ")" : "");
    };
    if (!missing.empty() || !unexpected.empty() || !misShaped.empty())
        throw Error(ErrorKind::Key, path + ": missing [" + join(missing) + "], unexpected [" + join(unexpected) +
                                        "], mis-shaped [" + join(misShaped) + "]");
    torch::NoGradGuard noGrad;
    for (auto& [name, t] : targets)
        t.copy_(file->tensor(name));
}

/// ‖a − b‖₂ / ‖b‖₂ in float64.
inline double relErr(const torch::Tensor& a, const torch::Tensor& b)
{
    const auto ad = a.detach().to(torch::kCPU, torch::kDouble);
    const auto bd = b.detach().to(torch::kCPU, torch::kDouble);
    if (ad.sizes() != bd.sizes())
        throw Error(ErrorKind::Shape, "relErr: shapes differ");
    const double denom = bd.norm().item<double>();
    const double num = (ad - bd).norm().item<double>();
    return denom > 0 ? num / denom : num;
}

/// One golden set: its folder, golden.json and golden.safetensors.
struct GoldenSet {
    std::string dir;
    json meta;
    std::unique_ptr<TensorFile> tensors;

    explicit GoldenSet(const std::string& d)
        : dir(d), meta(readJson(d + "/golden.json")), tensors(openSafetensors(d + "/golden.safetensors"))
    {
    }
    std::string name() const { return fs::path(dir).filename().string(); }
    std::string diffusers(const std::string& rel) const { return dir + "/diffusers/" + rel; }
    bool has(const std::string& key) const { return tensors->contains(key); }
    torch::Tensor get(const std::string& key) const { return tensors->tensor(key).to(torch::kFloat).clone(); }
    std::vector<int64_t> timesteps() const { return meta.at("timesteps").get<std::vector<int64_t>>(); }
    size_t numPrompts() const { return meta.at("prompts").size(); }
};

/// Tracks the largest error per tensor group, printed at the end of a test for the record.
struct ErrorLog {
    std::map<std::string, double> worst;
    void add(const std::string& group, double e)
    {
        auto& w = worst[group];
        w = std::max(w, e);
    }
    void print(const std::string& set) const
    {
        for (const auto& [g, e] : worst)
            std::printf("[golden %s] %-28s max rel-L2 %.3e\n", set.c_str(), g.c_str(), e);
    }
};

} // namespace invseg::test
