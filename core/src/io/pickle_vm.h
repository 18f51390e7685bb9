// A restricted unpickler for PyTorch checkpoints: builds plain containers and tensor records, never runs code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace invseg {

/// The kinds of value the VM can produce. Everything that is not a plain value, a container, a storage or a
/// tensor record is a Global: a reference to a Python name that the VM never resolves.
enum class PyKind { None, Bool, Int, BigInt, Float, Str, Bytes, Tuple, List, Set, Dict, Global, Storage, Tensor };

struct PyObject;

/// A storage named by a persistent id ('storage', torch.<Type>Storage, key, location, numel).
struct PyStorage {
    std::string key;   ///< the record name under <archive>/data/
    std::string dtype; ///< safetensors spelling: "F32", "F16", "BF16", "I64", ...
    int64_t numel = 0; ///< elements, as the persistent id declares (not yet checked against the record)
};

/// A tensor as torch._utils._rebuild_tensor_v2 would build it: a view of a storage. Not yet validated.
struct PyTensor {
    const PyObject* storage = nullptr; ///< kind Storage
    int64_t offset = 0;
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides;
};

/// One value. Owned by the PickleVm that made it; pointers between values never own, so shared references and
/// cycles (which pickles can express) cost nothing and leak nothing.
struct PyObject {
    PyKind kind = PyKind::None;
    int64_t i = 0;                      ///< Bool, Int
    double f = 0;                       ///< Float
    std::string s;                      ///< Str, Bytes; Global: the module
    std::string name;                   ///< Global: the qualified name within the module
    std::vector<PyObject*> items;       ///< Tuple, List, Set; Dict: key0, value0, key1, value1, ...
    std::unique_ptr<PyStorage> storage; ///< Storage
    std::unique_ptr<PyTensor> tensor;   ///< Tensor
};

/// Runs one pickle (protocol 2 to 5, as torch.save writes it) and returns its result.
///
/// Only these globals may be called (REDUCE, NEWOBJ, NEWOBJ_EX, BUILD, INST, OBJ): collections.OrderedDict,
/// torch._utils._rebuild_tensor_v2 / _rebuild_tensor / _rebuild_parameter / _rebuild_parameter_with_state.
/// The only persistent ids accepted are PyTorch storages. Any other global may be referenced (it stays an inert
/// Global value) but calling it throws Error(Format) "<context>: refusing to unpickle: calls <module>.<name>".
/// Malformed or truncated input, and input beyond the limits below, throws Error(Format) starting with
/// `context`. Memory use is bounded by the limits, not by what the input declares; nothing recurses.
class PickleVm {
public:
    static constexpr size_t kMaxObjects = 2'000'000; ///< values created
    static constexpr size_t kMaxItems = 16'000'000;  ///< container slots filled, all containers together
    static constexpr size_t kMaxStack = 1'000'000;   ///< stack depth, and MARK depth
    static constexpr size_t kMaxMemo = 4'000'000;    ///< highest memo index + 1
    static constexpr size_t kMaxDims = 64;           ///< tensor rank

    explicit PickleVm(std::string context);
    PickleVm(const PickleVm&) = delete;
    PickleVm& operator=(const PickleVm&) = delete;

    /// Runs the pickle in [data, data + size); the result lives as long as this VM.
    const PyObject* run(const uint8_t* data, size_t size);

private:
    class Machine;

    std::string m_context;
    std::deque<PyObject> m_objects;
};

/// "dict", "tensor", ... for messages.
const char* pyKindName(PyKind kind);

} // namespace invseg
