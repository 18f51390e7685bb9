// Read-only access to the named tensors of one checkpoint file (safetensors, or a PyTorch zip pickle).
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace invseg {

/// A tensor's description as stored in the file.
struct TensorInfo {
    std::string dtype; ///< the safetensors spelling: "F16", "BF16", "F32", "I64", ...
    std::vector<int64_t> shape;
    int64_t numel() const
    {
        int64_t n = 1;
        for (auto d : shape)
            n *= d;
        return n;
    }
};

/// One opened tensor file. Thread-compatible: const methods may be called from several threads.
/// Every method that fails throws invseg::Error naming the file (and the key, where there is one).
class TensorFile {
public:
    virtual ~TensorFile() = default;

    /// The path the file was opened from.
    virtual const std::string& path() const = 0;
    /// "safetensors" or "pickle".
    virtual std::string format() const = 0;
    /// All tensor names, sorted.
    virtual std::vector<std::string> keys() const = 0;
    virtual bool contains(const std::string& key) const = 0;
    /// Throws Error(Key) for an unknown key.
    virtual TensorInfo info(const std::string& key) const = 0;
    /// The tensor on the CPU in the file's dtype. It may view memory the reader holds (the file's memory map, a
    /// record extracted from an archive); the view keeps that memory alive, so it stays valid after this object is
    /// destroyed. Throws Error(Unsupported) for a dtype LibTorch cannot represent in this build (F8 on LibTorch 1.x,
    /// U16/U32/U64, ...).
    virtual torch::Tensor tensor(const std::string& key) const = 0;
    /// Free-form string metadata (safetensors "__metadata__"; empty for pickles).
    virtual std::map<std::string, std::string> metadata() const { return {}; }
};

/// Opens a .safetensors file: mmap, header fully validated before any tensor is touched.
std::unique_ptr<TensorFile> openSafetensors(const std::string& path);

/// Opens a PyTorch zip checkpoint (.ckpt, .pt, .bin) laid out as torch.save writes it (one folder holding data.pkl,
/// version and data/<key>), through LibTorch's zip reader and a restricted unpickler that only rebuilds tensors and
/// plain containers; anything else (a function call, an unknown global) is refused with Error(Format). Nested
/// "state_dict" wrappers are flattened; non-tensor entries are dropped. A storage record is read, and checked
/// against the size the pickle declares, when one of its tensors is asked for (Error(Format) from tensor()).
std::unique_ptr<TensorFile> openTorchCheckpoint(const std::string& path);

/// Chooses by content (the zip magic "PK\x03\x04" means a PyTorch checkpoint, anything else is tried as safetensors).
std::unique_ptr<TensorFile> openTensorFile(const std::string& path);

/// Bytes per element of a safetensors dtype name, 0 if unknown.
int64_t dtypeSize(const std::string& dtype);

} // namespace invseg

namespace invseg {

/// Writes tensors as a .safetensors file (F32/F16/BF16/F64/I64/I32/I16/I8/U8/BOOL), atomically: the data goes to
/// a temporary file beside `path` that is renamed over it only when complete. Throws Error(Io) naming the path.
void saveSafetensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                     const std::map<std::string, std::string>& metadata = {});

} // namespace invseg
