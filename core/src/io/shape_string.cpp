// Tensor shapes as error messages write them.
#include "io/shape_string.h"

namespace invseg {

std::string shapeString(c10::IntArrayRef sizes)
{
    std::string s = "[";
    for (size_t i = 0; i < sizes.size(); ++i)
        s += (i ? ", " : "") + std::to_string(sizes[i]);
    return s + "]";
}

std::string shapeString(const torch::Tensor& t)
{
    return t.defined() ? shapeString(t.sizes()) : "undefined";
}

} // namespace invseg
