// Reads diffusers folders and original single-file checkpoints into diffusers-named weights plus configs.
#include "invseg/checkpoint.h"
#include "invseg/error.h"
#include "invseg/json_file.h"
#include "invseg/tensor_file.h"
#include "model/state_dict.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace invseg {
namespace {

bool startsWith(const std::string& s, const std::string& p)
{
    return s.compare(0, p.size(), p) == 0;
}

std::string joinFirst(const std::vector<std::string>& items, size_t n = 5)
{
    std::string out;
    for (size_t i = 0; i < items.size() && i < n; ++i)
        out += (i ? ", " : "") + std::string("'") + items[i] + "'";
    if (items.size() > n)
        out += " and " + std::to_string(items.size() - n) + " more";
    return out;
}

std::string dtypeSummary(const std::set<std::string>& dtypes)
{
    if (dtypes.empty())
        return "none";
    if (dtypes.size() == 1)
        return *dtypes.begin();
    std::string s = "mixed (";
    bool first = true;
    for (const auto& d : dtypes) {
        s += (first ? "" : "/") + d;
        first = false;
    }
    return s + ")";
}

void report(const CheckpointOptions& o, const std::string& stage, double f)
{
    if (o.progress)
        o.progress(stage, f);
}

// ---------------------------------------------------------------------------------------------------------------
// Diffusers folders

/// The weight files of one component folder, in order of preference.
std::vector<std::string> componentWeightFiles(const fs::path& dir, const std::vector<std::string>& bases)
{
    const std::vector<std::string> suffixes = {".safetensors",
                                               ".safetensors.gz",
                                               ".fp16.safetensors",
                                               ".safetensors.index.json",
                                               ".fp16.safetensors.index.json",
                                               ".bin",
                                               ".fp16.bin",
                                               ".bin.index.json"};
    for (const auto& suffix : suffixes) {
        for (const auto& base : bases) {
            const fs::path p = dir / (base + suffix);
            std::error_code ec;
            if (!fs::is_regular_file(p, ec))
                continue;
            if (suffix.size() > 11 && suffix.substr(suffix.size() - 11) == ".index.json") {
                const nlohmann::json j = readJsonFile(p.string());
                if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
                    throw Error(ErrorKind::Format, p.string() + ": shard index has no weight_map");
                std::set<std::string> shards;
                for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
                    if (!it->is_string())
                        throw Error(ErrorKind::Format,
                                    p.string() + ": weight_map entry '" + it.key() + "' is not a file name");
                    const std::string f = it->get<std::string>();
                    if (f.find('/') != std::string::npos || f.find("..") != std::string::npos)
                        throw Error(ErrorKind::Format, p.string() + ": shard name '" + f + "' leaves the folder");
                    shards.insert(f);
                }
                std::vector<std::string> files;
                for (const auto& s : shards)
                    files.push_back((dir / s).string());
                return files;
            }
            return {p.string()};
        }
    }
    return {};
}

StateDict readWeightFiles(const std::vector<std::string>& files, std::set<std::string>& dtypes)
{
    StateDict sd;
    for (const auto& file : files) {
        auto tf = openTensorFile(file);
        for (const auto& key : tf->keys()) {
            if (sd.count(key))
                throw Error(ErrorKind::Key, file + ": key '" + key + "' also appears in another shard");
            auto t = tf->tensor(key);
            if (t.is_floating_point())
                dtypes.insert(tf->info(key).dtype);
            sd.emplace(key, std::move(t));
        }
    }
    return sd;
}

/// Old diffusers VAE attention names (query/key/value/proj_attn) → current ones.
void renameDeprecatedVaeAttention(StateDict& sd)
{
    static const std::pair<const char*, const char*> kMap[] = {
        {".query.", ".to_q."}, {".key.", ".to_k."}, {".value.", ".to_v."}, {".proj_attn.", ".to_out.0."}};
    StateDict out;
    for (auto& [k, v] : sd) {
        std::string key = k;
        if (key.find("mid_block.attentions.") != std::string::npos)
            for (const auto& [from, to] : kMap) {
                const auto pos = key.find(from);
                if (pos != std::string::npos) {
                    key = key.substr(0, pos) + to + key.substr(pos + std::strlen(from));
                    break;
                }
            }
        out.emplace(key, v);
    }
    sd.swap(out);
}

