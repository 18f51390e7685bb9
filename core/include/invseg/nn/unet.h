// The Stable Diffusion 1.x/2.x denoiser: diffusers UNet2DConditionModel in LibTorch, with attention capture.
#pragma once

#include "invseg/model_config.h"
#include "invseg/nn/attention_capture.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <string>
#include <vector>

namespace invseg::nn {

class TimestepEmbeddingImpl;
class UNetDownBlockImpl;
class UNetMidBlockImpl;
class UNetUpBlockImpl;

/// Module tree named exactly as diffusers names it, so named_parameters() is the diffusers safetensors key list:
/// conv_in, time_embedding.linear_{1,2}, down_blocks.i.{resnets,attentions,downsamplers}, mid_block, up_blocks.i.
/// {resnets,attentions,upsamplers}, conv_norm_out, conv_out.
///
/// Parameters start random (LibTorch's default init); load weights with NoGradGuard (never under InferenceMode:
/// InvSeg backpropagates through the UNet). The module keeps no per-call state: concurrent forwards on one module
/// are safe as long as each has its own AttentionCapture.
class UNet2DConditionModelImpl : public torch::nn::Module {
public:
    /// Throws Error(InvalidInput) for a config this topology cannot build (level count mismatches, channels not
    /// divisible by the groups or the heads, ...).
    explicit UNet2DConditionModelImpl(const UNetConfig& config);

    /// sample [B, inChannels, h, w] (any h, w ≥ 1; multiples of 2^(levels−1) reproduce diffusers without its
    /// upsample-size path), timesteps 0-d, [1] or [B] (any numeric dtype), encoderHiddenStates [B or 1, L,
    /// crossAttentionDim]. Inputs are cast to the parameters' dtype. Returns [B, outChannels, h, w], or an undefined
    /// tensor when capture->stopAfter stopped the forward early.
    /// Throws Error(Shape) for mis-shaped inputs, Error(InvalidInput) for an unknown stopAfter layer,
    /// Error(Cancelled) when capture->cancel is set.
    torch::Tensor forward(const torch::Tensor& sample, const torch::Tensor& timesteps,
                          const torch::Tensor& encoderHiddenStates, AttentionCapture* capture = nullptr);

    const UNetConfig& config() const { return m_config; }
    /// Names of all attention layers (attn1 and attn2 of every transformer block) in forward call order.
    const std::vector<std::string>& attentionLayerNames() const { return m_attentionNames; }
    /// The same layers with what the topology fixes (name, kind, heads, level); height, width and keys depend on the
    /// input and are 0 here (a forward's AttentionCapture::layers has them). Lets a caller choose selections and
    /// stopAfter before its first forward.
    const std::vector<AttnLayerInfo>& attentionLayers() const { return m_attentionLayers; }

private:
    UNetConfig m_config;
    std::vector<std::string> m_attentionNames;
    std::vector<AttnLayerInfo> m_attentionLayers;
    torch::nn::Conv2d m_convIn{nullptr};
    std::shared_ptr<TimestepEmbeddingImpl> m_timeEmbedding;
    std::vector<std::shared_ptr<UNetDownBlockImpl>> m_downBlocks;
    std::shared_ptr<UNetMidBlockImpl> m_midBlock;
    std::vector<std::shared_ptr<UNetUpBlockImpl>> m_upBlocks;
    torch::nn::GroupNorm m_convNormOut{nullptr};
    torch::nn::Conv2d m_convOut{nullptr};
};
TORCH_MODULE(UNet2DConditionModel);

} // namespace invseg::nn
