// The engine's CPU runtime: one call that sets every thread pool LibTorch's kernels use, and the allocator.
#pragma once

namespace invseg {

/// What setComputeThreads did.
struct ComputeThreads {
    int requested = 0;     ///< the count asked for (after 0 -> cores)
    int torch = 0;         ///< torch::get_num_threads() afterwards (OpenMP / intra-op pool)
    bool openBlas = false; ///< true when an OpenBLAS in the process was set to one thread
};

/// The number of cores this process may run on (sched_getaffinity, else hardware_concurrency, at least 1).
int availableCores();

/// Sets LibTorch's intra-op (OpenMP) pool to `threads` (0 = availableCores()) and OpenBLAS's own pool to ONE thread.
/// Debian's LibTorch runs its matrix products on OpenBLAS, which starts its own pool of one thread per core
/// regardless of torch::set_num_threads, and LibTorch calls it from inside its own parallel regions: with both pools
/// at N threads, N cores run up to N² threads. Measured on the 2-core machine with --threads 2 (docs/performance.md):
/// OpenBLAS at 2 threads 67-125 ms per toy step (spikes to 740 ms) and 6,348 ms per SD 1.5-size step at 128²;
/// at 1 thread 39 ms and 4,880 ms. OpenBLAS is reached through dlsym(openblas_set_num_threads), so the call is
/// harmless with another BLAS (openBlas = false then). Call it once, before the first tensor work, from the thread
/// that will run it (OpenMP's setting is per calling thread's team). Throws nothing.
/// The environment variable INVSEG_OPENBLAS_UNTOUCHED=1 leaves OpenBLAS's pool as OpenBLAS set it (openBlas =
/// false): the programs' behaviour before this function existed, kept so that the difference can be measured.
ComputeThreads setComputeThreads(int threads);

/// Makes glibc's malloc keep freed tensor memory for reuse instead of returning it to the kernel: the mmap
/// threshold is raised to its maximum (32 MiB on 64-bit) and the heap is never trimmed below 1 GiB of free space.
/// glibc's defaults serve every buffer of 128 KiB or more with a fresh mmap and unmap it on free, so each
/// LibTorch operation on activation-sized tensors pays page faults on zeroed pages: measured on the 2-core
/// machine, a toy training step spent about as long in the kernel as in user space. Call it once at start-up,
/// before the first tensor work; returns false if glibc refused a setting. Throws nothing.
bool keepFreedTensorMemory();

} // namespace invseg
