// safetensors reader: mmap, a header validated against the format's rules, zero-copy tensor views.
#include "invseg/error.h"
#include "invseg/inflate.h"
#include "invseg/tensor_file.h"
#include "io/file_mapping.h"
#include "util/byte_order.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

namespace invseg {
namespace {

// The reference implementation's limit (huggingface/safetensors MAX_HEADER_SIZE).
constexpr uint64_t kMaxHeaderSize = 100'000'000;

struct DtypeEntry {
    const char* name;
    int64_t size;
};

constexpr DtypeEntry kDtypes[] = {
    {"BOOL", 1}, {"U8", 1},      {"I8", 1},      {"I16", 2},     {"U16", 2},  {"I32", 4},
    {"U32", 4},  {"I64", 8},     {"U64", 8},     {"F16", 2},     {"BF16", 2}, {"F32", 4},
    {"F64", 8},  {"F8_E4M3", 1}, {"F8_E5M2", 1}, {"F8_E8M0", 1}, {"C64", 8},
};

struct Entry {
    TensorInfo info;
    uint64_t begin = 0;
    uint64_t end = 0;
};

c10::optional<torch::ScalarType> torchType(const std::string& dtype)
{
    if (dtype == "BOOL")
        return torch::kBool;
    if (dtype == "U8")
        return torch::kUInt8;
    if (dtype == "I8")
        return torch::kInt8;
    if (dtype == "I16")
        return torch::kInt16;
    if (dtype == "I32")
        return torch::kInt32;
    if (dtype == "I64")
        return torch::kInt64;
    if (dtype == "F16")
        return torch::kFloat16;
    if (dtype == "BF16")
        return torch::kBFloat16;
    if (dtype == "F32")
        return torch::kFloat32;
    if (dtype == "F64")
        return torch::kFloat64;
#if defined(TORCH_VERSION_MAJOR) && (TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1))
    if (dtype == "F8_E4M3")
        return torch::kFloat8_e4m3fn;
    if (dtype == "F8_E5M2")
        return torch::kFloat8_e5m2;
#endif
    return c10::nullopt;
}

class SafetensorsFile final : public TensorFile {
public:
    explicit SafetensorsFile(const std::string& path) : m_path(path), m_map(std::make_shared<FileMapping>(path))
    {
        // A gzip-compressed safetensors file (NAME.safetensors.gz; the bundled toy model's text encoder) is
        // decompressed into memory and read the same way.
        if (m_map->size() >= 2 && m_map->data()[0] == 0x1f && m_map->data()[1] == 0x8b) {
            try {
                m_map = std::make_shared<FileMapping>(gunzip(m_map->data(), m_map->size()));
            } catch (const Error& e) {
                throw Error(ErrorKind::Format, path + ": gzip-compressed, but " + e.what());
            }
        }
        parseHeader();
    }

    const std::string& path() const override { return m_path; }
    std::string format() const override { return "safetensors"; }

    std::vector<std::string> keys() const override
    {
        std::vector<std::string> out;
        out.reserve(m_entries.size());
        for (const auto& [k, v] : m_entries)
            out.push_back(k);
        return out;
    }

    bool contains(const std::string& key) const override { return m_entries.count(key) != 0; }

    TensorInfo info(const std::string& key) const override { return entry(key).info; }

    torch::Tensor tensor(const std::string& key) const override
    {
        const Entry& e = entry(key);
        const auto type = torchType(e.info.dtype);
        if (!type)
            throw Error(ErrorKind::Unsupported, m_path + ": tensor '" + key + "' has dtype " + e.info.dtype +
                                                    ", which this LibTorch build cannot represent");
        if (e.info.numel() == 0)
            return torch::empty(e.info.shape, torch::TensorOptions().dtype(*type));
        auto keepAlive = m_map;
        void* ptr = m_map->data() + m_dataStart + e.begin;
        // safetensors aligns tensors only to their element size relative to the data start, and the header length
        // may leave the data start unaligned: copy in that (rare) case instead of handing out a misaligned view.
        const int64_t elsize = dtypeSize(e.info.dtype);
        if (reinterpret_cast<uintptr_t>(ptr) % static_cast<uintptr_t>(elsize) != 0) {
            auto out = torch::empty(e.info.shape, torch::TensorOptions().dtype(*type));
            std::memcpy(out.data_ptr(), ptr, static_cast<size_t>(e.end - e.begin));
            return out;
        }
        return torch::from_blob(
            ptr, e.info.shape, [keepAlive](void*) mutable { keepAlive.reset(); }, torch::TensorOptions().dtype(*type));
    }

    std::map<std::string, std::string> metadata() const override { return m_metadata; }

private:
    const Entry& entry(const std::string& key) const
    {
        auto it = m_entries.find(key);
        if (it == m_entries.end())
            throw Error(ErrorKind::Key, m_path + ": no tensor named '" + key + "'");
        return it->second;
    }

    [[noreturn]] void fail(const std::string& what) const
    {
        throw Error(ErrorKind::Format, m_path + ": not a valid safetensors file: " + what);
    }

