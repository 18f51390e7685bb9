// PyTorch zip checkpoints (.ckpt/.pt/.bin): zip + restricted unpickler, tensors as views of the file's memory map.
#include "invseg/error.h"
#include "invseg/tensor_file.h"
#include "io/file_mapping.h"
#include "io/pickle_vm.h"
#include "io/zip_reader.h"

#include <torch/torch.h>

#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <new>
#include <unordered_map>
#include <unordered_set>

namespace invseg {
namespace {

// data.pkl of a full Stable Diffusion training checkpoint (weights, EMA, optimizer state) is well under 1 MB.
constexpr uint64_t kMaxPickleBytes = 64ull << 20;
constexpr size_t kMaxKeyLength = 4096;
constexpr size_t kMaxNesting = 64;
// One pickled tensor can be listed under any number of names (memo references cost two bytes each): cap the
// table, not just the pickle. A full SD checkpoint with EMA and optimizer state has a few thousand tensors.
constexpr size_t kMaxTensors = 1'000'000;

struct DtypeInfo {
    const char* name;
    torch::ScalarType type;
    int64_t size;
};

constexpr DtypeInfo kDtypes[] = {
    {"F32", torch::kFloat32, 4}, {"F16", torch::kFloat16, 2}, {"BF16", torch::kBFloat16, 2},
    {"F64", torch::kFloat64, 8}, {"I64", torch::kInt64, 8},   {"I32", torch::kInt32, 4},
    {"I16", torch::kInt16, 2},   {"I8", torch::kInt8, 1},     {"U8", torch::kUInt8, 1},
    {"BOOL", torch::kBool, 1},
};

const DtypeInfo& dtypeInfo(const std::string& name)
{
    for (const auto& d : kDtypes)
        if (name == d.name)
            return d;
    // PickleVm only produces the names above.
    throw Error(ErrorKind::Internal, "torch checkpoint: unexpected dtype " + name);
}

/// a * b into out, false on int64 overflow (both non-negative).
bool mulFits(int64_t a, int64_t b, int64_t& out)
{
    if (a != 0 && b > std::numeric_limits<int64_t>::max() / a)
        return false;
    out = a * b;
    return true;
}

bool addFits(int64_t a, int64_t b, int64_t& out)
{
    if (b > std::numeric_limits<int64_t>::max() - a)
        return false;
    out = a + b;
    return true;
}

/// One tensor of the state dict, validated against its storage record when the file is opened.
struct Record {
    TensorInfo info;
    torch::ScalarType type = torch::kFloat32;
    int64_t elementSize = 0;
    size_t entry = 0;              ///< index into ZipReader::entries()
    int64_t offset = 0;            ///< in elements
    std::vector<int64_t> strides;  ///< in elements
    bool contiguous = true;
};

class TorchCheckpointFile final : public TensorFile {
public:
    explicit TorchCheckpointFile(const std::string& path)
        : m_path(path), m_map(std::make_shared<FileMapping>(path)), m_zip(m_map->data(), m_map->size(), path)
    {
        const std::string prefix = findArchivePrefix();
        checkByteOrder(prefix);
        const ZipEntry& pkl = *m_zip.find(prefix + "data.pkl");
        if (pkl.size > kMaxPickleBytes)
            fail(pkl.name + " is " + std::to_string(pkl.size) + " bytes, beyond the limit of " +
                 std::to_string(kMaxPickleBytes));
        const std::vector<uint8_t> pickle = m_zip.read(pkl, /*checkCrc=*/true);
        PickleVm vm(m_path);
        const PyObject* root = vm.run(pickle.data(), pickle.size());
        collectTensors(root, prefix);
    }

    const std::string& path() const override { return m_path; }
    std::string format() const override { return "pickle"; }

    std::vector<std::string> keys() const override
    {
        std::vector<std::string> out;
        out.reserve(m_records.size());
        for (const auto& [k, v] : m_records)
            out.push_back(k);
        return out;
    }

    bool contains(const std::string& key) const override { return m_records.count(key) != 0; }
    TensorInfo info(const std::string& key) const override { return record(key).info; }

