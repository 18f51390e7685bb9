// Reading Stable Diffusion checkpoints (diffusers folders and single files) into configs + diffusers-named weights.
#pragma once

#include "invseg/model_config.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace invseg {

enum class CheckpointLayout { DiffusersFolder, SingleFile };

/// The weights of a checkpoint (diffusers-named tensors per component). Defined in the engine's internal
/// model/state_dict.h: callers of this header see configs, files and dtypes, never tensors.
struct CheckpointWeights;

/// What to read and how to interpret what a file cannot say for itself.
struct CheckpointOptions {
    /// A diffusers folder (or a folder holding unet/config.json and text_encoder/config.json) whose attention head
    /// counts are used for a single file whose heads do not follow the Stable Diffusion conventions. Only the head
    /// counts are taken from it; every other size comes from the tensor shapes.
    std::string headsFrom;
    std::optional<PredictionType> predictionType; ///< overrides the scheduler config or detection
    bool readUnet = true;
    bool readVae = true;
    bool readTextEncoder = true;
    /// Called with a stage name ("unet", "vae", "text_encoder") and the fraction of the work done.
    std::function<void(const std::string& stage, double fraction)> progress;
};

/// Everything read from a checkpoint, weights on the CPU in their stored dtype, named as diffusers names them.
struct Checkpoint {
    std::string path;
    CheckpointLayout layout = CheckpointLayout::DiffusersFolder;
    SdVariant variant = SdVariant::Sd1;
    UNetConfig unet;
    VaeConfig vae;
    TextEncoderConfig textEncoder;
    SchedulerConfig scheduler;
    /// True when the prediction type is known (scheduler config or user override), false when it still has to
    /// be detected from the UNet's behaviour (single files of SD 2.x).
    bool predictionTypeKnown = true;
    /// The tensors, on the CPU in their stored dtype (null in a default-constructed Checkpoint). Copies of a
    /// Checkpoint share them; SdModel::fromCheckpoint frees them while it loads only when it holds the last copy.
    std::shared_ptr<CheckpointWeights> weights;
    /// The stored dtype of each component ("F32", "F16", "BF16", or "mixed").
    std::map<std::string, std::string> storedDtypes;
    /// The files each component was read from.
    std::map<std::string, std::vector<std::string>> files;
    /// Keys present in the file that Stable Diffusion does not use (EMA copies, position_ids, logit_scale, ...).
    std::vector<std::string> ignoredKeys;
    /// The tokenizer merges file of a diffusers folder ("" → the bundled CLIP vocabulary).
    std::string tokenizerMerges;
};

/// Reads a checkpoint: a diffusers folder (model_index.json or unet/ + vae/ + text_encoder/), or a single
/// .safetensors / .ckpt / .pt file in the original (LDM) layout. Throws invseg::Error naming the file and the
/// key or size that is wrong; a checkpoint is either read whole or not at all.
Checkpoint readCheckpoint(const std::string& path, const CheckpointOptions& options = {});

/// Parsers of the diffusers config.json files (exposed for tests and for tools that write configs).
UNetConfig parseUNetConfig(const std::string& configJsonPath);
VaeConfig parseVaeConfig(const std::string& configJsonPath);
TextEncoderConfig parseTextEncoderConfig(const std::string& configJsonPath);
SchedulerConfig parseSchedulerConfig(const std::string& configJsonPath);

/// Maps one original-layout (LDM) UNet key, without the "model.diffusion_model." prefix, to its diffusers name.
/// levels and layersPerBlock describe the UNet; upHasAttention[i] says whether up level i has attentions.
/// Returns "" for keys that have no diffusers counterpart.
std::string mapLdmUNetKey(const std::string& key, int levels, int layersPerBlock,
                          const std::vector<bool>& upHasAttention);

/// Maps one original-layout VAE key (without "first_stage_model.") to its diffusers name ("" if unknown).
std::string mapLdmVaeKey(const std::string& key, int levels);

const char* toString(CheckpointLayout layout);

} // namespace invseg
