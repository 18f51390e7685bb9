// CLIP text transformer (transformers models/clip/modeling_clip.py, eager attention path) for the SD text encoder.
#include "invseg/nn/clip_text_model.h"

#include "invseg/error.h"
#include "io/shape_string.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <string>

namespace invseg::nn {

// ---- Building blocks, each named as transformers names it --------------------------------------------------------

namespace {

class ClipAttentionImpl : public torch::nn::Module {
public:
    explicit ClipAttentionImpl(const TextEncoderConfig& c)
        : m_heads(c.numHeads), m_headDim(c.hiddenSize / c.numHeads),
          m_scale(1.0 / std::sqrt(static_cast<double>(c.hiddenSize / c.numHeads)))
    {
        using torch::nn::Linear;
        using torch::nn::LinearOptions;
        m_q = register_module("q_proj", Linear(LinearOptions(c.hiddenSize, c.hiddenSize).bias(true)));
        m_k = register_module("k_proj", Linear(LinearOptions(c.hiddenSize, c.hiddenSize).bias(true)));
        m_v = register_module("v_proj", Linear(LinearOptions(c.hiddenSize, c.hiddenSize).bias(true)));
        m_out = register_module("out_proj", Linear(LinearOptions(c.hiddenSize, c.hiddenSize).bias(true)));
    }

    /// x [B, L, D]; causalMask [L, L] float32 (0 on and below the diagonal, -inf above).
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& causalMask)
    {
        const int64_t b = x.size(0), l = x.size(1);
        const auto q = m_q(x).view({b, l, m_heads, m_headDim}).transpose(1, 2);
        const auto k = m_k(x).view({b, l, m_heads, m_headDim}).transpose(1, 2);
        const auto v = m_v(x).view({b, l, m_heads, m_headDim}).transpose(1, 2);
        // As transformers' eager path: scores in the model dtype, mask added and softmax taken in float32. With
        // 77 tokens the [B, h, 77, 77] scores are small, so no fused kernel is needed on any LibTorch version.
        const auto scores = torch::matmul(q, k.transpose(-1, -2)) * m_scale;
        const auto probs = torch::softmax(scores.to(torch::kFloat) + causalMask, -1).to(v.scalar_type());
        const auto out = torch::matmul(probs, v).transpose(1, 2).reshape({b, l, m_heads * m_headDim});
        return m_out(out);
    }

private:
    int64_t m_heads;
    int64_t m_headDim;
    double m_scale;
    torch::nn::Linear m_q{nullptr}, m_k{nullptr}, m_v{nullptr}, m_out{nullptr};
};
TORCH_MODULE(ClipAttention);

class ClipMlpImpl : public torch::nn::Module {
public:
    explicit ClipMlpImpl(const TextEncoderConfig& c) : m_activation(c.activation)
    {
        using torch::nn::Linear;
        using torch::nn::LinearOptions;
        m_fc1 = register_module("fc1", Linear(LinearOptions(c.hiddenSize, c.intermediateSize).bias(true)));
        m_fc2 = register_module("fc2", Linear(LinearOptions(c.intermediateSize, c.hiddenSize).bias(true)));
    }

