// Peak memory of a run: the process's resident high-water mark on the CPU, LibTorch's caching allocator on CUDA.
#include "invseg/segmenter.h"
#include "model/sd_model_impl.h"

#if defined(INVSEG_HAVE_CUDA_MEMORY_STATS)
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <fstream>
#include <string>

namespace invseg {

double peakMemoryMb(const std::string& device)
{
    if (device.rfind("cuda", 0) == 0) {
#if defined(INVSEG_HAVE_CUDA_MEMORY_STATS)
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(parseDevice(device).index());
        return static_cast<double>(stats.reserved_bytes[0].peak) / (1024.0 * 1024.0); // [0]: all pools
#else
        return 0.0; // this LibTorch gave no allocator statistics; the process's RSS would say nothing of the GPU
#endif
    }
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0.0;
}

void resetPeakMemory(const std::string& device)
{
#if defined(INVSEG_HAVE_CUDA_MEMORY_STATS)
    if (device.rfind("cuda", 0) == 0)
        c10::cuda::CUDACachingAllocator::resetPeakStats(parseDevice(device).index());
#else
    (void)device;
#endif
}

} // namespace invseg
