// What the engine runs on: LibTorch's version and the CUDA devices it sees, for about boxes and device pickers.
#pragma once

#include <string>

namespace invseg {

/// The LibTorch version the engine was built against, e.g. "2.1.0". Throws nothing.
std::string libtorchVersion();

/// The number of CUDA devices LibTorch can use (0 when this build has no CUDA or the machine has no GPU or driver).
/// Throws nothing.
int cudaDeviceCount();

/// cudaDeviceCount() > 0.
inline bool cudaAvailable()
{
    return cudaDeviceCount() > 0;
}

} // namespace invseg
