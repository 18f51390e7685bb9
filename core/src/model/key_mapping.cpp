// Original (LDM) checkpoint names → diffusers names for the UNet and the VAE.
#include "invseg/checkpoint.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <regex>
#include <utility>

namespace invseg {
namespace {

bool startsWith(const std::string& s, const std::string& p)
{
    return s.compare(0, p.size(), p) == 0;
}

/// Splits "a.b.c" at the first `n` dots: returns the first n components and the rest.
bool splitIndex(const std::string& s, size_t& pos, int& value)
{
    size_t end = s.find('.', pos);
    if (end == std::string::npos || end == pos)
        return false;
    for (size_t i = pos; i < end; ++i)
        if (s[i] < '0' || s[i] > '9')
            return false;
    if (end - pos > 6)
        return false;
    value = std::atoi(s.substr(pos, end - pos).c_str());
    pos = end + 1;
    return true;
}

std::string mapResnetInner(const std::string& rest)
{
    static const std::pair<const char*, const char*> kMap[] = {
        {"in_layers.0.", "norm1."},  {"in_layers.2.", "conv1."},  {"emb_layers.1.", "time_emb_proj."},
        {"out_layers.0.", "norm2."}, {"out_layers.3.", "conv2."}, {"skip_connection.", "conv_shortcut."},
    };
    for (const auto& [from, to] : kMap)
        if (startsWith(rest, from))
            return std::string(to) + rest.substr(std::strlen(from));
    return {};
}

} // namespace

std::string mapLdmUNetKey(const std::string& key, int levels, int lpb, const std::vector<bool>& upHasAttention)
{
    static const std::pair<const char*, const char*> kTop[] = {
        {"time_embed.0.", "time_embedding.linear_1."},
        {"time_embed.2.", "time_embedding.linear_2."},
        {"input_blocks.0.0.", "conv_in."},
        {"out.0.", "conv_norm_out."},
        {"out.2.", "conv_out."},
    };
    for (const auto& [from, to] : kTop)
        if (startsWith(key, from))
            return std::string(to) + key.substr(std::strlen(from));

    size_t pos = 0;
    int block = 0, layer = 0;
    if (startsWith(key, "input_blocks.")) {
        pos = std::strlen("input_blocks.");
        if (!splitIndex(key, pos, block) || !splitIndex(key, pos, layer) || block == 0)
            return {};
        const std::string rest = key.substr(pos);
        const int level = (block - 1) / (lpb + 1);
        const int j = (block - 1) % (lpb + 1);
        if (level >= levels)
            return {};
        const std::string prefix = "down_blocks." + std::to_string(level) + ".";
        if (j == lpb) { // the downsampler closes the level
            if (layer != 0 || !startsWith(rest, "op."))
                return {};
            return prefix + "downsamplers.0.conv." + rest.substr(3);
        }
        if (layer == 0) {
            const std::string inner = mapResnetInner(rest);
            return inner.empty() ? std::string() : prefix + "resnets." + std::to_string(j) + "." + inner;
        }
        if (layer == 1)
            return prefix + "attentions." + std::to_string(j) + "." + rest;
        return {};
    }
    if (startsWith(key, "middle_block.")) {
        pos = std::strlen("middle_block.");
        if (!splitIndex(key, pos, layer))
            return {};
        const std::string rest = key.substr(pos);
        if (layer == 0 || layer == 2) {
            const std::string inner = mapResnetInner(rest);
            return inner.empty() ? std::string() : "mid_block.resnets." + std::to_string(layer / 2) + "." + inner;
        }
        if (layer == 1)
            return "mid_block.attentions.0." + rest;
        return {};
    }
    if (startsWith(key, "output_blocks.")) {
        pos = std::strlen("output_blocks.");
        if (!splitIndex(key, pos, block) || !splitIndex(key, pos, layer))
            return {};
        const std::string rest = key.substr(pos);
        const int level = block / (lpb + 1);
        const int j = block % (lpb + 1);
        if (level >= levels)
            return {};
        const std::string prefix = "up_blocks." + std::to_string(level) + ".";
        const bool attn = level < static_cast<int>(upHasAttention.size()) && upHasAttention[level];
        if (layer == 0) {
            const std::string inner = mapResnetInner(rest);
            return inner.empty() ? std::string() : prefix + "resnets." + std::to_string(j) + "." + inner;
        }
        if (layer == 1 && attn)
            return prefix + "attentions." + std::to_string(j) + "." + rest;
        if (j == lpb && layer == (attn ? 2 : 1) && startsWith(rest, "conv."))
            return prefix + "upsamplers.0." + rest;
        return {};
    }
    return {};
}

std::string mapLdmVaeKey(const std::string& key, int levels)
{
    static const std::regex kDown(R"(^encoder\.down\.(\d+)\.block\.(\d+)\.(.*)$)");
    static const std::regex kDownSample(R"(^encoder\.down\.(\d+)\.downsample\.conv\.(.*)$)");
    static const std::regex kUp(R"(^decoder\.up\.(\d+)\.block\.(\d+)\.(.*)$)");
    static const std::regex kUpSample(R"(^decoder\.up\.(\d+)\.upsample\.conv\.(.*)$)");
    static const std::regex kMidBlock(R"(^(encoder|decoder)\.mid\.block_(\d)\.(.*)$)");
    static const std::regex kMidAttn(R"(^(encoder|decoder)\.mid\.attn_1\.(norm|q|k|v|proj_out)\.(.*)$)");
    static const std::regex kNormOut(R"(^(encoder|decoder)\.norm_out\.(.*)$)");
    auto resnetInner = [](std::string rest) {
        if (startsWith(rest, "nin_shortcut."))
            return "conv_shortcut." + rest.substr(std::strlen("nin_shortcut."));
        return rest;
    };
    std::smatch m;
    if (std::regex_match(key, m, kDown))
        return "encoder.down_blocks." + m[1].str() + ".resnets." + m[2].str() + "." + resnetInner(m[3].str());
    if (std::regex_match(key, m, kDownSample))
        return "encoder.down_blocks." + m[1].str() + ".downsamplers.0.conv." + m[2].str();
    if (std::regex_match(key, m, kUp)) {
        const int i = levels - 1 - std::stoi(m[1].str());
        if (i < 0)
            return {};
        return "decoder.up_blocks." + std::to_string(i) + ".resnets." + m[2].str() + "." + resnetInner(m[3].str());
    }
    if (std::regex_match(key, m, kUpSample)) {
        const int i = levels - 1 - std::stoi(m[1].str());
        if (i < 0)
            return {};
        return "decoder.up_blocks." + std::to_string(i) + ".upsamplers.0.conv." + m[2].str();
    }
    if (std::regex_match(key, m, kMidBlock)) {
        const int b = std::stoi(m[2].str());
        if (b != 1 && b != 2)
            return {};
        return m[1].str() + ".mid_block.resnets." + std::to_string(b - 1) + "." + resnetInner(m[3].str());
    }
    if (std::regex_match(key, m, kMidAttn)) {
        static const std::map<std::string, std::string> kNames = {
            {"norm", "group_norm"}, {"q", "to_q"}, {"k", "to_k"}, {"v", "to_v"}, {"proj_out", "to_out.0"}};
        return m[1].str() + ".mid_block.attentions.0." + kNames.at(m[2].str()) + "." + m[3].str();
    }
    if (std::regex_match(key, m, kNormOut))
        return m[1].str() + ".conv_norm_out." + m[2].str();
    for (const char* same : {"encoder.conv_in.", "encoder.conv_out.", "decoder.conv_in.", "decoder.conv_out.",
                             "quant_conv.", "post_quant_conv."})
        if (startsWith(key, same))
            return key;
    return {};
}

} // namespace invseg
