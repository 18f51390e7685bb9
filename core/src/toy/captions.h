// Captions of toy scenes: varied wording with attributes and relations, naming exactly the present classes.
#pragma once

#include "invseg/toy_world.h"
#include "toy/scene_layout.h"

#include <string>

namespace invseg::toy {

/// Describes a painted scene: every class in scene.presentClasses is named by a classTerms() word and no
/// other class is; things with inCaption false are left out. Uses its own PRNG stream, so the wording
/// never changes the layout.
std::string writeCaption(const SceneLayout& layout, const Scene& scene, uint64_t seed);

} // namespace invseg::toy