    torch::Tensor tensor(const std::string& key) const override
    {
        const Record& r = record(key);
        const auto options = torch::TensorOptions().dtype(r.type);
        try {
            if (r.info.numel() == 0)
                return torch::empty(r.info.shape, options);
            const ZipEntry& entry = m_zip.entries()[r.entry];
            // Bytes from the first to the last element the view reaches (validated when the file was opened).
            int64_t span = 1;
            for (size_t d = 0; d < r.info.shape.size(); ++d)
                span += (r.info.shape[d] - 1) * r.strides[d];
            const size_t begin = size_t(r.offset * r.elementSize);
            const size_t length = size_t(span * r.elementSize);

            uint8_t* ptr = nullptr;
            std::function<void(void*)> keepAlive;
            if (entry.method == 0) {
                ptr = m_map->data() + entry.dataOffset + begin;
                keepAlive = [map = m_map](void*) {};
            } else {
                auto bytes = std::make_shared<std::vector<uint8_t>>(m_zip.read(entry, /*checkCrc=*/true));
                ptr = bytes->data() + begin;
                keepAlive = [bytes](void*) {};
            }
            // PyTorch aligns its records to 64 bytes, but a zip written by other tools need not: copy rather than
            // hand out a misaligned view.
            if (reinterpret_cast<uintptr_t>(ptr) % uintptr_t(r.elementSize) != 0) {
                torch::Tensor aligned = torch::empty({int64_t(length)}, torch::kUInt8);
                std::memcpy(aligned.data_ptr(), ptr, length);
                ptr = aligned.data_ptr<uint8_t>();
                keepAlive = [aligned](void*) {};
            }
            torch::Tensor view = torch::from_blob(ptr, r.info.shape, r.strides, keepAlive, options);
            return r.contiguous ? view : view.contiguous();
        } catch (const std::bad_alloc&) {
            throw Error(ErrorKind::OutOfMemory, m_path + ": out of memory reading tensor '" + key + "'");
        } catch (const c10::Error& e) {
            throw Error(ErrorKind::Internal, m_path + ": tensor '" + key + "': " + e.what_without_backtrace());
        }
    }

private:
    [[noreturn]] void fail(const std::string& what) const
    {
        throw Error(ErrorKind::Format, m_path + ": not a valid PyTorch checkpoint: " + what);
    }

    const Record& record(const std::string& key) const
    {
        auto it = m_records.find(key);
        if (it == m_records.end())
            throw Error(ErrorKind::Key, m_path + ": no tensor named '" + key + "'");
        return it->second;
    }

    /// torch.save writes "<archive>/data.pkl" with an archive name of its choosing (the file's stem by default).
    std::string findArchivePrefix() const
    {
        const std::string* found = nullptr;
        for (const ZipEntry& e : m_zip.entries()) {
            const std::string& n = e.name;
            const bool topLevel = n == "data.pkl";
            const bool inArchive = n.size() > 9 && n.compare(n.size() - 9, 9, "/data.pkl") == 0 &&
                                   n.find('/') == n.size() - 9;
            if (!topLevel && !inArchive)
                continue;
            if (found)
                fail("the archive holds two pickles, '" + *found + "' and '" + n + "'");
            found = &n;
        }
        if (!found)
            fail("the zip archive holds no data.pkl");
        return found->substr(0, found->size() - 8);
    }

    void checkByteOrder(const std::string& prefix) const
    {
        const ZipEntry* e = m_zip.find(prefix + "byteorder");
        if (!e)
            return; // older writers: always little-endian
        if (e->size > 16)
            fail("byteorder record of " + std::to_string(e->size) + " bytes");
        const auto bytes = m_zip.read(*e, /*checkCrc=*/false);
        const std::string order(bytes.begin(), bytes.end());
        if (order == "big")
            throw Error(ErrorKind::Unsupported, m_path + ": big-endian checkpoints are not supported");
        if (order != "little")
            fail("byteorder record says '" + order + "'");
    }

    /// The value of a str key in a dict (the last one, as Python's dict keeps it), or nullptr.
    static const PyObject* lookup(const PyObject* dict, const std::string& key)
    {
        const PyObject* value = nullptr;
        for (size_t k = 0; k + 1 < dict->items.size(); k += 2)
            if (dict->items[k]->kind == PyKind::Str && dict->items[k]->s == key)
                value = dict->items[k + 1];
        return value;
    }