/// Text-encoder keys with or without the "text_model." prefix; position_ids dropped.
void normalizeTextKeys(StateDict& sd, std::vector<std::string>& ignored, const std::string& prefixForIgnored = "")
{
    StateDict out;
    for (auto& [k, v] : sd) {
        if (k.size() >= 12 && k.substr(k.size() - 12) == "position_ids") {
            ignored.push_back(prefixForIgnored + k);
            continue;
        }
        if (startsWith(k, "text_model."))
            out.emplace(k, v);
        else if (startsWith(k, "embeddings.") || startsWith(k, "encoder.") || startsWith(k, "final_layer_norm."))
            out.emplace("text_model." + k, v);
        else
            ignored.push_back(prefixForIgnored + k); // text_projection, logit_scale, ...
    }
    sd.swap(out);
}

int64_t padIdFromTokenizerFolder(const fs::path& dir, int64_t fallback)
{
    const fs::path special = dir / "special_tokens_map.json";
    std::error_code ec;
    if (!fs::is_regular_file(special, ec))
        return fallback;
    try {
        const auto j = readJsonFile(special.string());
        if (!j.contains("pad_token"))
            return fallback;
        std::string pad;
        if (j["pad_token"].is_string())
            pad = j["pad_token"].get<std::string>();
        else if (j["pad_token"].is_object() && j["pad_token"].contains("content"))
            pad = j["pad_token"]["content"].get<std::string>();
        else
            return fallback;
        if (pad == "<|endoftext|>")
            return 49407;
        if (pad == "<|startoftext|>")
            return 49406;
        const fs::path vocab = dir / "vocab.json";
        if (fs::is_regular_file(vocab, ec)) {
            const auto v = readJsonFile(vocab.string());
            // CLIP's vocab marks word ends with </w>; a lone "!" pad is the byte token "!" (id 0).
            if (v.contains(pad))
                return v[pad].get<int64_t>();
            if (v.contains(pad + "</w>"))
                return v[pad + "</w>"].get<int64_t>();
        }
        if (pad == "!")
            return 0;
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::Format, special.string() + ": invalid JSON (" + e.what() + ")");
    }
    return fallback;
}

