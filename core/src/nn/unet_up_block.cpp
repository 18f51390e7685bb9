// diffusers CrossAttnUpBlock2D and UpBlock2D (models/unets/unet_2d_blocks.py).
#include "nn/unet_up_block.h"

#include "invseg/error.h"
#include "nn/forward_context.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/torch.h>

namespace invseg::nn {

UNetUpBlockImpl::UNetUpBlockImpl(int64_t inChannels, int64_t prevOutputChannels, int64_t outChannels, bool addUpsample,
                                 const UNetBlockOptions& options, const std::string& name, int level)
    : m_layers(
          *this,
          [&](int64_t j) {
              const int64_t skipChannels = j == options.layers - 1 ? inChannels : outChannels;
              return (j == 0 ? prevOutputChannels : outChannels) + skipChannels;
          },
          outChannels, options, name, level)
{
    if (addUpsample) {
        m_upsampler = Upsample2D(outChannels);
        register_module("upsamplers", torch::nn::ModuleList())->push_back(m_upsampler);
    }
}

torch::Tensor UNetUpBlockImpl::forward(torch::Tensor x, const torch::Tensor& temb, const torch::Tensor& context,
                                       std::vector<torch::Tensor>& skips, detail::ForwardContext* ctx)
{
    for (size_t j = 0; j < m_layers.resnets.size(); ++j) {
        if (ctx)
            ctx->checkCancel();
        if (skips.empty())
            throw Error(ErrorKind::Internal, "UNet up block ran out of skip connections");
        const auto skip = std::move(skips.back());
        skips.pop_back();
        x = m_layers.resnets[j](torch::cat({x, skip}, 1), temb);
        if (!m_layers.attentions.empty())
            x = m_layers.attentions[j](x, context, ctx);
    }
    if (m_upsampler) {
        // The next block concatenates the skip at the back of the stack: upsample to exactly its size.
        std::vector<int64_t> size;
        if (!skips.empty())
            size = {skips.back().size(2), skips.back().size(3)};
        x = m_upsampler(x, size);
    }
    return x;
}

} // namespace invseg::nn
