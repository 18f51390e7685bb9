// AutoencoderKL (diffusers models/autoencoders/autoencoder_kl.py): posterior moments and decoding.
#include "invseg/nn/vae.h"

#include "invseg/error.h"
#include "io/shape_string.h"
#include "nn/vae_decoder.h"
#include "nn/vae_encoder.h"

#include <torch/torch.h>

namespace invseg::nn {
namespace {

void validateConfig(const VaeConfig& c)
{
    auto fail = [](const std::string& msg) { throw Error(ErrorKind::InvalidInput, "VAE config: " + msg); };
    if (c.blockOutChannels.empty())
        fail("block_out_channels is empty");
    if (c.layersPerBlock < 1 || c.inChannels < 1 || c.outChannels < 1 || c.latentChannels < 1 || c.normNumGroups < 1)
        fail("non-positive size");
    for (size_t i = 0; i < c.blockOutChannels.size(); ++i)
        if (c.blockOutChannels[i] < 1 || c.blockOutChannels[i] % c.normNumGroups != 0)
            fail("block_out_channels[" + std::to_string(i) + "] = " + std::to_string(c.blockOutChannels[i]) +
                 " is not a positive multiple of norm_num_groups " + std::to_string(c.normNumGroups));
}

} // namespace

AutoencoderKLImpl::AutoencoderKLImpl(const VaeConfig& config) : m_config(config)
{
    validateConfig(config);
    using namespace torch::nn;
    m_encoder = register_module("encoder", std::make_shared<VaeEncoderImpl>(config));
    m_decoder = register_module("decoder", std::make_shared<VaeDecoderImpl>(config));
    const int64_t l = config.latentChannels;
    if (config.useQuantConv)
        m_quantConv = register_module("quant_conv", Conv2d(Conv2dOptions(2 * l, 2 * l, 1)));
    if (config.usePostQuantConv)
        m_postQuantConv = register_module("post_quant_conv", Conv2d(Conv2dOptions(l, l, 1)));
}

VaePosterior AutoencoderKLImpl::encode(const torch::Tensor& image)
{
    if (!image.defined() || image.dim() != 4 || image.size(1) != m_config.inChannels)
        throw Error(ErrorKind::Shape, "VAE image must be [B, " + std::to_string(m_config.inChannels) + ", H, W], got " +
                                          shapeString(image));
    const auto dtype = m_encoder->parameters().front().scalar_type();
    auto moments = m_encoder->forward(image.to(dtype));
    if (m_quantConv)
        moments = m_quantConv(moments);
    const auto parts = moments.chunk(2, 1);
    return {parts[0], parts[1].clamp(-30.0, 20.0)};
}

torch::Tensor AutoencoderKLImpl::decode(const torch::Tensor& latents)
{
    if (!latents.defined() || latents.dim() != 4 || latents.size(1) != m_config.latentChannels)
        throw Error(ErrorKind::Shape, "VAE latents must be [B, " + std::to_string(m_config.latentChannels) +
                                          ", h, w], got " + shapeString(latents));
    const auto dtype = m_decoder->parameters().front().scalar_type();
    auto z = latents.to(dtype);
    if (m_postQuantConv)
        z = m_postQuantConv(z);
    return m_decoder->forward(z);
}

} // namespace invseg::nn
