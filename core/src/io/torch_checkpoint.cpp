// PyTorch zip checkpoints (.ckpt/.pt/.bin): LibTorch's PyTorchStreamReader for the zip container, our restricted
// unpickler for data.pkl, tensors built over the records the reader extracts.
#include "invseg/error.h"
#include "invseg/tensor_file.h"
#include "io/file_mapping.h"
#include "io/pickle_vm.h"

#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
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

/// The first line of a LibTorch error, without the C++ source location that may follow or the plea for a better
/// message that failed TORCH_CHECKs append.
std::string firstLine(const std::string& s)
{
    std::string line = s.substr(0, s.find('\n'));
    const size_t plea = line.find("  (Could this error message be improved?");
    return plea == std::string::npos ? line : line.substr(0, plea);
}

/// PyTorchStreamReader's view of the mapped file. miniz calls read() from C, so it never throws; it clamps to the
/// end of the file and returns what it copied, which miniz checks.
class MappedFileAdapter final : public caffe2::serialize::ReadAdapterInterface {
public:
    explicit MappedFileAdapter(std::shared_ptr<const FileMapping> map) : m_map(std::move(map)) {}

    size_t size() const override { return m_map->size(); }

    size_t read(uint64_t pos, void* buf, size_t n, const char* /*what*/) const override
    {
        if (pos >= m_map->size())
            return 0;
        n = std::min<size_t>(n, m_map->size() - size_t(pos));
        std::memcpy(buf, m_map->data() + pos, n);
        return n;
    }

private:
    std::shared_ptr<const FileMapping> m_map;
};

/// The bytes of one record as the reader extracts it (LibTorch builds miniz without its CRC-32 check, so a damaged
/// record is caught only where its contents fail to parse). Shared by the tensors that view them.
struct RecordBytes {
    at::DataPtr data;
    size_t size = 0;
};

/// One tensor of the state dict: its view of a storage, validated against the pickle when the file is opened and
/// against the storage record's size when the record is read.
struct Record {
    TensorInfo info;
    torch::ScalarType type = torch::kFloat32;
    int64_t elementSize = 0;
    std::string record; ///< the storage's record, relative to the archive folder: "data/<key>"
    std::string storageKey;
    int64_t storageNumel = 0;     ///< elements, as the pickle declares the storage
    int64_t storageBytes = 0;     ///< storageNumel × element size (saturated at INT64_MAX)
    int64_t offset = 0;           ///< in elements
    std::vector<int64_t> strides; ///< in elements
    bool contiguous = true;
};

class TorchCheckpointFile final : public TensorFile {
public:
    explicit TorchCheckpointFile(const std::string& path) : m_path(path)
    {
        auto map = std::make_shared<const FileMapping>(path);
        if (map->size() == 0)
            fail("the file is empty (0 bytes long)");
        m_reader = call("", [&] {
            return std::make_unique<caffe2::serialize::PyTorchStreamReader>(
                std::make_shared<MappedFileAdapter>(std::move(map)));
        });
        checkRecordNames();
        if (!hasRecord("data.pkl"))
            fail("the zip archive holds no data.pkl");
        checkByteOrder();
        const std::shared_ptr<RecordBytes> pickle = readRecord("data.pkl");
        if (pickle->size > kMaxPickleBytes)
            fail("data.pkl is " + std::to_string(pickle->size) + " bytes, beyond the limit of " +
                 std::to_string(kMaxPickleBytes));
        PickleVm vm(m_path);
        const PyObject* root = vm.run(static_cast<const uint8_t*>(pickle->data.get()), pickle->size);
        collectTensors(root);
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
            const std::shared_ptr<RecordBytes> bytes = readRecord(r.record);
            if (uint64_t(r.storageBytes) > bytes->size)
                fail("tensor '" + key + "' uses storage '" + r.storageKey + "' of " + std::to_string(r.storageNumel) +
                     " " + r.info.dtype + " elements, but its record holds only " + std::to_string(bytes->size) +
                     " bytes");
            // The reader's buffers come from LibTorch's CPU allocator, aligned for any element type; the view's
            // reach was checked against the storage when the file was opened.
            auto* base = static_cast<uint8_t*>(bytes->data.get()) + size_t(r.offset * r.elementSize);
            torch::Tensor view = torch::from_blob(
                base, r.info.shape, r.strides, [bytes](void*) {}, options);
            return r.contiguous ? view : view.contiguous();
        } catch (const std::bad_alloc&) {
            throw Error(ErrorKind::OutOfMemory, m_path + ": out of memory reading tensor '" + key + "'");
        } catch (const c10::Error& e) {
            throw Error(ErrorKind::Internal,
                        m_path + ": tensor '" + key + "': " + firstLine(e.what_without_backtrace()));
        }
    }

