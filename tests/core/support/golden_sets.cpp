// Test support: golden-set discovery, reference loading and the relative-error metric, compiled once for every
// test executable (library invseg_test_support).
#include "support/golden_sets.h"

#include "invseg/json_file.h"

namespace invseg::test {

std::filesystem::path goldenRoot()
{
    if (const char* env = std::getenv("INVSEG_GOLDEN_DIR"); env && *env)
        return env;
    return INVSEG_GOLDEN_DIR_DEFAULT;
}

std::vector<GoldenSet> goldenSets()
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
        s.meta = readJsonFile(meta.string());
        s.tensors = openSafetensors((entry.path() / "golden.safetensors").string());
        sets.push_back(std::move(s));
    }
    std::sort(sets.begin(), sets.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return sets;
}

std::string noGoldenSetMessage()
{
    return "no golden set (a folder holding golden.json) under " + goldenRoot().string() +
           ": the repository's sets are in tests/data/golden (tests/golden/make_golden.py makes them); "
           "INVSEG_GOLDEN_DIR names another golden root";
}

std::map<std::string, std::vector<int64_t>> moduleShapes(const torch::nn::Module& module)
{
    std::map<std::string, std::vector<int64_t>> shapes;
    for (const auto& p : module.named_parameters(true))
        shapes[p.key()] = p.value().sizes().vec();
    for (const auto& b : module.named_buffers(true))
        shapes[b.key()] = b.value().sizes().vec();
    return shapes;
}

std::map<std::string, std::vector<int64_t>> fileShapes(const std::string& path)
{
    std::map<std::string, std::vector<int64_t>> shapes;
    const auto file = openSafetensors(path);
    for (const auto& k : file->keys())
        shapes[k] = file->info(k).shape;
    return shapes;
}

void loadWeights(torch::nn::Module& module, const std::string& path, const std::string& what)
{
    const auto file = openSafetensors(path);
    StateDict weights;
    for (const auto& k : file->keys())
        weights.emplace(k, file->tensor(k));
    loadStateDict(module, weights, what, path);
}

double relativeError(const torch::Tensor& ours, const torch::Tensor& ref)
{
    const auto a = ours.detach().to(torch::kCPU, torch::kDouble);
    const auto b = ref.detach().to(torch::kCPU, torch::kDouble);
    if (!a.sizes().equals(b.sizes()))
        return std::numeric_limits<double>::infinity();
    const double denom = b.norm().item<double>();
    const double num = (a - b).norm().item<double>();
    return denom == 0.0 ? num : num / denom;
}

ErrorLog& errorLog()
{
    static ErrorLog log;
    return log;
}

} // namespace invseg::test
