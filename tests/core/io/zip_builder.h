// Byte builders shared by the io tests and the fuzz targets: little-endian integers, CRC-32 and a minimal zip
// writer, independent of the code under test.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace invseg::test {

// --- little-endian integers -------------------------------------------------------------------------------------

inline std::string le(uint64_t v, int bytes)
{
    std::string s;
    for (int i = 0; i < bytes; ++i)
        s += char((v >> (8 * i)) & 0xFF);
    return s;
}
inline std::string le16(uint64_t v)
{
    return le(v, 2);
}
inline std::string le32(uint64_t v)
{
    return le(v, 4);
}
inline std::string le64(uint64_t v)
{
    return le(v, 8);
}

/// CRC-32 (IEEE), written here so the fixtures do not depend on the code under test.
inline uint32_t testCrc32(const std::string& data)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char c : data) {
        crc ^= c;
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// --- zip ----------------------------------------------------------------------------------------------------------

struct ZipMember {
    std::string name;
    std::string data;
};

/// A zip of stored members, as PyTorch writes it (without its 64-byte alignment padding). With zip64, sizes and
/// offsets go to zip64 extra fields and a zip64 end record, the way writers do for archives over 4 GiB.
inline std::string makeZip(const std::vector<ZipMember>& members, bool zip64 = false)
{
    std::string out;
    std::string central;
    for (const auto& m : members) {
        const uint64_t offset = out.size();
        const uint32_t crc = testCrc32(m.data);
        out += le32(0x04034b50) + le16(zip64 ? 45 : 20) + le16(0) + le16(0) + le16(0) + le16(0x21) + le32(crc) +
               le32(m.data.size()) + le32(m.data.size()) + le16(m.name.size()) + le16(0) + m.name + m.data;
        std::string extra;
        if (zip64)
            extra = le16(1) + le16(24) + le64(m.data.size()) + le64(m.data.size()) + le64(offset);
        const uint64_t small32 = zip64 ? 0xFFFFFFFFu : 0;
        central += le32(0x02014b50) + le16(zip64 ? 45 : 20) + le16(zip64 ? 45 : 20) + le16(0) + le16(0) + le16(0) +
                   le16(0x21) + le32(crc) + le32(zip64 ? small32 : m.data.size()) +
                   le32(zip64 ? small32 : m.data.size()) + le16(m.name.size()) + le16(extra.size()) + le16(0) +
                   le16(0) + le16(0) + le32(0) + le32(zip64 ? small32 : offset) + m.name + extra;
    }
    const uint64_t cdOffset = out.size();
    out += central;
    if (zip64) {
        const uint64_t z64 = out.size();
        out += le32(0x06064b50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0) + le64(members.size()) +
               le64(members.size()) + le64(central.size()) + le64(cdOffset);
        out += le32(0x07064b50) + le32(0) + le64(z64) + le32(1);
        out += le32(0x06054b50) + le16(0) + le16(0) + le16(0xFFFF) + le16(0xFFFF) + le32(0xFFFFFFFFu) +
               le32(0xFFFFFFFFu) + le16(0);
    } else {
        out += le32(0x06054b50) + le16(0) + le16(0) + le16(members.size()) + le16(members.size()) +
               le32(central.size()) + le32(cdOffset) + le16(0);
    }
    return out;
}

} // namespace invseg::test