    void collectTensors(const PyObject* root, const std::string& prefix)
    {
        if (root->kind != PyKind::Dict)
            fail(std::string("the pickle holds a ") + pyKindName(root->kind) + ", not a dict of tensors");
        // Lightning and LDM wrap the weights in "state_dict" (sometimes twice); the other entries are training state.
        const PyObject* dict = root;
        for (size_t depth = 0; depth < kMaxNesting; ++depth) {
            const PyObject* inner = lookup(dict, "state_dict");
            if (!inner || inner->kind != PyKind::Dict)
                break;
            dict = inner;
        }

        // Nested dicts of tensors become dotted names. An explicit stack, a visited set and a depth limit: a pickle
        // can make dicts contain themselves or share one dict many times over.
        struct Pending {
            const PyObject* dict;
            std::string name;
            size_t depth;
        };
        std::vector<Pending> pending{{dict, "", 0}};
        std::unordered_set<const PyObject*> visited{dict};
        while (!pending.empty()) {
            Pending p = std::move(pending.back());
            pending.pop_back();
            // Later duplicates of a key replace earlier ones, as in Python.
            std::map<std::string, const PyObject*> entries;
            for (size_t k = 0; k + 1 < p.dict->items.size(); k += 2) {
                const PyObject* key = p.dict->items[k];
                if (key->kind != PyKind::Str)
                    continue; // optimizer state keyed by int, Lightning callbacks keyed by class, ...
                const PyObject* value = p.dict->items[k + 1];
                if (key->s.size() > kMaxKeyLength) {
                    if (value->kind == PyKind::Tensor || value->kind == PyKind::Dict)
                        fail("a tensor name is longer than " + std::to_string(kMaxKeyLength) + " bytes");
                    continue;
                }
                entries[key->s] = value;
            }
            for (const auto& [key, value] : entries) {
                if (value->kind != PyKind::Tensor && value->kind != PyKind::Dict)
                    continue; // training state, hyper-parameters, ...
                if (p.name.size() + 1 + key.size() > kMaxKeyLength)
                    fail("a tensor name is longer than " + std::to_string(kMaxKeyLength) + " bytes");
                std::string name = p.name.empty() ? key : p.name + "." + key;
                if (value->kind == PyKind::Tensor) {
                    addTensor(name, *value->tensor, prefix);
                } else if (visited.insert(value).second) {
                    if (p.depth + 1 >= kMaxNesting)
                        fail("dicts nested deeper than " + std::to_string(kMaxNesting) + " levels");
                    pending.push_back({value, std::move(name), p.depth + 1});
                }
            }
        }
    }

    void addTensor(const std::string& name, const PyTensor& t, const std::string& prefix)
    {
        if (m_records.size() >= kMaxTensors)
            fail("more than " + std::to_string(kMaxTensors) + " tensors");
        const PyStorage& storage = *t.storage->storage;
        const DtypeInfo& dtype = dtypeInfo(storage.dtype);
        auto bad = [&](const std::string& what) { fail("tensor '" + name + "' " + what); };

        const std::string recordName = prefix + "data/" + storage.key;
        const ZipEntry* entry = m_zip.find(recordName);
        if (!entry)
            bad("uses storage '" + storage.key + "', but the archive has no record '" + recordName + "'");
        int64_t storageBytes = 0;
        if (!mulFits(storage.numel, dtype.size, storageBytes) || uint64_t(storageBytes) > entry->size)
            bad("uses storage '" + storage.key + "' of " + std::to_string(storage.numel) + " " + dtype.name +
                " elements, but its record holds only " + std::to_string(entry->size) + " bytes");

        // The element count; the product of the non-zero sizes must fit too, so that TensorInfo::numel (which
        // multiplies left to right) cannot overflow.
        int64_t nonZero = 1;
        bool hasZero = false;
        for (int64_t d : t.sizes) {
            if (d == 0)
                hasZero = true;
            else if (!mulFits(nonZero, d, nonZero))
                bad("has a shape whose element count overflows");
        }
        const int64_t numel = hasZero ? 0 : nonZero;
        if (numel > 0) {
            // The last element the view reaches must lie inside the storage.
            int64_t reach = t.offset;
            for (size_t d = 0; d < t.sizes.size(); ++d) {
                int64_t step = 0;
                if (!mulFits(t.sizes[d] - 1, t.strides[d], step) || !addFits(reach, step, reach))
                    bad("has strides that overflow");
            }
            if (reach >= storage.numel)
                bad("reaches element " + std::to_string(reach) + " of storage '" + storage.key + "', which holds " +
                    std::to_string(storage.numel));
            // A view with overlapping elements (an expanded tensor) would copy into more memory than the file holds.
            if (numel > storage.numel)
                throw Error(ErrorKind::Unsupported, m_path + ": tensor '" + name + "' has " + std::to_string(numel) +
                                                        " elements over a storage of " +
                                                        std::to_string(storage.numel) +
                                                        " (an expanded view), which is not supported");
        }

        Record r;
        r.info.dtype = dtype.name;
        r.info.shape = t.sizes;
        r.type = dtype.type;
        r.elementSize = dtype.size;
        r.entry = size_t(entry - m_zip.entries().data());
        r.offset = t.offset;
        r.strides = t.strides;
        int64_t expected = 1;
        for (size_t d = t.sizes.size(); numel > 0 && d-- > 0;) {
            if (t.sizes[d] != 1 && t.strides[d] != expected)
                r.contiguous = false;
            expected *= t.sizes[d];
        }
        if (!m_records.emplace(name, std::move(r)).second)
            fail("the tensor name '" + name + "' occurs twice once nested dicts are flattened");
    }

    std::string m_path;
    std::shared_ptr<FileMapping> m_map;
    ZipReader m_zip;
    std::map<std::string, Record> m_records;
};

} // namespace

std::unique_ptr<TensorFile> openTorchCheckpoint(const std::string& path)
{
    return std::make_unique<TorchCheckpointFile>(path);
}

} // namespace invseg
