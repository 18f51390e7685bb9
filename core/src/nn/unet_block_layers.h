// The resnet/transformer pairs of a UNet down or up block (diffusers' CrossAttn{Down,Up}Block2D and {Down,Up}Block2D).
#pragma once

#include "nn/resnet_block_2d.h"
#include "nn/transformer_2d.h"
#include "nn/unet_blocks_options.h"

#include <torch/nn/module.h>

#include <functional>
#include <string>
#include <vector>

namespace invseg::nn {

/// options.layers resnets, each followed by a transformer when options.hasAttention, registered on their block as
/// "resnets" and "attentions" (ModuleLists, diffusers' names).
struct UNetBlockLayers {
    std::vector<ResnetBlock2D> resnets;
    std::vector<Transformer2DModel> attentions; ///< empty without attention

    /// Builds the layers of block `name` ("down_blocks.i" / "up_blocks.i", at UNet level `level`): resnet j maps
    /// resnetInChannels(j) channels to outChannels.
    UNetBlockLayers(torch::nn::Module& block, const std::function<int64_t(int64_t)>& resnetInChannels,
                    int64_t outChannels, const UNetBlockOptions& options, const std::string& name, int level);
};

} // namespace invseg::nn
