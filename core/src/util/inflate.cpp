// gzip decompression with zlib: the multi-member loop, the output limit and the errors are ours, the rest is zlib's.
#include "invseg/inflate.h"

#include "invseg/error.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <iterator>

namespace invseg {

namespace {

[[noreturn]] void formatError(const std::string& what)
{
    throw Error(ErrorKind::Format, "gzip: " + what);
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Ends a z_stream however the decoding leaves.
class InflateStream {
public:
    InflateStream()
    {
        // 16 + MAX_WBITS: the gzip wrapper only; zlib checks the header, the CRC-32 and the length.
        if (inflateInit2(&m_zs, 16 + MAX_WBITS) != Z_OK)
            throw Error(ErrorKind::OutOfMemory, "gzip: zlib could not set up a decoder");
    }
    ~InflateStream() { inflateEnd(&m_zs); }
    InflateStream(const InflateStream&) = delete;
    InflateStream& operator=(const InflateStream&) = delete;

    z_stream* get() { return &m_zs; }

private:
    z_stream m_zs{};
};

} // namespace

std::vector<uint8_t> gunzip(const uint8_t* data, size_t size, size_t maxOutput)
{
    InflateStream stream;
    z_stream* zs = stream.get();
    std::vector<uint8_t> out;
    std::vector<uint8_t> chunk(size_t(1) << 16);
    // zlib counts input in uInt: hand it over in pieces that fit.
    const uint8_t* unread = data;
    size_t unreadSize = size;
    auto feed = [&] {
        const size_t n = std::min<size_t>(unreadSize, UINT_MAX);
        zs->next_in = const_cast<Bytef*>(unread);
        zs->avail_in = uInt(n);
        unread += n;
        unreadSize -= n;
    };
    for (;;) {
        if (zs->avail_in == 0)
            feed();
        zs->next_out = chunk.data();
        zs->avail_out = uInt(chunk.size());
        const int ret = inflate(zs, Z_NO_FLUSH);
        const size_t produced = chunk.size() - zs->avail_out;
        if (produced > maxOutput - out.size())
            formatError("decompressed data exceeds the limit of " + std::to_string(maxOutput) + " bytes");
        out.insert(out.end(), chunk.data(), chunk.data() + produced);
        if (ret == Z_STREAM_END) {
            // What follows a member must be another member (RFC 1952 2.2).
            const size_t rest = zs->avail_in + unreadSize;
            if (rest == 0)
                return out;
            const uint8_t* next = zs->next_in;
            if (rest < 2 || next[0] != 0x1f || next[1] != 0x8b)
                formatError(std::to_string(rest) + " unexpected bytes after the compressed data");
            if (inflateReset(zs) != Z_OK)
                throw Error(ErrorKind::Internal, "gzip: zlib could not reset its decoder");
            continue;
        }
        if (ret == Z_BUF_ERROR && zs->avail_in == 0 && unreadSize == 0)
            formatError("unexpected end of the compressed data (truncated file?)");
        if (ret == Z_MEM_ERROR)
            throw Error(ErrorKind::OutOfMemory, "gzip: out of memory while decompressing");
        if (ret != Z_OK && ret != Z_BUF_ERROR)
            formatError("corrupt data (" + (zs->msg ? std::string(zs->msg) : "zlib error " + std::to_string(ret)) +
                        ")");
    }
}

std::string readMaybeGzipFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Io, "cannot open " + path);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw Error(ErrorKind::Io, "cannot read " + path);
    if (!endsWith(path, ".gz"))
        return bytes;
    try {
        const std::vector<uint8_t> out = gunzip(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        return std::string(out.begin(), out.end());
    } catch (const Error& e) {
        throw Error(e.kind(), path + ": " + e.what());
    }
}

} // namespace invseg
