// Memory of a run: its peak (the process's resident high-water mark on the CPU, LibTorch's caching allocator on CUDA),
// and what a run that runs out of it says.
#include "invseg/segment_tensors.h"
#include "invseg/segmenter.h"
#include "model/sd_model_impl.h"

#if defined(INVSEG_HAVE_CUDA_MEMORY_STATS)
#include <c10/cuda/CUDACachingAllocator.h>
#endif
#include <c10/util/Exception.h>

#include <atomic>
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

namespace {
std::atomic<int> g_outOfMemoryAtStep{-1};
} // namespace

void testing::injectOutOfMemoryAtStep(int step)
{
    g_outOfMemoryAtStep.store(step);
}

void detail::maybeInjectOutOfMemory(int step)
{
    if (g_outOfMemoryAtStep.load() == step)
        TORCH_CHECK_WITH(OutOfMemoryError, false, "CUDA out of memory. Tried to allocate 2.00 GiB (injected by ",
                         "invseg::testing::injectOutOfMemoryAtStep at step ", step, ")");
}

Error detail::outOfMemoryError(const SdModel& model, int64_t imageHeight, int64_t imageWidth,
                               const SegmentOptions& options, const std::string& detail)
{
#if defined(INVSEG_HAVE_CUDA_MEMORY_STATS)
    // The failed run's tensors are gone by now; hand their cached blocks back so that the next run (smaller, or in
    // bf16) finds the memory free.
    if (model.device().rfind("cuda", 0) == 0)
        c10::cuda::CUDACachingAllocator::emptyCache();
#endif
    std::string tries;
    auto add = [&](const std::string& t) { tries += (tries.empty() ? "" : ", ") + t; };
    if (model.dtype() == "fp32" && model.device() != "cpu")
        add("bf16");
    if (!options.reuseSelfAttention)
        add("reusing self-attention");
    if (options.views > 1)
        add("one view");
    if (model.device() != "cpu")
        add("the CPU");
    const int64_t side = model.nativeImageSize();
    std::string msg = "out of memory on " + model.device() + " segmenting a " + std::to_string(imageWidth) + "\u00d7" +
                      std::to_string(imageHeight) + " image (the model works at " + std::to_string(side) + "\u00d7" +
                      std::to_string(side) + " px, " + model.dtype() + ", " + std::to_string(options.views) +
                      (options.views == 1 ? " view" : " views") + ")";
    if (!tries.empty())
        msg += ": try " + tries;
    if (!detail.empty())
        msg += " [" + detail.substr(0, 160) + "]";
    return Error(ErrorKind::OutOfMemory, msg);
}

} // namespace invseg
