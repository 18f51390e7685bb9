// Engine-internal: checkpoint weights as tensors, and strict loading of diffusers-named weights into LibTorch modules.
#pragma once

#include "invseg/checkpoint.h"

#include <torch/nn/module.h>

#include <map>
#include <string>

namespace invseg {

using StateDict = std::map<std::string, torch::Tensor>;

/// What invseg/checkpoint.h declares: a checkpoint's tensors per component, diffusers-named.
struct CheckpointWeights {
    StateDict unet;
    StateDict vae;
    StateDict textEncoder;
};

/// The weights of `ck`, created empty when it has none yet.
inline CheckpointWeights& weightsOf(Checkpoint& ck)
{
    if (!ck.weights)
        ck.weights = std::make_shared<CheckpointWeights>();
    return *ck.weights;
}

/// Copies every parameter and buffer of `module` from `weights` (converting dtype). All-or-nothing: if any key is
/// missing, unexpected or mis-shaped, throws Error(Key) / Error(Shape) listing them (first few of each kind, with
/// counts) before touching the module. `what` ("unet", "vae", ...) and `source` (the file) go into the message.
/// Tensors whose shapes differ only by trailing 1×1 dimensions (1×1 conv ↔ linear) are reshaped.
void loadStateDict(torch::nn::Module& module, const StateDict& weights, const std::string& what,
                   const std::string& source);

/// Number of parameters of a module.
int64_t parameterCount(const torch::nn::Module& module);

} // namespace invseg
