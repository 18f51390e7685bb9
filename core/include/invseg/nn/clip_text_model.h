// The CLIP text encoder of Stable Diffusion 1.x/2.x (transformers CLIPTextModel) in LibTorch.
#pragma once

#include "invseg/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <memory>

namespace invseg::nn {

class ClipTextEmbeddingsImpl;
class ClipEncoderImpl;
class ClipTextTransformerImpl;

/// Module tree named exactly as transformers names it, so named_parameters() is the key list of a diffusers
/// text_encoder/model.safetensors:
///   text_model.embeddings.{token_embedding,position_embedding}.weight
///   text_model.encoder.layers.{l}.self_attn.{q_proj,k_proj,v_proj,out_proj}.{weight,bias}
///   text_model.encoder.layers.{l}.{layer_norm1,layer_norm2}.{weight,bias}
///   text_model.encoder.layers.{l}.mlp.{fc1,fc2}.{weight,bias}
///   text_model.final_layer_norm.{weight,bias}
/// with l in [0, config.numLayers) (no position_ids buffer, no projection). SD2's "penultimate layer" is expressed by
/// numLayers = 23: only the layers that run exist.
///
/// The forward is transformers' CLIPTextTransformer up to last_hidden_state: token + learned position embeddings,
/// numLayers pre-LN blocks (x += out_proj(MHA(layer_norm1(x))) with a causal mask only, no padding mask, scale
/// head_dim^-0.5; x += fc2(act(fc1(layer_norm2(x)))), act quick_gelu or exact gelu), then final_layer_norm. The pooled
/// output is not computed (Stable Diffusion does not use it).
///
/// Parameters start random (LibTorch's default init); load weights under NoGradGuard, never under InferenceMode
/// (InvSeg backpropagates through this model to the token embeddings). Works on any device and in float32, bfloat16
/// or float16 (move the module with ->to()); the attention softmax is computed in float32. The module keeps no
/// per-call state, so concurrent forwards are safe.
class ClipTextModelImpl : public torch::nn::Module {
public:
    /// Throws Error(InvalidInput) for a config that cannot be built (non-positive sizes, hiddenSize not divisible
    /// by numHeads).
    explicit ClipTextModelImpl(const TextEncoderConfig& config);

    /// inputIds [B, L] of any integer dtype, L <= maxPositions, on the module's device → last hidden state
    /// [B, L, hiddenSize] in the parameters' dtype. Throws Error(Shape) for a wrong shape or dtype and
    /// Error(InvalidInput) for an id outside [0, vocabSize).
    torch::Tensor forward(const torch::Tensor& inputIds);

    /// The same from token embeddings tokenEmbeds [B, L, hiddenSize] (what token_embedding would give), so gradients
    /// can be taken with respect to them; the position embeddings are added here. The input is cast to the
    /// parameters' dtype. Throws Error(Shape).
    torch::Tensor forwardEmbeddings(const torch::Tensor& tokenEmbeds);

    /// token_embedding(inputIds): [B, L] ids → [B, L, hiddenSize], with the same checks as forward().
    torch::Tensor embedTokens(const torch::Tensor& inputIds);

    const TextEncoderConfig& config() const { return m_config; }

private:
    TextEncoderConfig m_config;
    std::shared_ptr<ClipTextTransformerImpl> m_textModel;
};
TORCH_MODULE(ClipTextModel);

} // namespace invseg::nn
