// Engine-internal: the tensor side of SdModel (networks, noise schedule, device and dtype as LibTorch types) and the
// device / dtype parsers. Public callers use invseg/sd_model.h, which holds this through a pimpl.
#pragma once

#include "invseg/nn/clip_text_model.h"
#include "invseg/nn/unet.h"
#include "invseg/nn/vae.h"
#include "invseg/noise_schedule.h"
#include "invseg/sd_model.h"

#include <torch/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace invseg {

/// Parses "cpu" / "cuda" / "cuda:N"; throws Error(InvalidInput) for anything else and Error(Unsupported) when CUDA
/// is asked for and none is available (naming how many devices there are).
torch::Device parseDevice(const std::string& device);
/// Parses "fp32" / "fp16" / "bf16" (also "float32", "float16", "bfloat16"); throws Error(InvalidInput).
torch::ScalarType parseDtype(const std::string& dtype);
const char* dtypeName(torch::ScalarType t);

/// The networks of one SdModel. Same thread rules as SdModel: forwards keep no state in the modules.
struct SdModel::Impl {
    explicit Impl(const SdModel& owner) : model(owner) {}

    const SdModel& model; ///< configs and tokenizer
    torch::Device device{torch::kCPU};
    torch::ScalarType dtype = torch::kFloat;
    std::unique_ptr<nn::UNet2DConditionModel> unetModule;
    std::unique_ptr<nn::AutoencoderKL> vaeModule;
    std::unique_ptr<nn::ClipTextModel> textModule;
    std::unique_ptr<NoiseSchedule> noiseSchedule;

    nn::UNet2DConditionModel& unet() { return *unetModule; }
    nn::AutoencoderKL& vae() { return *vaeModule; }
    nn::ClipTextModel& textEncoder() { return *textModule; }
    const NoiseSchedule& schedule() const { return *noiseSchedule; }

    /// [P, maxPositions] int64 token ids on the model's device.
    torch::Tensor tokenIds(const std::vector<std::string>& prompts) const;
    /// Text-encoder output [P, L, D] in the model's dtype (the UNet's conditioning).
    torch::Tensor encodeText(const torch::Tensor& ids);
    /// VAE posterior of images [B, 3, H, W] in [-1, 1]: {mean, logvar} (logvar clamped to [-30, 20]).
    std::pair<torch::Tensor, torch::Tensor> encodeImage(const torch::Tensor& image);
    /// Posterior mean × scaling factor.
    torch::Tensor imageToLatent(const torch::Tensor& image);
    /// Decoder output of latent / scaling factor, in [-1, 1] (roughly).
    torch::Tensor latentToImage(const torch::Tensor& latent);
};

} // namespace invseg
