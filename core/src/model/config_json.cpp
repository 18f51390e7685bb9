// Parsers of the diffusers / transformers config.json files into the engine's config structs.
#include "invseg/checkpoint.h"
#include "invseg/error.h"
#include "invseg/json_file.h"

#include <nlohmann/json.hpp>

namespace invseg {
namespace {

using nlohmann::json;

json readConfigObject(const std::string& path)
{
    json j = readJsonFile(path);
    if (!j.is_object())
        throw Error(ErrorKind::Format, path + ": not a JSON object");
    return j;
}

template <typename T>
T get(const json& j, const char* key, T fallback, const std::string& path)
{
    if (!j.contains(key) || j[key].is_null())
        return fallback;
    try {
        return j[key].get<T>();
    } catch (const json::exception&) {
        throw Error(ErrorKind::Format, path + ": field '" + key + "' has the wrong type");
    }
}

/// An int or a list of ints, broadcast to `levels` entries.
std::vector<int64_t> perLevel(const json& j, const char* key, size_t levels, const std::string& path)
{
    const json& v = j[key];
    std::vector<int64_t> out;
    if (v.is_number_integer()) {
        out.assign(levels, v.get<int64_t>());
    } else if (v.is_array()) {
        for (const auto& x : v) {
            if (!x.is_number_integer())
                throw Error(ErrorKind::Format, path + ": field '" + key + "' must hold integers");
            out.push_back(x.get<int64_t>());
        }
        if (out.size() != levels)
            throw Error(ErrorKind::Format, path + ": field '" + key + "' has " + std::to_string(out.size()) +
                                               " entries for " + std::to_string(levels) + " levels");
    } else {
        throw Error(ErrorKind::Format, path + ": field '" + key + "' must be an integer or a list");
    }
    for (auto x : out)
        if (x <= 0)
            throw Error(ErrorKind::Format, path + ": field '" + key + "' must be positive");
    return out;
}

void requirePositive(int64_t v, const char* what, const std::string& path)
{
    if (v <= 0)
        throw Error(ErrorKind::Format, path + ": " + what + " must be positive, got " + std::to_string(v));
}

} // namespace

UNetConfig parseUNetConfig(const std::string& path)
{
    const json j = readConfigObject(path);
    UNetConfig c;
    c.inChannels = get<int64_t>(j, "in_channels", 4, path);
    c.outChannels = get<int64_t>(j, "out_channels", 4, path);
    c.blockOutChannels = get<std::vector<int64_t>>(j, "block_out_channels", c.blockOutChannels, path);
    const size_t levels = c.blockOutChannels.size();
    if (levels < 1 || levels > 8)
        throw Error(ErrorKind::Format, path + ": block_out_channels must have 1 to 8 entries");
    for (auto ch : c.blockOutChannels)
        requirePositive(ch, "block_out_channels", path);
    c.layersPerBlock = get<int64_t>(j, "layers_per_block", 2, path);
    requirePositive(c.layersPerBlock, "layers_per_block", path);
    c.crossAttentionDim = get<int64_t>(j, "cross_attention_dim", 768, path);
    c.useLinearProjection = get<bool>(j, "use_linear_projection", false, path);
    c.upcastAttention = get<bool>(j, "upcast_attention", false, path);
    c.normNumGroups = get<int64_t>(j, "norm_num_groups", 32, path);
    c.normEps = get<double>(j, "norm_eps", 1e-5, path);
    c.sampleSize = get<int64_t>(j, "sample_size", 64, path);
    c.flipSinToCos = get<bool>(j, "flip_sin_to_cos", true, path);
    c.freqShift = get<double>(j, "freq_shift", 0.0, path);
    // diffusers calls the head count "attention_head_dim" (diffusers#2011); num_attention_heads wins when set.
    if (j.contains("num_attention_heads") && !j["num_attention_heads"].is_null())
        c.numHeads = perLevel(j, "num_attention_heads", levels, path);
    else if (j.contains("attention_head_dim") && !j["attention_head_dim"].is_null())
        c.numHeads = perLevel(j, "attention_head_dim", levels, path);
    else
        c.numHeads.assign(levels, 8);

    const auto down = get<std::vector<std::string>>(j, "down_block_types", {}, path);
    const auto up = get<std::vector<std::string>>(j, "up_block_types", {}, path);
    c.crossAttnDown.assign(levels, true);
    if (!down.empty()) {
        if (down.size() != levels || (!up.empty() && up.size() != levels))
            throw Error(ErrorKind::Format, path + ": down/up_block_types do not match block_out_channels");
        for (size_t i = 0; i < levels; ++i) {
            if (down[i] == "CrossAttnDownBlock2D")
                c.crossAttnDown[i] = true;
            else if (down[i] == "DownBlock2D")
                c.crossAttnDown[i] = false;
            else
                throw Error(ErrorKind::Unsupported, path + ": down block type '" + down[i] + "' is not supported");
            if (!up.empty()) {
                const std::string& u = up[levels - 1 - i];
                const bool upCross = u == "CrossAttnUpBlock2D";
                if (!upCross && u != "UpBlock2D")
                    throw Error(ErrorKind::Unsupported, path + ": up block type '" + u + "' is not supported");
                if (upCross != c.crossAttnDown[i])
                    throw Error(ErrorKind::Unsupported,
                                path + ": up and down blocks disagree on attention at level " + std::to_string(i));
            }
        }
    }
    if (j.contains("transformer_layers_per_block") && j["transformer_layers_per_block"].is_number_integer() &&
        j["transformer_layers_per_block"].get<int64_t>() != 1)
        throw Error(ErrorKind::Unsupported, path + ": transformer_layers_per_block other than 1 is not supported");
    const std::string midType = get<std::string>(j, "mid_block_type", "UNetMidBlock2DCrossAttn", path);
    if (midType != "UNetMidBlock2DCrossAttn")
        throw Error(ErrorKind::Unsupported, path + ": mid block type '" + midType + "' is not supported");
    for (const char* k : {"addition_embed_type", "class_embed_type", "encoder_hid_dim"})
        if (j.contains(k) && !j[k].is_null())
            throw Error(ErrorKind::Unsupported, path + ": '" + k + "' (SDXL-style conditioning) is not supported");
    return c;
}

VaeConfig parseVaeConfig(const std::string& path)
{
    const json j = readConfigObject(path);
    VaeConfig c;
    c.inChannels = get<int64_t>(j, "in_channels", 3, path);
    c.outChannels = get<int64_t>(j, "out_channels", 3, path);
    c.blockOutChannels = get<std::vector<int64_t>>(j, "block_out_channels", c.blockOutChannels, path);
    if (c.blockOutChannels.empty())
        throw Error(ErrorKind::Format, path + ": block_out_channels is empty");
    for (auto ch : c.blockOutChannels)
        requirePositive(ch, "block_out_channels", path);
    c.layersPerBlock = get<int64_t>(j, "layers_per_block", 2, path);
    c.latentChannels = get<int64_t>(j, "latent_channels", 4, path);
    c.normNumGroups = get<int64_t>(j, "norm_num_groups", 32, path);
    c.scalingFactor = get<double>(j, "scaling_factor", 0.18215, path);
    c.sampleSize = get<int64_t>(j, "sample_size", 512, path);
    c.useQuantConv = get<bool>(j, "use_quant_conv", true, path);
    c.usePostQuantConv = get<bool>(j, "use_post_quant_conv", true, path);
    c.midBlockAddAttention = get<bool>(j, "mid_block_add_attention", true, path);
    requirePositive(c.layersPerBlock, "layers_per_block", path);
    requirePositive(c.latentChannels, "latent_channels", path);
    return c;
}

TextEncoderConfig parseTextEncoderConfig(const std::string& path)
{
    json j = readConfigObject(path);
    // A full CLIPConfig nests the text part.
    if (j.contains("text_config") && j["text_config"].is_object())
        j = j["text_config"];
    TextEncoderConfig c;
    c.vocabSize = get<int64_t>(j, "vocab_size", 49408, path);
    c.hiddenSize = get<int64_t>(j, "hidden_size", 768, path);
    c.intermediateSize = get<int64_t>(j, "intermediate_size", 3072, path);
    c.numHeads = get<int64_t>(j, "num_attention_heads", 12, path);
    c.numLayers = get<int64_t>(j, "num_hidden_layers", 12, path);
    c.maxPositions = get<int64_t>(j, "max_position_embeddings", 77, path);
    c.layerNormEps = get<double>(j, "layer_norm_eps", 1e-5, path);
    c.padTokenId = get<int64_t>(j, "pad_token_id", 49407, path);
    c.bosTokenId = get<int64_t>(j, "bos_token_id", 49406, path);
    c.eosTokenId = get<int64_t>(j, "eos_token_id", 49407, path);
    const std::string act = get<std::string>(j, "hidden_act", "quick_gelu", path);
    if (act == "quick_gelu")
        c.activation = Activation::QuickGelu;
    else if (act == "gelu")
        c.activation = Activation::Gelu;
    else
        throw Error(ErrorKind::Unsupported, path + ": hidden_act '" + act + "' is not supported");
    for (auto [v, name] : {std::pair{c.vocabSize, "vocab_size"},
                           {c.hiddenSize, "hidden_size"},
                           {c.intermediateSize, "intermediate_size"},
                           {c.numHeads, "num_attention_heads"},
                           {c.numLayers, "num_hidden_layers"},
                           {c.maxPositions, "max_position_embeddings"}})
        requirePositive(v, name, path);
    if (c.hiddenSize % c.numHeads != 0)
        throw Error(ErrorKind::Format, path + ": hidden_size is not a multiple of num_attention_heads");
    return c;
}

SchedulerConfig parseSchedulerConfig(const std::string& path)
{
    const json j = readConfigObject(path);
    SchedulerConfig c;
    c.numTrainTimesteps = get<int64_t>(j, "num_train_timesteps", 1000, path);
    c.betaStart = get<double>(j, "beta_start", 0.00085, path);
    c.betaEnd = get<double>(j, "beta_end", 0.012, path);
    c.betaSchedule = get<std::string>(j, "beta_schedule", "scaled_linear", path);
    if (c.betaSchedule != "scaled_linear" && c.betaSchedule != "linear")
        throw Error(ErrorKind::Unsupported, path + ": beta_schedule '" + c.betaSchedule + "' is not supported");
    if (j.contains("trained_betas") && !j["trained_betas"].is_null())
        throw Error(ErrorKind::Unsupported, path + ": trained_betas is not supported");
    const std::string pred = get<std::string>(j, "prediction_type", "epsilon", path);
    if (pred == "epsilon")
        c.predictionType = PredictionType::Epsilon;
    else if (pred == "v_prediction")
        c.predictionType = PredictionType::VPrediction;
    else
        throw Error(ErrorKind::Unsupported, path + ": prediction_type '" + pred + "' is not supported");
    requirePositive(c.numTrainTimesteps, "num_train_timesteps", path);
    return c;
}

const char* toString(SdVariant v)
{
    return v == SdVariant::Sd1 ? "sd1" : "sd2";
}
const char* toString(PredictionType p)
{
    return p == PredictionType::Epsilon ? "epsilon" : "v_prediction";
}
const char* toString(Activation a)
{
    return a == Activation::QuickGelu ? "quick_gelu" : "gelu";
}
const char* toString(CheckpointLayout l)
{
    return l == CheckpointLayout::DiffusersFolder ? "diffusers folder" : "single file";
}

} // namespace invseg