    void parseHeader()
    {
        const size_t size = m_map->size();
        if (size < 8)
            fail(size == 0 ? "the file is empty" : "the file is shorter than the 8-byte header length");
        const uint64_t headerLen = le64(m_map->data());
        if (headerLen > kMaxHeaderSize)
            fail("header length " + std::to_string(headerLen) + " exceeds the limit of " +
                 std::to_string(kMaxHeaderSize) + " bytes");
        if (headerLen > size - 8)
            fail("header length " + std::to_string(headerLen) + " runs past the end of the file (" +
                 std::to_string(size) + " bytes)");
        if (headerLen < 2)
            fail("header of " + std::to_string(headerLen) + " bytes cannot hold a JSON object");
        m_dataStart = 8 + headerLen;
        const uint64_t dataLen = size - m_dataStart;

        nlohmann::json header;
        // nlohmann keeps the last of two equal keys silently; a duplicated tensor name is a malformed header.
        std::set<std::string> names;
        std::string duplicate;
        auto noteKey = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
            if (depth == 1 && event == nlohmann::json::parse_event_t::key && duplicate.empty() &&
                !names.insert(parsed.get<std::string>()).second)
                duplicate = parsed.get<std::string>();
            return true;
        };
        try {
            header = nlohmann::json::parse(m_map->data() + 8, m_map->data() + 8 + headerLen, noteKey);
        } catch (const nlohmann::json::exception& e) {
            fail(std::string("header is not valid JSON (") + e.what() + ")");
        }
        if (!header.is_object())
            fail("header is not a JSON object");
        if (!duplicate.empty())
            fail("header names '" + duplicate + "' twice (duplicate key)");

        std::vector<std::pair<uint64_t, uint64_t>> ranges;
        for (auto it = header.begin(); it != header.end(); ++it) {
            const std::string& name = it.key();
            if (name == "__metadata__") {
                if (!it->is_object())
                    fail("__metadata__ is not an object");
                for (auto m = it->begin(); m != it->end(); ++m) {
                    if (!m->is_string())
                        fail("__metadata__ value '" + m.key() + "' is not a string");
                    m_metadata[m.key()] = m->get<std::string>();
                }
                continue;
            }
            const auto& t = *it;
            if (!t.is_object() || !t.contains("dtype") || !t.contains("shape") || !t.contains("data_offsets"))
                fail("entry '" + name + "' lacks dtype, shape or data_offsets");
            if (!t["dtype"].is_string())
                fail("entry '" + name + "' has a non-string dtype");
            Entry e;
            e.info.dtype = t["dtype"].get<std::string>();
            const int64_t elsize = dtypeSize(e.info.dtype);
            if (elsize == 0)
                fail("entry '" + name + "' has unknown dtype '" + e.info.dtype + "'");
            if (!t["shape"].is_array())
                fail("entry '" + name + "' has a shape that is not an array");
            uint64_t numel = 1;
            // The product of the dimensions with zeros counted as ones bounds numel, and LibTorch 2.x computes the
            // strides of even an empty tensor from it, refusing ("Stride calculation overflowed") past int64.
            uint64_t strideSpan = 1;
            bool overflow = false;
            for (const auto& d : t["shape"]) {
                if (!d.is_number_integer() || d.get<int64_t>() < 0 ||
                    (d.is_number_unsigned() && d.get<uint64_t>() > uint64_t(INT64_MAX)))
                    fail("entry '" + name + "' has a negative or non-integer shape dimension");
                const uint64_t dim = d.get<uint64_t>();
                const uint64_t span = std::max<uint64_t>(dim, 1);
                if (strideSpan > uint64_t(INT64_MAX) / span)
                    overflow = true;
                strideSpan *= span;
                numel *= dim;
                e.info.shape.push_back(static_cast<int64_t>(dim));
            }
            if (overflow || (numel != 0 && numel > uint64_t(INT64_MAX) / uint64_t(elsize)))
                fail("entry '" + name + "' has a shape whose byte size overflows");
            const auto& off = t["data_offsets"];
            if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
                fail("entry '" + name + "' has data_offsets that are not two non-negative integers");
            e.begin = off[0].get<uint64_t>();
            e.end = off[1].get<uint64_t>();
            if (e.begin > e.end)
                fail("entry '" + name + "' has reversed data_offsets [" + std::to_string(e.begin) + ", " +
                     std::to_string(e.end) + "]");
            if (e.end > dataLen)
                fail("entry '" + name + "' has data_offsets ending at " + std::to_string(e.end) + ", past the " +
                     std::to_string(dataLen) + " bytes of data");
            if (e.end - e.begin != numel * uint64_t(elsize))
                fail("entry '" + name + "' spans " + std::to_string(e.end - e.begin) + " bytes but its shape and " +
                     "dtype need " + std::to_string(numel * uint64_t(elsize)));
            ranges.emplace_back(e.begin, e.end);
            m_entries.emplace(name, std::move(e));
        }
        // The buffer must be covered exactly: no overlaps, no holes, the last tensor ending at EOF.
        std::sort(ranges.begin(), ranges.end());
        uint64_t cursor = 0;
        for (const auto& [b, e] : ranges) {
            if (b < cursor)
                fail("data_offsets overlap at byte " + std::to_string(b));
            if (b > cursor)
                fail("data_offsets leave a hole at bytes [" + std::to_string(cursor) + ", " + std::to_string(b) + ")");
            cursor = e;
        }
        if (cursor != dataLen)
            fail("data_offsets cover " + std::to_string(cursor) + " of the " + std::to_string(dataLen) +
                 " data bytes (trailing bytes after the last tensor)");
    }

    std::string m_path;
    std::shared_ptr<FileMapping> m_map;
    uint64_t m_dataStart = 0;
    std::map<std::string, Entry> m_entries;
    std::map<std::string, std::string> m_metadata;
};

} // namespace

int64_t dtypeSize(const std::string& dtype)
{
    for (const auto& d : kDtypes)
        if (dtype == d.name)
            return d.size;
    return 0;
}

std::unique_ptr<TensorFile> openSafetensors(const std::string& path)
{
    return std::make_unique<SafetensorsFile>(path);
}

} // namespace invseg