    torch::Tensor forward(const torch::Tensor& x)
    {
        auto h = m_fc1(x);
        if (m_activation == Activation::QuickGelu)
            h = h * torch::sigmoid(1.702 * h); // OpenAI CLIP's quick_gelu
        else
            h = torch::gelu(h); // exact (erf) gelu, transformers' "gelu"
        return m_fc2(h);
    }

private:
    Activation m_activation;
    torch::nn::Linear m_fc1{nullptr}, m_fc2{nullptr};
};
TORCH_MODULE(ClipMlp);

class ClipEncoderLayerImpl : public torch::nn::Module {
public:
    explicit ClipEncoderLayerImpl(const TextEncoderConfig& c)
    {
        using torch::nn::LayerNorm;
        using torch::nn::LayerNormOptions;
        m_selfAttn = register_module("self_attn", ClipAttention(c));
        m_layerNorm1 = register_module("layer_norm1", LayerNorm(LayerNormOptions({c.hiddenSize}).eps(c.layerNormEps)));
        m_mlp = register_module("mlp", ClipMlp(c));
        m_layerNorm2 = register_module("layer_norm2", LayerNorm(LayerNormOptions({c.hiddenSize}).eps(c.layerNormEps)));
    }

    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& causalMask)
    {
        auto h = x + m_selfAttn(m_layerNorm1(x), causalMask);
        return h + m_mlp(m_layerNorm2(h));
    }

private:
    ClipAttention m_selfAttn{nullptr};
    torch::nn::LayerNorm m_layerNorm1{nullptr};
    ClipMlp m_mlp{nullptr};
    torch::nn::LayerNorm m_layerNorm2{nullptr};
};
TORCH_MODULE(ClipEncoderLayer);

} // namespace

class ClipTextEmbeddingsImpl : public torch::nn::Module {
public:
    explicit ClipTextEmbeddingsImpl(const TextEncoderConfig& c)
    {
        using torch::nn::Embedding;
        using torch::nn::EmbeddingOptions;
        m_token = register_module("token_embedding", Embedding(EmbeddingOptions(c.vocabSize, c.hiddenSize)));
        m_position = register_module("position_embedding", Embedding(EmbeddingOptions(c.maxPositions, c.hiddenSize)));
    }

    torch::Tensor tokens(const torch::Tensor& ids) { return m_token(ids); }

    /// tokenEmbeds [B, L, D] + position_embedding rows 0..L-1.
    torch::Tensor withPositions(const torch::Tensor& tokenEmbeds)
    {
        const auto& pos = m_position->weight;
        return tokenEmbeds.to(pos.scalar_type()) + pos.narrow(0, 0, tokenEmbeds.size(1)).unsqueeze(0);
    }

private:
    torch::nn::Embedding m_token{nullptr};
    torch::nn::Embedding m_position{nullptr};
};

class ClipEncoderImpl : public torch::nn::Module {
public:
    explicit ClipEncoderImpl(const TextEncoderConfig& c)
    {
        m_layers = register_module("layers", torch::nn::ModuleList());
        for (int64_t l = 0; l < c.numLayers; ++l) {
            m_layerList.push_back(ClipEncoderLayer(c));
            m_layers->push_back(m_layerList.back());
        }
    }

    torch::Tensor forward(torch::Tensor x, const torch::Tensor& causalMask)
    {
        for (auto& layer : m_layerList)
            x = layer(x, causalMask);
        return x;
    }

private:
    torch::nn::ModuleList m_layers{nullptr};
    std::vector<ClipEncoderLayer> m_layerList; // typed handles on the ModuleList's children
};

