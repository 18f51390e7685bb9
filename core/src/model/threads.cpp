// setComputeThreads: LibTorch's pool set, OpenBLAS kept to one thread.
#include "invseg/threads.h"

#include <ATen/Parallel.h>

#include <dlfcn.h>
#include <malloc.h>
#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace invseg {

int availableCores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

ComputeThreads setComputeThreads(int threads)
{
    ComputeThreads r;
    r.requested = threads > 0 ? threads : availableCores();
    // OpenBLAS first: LibTorch's first parallel region may already call into it.
    using SetThreads = void (*)(int);
    const char* untouched = std::getenv("INVSEG_OPENBLAS_UNTOUCHED");
    if (untouched && std::strcmp(untouched, "1") == 0) {
        // measured comparison only: see threads.h
    } else if (auto* f = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
        f(1); // LibTorch's pool does the parallel work; see threads.h for the measurement
        r.openBlas = true;
    }
    at::set_num_threads(r.requested);
    r.torch = at::get_num_threads();
    return r;
}

bool keepFreedTensorMemory()
{
    // M_MMAP_THRESHOLD above HEAP_MAX/2 (32 MiB with 64-bit longs) is refused; setting it also turns off glibc's
    // dynamic threshold, so M_TRIM_THRESHOLD keeps its value.
    constexpr int kMmapThreshold = 4 * 1024 * 1024 * static_cast<int>(sizeof(long));
    constexpr int kTrimThreshold = 1 << 30;
    const bool mmapOk = ::mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1;
    const bool trimOk = ::mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
    return mmapOk && trimOk;
}

} // namespace invseg
