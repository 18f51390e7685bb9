// JSON round trip and validation of SegmentOptions.
#include "invseg/segment_options.h"

#include "invseg/error.h"
#include "invseg/json_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace invseg {

nlohmann::json SegmentOptions::toJson() const
{
    return {{"prompt_template", promptTemplate},
            {"learn_all_positions", learnAllPositions},
            {"timestep", timestep},
            {"seed", seed},
            {"level_weights", levelWeights},
            {"temperature", temperature},
            {"anchor_threshold", anchorThreshold},
            {"tau", tau},
            {"entropy_weight", entropyWeight},
            {"learning_rate", learningRate},
            {"steps", steps},
            {"views", views},
            {"reuse_self_attention", reuseSelfAttention},
            {"image_size", imageSize == ImageSizePolicy::Stretch ? "stretch" : "pad"},
            {"device", device},
            {"dtype", dtype},
            {"channels_last", channelsLast}};
}

SegmentOptions SegmentOptions::fromJson(const nlohmann::json& j)
{
    return fromJson(j, SegmentOptions());
}

SegmentOptions SegmentOptions::fromJson(const nlohmann::json& j, const SegmentOptions& base)
{
    if (!j.is_object())
        throw Error(ErrorKind::InvalidInput, "options must be a JSON object");
    static const char* kKnown[] = {"prompt_template",
                                   "learn_all_positions",
                                   "timestep",
                                   "seed",
                                   "level_weights",
                                   "temperature",
                                   "anchor_threshold",
                                   "tau",
                                   "entropy_weight",
                                   "learning_rate",
                                   "steps",
                                   "views",
                                   "reuse_self_attention",
                                   "image_size",
                                   "device",
                                   "dtype",
                                   "channels_last"};
    for (auto it = j.begin(); it != j.end(); ++it)
        if (std::find(std::begin(kKnown), std::end(kKnown), it.key()) == std::end(kKnown))
            throw Error(ErrorKind::InvalidInput, "unknown option '" + it.key() + "'");
    SegmentOptions o = base;
    auto read = [&](const char* key, auto& field) {
        if (!j.contains(key))
            return;
        try {
            field = j.at(key).get<std::decay_t<decltype(field)>>();
        } catch (const nlohmann::json::exception&) {
            throw Error(ErrorKind::InvalidInput, std::string("option '") + key + "' has the wrong type");
        }
    };
    read("prompt_template", o.promptTemplate);
    read("learn_all_positions", o.learnAllPositions);
    read("timestep", o.timestep);
    read("seed", o.seed);
    read("level_weights", o.levelWeights);
    read("temperature", o.temperature);
    read("anchor_threshold", o.anchorThreshold);
    read("tau", o.tau);
    read("entropy_weight", o.entropyWeight);
    read("learning_rate", o.learningRate);
    read("steps", o.steps);
    read("views", o.views);
    read("reuse_self_attention", o.reuseSelfAttention);
    read("device", o.device);
    read("dtype", o.dtype);
    read("channels_last", o.channelsLast);
    if (j.contains("image_size")) {
        std::string s;
        read("image_size", s);
        if (s == "stretch")
            o.imageSize = ImageSizePolicy::Stretch;
        else if (s == "pad")
            o.imageSize = ImageSizePolicy::Pad;
        else
            throw Error(ErrorKind::InvalidInput, "option 'image_size' must be \"stretch\" or \"pad\"");
    }
    o.validate();
    return o;
}

SegmentOptions SegmentOptions::forModel(const std::string& modelPath)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path file = fs::path(modelPath) / kModelDefaultsFile;
    if (modelPath.empty() || !fs::is_directory(modelPath, ec) || !fs::is_regular_file(file, ec))
        return SegmentOptions();
    const nlohmann::json j = readJsonFile(file.string());
    try {
        return fromJson(j);
    } catch (const Error& e) {
        throw Error(ErrorKind::InvalidInput, file.string() + ": " + e.what());
    }
}

SegmentOptions SegmentOptions::rebased(const SegmentOptions& current, const SegmentOptions& from,
                                       const SegmentOptions& to)
{
    nlohmann::json cur = current.toJson();
    const nlohmann::json a = from.toJson(), b = to.toJson();
    for (auto it = b.begin(); it != b.end(); ++it)
        if (cur.at(it.key()) == a.at(it.key()))
            cur[it.key()] = it.value();
    return fromJson(cur);
}

nlohmann::json SegmentOptions::changesFrom(const SegmentOptions& base) const
{
    const nlohmann::json mine = toJson(), theirs = base.toJson();
    nlohmann::json out = nlohmann::json::object();
    for (auto it = mine.begin(); it != mine.end(); ++it)
        if (it.key() != "device" && it.key() != "dtype" && theirs.value(it.key(), nlohmann::json()) != it.value())
            out[it.key()] = it.value();
    return out;
}

void SegmentOptions::validate() const
{
    auto bad = [](const std::string& what) { throw Error(ErrorKind::InvalidInput, what); };
    if (promptTemplate.find("{classes}") == std::string::npos)
        bad("prompt_template must contain {classes}");
    if (timestep < 0 || timestep > 999)
        bad("timestep must be in [0, 999], got " + std::to_string(timestep));
    if (steps < 0 || steps > 10000)
        bad("steps must be in [0, 10000], got " + std::to_string(steps));
    if (views < 1 || views > 2)
        bad("views must be 1 or 2, got " + std::to_string(views));
    if (!(temperature > 0) || !(tau > 0))
        bad("temperature and tau must be positive");
    if (!(anchorThreshold >= 0 && anchorThreshold <= 1))
        bad("anchor_threshold must be in [0, 1]");
    if (!(learningRate >= 0) || !(entropyWeight >= 0))
        bad("learning_rate and entropy_weight must be non-negative");
    double sum = 0;
    for (double w : levelWeights) {
        if (!(w >= 0))
            bad("level_weights must be non-negative");
        sum += w;
    }
    if (!(sum > 0))
        bad("level_weights must give some level a positive weight");
}

} // namespace invseg