private:
    [[noreturn]] void fail(const std::string& what) const
    {
        throw Error(ErrorKind::Format, m_path + ": not a valid PyTorch checkpoint: " + what);
    }

    /// Runs one call into the reader under the lock, turning what it throws into invseg::Error naming the file and
    /// the record (if any): c10::Error from miniz and from the reader's own checks, std::exception from its parsing
    /// of the version record.
    template <typename F>
    auto call(const std::string& recordName, F&& f) const -> decltype(f())
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const std::string where = recordName.empty() ? "" : "record '" + recordName + "': ";
        try {
            return f();
        } catch (const Error&) {
            throw;
        } catch (const c10::Error& e) {
            const std::string message = firstLine(e.what_without_backtrace());
            // The reader allocates each record whole, at the size the archive declares.
            if (message.find("not enough memory") != std::string::npos ||
                message.find("can't allocate memory") != std::string::npos)
                throw Error(ErrorKind::OutOfMemory, m_path + ": " + where + message);
            fail(where + message);
        } catch (const std::bad_alloc&) {
            throw Error(ErrorKind::OutOfMemory, m_path + ": " + where + "out of memory");
        } catch (const std::exception& e) {
            fail(where + e.what());
        }
    }

    bool hasRecord(const std::string& name) const
    {
        return call(name, [&] { return m_reader->hasRecord(name); });
    }

    /// The record's bytes, shared with any tensor still viewing them (tensors that share a storage share memory, as
    /// after torch.load).
    std::shared_ptr<RecordBytes> readRecord(const std::string& name) const
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            auto it = m_cache.find(name);
            if (it != m_cache.end())
                if (auto alive = it->second.lock())
                    return alive;
        }
        auto bytes = std::make_shared<RecordBytes>();
        std::tie(bytes->data, bytes->size) = call(name, [&] { return m_reader->getRecord(name); });
        std::lock_guard<std::mutex> lock(m_mutex);
        m_cache[name] = bytes;
        return bytes;
    }

    const Record& record(const std::string& key) const
    {
        auto it = m_records.find(key);
        if (it == m_records.end())
            throw Error(ErrorKind::Key, m_path + ": no tensor named '" + key + "'");
        return it->second;
    }

    /// The reader refuses records outside the archive's folder; names that occur twice would make the archive mean
    /// different things to different zip readers.
    void checkRecordNames() const
    {
        const std::vector<std::string> names = call("", [&] { return m_reader->getAllRecords(); });
        std::unordered_set<std::string> seen;
        for (const std::string& n : names)
            if (!seen.insert(n).second)
                fail("duplicate entry '" + n + "'");
    }

    void checkByteOrder() const
    {
        if (!hasRecord("byteorder"))
            return; // older writers: always little-endian
        const std::shared_ptr<RecordBytes> bytes = readRecord("byteorder");
        if (bytes->size > 16)
            fail("byteorder record of " + std::to_string(bytes->size) + " bytes");
        const auto* p = static_cast<const char*>(bytes->data.get());
        const std::string order(p, p + bytes->size);
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

    void collectTensors(const PyObject* root)
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
                    addTensor(name, *value->tensor);
                } else if (visited.insert(value).second) {
                    if (p.depth + 1 >= kMaxNesting)
                        fail("dicts nested deeper than " + std::to_string(kMaxNesting) + " levels");
                    pending.push_back({value, std::move(name), p.depth + 1});
                }
            }
        }
    }

    void addTensor(const std::string& name, const PyTensor& t)
    {
        if (m_records.size() >= kMaxTensors)
            fail("more than " + std::to_string(kMaxTensors) + " tensors");
        const PyStorage& storage = *t.storage->storage;
        const DtypeInfo& dtype = dtypeInfo(storage.dtype);
        auto bad = [&](const std::string& what) { fail("tensor '" + name + "' " + what); };

        const std::string recordName = "data/" + storage.key;
        if (!hasRecord(recordName))
            bad("uses storage '" + storage.key + "', but the archive has no record '" + recordName + "'");
        // Whether the record holds that many bytes is checked when it is read: the reader tells a record's size only
        // by extracting it. A byte count that overflows is more than any record holds.
        int64_t storageBytes = 0;
        if (!mulFits(storage.numel, dtype.size, storageBytes))
            storageBytes = std::numeric_limits<int64_t>::max();

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
                                                        " elements over a storage of " + std::to_string(storage.numel) +
                                                        " (an expanded view), which is not supported");
        }

        Record r;
        r.info.dtype = dtype.name;
        r.info.shape = t.sizes;
        r.type = dtype.type;
        r.elementSize = dtype.size;
        r.record = recordName;
        r.storageKey = storage.key;
        r.storageNumel = storage.numel;
        r.storageBytes = storageBytes;
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
    mutable std::mutex m_mutex; ///< guards the reader (miniz keeps per-archive state) and the cache
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> m_reader;
    mutable std::map<std::string, std::weak_ptr<RecordBytes>> m_cache;
    std::map<std::string, Record> m_records;
};

} // namespace

std::unique_ptr<TensorFile> openTorchCheckpoint(const std::string& path)
{
    return std::make_unique<TorchCheckpointFile>(path);
}

} // namespace invseg
