#include "nn/unet_block_layers.h"

#include <torch/nn/modules/container/modulelist.h>

namespace invseg::nn {

UNetBlockLayers::UNetBlockLayers(torch::nn::Module& block, const std::function<int64_t(int64_t)>& resnetInChannels,
                                 int64_t outChannels, const UNetBlockOptions& options, const std::string& name,
                                 int level)
{
    using torch::nn::ModuleList;
    auto resnetList = block.register_module("resnets", ModuleList());
    ModuleList attentionList{nullptr};
    if (options.hasAttention)
        attentionList = block.register_module("attentions", ModuleList());
    for (int64_t j = 0; j < options.layers; ++j) {
        ResnetBlock2D resnet(resnetInChannels(j), outChannels, options.tembChannels, options.groups, options.eps);
        resnetList->push_back(resnet);
        resnets.push_back(resnet);
        if (options.hasAttention) {
            Transformer2DModel attn(options.transformer(outChannels), name + ".attentions." + std::to_string(j), level);
            attentionList->push_back(attn);
            attentions.push_back(attn);
        }
    }
}

} // namespace invseg::nn
