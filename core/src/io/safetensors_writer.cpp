// safetensors writer: sorted, 8-byte-aligned header, data written to a temporary file then renamed into place.
#include "invseg/error.h"
#include "invseg/tensor_file.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace invseg {
namespace {

const char* dtypeNameOf(torch::ScalarType t)
{
    switch (t) {
    case torch::kFloat: return "F32";
    case torch::kHalf: return "F16";
    case torch::kBFloat16: return "BF16";
    case torch::kDouble: return "F64";
    case torch::kLong: return "I64";
    case torch::kInt: return "I32";
    case torch::kShort: return "I16";
    case torch::kChar: return "I8";
    case torch::kByte: return "U8";
    case torch::kBool: return "BOOL";
    default: return nullptr;
    }
}

} // namespace

void saveSafetensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                     const std::map<std::string, std::string>& metadata)
{
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::vector<torch::Tensor> data;
    uint64_t offset = 0;
    // Larger elements first keeps every tensor aligned to its element size.
    std::vector<std::pair<std::string, torch::Tensor>> order(tensors.begin(), tensors.end());
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.second.element_size() > b.second.element_size(); });
    for (const auto& [name, t] : order) {
        const char* dtype = dtypeNameOf(t.scalar_type());
        if (!dtype)
            throw Error(ErrorKind::Unsupported, path + ": tensor '" + name + "' has a dtype safetensors cannot store");
        auto c = t.detach().to(torch::kCPU).contiguous();
        const uint64_t bytes = static_cast<uint64_t>(c.numel()) * c.element_size();
        header[name] = {{"dtype", dtype}, {"shape", c.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        data.push_back(c);
    }
    std::string h = header.dump();
    while ((8 + h.size()) % 8 != 0)
        h.push_back(' ');

    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f)
        throw Error(ErrorKind::Io, path + ": cannot write: " + std::strerror(errno));
    bool ok = true;
    uint8_t len[8];
    uint64_t n = h.size();
    for (int i = 0; i < 8; ++i)
        len[i] = static_cast<uint8_t>(n >> (8 * i));
    ok = ok && std::fwrite(len, 1, 8, f) == 8;
    ok = ok && std::fwrite(h.data(), 1, h.size(), f) == h.size();
    for (const auto& c : data) {
        const size_t bytes = static_cast<size_t>(c.numel()) * c.element_size();
        ok = ok && (bytes == 0 || std::fwrite(c.data_ptr(), 1, bytes, f) == bytes);
    }
    ok = (std::fflush(f) == 0) && ok;
    const int err = errno;
    ok = (std::fclose(f) == 0) && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw Error(ErrorKind::Io, path + ": write failed: " + std::strerror(err ? err : errno));
    }
}

} // namespace invseg
