// Writing trained modules as the diffusers folder SdModel::load reads (config.json files + safetensors).
#pragma once

#include "invseg/model_config.h"

#include <torch/nn/module.h>

#include <cstdint>
#include <map>
#include <string>

namespace invseg::train {

/// named_parameters() + named_buffers() of a module, detached, on the CPU, cast to dtype when floating.
std::map<std::string, torch::Tensor> moduleTensors(const torch::nn::Module& module, torch::ScalarType dtype);

/// Writes dir/{model_index.json, unet/, vae/, text_encoder/, scheduler/} (each file atomically). Returns the bytes
/// of the three safetensors files. Throws invseg::Error(Io).
int64_t writeDiffusersFolder(const std::string& dir, const UNetConfig& unet, const torch::nn::Module& unetModule,
                             const VaeConfig& vae, const torch::nn::Module& vaeModule, const TextEncoderConfig& text,
                             const torch::nn::Module& textModule, bool fp16);

/// Writes text to path through a temporary file and a rename. Throws invseg::Error(Io) naming path.
void writeTextAtomic(const std::string& path, const std::string& text);

} // namespace invseg::train
