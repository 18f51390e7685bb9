// UNet2DConditionModel (diffusers models/unets/unet_2d_condition.py) for the SD 1.x/2.x topology.
#include "invseg/nn/unet.h"

#include "invseg/error.h"
#include "io/shape_string.h"
#include "nn/forward_context.h"
#include "nn/timestep_embedding.h"
#include "nn/unet_down_block.h"
#include "nn/unet_mid_block.h"
#include "nn/unet_up_block.h"

#include <torch/torch.h>

#include <algorithm>

namespace invseg::nn {
namespace {

void validateConfig(const UNetConfig& c)
{
    const size_t levels = c.blockOutChannels.size();
    auto fail = [](const std::string& msg) { throw Error(ErrorKind::InvalidInput, "UNet config: " + msg); };
    if (levels == 0)
        fail("block_out_channels is empty");
    if (c.numHeads.size() != levels)
        fail("numHeads has " + std::to_string(c.numHeads.size()) + " entries for " + std::to_string(levels) +
             " levels");
    if (c.crossAttnDown.size() != levels)
        fail("crossAttnDown has " + std::to_string(c.crossAttnDown.size()) + " entries for " + std::to_string(levels) +
             " levels");
    if (c.layersPerBlock < 1 || c.inChannels < 1 || c.outChannels < 1 || c.crossAttentionDim < 1)
        fail("non-positive size");
    if (c.normNumGroups < 1)
        fail("norm_num_groups must be positive");
    for (size_t i = 0; i < levels; ++i) {
        const int64_t ch = c.blockOutChannels[i];
        if (ch < 1 || ch % c.normNumGroups != 0)
            fail("block_out_channels[" + std::to_string(i) + "] = " + std::to_string(ch) +
                 " is not a positive multiple of norm_num_groups " + std::to_string(c.normNumGroups));
        if (c.numHeads[i] < 1 || ch % c.numHeads[i] != 0)
            fail("block_out_channels[" + std::to_string(i) + "] = " + std::to_string(ch) + " is not divisible by " +
                 std::to_string(c.numHeads[i]) + " heads");
    }
}

} // namespace

UNet2DConditionModelImpl::UNet2DConditionModelImpl(const UNetConfig& config) : m_config(config)
{
    validateConfig(config);
    using namespace torch::nn;
    const auto& ch = config.blockOutChannels;
    const int levels = static_cast<int>(ch.size());
    const int64_t tembDim = config.timeEmbedDim();

    UNetBlockOptions base;
    base.tembChannels = tembDim;
    base.crossAttentionDim = config.crossAttentionDim;
    base.groups = config.normNumGroups;
    base.eps = config.normEps;
    base.useLinearProjection = config.useLinearProjection;
    base.upcastAttention = config.upcastAttention;

    m_convIn = register_module("conv_in", Conv2d(Conv2dOptions(config.inChannels, ch[0], 3).padding(1)));
    m_timeEmbedding = register_module("time_embedding", std::make_shared<TimestepEmbeddingImpl>(ch[0], tembDim));

    auto addNames = [this](const std::string& attnPrefix, int level, int64_t heads) {
        for (const auto kind : {AttnKind::Self, AttnKind::Cross}) {
            AttnLayerInfo info;
            info.name = attnPrefix + ".transformer_blocks.0." + (kind == AttnKind::Self ? "attn1" : "attn2");
            info.kind = kind;
            info.heads = heads;
            info.level = level;
            m_attentionNames.push_back(info.name);
            m_attentionLayers.push_back(info);
        }
    };

    auto downList = register_module("down_blocks", ModuleList());
    int64_t outCh = ch[0];
    for (int i = 0; i < levels; ++i) {
        const int64_t inCh = outCh;
        outCh = ch[i];
        UNetBlockOptions o = base;
        o.layers = config.layersPerBlock;
        o.hasAttention = config.crossAttnDown[i];
        o.heads = config.numHeads[i];
        const std::string name = "down_blocks." + std::to_string(i);
        auto block = std::make_shared<UNetDownBlockImpl>(inCh, outCh, i < levels - 1, o, name, i);
        downList->push_back(block);
        m_downBlocks.push_back(block);
        if (o.hasAttention)
            for (int64_t j = 0; j < o.layers; ++j)
                addNames(name + ".attentions." + std::to_string(j), i, o.heads);
    }

    {
        UNetBlockOptions o = base;
        o.heads = config.numHeads.back();
        m_midBlock = register_module("mid_block",
                                     std::make_shared<UNetMidBlockImpl>(ch.back(), o, "mid_block", levels - 1));
        addNames("mid_block.attentions.0", levels - 1, o.heads);
    }

    auto upList = register_module("up_blocks", ModuleList());
    int64_t prevOut = ch.back();
    for (int i = 0; i < levels; ++i) {
        const int r = levels - 1 - i; // the down level this up block mirrors
        const int64_t out = ch[r];
        const int64_t in = ch[std::max(r - 1, 0)];
        UNetBlockOptions o = base;
        o.layers = config.layersPerBlock + 1;
        o.hasAttention = config.crossAttnDown[r];
        o.heads = config.numHeads[r];
        const std::string name = "up_blocks." + std::to_string(i);
        auto block = std::make_shared<UNetUpBlockImpl>(in, prevOut, out, i < levels - 1, o, name, r);
        upList->push_back(block);
        m_upBlocks.push_back(block);
        if (o.hasAttention)
            for (int64_t j = 0; j < o.layers; ++j)
                addNames(name + ".attentions." + std::to_string(j), r, o.heads);
        prevOut = out;
    }

    m_convNormOut = register_module("conv_norm_out",
                                    GroupNorm(GroupNormOptions(config.normNumGroups, ch[0]).eps(config.normEps)));
    m_convOut = register_module("conv_out", Conv2d(Conv2dOptions(ch[0], config.outChannels, 3).padding(1)));
}

torch::Tensor UNet2DConditionModelImpl::forward(const torch::Tensor& sample, const torch::Tensor& timesteps,
                                                const torch::Tensor& encoderHiddenStates, AttentionCapture* capture)
{
    if (!sample.defined() || sample.dim() != 4 || sample.size(1) != m_config.inChannels)
        throw Error(ErrorKind::Shape, "UNet sample must be [B, " + std::to_string(m_config.inChannels) +
                                          ", h, w], got " + (sample.defined() ? shapeString(sample) : "undefined"));
    const int64_t batch = sample.size(0);
    if (!encoderHiddenStates.defined() || encoderHiddenStates.dim() != 3 ||
        encoderHiddenStates.size(2) != m_config.crossAttentionDim ||
        (encoderHiddenStates.size(0) != batch && encoderHiddenStates.size(0) != 1))
        throw Error(ErrorKind::Shape,
                    "UNet encoder hidden states must be [" + std::to_string(batch) + ", L, " +
                        std::to_string(m_config.crossAttentionDim) + "], got " +
                        (encoderHiddenStates.defined() ? shapeString(encoderHiddenStates) : "undefined"));
    if (!timesteps.defined() || timesteps.dim() > 1 || (timesteps.numel() != 1 && timesteps.numel() != batch))
        throw Error(ErrorKind::Shape, "UNet timesteps must be a scalar or [" + std::to_string(batch) + "], got " +
                                          (timesteps.defined() ? shapeString(timesteps) : "undefined"));
    if (capture) {
        capture->maps.clear();
        capture->headMaps.clear();
        capture->layers.clear();
        if (!capture->stopAfter.empty() &&
            std::find(m_attentionNames.begin(), m_attentionNames.end(), capture->stopAfter) == m_attentionNames.end())
            throw Error(ErrorKind::InvalidInput,
                        "stopAfter names no attention layer of the UNet: " + capture->stopAfter);
    }
    detail::ForwardContext ctx;
    ctx.capture = capture;
    ctx.checkCancel();

    const auto dtype = m_convIn->weight.scalar_type();
    // Channels-last weights (ModelOptions::channelsLast) get channels-last activations from the first layer on.
    const auto x0 = sample.to(dtype).contiguous(m_convIn->weight.suggest_memory_format());
    auto context = encoderHiddenStates.to(dtype);
    if (context.size(0) != batch)
        context = context.expand({batch, -1, -1});

    // Time embedding: the sinusoid in float32, then the MLP in the model's dtype.
    auto t = timesteps.reshape({-1}).to(sample.device());
    if (t.numel() != batch)
        t = t.expand({batch});
    const auto temb = m_timeEmbedding->forward(
        timestepSinusoid(t, m_config.blockOutChannels[0], m_config.flipSinToCos, m_config.freqShift).to(dtype));

    try {
        auto h = m_convIn(x0);
        std::vector<torch::Tensor> skips;
        skips.reserve(m_downBlocks.size() * static_cast<size_t>(m_config.layersPerBlock + 1) + 1);
        skips.push_back(h);
        for (auto& block : m_downBlocks)
            h = block->forward(h, temb, context, skips, &ctx);
        ctx.checkCancel();
        h = m_midBlock->forward(h, temb, context, &ctx);
        for (auto& block : m_upBlocks) {
            ctx.checkCancel();
            h = block->forward(h, temb, context, skips, &ctx);
        }
        ctx.checkCancel();
        return m_convOut(torch::silu(m_convNormOut(h)));
    } catch (const detail::StopForward&) {
        return {};
    }
}

} // namespace invseg::nn
