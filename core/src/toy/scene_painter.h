// Rasterises a planned scene: stuff, ground shadows, things (far to near), outlines and grain.
#pragma once

#include "invseg/toy_world.h"
#include "toy/scene_layout.h"

namespace invseg::toy {

/// Fills scene.rgb, scene.labels, scene.presentClasses and scene.things (with pixel counts and boxes) at
/// size x size. Colour and label of a pixel come from the same point test at its centre.
void paintScene(const SceneLayout& layout, int size, uint64_t seed, Scene& scene);

} // namespace invseg::toy
