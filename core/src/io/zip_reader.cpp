// Zip central-directory parser: every count, size and offset is checked against the archive before it is used.
#include "io/zip_reader.h"

#include "invseg/error.h"
#include "invseg/inflate.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace invseg {
namespace {

constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr uint32_t kCentralHeaderSig = 0x02014b50;
constexpr uint32_t kEndOfCentralDirSig = 0x06054b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kEndOfCentralDirSize = 22;
constexpr size_t kZip64EndSize = 56;
constexpr size_t kZip64LocatorSize = 20;
constexpr uint16_t kZip64ExtraId = 0x0001;
// The largest ratio DEFLATE can reach (258-byte matches coded in ~2 bits); anything claiming more is corrupt.
constexpr uint64_t kMaxDeflateRatio = 1032;

uint16_t le16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
uint32_t le32(const uint8_t* p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24); }
uint64_t le64(const uint8_t* p) { return uint64_t(le32(p)) | (uint64_t(le32(p + 4)) << 32); }

/// begin + length <= limit, without overflow.
bool fits(uint64_t begin, uint64_t length, uint64_t limit) { return begin <= limit && length <= limit - begin; }

} // namespace

ZipReader::ZipReader(const uint8_t* data, size_t size, std::string context)
    : m_data(data), m_size(size), m_context(std::move(context))
{
    readCentralDirectory();
}

void ZipReader::fail(const std::string& what) const
{
    throw Error(ErrorKind::Format, m_context + ": not a valid zip archive: " + what);
}

