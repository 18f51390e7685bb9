// diffusers Transformer2DModel (continuous input): GroupNorm → proj_in → transformer blocks → proj_out → + residual.
#pragma once

#include "nn/basic_transformer_block.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

namespace invseg::nn {

struct Transformer2DOptions {
    int64_t channels = 0; ///< in = inner = heads·dimHead
    int64_t heads = 1;
    int64_t crossAttentionDim = 0;
    int64_t normGroups = 32;
    bool useLinearProjection = false;
    bool upcastAttention = false;
    int64_t numLayers = 1;
};

/// Children: norm (GroupNorm, eps 1e-6), proj_in, transformer_blocks (ModuleList), proj_out. proj_in/out are 1×1
/// Conv2d (SD 1.x) or Linear (useLinearProjection, SD 2.x).
class Transformer2DModelImpl : public torch::nn::Module {
public:
    /// name: this module's diffusers path ("down_blocks.0.attentions.1"); level: the UNet resolution level.
    Transformer2DModelImpl(const Transformer2DOptions& options, const std::string& name, int level);

    /// x [B, C, H, W]; context [B, L, crossAttentionDim]. Returns [B, C, H, W].
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context, detail::ForwardContext* ctx);

private:
    Transformer2DOptions m_options;
    torch::nn::GroupNorm m_norm{nullptr};
    torch::nn::Conv2d m_projInConv{nullptr};
    torch::nn::Linear m_projInLinear{nullptr};
    torch::nn::ModuleList m_blockList{nullptr};
    std::vector<BasicTransformerBlock> m_blocks;
    torch::nn::Conv2d m_projOutConv{nullptr};
    torch::nn::Linear m_projOutLinear{nullptr};
};
TORCH_MODULE(Transformer2DModel);

} // namespace invseg::nn
