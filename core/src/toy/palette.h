// The toy world's fixed colours: thing colours, reference colours of the stuff, and the label palette.
#pragma once

#include "toy/fixed_math.h"

namespace invseg::toy {

constexpr int kNumColours = 10;

/// Base colour of each thing colour, index = Thing::colour (same order as colourNames()).
Rgb thingColour(int colour);

/// A typical colour of a stuff class in a given style, used to keep things from blending into what they
/// stand on (a green ball is never put on grass).
Rgb stuffReferenceColour(int classId, int style);

/// The label view's colour of a class id (0..kNumClasses-1), chosen to be easy to tell apart.
Rgb labelColour(int classId);

} // namespace invseg::toy
