// DEFLATE (RFC 1951) and gzip (RFC 1952) decompression without zlib, for the bundled CLIP vocabulary.
#include "invseg/inflate.h"

#include "invseg/error.h"

#include <array>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

namespace invseg {

namespace {

[[noreturn]] void formatError(const std::string& what)
{
    throw Error(ErrorKind::Format, "deflate: " + what);
}

/// Reads bits LSB-first, as DEFLATE packs them. Reading past the end is an error (truncated stream).
class BitReader {
public:
    BitReader(const uint8_t* data, size_t size) : m_data(data), m_size(size) {}

    uint32_t bits(int count)
    {
        while (m_bitCount < count) {
            if (m_pos >= m_size)
                formatError("unexpected end of compressed data");
            m_bitBuf |= uint64_t(m_data[m_pos++]) << m_bitCount;
            m_bitCount += 8;
        }
        const uint32_t v = uint32_t(m_bitBuf & ((uint64_t(1) << count) - 1));
        m_bitBuf >>= count;
        m_bitCount -= count;
        return v;
    }

    /// One bit, for the Huffman decoder (codes are read MSB-first bit by bit).
    uint32_t bit() { return bits(1); }

    /// Drops the bits up to the next byte boundary (stored blocks start byte-aligned).
    void alignToByte()
    {
        const int drop = m_bitCount % 8;
        m_bitBuf >>= drop;
        m_bitCount -= drop;
    }

    /// Byte offset just after the last consumed bit, once aligned: whole buffered bytes are given back.
    size_t bytePosition() const { return m_pos - size_t(m_bitCount / 8); }

    /// Consumes n raw bytes after alignToByte(); returns a pointer to them.
    const uint8_t* rawBytes(size_t n)
    {
        // Give back whole bytes still in the bit buffer.
        m_pos -= size_t(m_bitCount / 8);
        m_bitBuf = 0;
        m_bitCount = 0;
        if (n > m_size - m_pos)
            formatError("stored block runs past the end of the data");
        const uint8_t* p = m_data + m_pos;
        m_pos += n;
        return p;
    }

private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    uint64_t m_bitBuf = 0;
    int m_bitCount = 0;
};

constexpr int kMaxBits = 15;

/// Canonical Huffman code in the counts/symbols form of zlib's "puff": decoding walks code lengths.
class Huffman {
public:
    /// lengths[i] is the code length of symbol i (0 = unused). Rejects over-subscribed codes; incomplete codes are
    /// allowed only where RFC 1951 allows them (a single distance code), which the caller checks via incomplete().
    void build(const uint8_t* lengths, int n)
    {
        m_count.fill(0);
        for (int i = 0; i < n; ++i)
            m_count[lengths[i]]++;
        m_symbol.assign(size_t(n), 0);
        if (m_count[0] == n) {
            m_left = 1; // no codes at all: incomplete
            return;
        }
        int left = 1;
        for (int len = 1; len <= kMaxBits; ++len) {
            left <<= 1;
            left -= m_count[len];
            if (left < 0)
                formatError("over-subscribed Huffman code");
        }
        m_left = left;
        std::array<int, kMaxBits + 2> offs{};
        for (int len = 1; len < kMaxBits; ++len)
            offs[len + 1] = offs[len] + m_count[len];
        for (int i = 0; i < n; ++i)
            if (lengths[i] != 0)
                m_symbol[size_t(offs[lengths[i]]++)] = uint16_t(i);
    }

    bool incomplete() const { return m_left > 0; }
    int codeCount(int len) const { return m_count[len]; }