void ZipReader::readCentralDirectory()
{
    if (m_size < kEndOfCentralDirSize)
        fail("the file is only " + std::to_string(m_size) + " bytes long (truncated?)");

    // The end-of-central-directory record is the last 22 bytes plus a comment of at most 65535 bytes.
    size_t eocd = m_size - kEndOfCentralDirSize;
    const size_t lowest = m_size - kEndOfCentralDirSize > 0xFFFF ? m_size - kEndOfCentralDirSize - 0xFFFF : 0;
    for (;; --eocd) {
        if (le32(m_data + eocd) == kEndOfCentralDirSig &&
            eocd + kEndOfCentralDirSize + le16(m_data + eocd + 20) <= m_size)
            break;
        if (eocd == lowest)
            fail("no end-of-central-directory record (truncated file?)");
    }
    const uint8_t* e = m_data + eocd;
    uint64_t diskNumber = le16(e + 4);
    uint64_t cdDisk = le16(e + 6);
    uint64_t entryCount = le16(e + 10);
    uint64_t cdSize = le32(e + 12);
    uint64_t cdOffset = le32(e + 16);

    if (eocd >= kZip64LocatorSize && le32(m_data + eocd - kZip64LocatorSize) == kZip64LocatorSig) {
        const uint64_t z64 = le64(m_data + eocd - kZip64LocatorSize + 8);
        if (!fits(z64, kZip64EndSize, eocd - kZip64LocatorSize) || le32(m_data + z64) != kZip64EndSig)
            fail("the zip64 end-of-central-directory locator points to offset " + std::to_string(z64) +
                 ", where there is no zip64 record");
        const uint8_t* z = m_data + z64;
        diskNumber = le32(z + 16);
        cdDisk = le32(z + 20);
        entryCount = le64(z + 32);
        cdSize = le64(z + 40);
        cdOffset = le64(z + 48);
    }
    if (diskNumber != 0 || cdDisk != 0)
        throw Error(ErrorKind::Unsupported, m_context + ": multi-disk zip archives are not supported");
    if (!fits(cdOffset, cdSize, eocd))
        fail("the central directory [" + std::to_string(cdOffset) + ", +" + std::to_string(cdSize) +
             ") lies outside the " + std::to_string(m_size) + "-byte file");
    // Each record takes at least 46 bytes: a count beyond that is a lie, and must not size an allocation.
    if (entryCount > cdSize / kCentralHeaderSize)
        fail("the central directory declares " + std::to_string(entryCount) + " entries in " +
             std::to_string(cdSize) + " bytes");

    m_entries.reserve(static_cast<size_t>(entryCount));
    const uint64_t cdEnd = cdOffset + cdSize;
    uint64_t pos = cdOffset;
    for (uint64_t i = 0; i < entryCount; ++i) {
        if (!fits(pos, kCentralHeaderSize, cdEnd) || le32(m_data + pos) != kCentralHeaderSig)
            fail("central directory record " + std::to_string(i) + " at offset " + std::to_string(pos) +
                 " is missing or truncated");
        const uint8_t* c = m_data + pos;
        const uint16_t flags = le16(c + 8);
        ZipEntry entry;
        entry.method = le16(c + 10);
        entry.crc = le32(c + 16);
        entry.compressedSize = le32(c + 20);
        entry.size = le32(c + 24);
        const uint16_t nameLen = le16(c + 28);
        const uint16_t extraLen = le16(c + 30);
        const uint16_t commentLen = le16(c + 32);
        uint64_t diskStart = le16(c + 34);
        uint64_t localOffset = le32(c + 42);
        if (!fits(pos + kCentralHeaderSize, uint64_t(nameLen) + extraLen + commentLen, cdEnd))
            fail("central directory record " + std::to_string(i) + " runs past the directory");
        entry.name.assign(reinterpret_cast<const char*>(c + kCentralHeaderSize), nameLen);

        // zip64: the fields that overflowed 32 bits are 0xFFFFFFFF and their real values follow, in this order,
        // in the extra field with id 1.
        const bool needUsize = entry.size == 0xFFFFFFFFu;
        const bool needCsize = entry.compressedSize == 0xFFFFFFFFu;
        const bool needOffset = localOffset == 0xFFFFFFFFu;
        const bool needDisk = diskStart == 0xFFFFu;
        if (needUsize || needCsize || needOffset || needDisk) {
            const uint8_t* x = c + kCentralHeaderSize + nameLen;
            const uint8_t* xEnd = x + extraLen;
            bool found = false;
            while (xEnd - x >= 4) {
                const uint16_t id = le16(x);
                const uint16_t len = le16(x + 2);
                if (len > xEnd - x - 4)
                    fail("entry '" + entry.name + "' has a truncated extra field");
                if (id == kZip64ExtraId) {
                    const uint8_t* f = x + 4;
                    const uint8_t* fEnd = f + len;
                    auto next64 = [&](uint64_t& out) {
                        if (fEnd - f < 8)
                            fail("entry '" + entry.name + "' has a truncated zip64 extra field");
                        out = le64(f);
                        f += 8;
                    };
                    if (needUsize) next64(entry.size);
                    if (needCsize) next64(entry.compressedSize);
                    if (needOffset) next64(localOffset);
                    if (needDisk) {
                        if (fEnd - f < 4)
                            fail("entry '" + entry.name + "' has a truncated zip64 extra field");
                        diskStart = le32(f);
                    }
                    found = true;
                    break;
                }
                x += 4 + len;
            }
            if (!found)
                fail("entry '" + entry.name + "' has 32-bit overflow markers but no zip64 extra field");
        }
        pos += kCentralHeaderSize + nameLen + extraLen + commentLen;

        if (flags & 1u)
            throw Error(ErrorKind::Unsupported, m_context + ": zip entry '" + entry.name + "' is encrypted");
        if (diskStart != 0)
            throw Error(ErrorKind::Unsupported, m_context + ": multi-disk zip archives are not supported");
        if (entry.method == 0) {
            if (entry.compressedSize != entry.size)
                fail("stored entry '" + entry.name + "' has compressed size " + std::to_string(entry.compressedSize) +
                     " but size " + std::to_string(entry.size));
        } else if (entry.method == 8) {
            if (entry.size / kMaxDeflateRatio > entry.compressedSize + 1)
                fail("deflated entry '" + entry.name + "' claims " + std::to_string(entry.size) + " bytes from " +
                     std::to_string(entry.compressedSize) + " compressed bytes, more than DEFLATE can encode");
        } else {
            throw Error(ErrorKind::Unsupported, m_context + ": zip entry '" + entry.name +
                                                    "' uses compression method " + std::to_string(entry.method) +
                                                    " (only stored and deflate are supported)");
        }

        if (!fits(localOffset, kLocalHeaderSize, m_size) || le32(m_data + localOffset) != kLocalHeaderSig)
            fail("entry '" + entry.name + "' has its local header at offset " + std::to_string(localOffset) +
                 (fits(localOffset, kLocalHeaderSize, m_size) ? ", where there is none"
                                                              : ", past the end of the file (" +
                                                                    std::to_string(m_size) + " bytes)"));
        const uint8_t* l = m_data + localOffset;
        const uint16_t localNameLen = le16(l + 26);
        const uint16_t localExtraLen = le16(l + 28);
        const uint64_t dataOffset = localOffset + kLocalHeaderSize + localNameLen + localExtraLen;
        if (!fits(localOffset + kLocalHeaderSize, localNameLen, m_size) ||
            std::string(reinterpret_cast<const char*>(l + kLocalHeaderSize), localNameLen) != entry.name)
            fail("entry '" + entry.name + "' has a local header whose name does not match the central directory");
        if (!fits(dataOffset, entry.compressedSize, m_size))
            fail("entry '" + entry.name + "' data [" + std::to_string(dataOffset) + ", +" +
                 std::to_string(entry.compressedSize) + ") runs past the end of the file (" + std::to_string(m_size) +
                 " bytes)");
        entry.dataOffset = dataOffset;

        if (!m_byName.emplace(entry.name, m_entries.size()).second)
            fail("duplicate entry '" + entry.name + "'");
        m_entries.push_back(std::move(entry));
    }
}

const ZipEntry* ZipReader::find(const std::string& name) const
{
    auto it = m_byName.find(name);
    return it == m_byName.end() ? nullptr : &m_entries[it->second];
}

const uint8_t* ZipReader::storedData(const ZipEntry& entry) const
{
    assert(entry.method == 0);
    return m_data + entry.dataOffset;
}

std::vector<uint8_t> ZipReader::read(const ZipEntry& entry, bool checkCrc) const
{
    std::vector<uint8_t> out;
    const uint8_t* src = m_data + entry.dataOffset;
    if (entry.method == 0) {
        out.assign(src, src + entry.size);
    } else {
        try {
            out = inflateRaw(src, static_cast<size_t>(entry.compressedSize), static_cast<size_t>(entry.size));
        } catch (const Error& e) {
            throw Error(ErrorKind::Format, m_context + ": zip entry '" + entry.name + "': " + e.what());
        }
        if (out.size() != entry.size)
            fail("entry '" + entry.name + "' inflates to " + std::to_string(out.size()) + " bytes, not the declared " +
                 std::to_string(entry.size));
    }
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    checkCrc = false; // fuzz builds only: lets the fuzzer mutate data.pkl without forging its CRC
#endif
    if (checkCrc && crc32(out.data(), out.size()) != entry.crc)
        fail("entry '" + entry.name + "' fails its CRC-32 check");
    return out;
}

} // namespace invseg
