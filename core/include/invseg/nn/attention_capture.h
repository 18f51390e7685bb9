// Per-forward options and results of the UNet's attention-probability capture (InvSeg step 5).
#pragma once

#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace invseg::nn {

enum class AttnKind { Self, Cross };

/// One attention layer as met during a UNet forward.
struct AttnLayerInfo {
    std::string name; ///< diffusers module path, e.g. "down_blocks.0.attentions.0.transformer_blocks.0.attn2"
    AttnKind kind = AttnKind::Self;
    int64_t heads = 0;
    int64_t height = 0; ///< query grid: the latent of this level, queries are its pixels in row-major order
    int64_t width = 0;
    int64_t keys = 0; ///< height*width for self-attention, the text length for cross-attention
    int level = 0;    ///< UNet resolution level: 0 = full latent resolution, 1 = half, ...
    int64_t queries() const { return height * width; }
};

/// What one UNet forward should record, and what it recorded. Not shared between concurrent forwards: each call
/// of UNet2DConditionModel::forward takes its own capture (the module itself holds no per-call state).
///
/// The forward clears `maps`, `headMaps` and `layers` when it starts.
struct AttentionCapture {
    /// Which layers materialise probabilities. Empty = none (every layer then takes the fused/fast path).
    std::function<bool(const AttnLayerInfo&)> select;
    /// Also keep the per-head probabilities [B, heads, Q, K] of the selected layers.
    bool perHead = false;
    /// If set, the UNet forward returns right after this layer has run, with an undefined output tensor. Must name
    /// an attention layer of the model (UNet2DConditionModelImpl::attentionLayerNames()), else Error(InvalidInput).
    std::string stopAfter;
    /// Checked between UNet blocks (and between the transformer blocks inside them); when set, the forward throws
    /// invseg::Error(ErrorKind::Cancelled).
    const std::atomic<bool>* cancel = nullptr;

    // ---- filled by the forward ----
    /// [B, Q, K] float32: mean over heads of softmax(QKᵀ/√d), rows sum to 1. Part of the autograd graph when grad
    /// mode is on, so a loss on them backpropagates to the encoder hidden states.
    std::map<std::string, torch::Tensor> maps;
    /// [B, heads, Q, K] float32, only when perHead.
    std::map<std::string, torch::Tensor> headMaps;
    /// Every attention layer met, in call order (selected or not).
    std::vector<AttnLayerInfo> layers;

    /// Selects the layers whose names are given.
    static std::function<bool(const AttnLayerInfo&)> selectByName(std::set<std::string> names)
    {
        return [names = std::move(names)](const AttnLayerInfo& info) { return names.count(info.name) > 0; };
    }
    /// Selects every layer of one kind, optionally only those of one resolution level (0 = full latent resolution).
    static std::function<bool(const AttnLayerInfo&)> selectKind(AttnKind kind, std::optional<int> level = std::nullopt)
    {
        return
            [kind, level](const AttnLayerInfo& info) { return info.kind == kind && (!level || info.level == *level); };
    }
    /// Selects every attention layer.
    static std::function<bool(const AttnLayerInfo&)> selectAll()
    {
        return [](const AttnLayerInfo&) { return true; };
    }
};

} // namespace invseg::nn
