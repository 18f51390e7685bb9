// Strict, all-or-nothing copying of named weights into modules.
#include "model/state_dict.h"

#include "invseg/error.h"
#include "io/shape_string.h"

#include <torch/torch.h>

#include <set>

namespace invseg {
namespace {

/// True when a and b differ only by trailing size-1 dimensions (a 1×1 conv weight vs a linear weight).
bool sameUpToTrailingOnes(c10::IntArrayRef a, c10::IntArrayRef b)
{
    auto strip = [](c10::IntArrayRef s) {
        std::vector<int64_t> v(s.begin(), s.end());
        while (v.size() > 2 && v.back() == 1)
            v.pop_back();
        return v;
    };
    return strip(a) == strip(b);
}

std::string listSome(const std::vector<std::string>& items)
{
    std::string out;
    for (size_t i = 0; i < items.size() && i < 4; ++i)
        out += (i ? ", " : "") + items[i];
    if (items.size() > 4)
        out += ", … (" + std::to_string(items.size()) + " in all)";
    return out;
}

} // namespace

void loadStateDict(torch::nn::Module& module, const StateDict& weights, const std::string& what,
                   const std::string& source)
{
    std::vector<std::pair<std::string, torch::Tensor>> targets;
    for (const auto& p : module.named_parameters(true))
        targets.emplace_back(p.key(), p.value());
    for (const auto& b : module.named_buffers(true))
        targets.emplace_back(b.key(), b.value());

    std::vector<std::string> missing, misShaped, unexpected;
    std::set<std::string> seen;
    for (const auto& [name, t] : targets) {
        seen.insert(name);
        auto it = weights.find(name);
        if (it == weights.end()) {
            missing.push_back(name);
            continue;
        }
        if (!it->second.sizes().equals(t.sizes()) && !sameUpToTrailingOnes(it->second.sizes(), t.sizes()))
            misShaped.push_back(name + " " + shapeString(it->second.sizes()) + " (expected " + shapeString(t.sizes()) +
                                ")");
    }
    for (const auto& [name, t] : weights)
        if (!seen.count(name))
            unexpected.push_back(name);
    if (!missing.empty() || !unexpected.empty())
        throw Error(ErrorKind::Key, source + ": " + what + " weights do not match the architecture: " +
                                        (missing.empty() ? "" : "missing " + listSome(missing)) +
                                        (!missing.empty() && !unexpected.empty() ? "; " : "") +
                                        (unexpected.empty() ? "" : "unexpected " + listSome(unexpected)));
    if (!misShaped.empty())
        throw Error(ErrorKind::Shape, source + ": " + what + " weights have the wrong shape: " + listSome(misShaped));

    torch::NoGradGuard noGrad;
    for (auto& [name, t] : targets) {
        const auto& src = weights.at(name);
        t.copy_(src.sizes().equals(t.sizes()) ? src : src.reshape(t.sizes()));
    }
}

int64_t parameterCount(const torch::nn::Module& module)
{
    int64_t n = 0;
    for (const auto& p : module.parameters(true))
        n += p.numel();
    return n;
}

} // namespace invseg
