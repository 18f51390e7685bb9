// What the trainer makes of toy scenes: stage-1 scene seeds, the stage-2 pool scenes and their prompts (class-list
// prompts, captions with class names put in, mirrored captions), thing-pixel weights and image tensors.
#pragma once

#include "invseg/toy_world.h"

#include <torch/torch.h>

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace invseg::train::detail {

/// Train-split seeds: stage 1 draws fresh scenes from the upper half, stage 2 reuses the pool [0, latentPool).
uint64_t vaeSceneSeed(uint64_t seed, int64_t step, int64_t b, int64_t batch);

/// What stage 2 needs of a pool scene besides its latent.
struct PoolScene {
    std::string caption;                     ///< mirrored for a flipped item: left and right swapped
    std::vector<int> present;                ///< class ids
    std::vector<std::pair<int, int>> things; ///< (class id, colour) of the things in the caption
};

bool isThing(int classId);

/// The prompt InvSeg's default template builds for the scene's classes, in shuffled order, a thing sometimes with
/// its colour: "a photograph of grass and red ball and sky and background".
std::string classPrompt(const PoolScene& scene, double attributeFraction, std::mt19937_64& rng);

/// The caption with each class synonym replaced by the class name with probability p (InvSeg prompts with the
/// names, which the generator's captions use for only a part of the scenes: "grass" in about a quarter).
std::string withClassNames(const std::string& caption, double p, std::mt19937_64& rng);

/// The pool scene of a scene, mirrored (caption: left and right swapped) or not.
PoolScene poolScene(const toy::Scene& scene, bool mirrored);

/// [B, 1, H, W] float: 1 on stuff pixels, w on thing pixels.
torch::Tensor thingWeights(const std::vector<toy::Scene>& scenes, double w);

/// [B, 3, H, W] float in [-1, 1] from scenes.
torch::Tensor scenesToTensor(const std::vector<toy::Scene>& scenes);

} // namespace invseg::train::detail
