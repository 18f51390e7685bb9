// The writer of image_outputs.h with a seam for tests: a call just before each file is renamed into place.
#pragma once

#include "invseg/image_outputs.h"

#include <functional>
#include <string>

namespace invseg::detail {

/// Called with each target path just before its new version is renamed into place (after every file is staged);
/// a test makes a fault there (e.g. a folder at the path) to see the files already in place rolled back.
using BeforeCommit = std::function<void(const std::string& path)>;

/// writeImageOutputs, calling beforeCommit (when set) as described above.
ImageOutputResult writeImageOutputs(const ImageOutputRequest& request, const BeforeCommit& beforeCommit);

} // namespace invseg::detail
