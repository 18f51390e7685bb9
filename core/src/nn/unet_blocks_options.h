// Construction parameters shared by the UNet's down, mid and up blocks.
#pragma once

#include "nn/transformer_2d.h"

#include <cstdint>

namespace invseg::nn {

struct UNetBlockOptions {
    int64_t tembChannels = 0;
    int64_t layers = 2;       ///< resnets per block (up blocks: layersPerBlock + 1)
    bool hasAttention = true; ///< CrossAttn*Block2D vs plain Down/UpBlock2D
    int64_t heads = 8;
    int64_t crossAttentionDim = 768;
    int64_t groups = 32;
    double eps = 1e-5;
    bool useLinearProjection = false;
    bool upcastAttention = false;

    /// The options of a block's transformer (attentions.j) on `channels` channels.
    Transformer2DOptions transformer(int64_t channels) const
    {
        Transformer2DOptions t;
        t.channels = channels;
        t.heads = heads;
        t.crossAttentionDim = crossAttentionDim;
        t.normGroups = groups;
        t.useLinearProjection = useLinearProjection;
        t.upcastAttention = upcastAttention;
        return t;
    }
};

} // namespace invseg::nn
