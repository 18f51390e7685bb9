// gzip decompression over zlib, for the CLIP vocabulary (shipped gzipped).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace invseg {

/// Decompresses gzip data (RFC 1952). Concatenated members decode to the concatenation of their contents, as
/// `gzip -d` does; any other bytes after a member are corruption. Each member's CRC-32 and length are checked.
/// Throws Error(Format) on corrupt or truncated input, or when the output would exceed maxOutput bytes (the message
/// names the limit).
std::vector<uint8_t> gunzip(const uint8_t* data, size_t size, size_t maxOutput = size_t(1) << 31);

/// Reads a whole file, gunzipping it if its name ends in ".gz". Throws Error(Io) / Error(Format) naming the file.
std::string readMaybeGzipFile(const std::string& path);

} // namespace invseg