class ClipTextTransformerImpl : public torch::nn::Module {
public:
    explicit ClipTextTransformerImpl(const TextEncoderConfig& c)
    {
        m_embeddings = register_module("embeddings", std::make_shared<ClipTextEmbeddingsImpl>(c));
        m_encoder = register_module("encoder", std::make_shared<ClipEncoderImpl>(c));
        m_finalLayerNorm = register_module(
            "final_layer_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hiddenSize}).eps(c.layerNormEps)));
    }

    ClipTextEmbeddingsImpl& embeddings() { return *m_embeddings; }

    torch::Tensor forward(const torch::Tensor& hidden)
    {
        const int64_t l = hidden.size(1);
        // transformers' _create_4d_causal_attention_mask: -inf strictly above the diagonal.
        const auto mask =
            torch::full({l, l}, -std::numeric_limits<float>::infinity(), hidden.options().dtype(torch::kFloat)).triu(1);
        return m_finalLayerNorm(m_encoder->forward(hidden, mask));
    }

private:
    std::shared_ptr<ClipTextEmbeddingsImpl> m_embeddings;
    std::shared_ptr<ClipEncoderImpl> m_encoder;
    torch::nn::LayerNorm m_finalLayerNorm{nullptr};
};

// ---- ClipTextModel -------------------------------------------------------------------------------------------------

ClipTextModelImpl::ClipTextModelImpl(const TextEncoderConfig& config) : m_config(config)
{
    const auto& c = config;
    if (c.vocabSize <= 0 || c.hiddenSize <= 0 || c.intermediateSize <= 0 || c.numHeads <= 0 || c.numLayers < 0 ||
        c.maxPositions <= 0)
        throw Error(ErrorKind::InvalidInput,
                    "text encoder config has a non-positive size (vocab " + std::to_string(c.vocabSize) + ", hidden " +
                        std::to_string(c.hiddenSize) + ", intermediate " + std::to_string(c.intermediateSize) +
                        ", heads " + std::to_string(c.numHeads) + ", layers " + std::to_string(c.numLayers) +
                        ", positions " + std::to_string(c.maxPositions) + ")");
    if (c.hiddenSize % c.numHeads != 0)
        throw Error(ErrorKind::InvalidInput, "text encoder hidden size " + std::to_string(c.hiddenSize) +
                                                 " is not divisible by its " + std::to_string(c.numHeads) + " heads");
    m_textModel = register_module("text_model", std::make_shared<ClipTextTransformerImpl>(c));
}

torch::Tensor ClipTextModelImpl::embedTokens(const torch::Tensor& inputIds)
{
    if (!inputIds.defined() || inputIds.dim() != 2 || inputIds.size(1) < 1 ||
        !(torch::isIntegralType(inputIds.scalar_type(), /*includeBool=*/false)))
        throw Error(ErrorKind::Shape, "text encoder input ids must be a [batch, length] integer tensor, got " +
                                          (inputIds.defined() ? shapeString(inputIds) + " " +
                                                                    std::string(c10::toString(inputIds.scalar_type()))
                                                              : std::string("an undefined tensor")));
    if (inputIds.size(1) > m_config.maxPositions)
        throw Error(ErrorKind::Shape, "text encoder input has " + std::to_string(inputIds.size(1)) +
                                          " tokens, more than its " + std::to_string(m_config.maxPositions) +
                                          " positions");
    const auto ids = inputIds.to(torch::kLong);
    if (ids.numel() > 0) {
        const int64_t lo = ids.min().item<int64_t>();
        const int64_t hi = ids.max().item<int64_t>();
        if (lo < 0 || hi >= m_config.vocabSize)
            throw Error(ErrorKind::InvalidInput, "token id " + std::to_string(lo < 0 ? lo : hi) +
                                                     " is outside the text encoder's vocabulary [0, " +
                                                     std::to_string(m_config.vocabSize) + ")");
    }
    return m_textModel->embeddings().tokens(ids);
}

torch::Tensor ClipTextModelImpl::forward(const torch::Tensor& inputIds)
{
    return forwardEmbeddings(embedTokens(inputIds));
}

torch::Tensor ClipTextModelImpl::forwardEmbeddings(const torch::Tensor& tokenEmbeds)
{
    if (!tokenEmbeds.defined() || tokenEmbeds.dim() != 3 || tokenEmbeds.size(1) < 1 ||
        tokenEmbeds.size(1) > m_config.maxPositions || tokenEmbeds.size(2) != m_config.hiddenSize)
        throw Error(ErrorKind::Shape, "text encoder token embeddings must be [batch, 1.." +
                                          std::to_string(m_config.maxPositions) + ", " +
                                          std::to_string(m_config.hiddenSize) + "], got " +
                                          (tokenEmbeds.defined() ? shapeString(tokenEmbeds) : "an undefined tensor"));
    if (!tokenEmbeds.is_floating_point())
        throw Error(ErrorKind::Shape, "text encoder token embeddings must be floating point, got " +
                                          std::string(c10::toString(tokenEmbeds.scalar_type())));
    return m_textModel->forward(m_textModel->embeddings().withPositions(tokenEmbeds));
}

} // namespace invseg::nn
