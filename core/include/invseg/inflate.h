// Minimal DEFLATE / gzip decompression, so the engine needs no zlib (the CLIP vocabulary ships gzipped).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace invseg {

/// Decompresses a raw DEFLATE stream (RFC 1951). Throws Error(Format) on corrupt input or if the output
/// would exceed maxOutput bytes.
std::vector<uint8_t> inflateRaw(const uint8_t* data, size_t size, size_t maxOutput = size_t(1) << 31);

/// Decompresses a gzip member (RFC 1952), checking the CRC-32 and length. Throws Error(Format).
std::vector<uint8_t> gunzip(const uint8_t* data, size_t size, size_t maxOutput = size_t(1) << 31);

/// Reads a whole file, gunzipping it if its name ends in ".gz". Throws Error(Io) / Error(Format) naming the file.
std::string readMaybeGzipFile(const std::string& path);

/// CRC-32 (IEEE, as zip and gzip use it).
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

} // namespace invseg
