// A whole file mapped into memory (or bytes made in memory), shared (through shared_ptr) by the tensors that view it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace invseg {

/// A private (copy-on-write) memory map of one regular file. Writes through data() never reach the file, so a
/// caller that modifies a tensor viewing the map in place gets its own copy of the touched pages instead of a
/// crash. An empty file has data() == nullptr and size() == 0. Immutable after construction, so thread-safe.
class FileMapping {
public:
    /// Maps the file. Throws Error(Io) naming the path if it cannot be opened, is not a regular file or cannot
    /// be mapped.
    explicit FileMapping(const std::string& path);
    /// Holds bytes made in memory (a decompressed file) behind the same interface.
    explicit FileMapping(std::vector<uint8_t> bytes);
    ~FileMapping();
    FileMapping(const FileMapping&) = delete;
    FileMapping& operator=(const FileMapping&) = delete;

    /// The first byte of the file; writable (copy-on-write) for the sake of tensor views, never for parsing.
    uint8_t* data() const { return m_data; }
    size_t size() const { return m_size; }

private:
    uint8_t* m_data = nullptr;
    size_t m_size = 0;
    std::vector<uint8_t> m_owned; ///< the bytes of the second constructor (nothing is mapped then)
};

} // namespace invseg