void readDiffusersFolder(const fs::path& dir, const CheckpointOptions& opt, Checkpoint& ck)
{
    struct Component {
        const char* name;
        std::vector<std::string> bases;
        bool wanted;
    };
    const Component comps[] = {
        {"unet", {"diffusion_pytorch_model"}, opt.readUnet},
        {"vae", {"diffusion_pytorch_model"}, opt.readVae},
        {"text_encoder", {"model", "pytorch_model"}, opt.readTextEncoder},
    };
    for (const auto& c : comps) {
        if (!c.wanted)
            continue;
        const fs::path cfg = dir / c.name / "config.json";
        std::error_code ec;
        if (!fs::is_regular_file(cfg, ec))
            throw Error(ErrorKind::Format, dir.string() + ": not a Stable Diffusion diffusers folder: " +
                                               (dir / c.name / "config.json").string() + " is missing");
    }
    if (opt.readTextEncoder) {
        ck.textEncoder = parseTextEncoderConfig((dir / "text_encoder" / "config.json").string());
        ck.variant = ck.textEncoder.activation == Activation::Gelu ? SdVariant::Sd2 : SdVariant::Sd1;
    }
    if (opt.readUnet)
        ck.unet = parseUNetConfig((dir / "unet" / "config.json").string());
    if (opt.readVae)
        ck.vae = parseVaeConfig((dir / "vae" / "config.json").string());
    const fs::path sched = dir / "scheduler" / "scheduler_config.json";
    std::error_code ec;
    if (fs::is_regular_file(sched, ec)) {
        ck.scheduler = parseSchedulerConfig(sched.string());
        ck.predictionTypeKnown = true;
    } else {
        ck.predictionTypeKnown = false;
    }
    const fs::path tok = dir / "tokenizer";
    ck.textEncoder.padTokenId = padIdFromTokenizerFolder(tok,
                                                         ck.variant == SdVariant::Sd2 ? 0 : ck.textEncoder.padTokenId);
    if (fs::is_regular_file(tok / "merges.txt", ec))
        ck.tokenizerMerges = (tok / "merges.txt").string();

    int done = 0;
    for (const auto& c : comps) {
        if (!c.wanted)
            continue;
        report(opt, c.name, 0.0);
        const auto files = componentWeightFiles(dir / c.name, c.bases);
        if (files.empty())
            throw Error(ErrorKind::Format, (dir / c.name).string() + ": no weights (" + c.bases.front() +
                                               ".safetensors, a .fp16 variant, a shard index or a .bin)");
        std::set<std::string> dtypes;
        StateDict sd = readWeightFiles(files, dtypes);
        ck.files[c.name] = files;
        ck.storedDtypes[c.name] = dtypeSummary(dtypes);
        if (std::string(c.name) == "unet") {
            weightsOf(ck).unet = std::move(sd);
        } else if (std::string(c.name) == "vae") {
            renameDeprecatedVaeAttention(sd);
            weightsOf(ck).vae = std::move(sd);
        } else {
            normalizeTextKeys(sd, ck.ignoredKeys, "text_encoder/");
            weightsOf(ck).textEncoder = std::move(sd);
        }
        report(opt, c.name, 1.0);
        ++done;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Single files

const torch::Tensor& need(const StateDict& sd, const std::string& key, const std::string& file)
{
    auto it = sd.find(key);
    if (it == sd.end())
        throw Error(ErrorKind::Key, file + ": missing key '" + key + "'");
    return it->second;
}

int countIndexed(const StateDict& sd, const std::string& prefix)
{
    int n = 0;
    while (true) {
        const std::string p = prefix + std::to_string(n) + ".";
        auto it = sd.lower_bound(p);
        if (it == sd.end() || !startsWith(it->first, p))
            return n;
        ++n;
    }
}

bool hasPrefix(const StateDict& sd, const std::string& prefix)
{
    auto it = sd.lower_bound(prefix);
    return it != sd.end() && startsWith(it->first, prefix);
}

struct HeadCounts {
    std::vector<int64_t> unet; ///< per level, empty = convention
    int64_t text = 0;          ///< 0 = convention
};

HeadCounts headsFromFolder(const std::string& folder)
{
    HeadCounts h;
    if (folder.empty())
        return h;
    const fs::path dir(folder);
    std::error_code ec;
    const fs::path unetCfg = fs::is_regular_file(dir / "unet" / "config.json", ec) ? dir / "unet" / "config.json"
                                                                                   : dir / "config.json";
    if (fs::is_regular_file(unetCfg, ec))
        h.unet = parseUNetConfig(unetCfg.string()).numHeads;
    if (fs::is_regular_file(dir / "text_encoder" / "config.json", ec))
        h.text = parseTextEncoderConfig((dir / "text_encoder" / "config.json").string()).numHeads;
    if (h.unet.empty() && h.text == 0)
        throw Error(ErrorKind::Io,
                    folder + ": no unet/config.json or text_encoder/config.json to take head counts from");
    return h;
}

UNetConfig inferUNetConfig(const StateDict& sd, SdVariant variant, const HeadCounts& heads, const std::string& file)
{
    UNetConfig c;
    const auto& convIn = need(sd, "conv_in.weight", file);
    const auto& convOut = need(sd, "conv_out.weight", file);
    if (convIn.dim() != 4 || convOut.dim() != 4)
        throw Error(ErrorKind::Shape, file + ": UNet conv_in/conv_out weights are not 4-d");
    c.inChannels = convIn.size(1);
    c.outChannels = convOut.size(0);
    const int levels = countIndexed(sd, "down_blocks.");
    if (levels < 1)
        throw Error(ErrorKind::Key, file + ": the UNet has no down blocks");
    c.layersPerBlock = countIndexed(sd, "down_blocks.0.resnets.");
    c.blockOutChannels.clear();
    c.crossAttnDown.clear();
    for (int i = 0; i < levels; ++i) {
        const std::string p = "down_blocks." + std::to_string(i) + ".";
        c.blockOutChannels.push_back(need(sd, p + "resnets.0.conv1.weight", file).size(0));
        c.crossAttnDown.push_back(hasPrefix(sd, p + "attentions.0."));
        if (hasPrefix(sd, p + "attentions.0.transformer_blocks.1."))
            throw Error(ErrorKind::Unsupported,
                        file + ": more than one transformer block per attention is not supported");
    }
    const std::string attnPrefix = "mid_block.attentions.0.";
    c.crossAttentionDim = need(sd, attnPrefix + "transformer_blocks.0.attn2.to_k.weight", file).size(1);
    c.useLinearProjection = need(sd, attnPrefix + "proj_in.weight", file).dim() == 2;
    c.normNumGroups = 32;
    c.normEps = 1e-5;
    if (!heads.unet.empty()) {
        if (static_cast<int>(heads.unet.size()) != levels)
            throw Error(ErrorKind::InvalidInput, file + ": the head-count config has " +
                                                     std::to_string(heads.unet.size()) + " levels, the UNet " +
                                                     std::to_string(levels));
        c.numHeads = heads.unet;
    } else if (variant == SdVariant::Sd1) {
        c.numHeads.assign(levels, 8); // CompVis v1-inference.yaml: num_heads 8
    } else {
        c.numHeads.clear();
        for (auto ch : c.blockOutChannels) { // SD 2.x: num_head_channels 64
            if (ch % 64 != 0)
                throw Error(ErrorKind::InvalidInput, file + ": cannot infer attention heads (" + std::to_string(ch) +
                                                         " channels is not a multiple of 64); supply a config");
            c.numHeads.push_back(ch / 64);
        }
    }
    c.sampleSize = 64;
    return c;
}

VaeConfig inferVaeConfig(const StateDict& sd, const std::string& file)
{
    VaeConfig c;
    const int levels = countIndexed(sd, "encoder.down_blocks.");
    if (levels < 1)
        throw Error(ErrorKind::Key, file + ": the VAE has no encoder down blocks");
    c.blockOutChannels.clear();
    for (int i = 0; i < levels; ++i)
        c.blockOutChannels.push_back(
            need(sd, "encoder.down_blocks." + std::to_string(i) + ".resnets.0.conv1.weight", file).size(0));
    c.layersPerBlock = countIndexed(sd, "encoder.down_blocks.0.resnets.");
    c.inChannels = need(sd, "encoder.conv_in.weight", file).size(1);
    c.outChannels = need(sd, "decoder.conv_out.weight", file).size(0);
    c.latentChannels = need(sd, "decoder.conv_in.weight", file).size(1);
    c.useQuantConv = sd.count("quant_conv.weight") != 0;
    c.usePostQuantConv = sd.count("post_quant_conv.weight") != 0;
    c.midBlockAddAttention = hasPrefix(sd, "encoder.mid_block.attentions.0.");
    c.normNumGroups = 32;
    c.scalingFactor = 0.18215;
    c.sampleSize = 512;
    return c;
}

TextEncoderConfig inferTextConfig(const StateDict& sd, SdVariant variant, int64_t heads, const std::string& file)
{
    TextEncoderConfig c;
    const auto& tok = need(sd, "text_model.embeddings.token_embedding.weight", file);
    const auto& pos = need(sd, "text_model.embeddings.position_embedding.weight", file);
    c.vocabSize = tok.size(0);
    c.hiddenSize = tok.size(1);
    c.maxPositions = pos.size(0);
    c.numLayers = countIndexed(sd, "text_model.encoder.layers.");
    if (c.numLayers < 1)
        throw Error(ErrorKind::Key, file + ": the text encoder has no layers");
    c.intermediateSize = need(sd, "text_model.encoder.layers.0.mlp.fc1.weight", file).size(0);
    c.activation = variant == SdVariant::Sd1 ? Activation::QuickGelu : Activation::Gelu;
    c.padTokenId = variant == SdVariant::Sd1 ? 49407 : 0;
    if (heads > 0)
        c.numHeads = heads;
    else if (variant == SdVariant::Sd1)
        c.numHeads = 12; // OpenAI CLIP ViT-L/14
    else
        c.numHeads = c.hiddenSize / 64; // OpenCLIP: 64 channels per head
    if (c.numHeads <= 0 || c.hiddenSize % c.numHeads != 0)
        throw Error(ErrorKind::InvalidInput, file + ": cannot split the text encoder's width " +
                                                 std::to_string(c.hiddenSize) + " into " + std::to_string(c.numHeads) +
                                                 " heads; supply a config");
    return c;
}

/// OpenCLIP (SD 2.x) text keys → transformers names; the fused in_proj is split; the last layer is dropped
/// because SD 2.x conditions on the penultimate layer (followed by the final layer norm).
StateDict convertOpenClip(const StateDict& src, std::vector<std::string>& ignored, const std::string& file)
{
    const std::string rb = "transformer.resblocks.";
    const int layers = countIndexed(src, rb);
    if (layers < 2)
        throw Error(ErrorKind::Key, file + ": the OpenCLIP text encoder has " + std::to_string(layers) +
                                        " layers; SD 2.x needs at least 2");
    StateDict out;
    for (const auto& [k, v] : src) {
        const std::string full = "cond_stage_model.model." + k;
        if (k == "token_embedding.weight") {
            out["text_model.embeddings.token_embedding.weight"] = v;
        } else if (k == "positional_embedding") {
            out["text_model.embeddings.position_embedding.weight"] = v;
        } else if (startsWith(k, "ln_final.")) {
            out["text_model.final_layer_norm." + k.substr(9)] = v;
        } else if (startsWith(k, rb)) {
            size_t dot = k.find('.', rb.size());
            const int l = std::stoi(k.substr(rb.size(), dot - rb.size()));
            const std::string rest = k.substr(dot + 1);
            if (l == layers - 1) {
                ignored.push_back(full);
                continue;
            }
            const std::string p = "text_model.encoder.layers." + std::to_string(l) + ".";
            static const std::pair<const char*, const char*> kMap[] = {{"ln_1.", "layer_norm1."},
                                                                       {"ln_2.", "layer_norm2."},
                                                                       {"mlp.c_fc.", "mlp.fc1."},
                                                                       {"mlp.c_proj.", "mlp.fc2."},
                                                                       {"attn.out_proj.", "self_attn.out_proj."}};
            bool mapped = false;
            for (const auto& [from, to] : kMap)
                if (startsWith(rest, from)) {
                    out[p + to + rest.substr(std::strlen(from))] = v;
                    mapped = true;
                }
            if (rest == "attn.in_proj_weight" || rest == "attn.in_proj_bias") {
                if (v.size(0) % 3 != 0)
                    throw Error(ErrorKind::Shape, file + ": '" + full + "' does not split into q, k, v");
                auto parts = v.chunk(3, 0);
                const std::string suffix = rest == "attn.in_proj_weight" ? "weight" : "bias";
                out[p + "self_attn.q_proj." + suffix] = parts[0];
                out[p + "self_attn.k_proj." + suffix] = parts[1];
                out[p + "self_attn.v_proj." + suffix] = parts[2];
                mapped = true;
            }
            if (!mapped)
                throw Error(ErrorKind::Key, file + ": unexpected text-encoder key '" + full + "'");
        } else {
            ignored.push_back(full); // text_projection, logit_scale, attn_mask
        }
    }
    return out;
}

void readSingleFile(const std::string& path, const CheckpointOptions& opt, Checkpoint& ck)
{
    report(opt, "reading", 0.0);
    const auto file = openTensorFile(path);
    const auto keys = file->keys();
    const std::string unetP = "model.diffusion_model.", vaeP = "first_stage_model.",
                      sd1P = "cond_stage_model.transformer.", sd2P = "cond_stage_model.model.";
    StateDict ldmUnet, ldmVae, ldmText;
    std::map<std::string, std::set<std::string>> dtypes;
    bool sd2 = false;
    for (const auto& k : keys) {
        StateDict* target = nullptr;
        std::string rest, comp;
        if (startsWith(k, unetP)) {
            target = &ldmUnet, rest = k.substr(unetP.size()), comp = "unet";
        } else if (startsWith(k, vaeP)) {
            target = &ldmVae, rest = k.substr(vaeP.size()), comp = "vae";
        } else if (startsWith(k, sd1P)) {
            target = &ldmText, rest = k.substr(sd1P.size()), comp = "text_encoder";
        } else if (startsWith(k, sd2P)) {
            target = &ldmText, rest = k.substr(sd2P.size()), comp = "text_encoder", sd2 = true;
        }
        if (!target) {
            ck.ignoredKeys.push_back(k);
            continue;
        }
        // position_ids is int64 and sometimes corrupted to float by merge tools: regenerated, never read.
        if (rest.size() >= 12 && rest.substr(rest.size() - 12) == "position_ids") {
            ck.ignoredKeys.push_back(k);
            continue;
        }
        const TensorInfo info = file->info(k);
        if (info.dtype != "F32" && info.dtype != "F16" && info.dtype != "BF16" && info.dtype != "F64")
            throw Error(ErrorKind::Unsupported, path + ": tensor '" + k + "' has dtype " + info.dtype +
                                                    "; Stable Diffusion weights must be F32, F16 or BF16");
        dtypes[comp].insert(info.dtype);
        target->emplace(rest, file->tensor(k));
    }
    const bool needText = opt.readTextEncoder, needUnet = opt.readUnet, needVae = opt.readVae;
    if ((needUnet && ldmUnet.empty()) || (needVae && ldmVae.empty()) || (needText && ldmText.empty())) {
        std::vector<std::string> missing;
        if (needUnet && ldmUnet.empty())
            missing.push_back(unetP + "*");
        if (needVae && ldmVae.empty())
            missing.push_back(vaeP + "*");
        if (needText && ldmText.empty())
            missing.push_back("cond_stage_model.*");
        throw Error(ErrorKind::Format, path + ": not a Stable Diffusion 1.x/2.x checkpoint: no " + joinFirst(missing) +
                                           " keys among its " + std::to_string(keys.size()) + " tensors" +
                                           (keys.empty() ? "" : " (e.g. '" + keys.front() + "')"));
    }
    ck.variant = sd2 ? SdVariant::Sd2 : SdVariant::Sd1;
    const HeadCounts heads = headsFromFolder(opt.headsFrom);

    if (needUnet) {
        report(opt, "unet", 0.0);
        // Structure from the original names: the first downsampler's index gives layers per block.
        int nIn = 0, firstOp = -1, nOut = 0;
        for (const auto& [k, v] : ldmUnet) {
            int idx = 0;
            if (std::sscanf(k.c_str(), "input_blocks.%d.", &idx) == 1) {
                nIn = std::max(nIn, idx + 1);
                if (k.find(".0.op.") != std::string::npos && (firstOp < 0 || idx < firstOp))
                    firstOp = idx;
            } else if (std::sscanf(k.c_str(), "output_blocks.%d.", &idx) == 1) {
                nOut = std::max(nOut, idx + 1);
            }
        }
        const int lpb = firstOp > 0 ? firstOp - 1 : nIn - 1;
        if (lpb < 1 || nIn % (lpb + 1) != 0 || nOut != nIn)
            throw Error(ErrorKind::Format, path + ": UNet blocks do not form a Stable Diffusion UNet (" +
                                               std::to_string(nIn) + " input blocks, " + std::to_string(nOut) +
                                               " output blocks)");
        const int levels = nIn / (lpb + 1);
        std::vector<bool> upAttn(levels);
        for (int i = 0; i < levels; ++i)
            upAttn[i] = ldmUnet.count("output_blocks." + std::to_string(i * (lpb + 1)) + ".1.norm.weight") != 0;
        std::vector<std::string> unmapped;
        for (const auto& [k, v] : ldmUnet) {
            const std::string d = mapLdmUNetKey(k, levels, lpb, upAttn);
            if (d.empty())
                unmapped.push_back(unetP + k);
            else if (!weightsOf(ck).unet.emplace(d, v).second)
                throw Error(ErrorKind::Key, path + ": two UNet keys map to '" + d + "'");
        }
        if (!unmapped.empty())
            throw Error(ErrorKind::Key, path + ": unexpected UNet keys " + joinFirst(unmapped));
        ck.unet = inferUNetConfig(weightsOf(ck).unet, ck.variant, heads, path);
        ck.storedDtypes["unet"] = dtypeSummary(dtypes["unet"]);
        report(opt, "unet", 1.0);
    }
    if (needVae) {
        report(opt, "vae", 0.0);
        const int levels = countIndexed(ldmVae, "encoder.down.");
        std::vector<std::string> unmapped;
        for (const auto& [k, v] : ldmVae) {
            const std::string d = mapLdmVaeKey(k, levels);
            if (d.empty())
                unmapped.push_back(vaeP + k);
            else
                weightsOf(ck).vae.emplace(d, v);
        }
        if (!unmapped.empty())
            throw Error(ErrorKind::Key, path + ": unexpected VAE keys " + joinFirst(unmapped));
        ck.vae = inferVaeConfig(weightsOf(ck).vae, path);
        ck.storedDtypes["vae"] = dtypeSummary(dtypes["vae"]);
        report(opt, "vae", 1.0);
    }
    if (needText) {
        report(opt, "text_encoder", 0.0);
        if (sd2) {
            weightsOf(ck).textEncoder = convertOpenClip(ldmText, ck.ignoredKeys, path);
        } else {
            weightsOf(ck).textEncoder = ldmText;
            normalizeTextKeys(weightsOf(ck).textEncoder, ck.ignoredKeys, sd1P);
        }
        ck.textEncoder = inferTextConfig(weightsOf(ck).textEncoder, ck.variant, heads.text, path);
        ck.storedDtypes["text_encoder"] = dtypeSummary(dtypes["text_encoder"]);
        report(opt, "text_encoder", 1.0);
    }
    // SD 1.x is always epsilon; SD 2.x single files may be either, so the UNet has to be probed later.
    ck.scheduler = SchedulerConfig{};
    ck.predictionTypeKnown = !sd2;
    ck.files["checkpoint"] = {path};
}

} // namespace

Checkpoint readCheckpoint(const std::string& path, const CheckpointOptions& options)
{
    Checkpoint ck;
    ck.path = path;
    ck.weights = std::make_shared<CheckpointWeights>();
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        throw Error(ErrorKind::Io, path + ": no such file or folder");
    try {
        if (fs::is_directory(status)) {
            ck.layout = CheckpointLayout::DiffusersFolder;
            readDiffusersFolder(fs::path(path), options, ck);
        } else {
            ck.layout = CheckpointLayout::SingleFile;
            readSingleFile(path, options, ck);
        }
    } catch (const Error&) {
        throw;
    } catch (const c10::Error& e) {
        throw Error(ErrorKind::Format, path + ": " + e.what_without_backtrace());
    } catch (const std::bad_alloc&) {
        throw Error(ErrorKind::OutOfMemory, path + ": out of memory while reading");
    }
    if (options.predictionType) {
        ck.scheduler.predictionType = *options.predictionType;
        ck.predictionTypeKnown = true;
    }
    return ck;
}

} // namespace invseg
