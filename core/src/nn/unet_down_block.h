// diffusers CrossAttnDownBlock2D / DownBlock2D: resnets (each followed by a transformer when attended), downsampler.
#pragma once

#include "nn/downsample_2d.h"
#include "nn/unet_block_layers.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

namespace invseg::nn {

/// Children: resnets (ModuleList), attentions (ModuleList, only with attention), downsamplers (ModuleList holding
/// one Downsample2D, only when addDownsample).
class UNetDownBlockImpl : public torch::nn::Module {
public:
    /// name: "down_blocks.i"; level: i.
    UNetDownBlockImpl(int64_t inChannels, int64_t outChannels, bool addDownsample, const UNetBlockOptions& options,
                      const std::string& name, int level);

    /// Returns the block's output and appends every state the up path consumes (after each resnet/attention pair
    /// and after the downsampler) to `skips`.
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& temb, const torch::Tensor& context,
                          std::vector<torch::Tensor>& skips, detail::ForwardContext* ctx);

private:
    UNetBlockLayers m_layers;
    Downsample2D m_downsampler{nullptr};
};
TORCH_MODULE(UNetDownBlock);

} // namespace invseg::nn
