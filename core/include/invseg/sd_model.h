// A loaded, frozen Stable Diffusion model: tokenizer, text encoder, VAE, UNet and noise schedule on one device.
#pragma once

#include "invseg/checkpoint.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace invseg {

class ClipTokenizer;

/// How to load a model.
struct ModelOptions {
    CheckpointOptions checkpoint;
    std::string device = "cpu"; ///< "cpu", "cuda" or "cuda:N"
    std::string dtype = "fp32"; ///< weights and activations: "fp32", "bf16", or "fp16" (CUDA only)
    /// Store the UNet's convolution weights in channels-last (NHWC) order; its forward then converts its input to
    /// match, so every UNet convolution runs on NHWC activations (the golden parity tests run in both layouts;
    /// speed by device in docs/performance.md). The VAE, run once per image, stays NCHW: LibTorch's NHWC GroupNorm
    /// on the CPU sums in one pass and loses precision over the VAE's pixel-sized groups (measured in
    /// docs/performance.md), as diffusers, too, converts only the UNet.
    bool channelsLast = false;
};

/// Checks a device name without loading anything and returns it in LibTorch's spelling ("cpu", "cuda:0", ...;
/// "cuda" names device 0): throws Error(InvalidInput) for anything but "cpu" / "cuda" / "cuda:N" and Error(Unsupported)
/// when CUDA is asked for and none is available (naming how many devices there are).
std::string checkDevice(const std::string& device);
/// Checks a dtype name ("fp32" / "fp16" / "bf16", also "float32", "float16", "bfloat16") and returns the short
/// name ("fp32", "fp16" or "bf16"); throws Error(InvalidInput).
std::string checkDtype(const std::string& dtype);

/// The loaded networks. Every parameter has requires_grad = false and the modules are in eval mode, so one model
/// can serve many runs, from several threads at once (forward passes keep no state in the modules). Gradients can
/// still flow through the networks to their inputs (InvSeg optimises the text embeddings).
///
/// This header is torch-free: the networks, the noise schedule and the tensor-level calls (tokenIds, encodeText,
/// imageToLatent, ...) live in SdModel::Impl, which the engine's internal model/sd_model_impl.h defines.
class SdModel {
public:
    struct Impl;

    /// Reads the checkpoint (see readCheckpoint), builds the networks, loads the weights strictly, moves them to
    /// the device and dtype, and for SD 2.x single files detects the prediction type by probing the UNet.
    /// Throws invseg::Error; on failure nothing is half-loaded.
    static std::shared_ptr<SdModel> load(const std::string& path, const ModelOptions& options = {});
    /// The same from a checkpoint already read (options.checkpoint is then only used for progress).
    static std::shared_ptr<SdModel> fromCheckpoint(Checkpoint checkpoint, const ModelOptions& options = {});
    /// A model of the configured sizes with LibTorch's default random initialisation instead of weights (for
    /// benchmarks: timing does not depend on weight values). Its tensors in `configs` are ignored.
    static std::shared_ptr<SdModel> withRandomWeights(Checkpoint configs, const ModelOptions& options = {});

    ~SdModel();
    SdModel(const SdModel&) = delete;
    SdModel& operator=(const SdModel&) = delete;

    const std::string& path() const { return m_path; }
    CheckpointLayout layout() const { return m_layout; }
    SdVariant variant() const { return m_variant; }
    const UNetConfig& unetConfig() const { return m_unetConfig; }
    const VaeConfig& vaeConfig() const { return m_vaeConfig; }
    const TextEncoderConfig& textConfig() const { return m_textConfig; }
    const SchedulerConfig& schedulerConfig() const { return m_schedulerConfig; }
    PredictionType predictionType() const { return m_schedulerConfig.predictionType; }
    /// True when the prediction type was detected from the UNet's behaviour rather than read or given.
    bool predictionTypeDetected() const { return m_predictionDetected; }
    /// The device in LibTorch's spelling: "cpu", "cuda:0", ...
    const std::string& device() const { return m_device; }
    /// "fp32", "fp16" or "bf16".
    const std::string& dtype() const { return m_dtype; }
    bool channelsLast() const { return m_channelsLast; }
    /// Native image size in pixels (UNet sample_size × 8).
    int64_t nativeImageSize() const { return m_unetConfig.sampleSize * 8; }
    const std::map<std::string, std::string>& storedDtypes() const { return m_storedDtypes; }

    const ClipTokenizer& tokenizer() const { return *m_tokenizer; }
    int64_t padTokenId() const { return m_textConfig.padTokenId; }
    int64_t parameterCount(const std::string& component) const;

    /// The networks and the tensor-level calls (engine-internal: model/sd_model_impl.h).
    Impl& impl() { return *m_impl; }
    const Impl& impl() const { return *m_impl; }

private:
    SdModel();
    static std::shared_ptr<SdModel> build(Checkpoint checkpoint, const ModelOptions& options, bool loadWeights);

    std::string m_path;
    CheckpointLayout m_layout = CheckpointLayout::DiffusersFolder;
    SdVariant m_variant = SdVariant::Sd1;
    UNetConfig m_unetConfig;
    VaeConfig m_vaeConfig;
    TextEncoderConfig m_textConfig;
    SchedulerConfig m_schedulerConfig;
    bool m_predictionDetected = false;
    std::string m_device = "cpu";
    std::string m_dtype = "fp32";
    bool m_channelsLast = false;
    std::map<std::string, std::string> m_storedDtypes;
    std::shared_ptr<const ClipTokenizer> m_tokenizer;
    std::unique_ptr<Impl> m_impl;
};

} // namespace invseg
