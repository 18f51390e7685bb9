// LibTorch's version and CUDA devices, for callers that include no LibTorch header.
#include "invseg/runtime_info.h"

#include <torch/cuda.h>
#include <torch/version.h>

namespace invseg {

std::string libtorchVersion()
{
    return TORCH_VERSION;
}

int cudaDeviceCount()
{
    try {
        return static_cast<int>(torch::cuda::device_count());
    } catch (...) {
        return 0; // no CUDA runtime
    }
}

} // namespace invseg
