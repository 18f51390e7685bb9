// What the trainer makes of toy scenes: stage-1 scene seeds, the stage-2 pool scenes and their prompts (class-list
// prompts, captions with class names put in, mirrored captions), thing-pixel weights and image tensors.
#include "train/toy_scenes.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>

namespace invseg::train::detail {

namespace {

/// Words that name a class other than by its name ("lawn", "sea", "beach"), mapped to the class id.
const std::map<std::string, int>& synonyms()
{
    static const std::map<std::string, int> table = [] {
        std::map<std::string, int> m;
        for (int c = 1; c < toy::kNumClasses; ++c)
            for (const auto& w : toy::classTerms(c))
                if (w != toy::classNames()[static_cast<size_t>(c)])
                    m[w] = c;
        return m;
    }();
    return table;
}

/// "left" <-> "right" as whole words: the caption of the mirrored scene.
std::string mirroredCaption(const std::string& caption)
{
    std::string out;
    size_t i = 0;
    while (i < caption.size()) {
        if (caption.compare(i, 4, "left") == 0 &&
            (i == 0 || !std::isalpha(static_cast<unsigned char>(caption[i - 1]))) &&
            (i + 4 >= caption.size() || !std::isalpha(static_cast<unsigned char>(caption[i + 4])))) {
            out += "right";
            i += 4;
        } else if (caption.compare(i, 5, "right") == 0 &&
                   (i == 0 || !std::isalpha(static_cast<unsigned char>(caption[i - 1]))) &&
                   (i + 5 >= caption.size() || !std::isalpha(static_cast<unsigned char>(caption[i + 5])))) {
            out += "left";
            i += 5;
        } else {
            out += caption[i++];
        }
    }
    return out;
}

} // namespace

uint64_t vaeSceneSeed(uint64_t seed, int64_t step, int64_t b, int64_t batch)
{
    const uint64_t half = toy::splitRange(toy::Split::Train).second / 2;
    return half + (seed * 7919u + static_cast<uint64_t>(step * batch + b)) % half;
}

bool isThing(int classId)
{
    return classId >= static_cast<int>(toy::ClassId::Ball);
}

std::string classPrompt(const PoolScene& scene, double attributeFraction, std::mt19937_64& rng)
{
    std::vector<int> order = scene.present;
    std::shuffle(order.begin(), order.end(), rng);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::string s = "a photograph of ";
    for (int c : order) {
        if (isThing(c) && u(rng) < attributeFraction) {
            std::vector<int> colours;
            for (const auto& t : scene.things)
                if (t.first == c)
                    colours.push_back(t.second);
            if (!colours.empty())
                s += toy::colourNames()[static_cast<size_t>(colours[rng() % colours.size()])] + " ";
        }
        s += toy::classNames()[static_cast<size_t>(c)] + " and ";
    }
    return s + "background";
}

std::string withClassNames(const std::string& caption, double p, std::mt19937_64& rng)
{
    if (p <= 0)
        return caption;
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::string out;
    size_t i = 0;
    while (i < caption.size()) {
        if (!std::isalpha(static_cast<unsigned char>(caption[i]))) {
            out += caption[i++];
            continue;
        }
        size_t j = i;
        while (j < caption.size() && std::isalpha(static_cast<unsigned char>(caption[j])))
            ++j;
        std::string word = caption.substr(i, j - i);
        std::string lower = word;
        for (auto& ch : lower)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const auto it = synonyms().find(lower);
        if (it != synonyms().end() && u(rng) < p)
            word = toy::classNames()[static_cast<size_t>(it->second)];
        out += word;
        i = j;
    }
    return out;
}

PoolScene poolScene(const toy::Scene& scene, bool mirrored)
{
    PoolScene p;
    p.caption = mirrored ? mirroredCaption(scene.caption) : scene.caption;
    p.present = scene.presentClasses;
    for (const auto& t : scene.things)
        if (t.inCaption)
            p.things.emplace_back(t.classId, t.colour);
    return p;
}

torch::Tensor thingWeights(const std::vector<toy::Scene>& scenes, double w)
{
    const int64_t b = static_cast<int64_t>(scenes.size());
    const int64_t h = scenes[0].height, wd = scenes[0].width;
    auto out = torch::empty({b, 1, h, wd}, torch::kFloat);
    for (int64_t i = 0; i < b; ++i) {
        float* d = out[i].data_ptr<float>();
        const auto& l = scenes[static_cast<size_t>(i)].labels;
        for (size_t k = 0; k < l.size(); ++k)
            d[k] = isThing(l[k]) ? static_cast<float>(w) : 1.0f;
    }
    return out;
}

torch::Tensor scenesToTensor(const std::vector<toy::Scene>& scenes)
{
    const int64_t b = static_cast<int64_t>(scenes.size());
    const int64_t h = scenes[0].height, w = scenes[0].width;
    auto out = torch::empty({b, h, w, 3}, torch::kUInt8);
    for (int64_t i = 0; i < b; ++i)
        std::memcpy(out[i].data_ptr<uint8_t>(), scenes[static_cast<size_t>(i)].rgb.data(),
                    static_cast<size_t>(h * w * 3));
    return out.permute({0, 3, 1, 2}).to(torch::kFloat).div(127.5).sub(1.0).contiguous();
}

} // namespace invseg::train::detail
