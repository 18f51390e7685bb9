// Read-only access to the entries of a zip archive held in memory (the container of PyTorch checkpoints).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace invseg {

/// One member of the archive, with every offset already checked against the archive's size.
struct ZipEntry {
    std::string name;
    uint16_t method = 0;          ///< 0 stored, 8 deflated (others are refused when the archive is opened)
    uint32_t crc = 0;             ///< CRC-32 of the uncompressed bytes, as the central directory states it
    uint64_t compressedSize = 0;  ///< bytes in the archive
    uint64_t size = 0;            ///< bytes once uncompressed (== compressedSize for stored entries)
    uint64_t dataOffset = 0;      ///< where the entry's bytes start, from the start of the archive
};

/// Parses the central directory of a zip archive (zip64 included) that lies in [data, data + size).
/// The reader does not own the bytes: the caller keeps them alive (and unchanged) as long as the reader.
/// Every failure throws Error(Format) (Error(Unsupported) for encryption, multi-disk archives or compression
/// methods other than stored/deflate) whose message starts with `context` (the file's path).
class ZipReader {
public:
    ZipReader(const uint8_t* data, size_t size, std::string context);

    const std::vector<ZipEntry>& entries() const { return m_entries; }
    /// The entry with exactly this name, or nullptr.
    const ZipEntry* find(const std::string& name) const;

    /// The stored bytes of a stored entry, without a copy (pointer into the archive). Asserts the entry is stored.
    const uint8_t* storedData(const ZipEntry& entry) const;
    /// The uncompressed bytes of any entry (a copy; inflated for deflated entries). Throws Error(Format) if the
    /// entry inflates to a size other than the declared one, or (checkCrc) if its CRC-32 does not match.
    std::vector<uint8_t> read(const ZipEntry& entry, bool checkCrc) const;

private:
    [[noreturn]] void fail(const std::string& what) const;
    void readCentralDirectory();

    const uint8_t* m_data;
    size_t m_size;
    std::string m_context;
    std::vector<ZipEntry> m_entries;
    std::unordered_map<std::string, size_t> m_byName;
};

} // namespace invseg
