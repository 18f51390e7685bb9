// Finds the project's data files (vocabulary, bundled model, samples, class lists) at run time.
#pragma once

#include <string>

namespace invseg {

/// The folder that holds the project's resources: $INVSEG_RESOURCE_DIR if set; else
/// <exe dir>/../share/invseg-studio (installed); else <exe dir>/resources; else, only for a program inside the
/// build tree, the source tree's resources/. An installed program never reads the source tree. Throws Error(Io) naming
/// the places it looked if none has the CLIP vocabulary.
std::string resourceDir();

/// resourceDir() + "/" + relative, without checking that it exists.
std::string resourcePath(const std::string& relative);

/// The directory of the running executable ("" if it cannot be found).
std::string executableDir();

} // namespace invseg
