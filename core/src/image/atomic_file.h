// Whole-file writes that never leave a half-written file behind: write <path>.tmp-<pid>, then rename.
#pragma once

#include <cstddef>
#include <string>

namespace invseg {

/// Writes `size` bytes to `path` atomically: the data goes to `<path>.tmp-<pid>` in the same folder, which is then
/// renamed over `path`. On any failure the temporary file is removed and Error(Io) naming `path` (and the system's
/// reason) is thrown; `path` is then untouched. Safe to call from several threads for different paths.
void writeFileAtomic(const std::string& path, const void* data, size_t size);

inline void writeFileAtomic(const std::string& path, const std::string& bytes)
{
    writeFileAtomic(path, bytes.data(), bytes.size());
}

} // namespace invseg
