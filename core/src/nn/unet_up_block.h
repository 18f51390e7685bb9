// diffusers CrossAttnUpBlock2D / UpBlock2D: (concat skip → resnet → transformer) × n, then upsampler.
#pragma once

#include "nn/unet_block_layers.h"
#include "nn/upsample_2d.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

namespace invseg::nn {

/// Children: resnets (ModuleList), attentions (ModuleList, only with attention), upsamplers (ModuleList holding one
/// Upsample2D, only when addUpsample).
class UNetUpBlockImpl : public torch::nn::Module {
public:
    /// inChannels: the channels of the down level below (the last skip's); prevOutputChannels: the channels coming
    /// up from the previous up block; name: "up_blocks.i"; level: levels − 1 − i.
    UNetUpBlockImpl(int64_t inChannels, int64_t prevOutputChannels, int64_t outChannels, bool addUpsample,
                    const UNetBlockOptions& options, const std::string& name, int level);

    /// Pops one skip per resnet from the back of `skips`. upsampleSize: the spatial size to upsample to (the skip the
    /// next block starts with); ignored without an upsampler.
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& temb, const torch::Tensor& context,
                          std::vector<torch::Tensor>& skips, detail::ForwardContext* ctx);

    size_t numResnets() const { return m_layers.resnets.size(); }

private:
    UNetBlockLayers m_layers;
    Upsample2D m_upsampler{nullptr};
};
TORCH_MODULE(UNetUpBlock);

} // namespace invseg::nn
