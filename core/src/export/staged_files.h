// A set of whole-file writes that lands all together or not at all: staged under temporary names, then renamed.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace invseg {

/// Not thread-safe; one instance per set of files. Typical use: stage() every file, commit(), then done().
/// Until done() is called, the destructor rolls back: files renamed into place are removed and the versions they
/// replaced are renamed back, temporary files are removed. Errors are Error(Io) naming the target path.
class StagedFiles {
public:
    StagedFiles() = default;
    StagedFiles(const StagedFiles&) = delete;
    StagedFiles& operator=(const StagedFiles&) = delete;
    ~StagedFiles();

    /// Writes `bytes` to a temporary file beside `path` (same folder, so that the rename stays on one file system).
    void stage(const std::string& path, const std::string& bytes);

    /// Renames every staged file into place, in stage order. An existing regular file at a path is first renamed
    /// aside (kept until done()); a folder there is a failure. `beforeEach` (may be empty) is called with each path
    /// first. On failure everything is rolled back before the Error propagates.
    void commit(const std::function<void(const std::string&)>& beforeEach = {});

    /// Keeps the new files: removes the versions they replaced.
    void done();

    /// Undoes whatever is in place and removes the temporary files (also what the destructor does before done()).
    void rollback() noexcept;

private:
    struct Entry {
        std::string path, temp, aside;
        bool staged = false, movedAside = false, inPlace = false;
    };
    std::vector<Entry> m_entries;
    bool m_done = false;
};

} // namespace invseg