    int decode(BitReader& in) const
    {
        int code = 0;  // bits read so far
        int first = 0; // first code of the current length
        int index = 0; // index of the first code of this length in m_symbol
        for (int len = 1; len <= kMaxBits; ++len) {
            code |= int(in.bit());
            const int count = m_count[len];
            if (code - count < first)
                return m_symbol[size_t(index + (code - first))];
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        formatError("invalid Huffman code");
    }

private:
    std::array<int, kMaxBits + 1> m_count{};
    std::vector<uint16_t> m_symbol;
    int m_left = 0;
};

constexpr std::array<uint16_t, 29> kLengthBase{3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                               31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<uint8_t, 29> kLengthExtra{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                               2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<uint16_t, 30> kDistBase{1,   2,   3,   4,   5,   7,    9,    13,   17,   25,
                                             33,  49,  65,  97,  129, 193,  257,  385,  513,  769,
                                             1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<uint8_t, 30> kDistExtra{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                             6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

class Inflater {
public:
    Inflater(const uint8_t* data, size_t size, size_t maxOutput) : m_in(data, size), m_maxOutput(maxOutput) {}

    std::vector<uint8_t> run()
    {
        bool last = false;
        while (!last) {
            last = m_in.bits(1) != 0;
            const uint32_t type = m_in.bits(2);
            switch (type) {
            case 0: storedBlock(); break;
            case 1: fixedBlock(); break;
            case 2: dynamicBlock(); break;
            default: formatError("invalid block type 3");
            }
        }
        m_in.alignToByte();
        m_consumed = m_in.bytePosition();
        return std::move(m_out);
    }

    /// Bytes of input used by the stream (valid after run()).
    size_t consumed() const { return m_consumed; }

private:
    void reserveFor(size_t extra)
    {
        if (extra > m_maxOutput - m_out.size())
            throw Error(ErrorKind::Format,
                        "deflate: decompressed data exceeds the limit of " + std::to_string(m_maxOutput) + " bytes");
    }

    void storedBlock()
    {
        m_in.alignToByte();
        const uint8_t* hdr = m_in.rawBytes(4);
        const uint32_t len = uint32_t(hdr[0]) | (uint32_t(hdr[1]) << 8);
        const uint32_t nlen = uint32_t(hdr[2]) | (uint32_t(hdr[3]) << 8);
        if ((len ^ 0xFFFFu) != nlen)
            formatError("stored block length check failed");
        reserveFor(len);
        const uint8_t* p = m_in.rawBytes(len);
        m_out.insert(m_out.end(), p, p + len);
    }

    void fixedBlock()
    {
        if (!m_fixedBuilt) {
            std::array<uint8_t, 288 + 30> lengths{};
            int i = 0;
            for (; i < 144; ++i)
                lengths[size_t(i)] = 8;
            for (; i < 256; ++i)
                lengths[size_t(i)] = 9;
            for (; i < 280; ++i)
                lengths[size_t(i)] = 7;
            for (; i < 288; ++i)
                lengths[size_t(i)] = 8;
            m_fixedLit.build(lengths.data(), 288);
            for (i = 0; i < 30; ++i)
                lengths[size_t(i)] = 5;
            m_fixedDist.build(lengths.data(), 30);
            m_fixedBuilt = true;
        }
        codes(m_fixedLit, m_fixedDist);
    }

    void dynamicBlock()
    {
        static constexpr std::array<uint8_t, 19> kOrder{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
        const int nlen = int(m_in.bits(5)) + 257;
        const int ndist = int(m_in.bits(5)) + 1;
        const int ncode = int(m_in.bits(4)) + 4;
        if (nlen > 286 || ndist > 30)
            formatError("bad dynamic block code counts");

        std::array<uint8_t, 320> lengths{};
        for (int i = 0; i < ncode; ++i)
            lengths[kOrder[size_t(i)]] = uint8_t(m_in.bits(3));
        Huffman lencode;
        lencode.build(lengths.data(), 19);
        if (lencode.incomplete())
            formatError("incomplete code-length code");

        lengths.fill(0);
        int index = 0;
        while (index < nlen + ndist) {
            int symbol = lencode.decode(m_in);
            if (symbol < 16) {
                lengths[size_t(index++)] = uint8_t(symbol);
                continue;
            }
            uint8_t value = 0;
            int repeat = 0;
            if (symbol == 16) {
                if (index == 0)
                    formatError("repeat of a code length with no previous length");
                value = lengths[size_t(index - 1)];
                repeat = 3 + int(m_in.bits(2));
            } else if (symbol == 17) {
                repeat = 3 + int(m_in.bits(3));
            } else {
                repeat = 11 + int(m_in.bits(7));
            }
            if (index + repeat > nlen + ndist)
                formatError("code lengths run past the declared count");
            while (repeat--)
                lengths[size_t(index++)] = value;
        }
        if (lengths[256] == 0)
            formatError("no end-of-block code");

        Huffman lit;
        lit.build(lengths.data(), nlen);
        // RFC 1951 permits an incomplete code only when it has a single code (of length 1).
        if (lit.incomplete() && nlen - lit.codeCount(0) != 1)
            formatError("incomplete literal/length code");
        Huffman dist;
        dist.build(lengths.data() + nlen, ndist);
        if (dist.incomplete() && ndist - dist.codeCount(0) > 1)
            formatError("incomplete distance code");
        codes(lit, dist);
    }

    void codes(const Huffman& lit, const Huffman& dist)
    {
        for (;;) {
            const int symbol = lit.decode(m_in);
            if (symbol < 256) {
                reserveFor(1);
                m_out.push_back(uint8_t(symbol));
                continue;
            }
            if (symbol == 256)
                return;
            const int li = symbol - 257;
            if (li >= 29)
                formatError("invalid length symbol");
            const size_t len = kLengthBase[size_t(li)] + m_in.bits(kLengthExtra[size_t(li)]);
            const int di = dist.decode(m_in);
            if (di >= 30)
                formatError("invalid distance symbol");
            const size_t d = kDistBase[size_t(di)] + m_in.bits(kDistExtra[size_t(di)]);
            if (d > m_out.size())
                formatError("distance " + std::to_string(d) + " reaches before the start of the output");
            reserveFor(len);
            // Byte by byte: a copy may overlap the bytes it produces (distance < length).
            size_t from = m_out.size() - d;
            for (size_t k = 0; k < len; ++k)
                m_out.push_back(m_out[from + k]);
        }
    }

    BitReader m_in;
    size_t m_maxOutput;
    std::vector<uint8_t> m_out;
    size_t m_consumed = 0;
    bool m_fixedBuilt = false;
    Huffman m_fixedLit;
    Huffman m_fixedDist;
};

const std::array<uint32_t, 256>& crcTable()
{
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t n = 0; n < 256; ++n) {
            uint32_t c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    return table;
}

uint32_t readLe32(const uint8_t* p)
{
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc)
{
    const auto& table = crcTable();
    crc = ~crc;
    for (size_t i = 0; i < size; ++i)
        crc = table[(crc ^ data[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

std::vector<uint8_t> inflateRaw(const uint8_t* data, size_t size, size_t maxOutput)
{
    Inflater inflater(data, size, maxOutput);
    return inflater.run();
}

namespace {

/// Decodes the member starting at data[0], appends its output to out and returns the member's length in bytes.
size_t gunzipMember(const uint8_t* data, size_t size, size_t maxOutput, std::vector<uint8_t>& out)
{
    // Header: ID1 ID2 CM FLG MTIME(4) XFL OS, then the optional fields FLG announces.
    if (size < 18)
        throw Error(ErrorKind::Format, "gzip: data too short (" + std::to_string(size) + " bytes)");
    if (data[0] != 0x1f || data[1] != 0x8b)
        throw Error(ErrorKind::Format, "gzip: bad magic bytes (not a gzip file)");
    if (data[2] != 8)
        throw Error(ErrorKind::Format, "gzip: unsupported compression method " + std::to_string(data[2]));
    const uint8_t flags = data[3];
    if (flags & 0xE0)
        throw Error(ErrorKind::Format, "gzip: reserved header flags set");
    size_t pos = 10;
    auto need = [&](size_t n) {
        if (n > size - pos)
            throw Error(ErrorKind::Format, "gzip: header runs past the end of the data");
    };
    if (flags & 0x04) { // FEXTRA
        need(2);
        const size_t xlen = size_t(data[pos]) | (size_t(data[pos + 1]) << 8);
        pos += 2;
        need(xlen);
        pos += xlen;
    }
    for (uint8_t bit : {uint8_t(0x08), uint8_t(0x10)}) { // FNAME, FCOMMENT: zero-terminated
        if (flags & bit) {
            const void* end = pos < size ? std::memchr(data + pos, 0, size - pos) : nullptr;
            if (!end)
                throw Error(ErrorKind::Format, "gzip: unterminated file name or comment");
            pos = size_t(static_cast<const uint8_t*>(end) - data) + 1;
        }
    }
    if (flags & 0x02) { // FHCRC
        need(2);
        pos += 2;
    }
    need(8);

    // The stream must leave room for the 8-byte trailer.
    Inflater inflater(data + pos, size - pos - 8, maxOutput - out.size());
    const std::vector<uint8_t> member = inflater.run();
    const uint8_t* trailer = data + pos + inflater.consumed();
    if (crc32(member.data(), member.size()) != readLe32(trailer))
        throw Error(ErrorKind::Format, "gzip: CRC-32 mismatch (corrupt data)");
    if (uint32_t(member.size() & 0xFFFFFFFFu) != readLe32(trailer + 4))
        throw Error(ErrorKind::Format, "gzip: length mismatch (corrupt data)");
    out.insert(out.end(), member.begin(), member.end());
    return pos + inflater.consumed() + 8;
}

} // namespace

std::vector<uint8_t> gunzip(const uint8_t* data, size_t size, size_t maxOutput)
{
    // Concatenated members decode to the concatenation of their contents (RFC 1952 2.2, as gzip -d does);
    // anything else after a member is corruption.
    std::vector<uint8_t> out;
    size_t pos = gunzipMember(data, size, maxOutput, out);
    while (pos < size) {
        if (size - pos < 2 || data[pos] != 0x1f || data[pos + 1] != 0x8b)
            throw Error(ErrorKind::Format,
                        "gzip: " + std::to_string(size - pos) + " unexpected bytes after the compressed data");
        pos += gunzipMember(data + pos, size - pos, maxOutput, out);
    }
    return out;
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
        const std::vector<uint8_t> out =
            gunzip(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        return std::string(out.begin(), out.end());
    } catch (const Error& e) {
        throw Error(e.kind(), path + ": " + e.what());
    }
}

} // namespace invseg
