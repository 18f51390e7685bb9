// Tensor shapes as error messages write them: "[2, 4, 64, 64]".
#pragma once

#include <c10/util/ArrayRef.h>
#include <torch/types.h>

#include <string>

namespace invseg {

/// "[d0, d1, ...]"; "[]" for a 0-d shape.
std::string shapeString(c10::IntArrayRef sizes);
/// The tensor's shape, or "undefined" for an undefined tensor.
std::string shapeString(const torch::Tensor& t);

} // namespace invseg
