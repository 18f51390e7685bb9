// Unsigned integers read from byte streams in a fixed byte order (file headers, pickles, PNG chunks).
#pragma once

#include <cstdint>

namespace invseg {

inline uint16_t le16(const uint8_t* p)
{
    return uint16_t(uint32_t(p[0]) | (uint32_t(p[1]) << 8));
}
inline uint32_t le32(const uint8_t* p)
{
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}
inline uint64_t le64(const uint8_t* p)
{
    return uint64_t(le32(p)) | (uint64_t(le32(p + 4)) << 32);
}

inline uint16_t be16(const uint8_t* p)
{
    return uint16_t((uint32_t(p[0]) << 8) | uint32_t(p[1]));
}
inline uint32_t be32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

} // namespace invseg
