// The build runs on the libraries it should: Debian's LibTorch on OpenBLAS, not the reference BLAS.
#include "invseg/threads.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <dlfcn.h>
#include <malloc.h>

#include <fstream>
#include <iostream>
#include <string>

namespace {

/// Every shared object mapped into this process whose path contains `needle`.
std::vector<std::string> mappedLibraries(const std::string& needle)
{
    std::vector<std::string> found;
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos)
            continue;
        const std::string path = line.substr(slash);
        if (path.find(needle) != std::string::npos && std::find(found.begin(), found.end(), path) == found.end())
            found.push_back(path);
    }
    return found;
}

TEST(Environment, BlasIsOptimised)
{
    // A matmul large enough to go to BLAS sgemm.
    auto a = torch::randn({256, 256});
    auto b = torch::mm(a, a);
    ASSERT_TRUE(b.isfinite().all().item<bool>());
    std::cout << at::show_config() << "\nintra-op threads: " << at::get_num_threads() << "\n";
    const auto blas = mappedLibraries("blas");
    for (const auto& l : blas)
        std::cout << "mapped BLAS: " << l << "\n";
    bool openblas = false, reference = false;
    for (const auto& l : blas) {
        openblas = openblas || l.find("openblas") != std::string::npos;
        reference = reference || l.find("/blas/libblas") != std::string::npos;
    }
    EXPECT_FALSE(reference) << "the reference BLAS is mapped";
#if TORCH_VERSION_MAJOR >= 2
    // A PyTorch 2.x wheel (the torch2 build, the GPU machine) links MKL into libtorch_cpu: no BLAS library is mapped.
    EXPECT_TRUE(at::hasMKL()) << "this PyTorch 2.x LibTorch has no MKL: its matrix products run unoptimised";
#else
    ASSERT_FALSE(blas.empty()) << "no BLAS library is mapped";
    EXPECT_TRUE(openblas) << "LibTorch is not running on OpenBLAS: install libopenblas0-pthread";
#endif
}

/// openblas_get_num_threads, when an OpenBLAS is in the process.
int openBlasThreads()
{
    using Get = int (*)();
    auto* f = reinterpret_cast<Get>(::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return f ? f() : -1;
}

TEST(Environment, ComputeThreadsSetsLibTorchAndKeepsOpenBlasToOneThread)
{
    // OpenBLAS runs inside LibTorch's parallel regions: its own pool stays at one thread whatever LibTorch's count
    // (threads.h has the measurement that chose this).
    const int before = at::get_num_threads();
    const auto r = invseg::setComputeThreads(1);
    EXPECT_EQ(r.requested, 1);
    EXPECT_EQ(r.torch, 1);
    EXPECT_EQ(at::get_num_threads(), 1);
#if TORCH_VERSION_MAJOR < 2
    ASSERT_TRUE(r.openBlas) << "Debian's LibTorch runs on OpenBLAS (see BlasIsOptimised)";
#endif
    if (r.openBlas)
        EXPECT_EQ(openBlasThreads(), 1);
    const auto all = invseg::setComputeThreads(0); // 0 = the cores this process may use
    EXPECT_EQ(all.requested, invseg::availableCores());
    EXPECT_EQ(at::get_num_threads(), invseg::availableCores());
    if (all.openBlas)
        EXPECT_EQ(openBlasThreads(), 1);
    invseg::setComputeThreads(before);
}

TEST(Environment, FreedTensorMemoryStaysInTheHeap)
{
    // glibc's default serves a 4 MiB buffer with its own mmap (counted in hblks); after the call it comes from
    // the heap and is kept there when freed (no trim), so the next tensor of that size faults in no fresh pages.
    ASSERT_TRUE(invseg::keepFreedTensorMemory());
    const auto before = ::mallinfo2();
    {
        const auto t = torch::ones({1024, 1024}); // 4 MiB of float
        EXPECT_EQ(::mallinfo2().hblks, before.hblks) << "the buffer was mmapped: the threshold did not take";
    }
    EXPECT_GE(::mallinfo2().fordblks, 4u * 1024 * 1024) << "the freed buffer went back to the kernel";
}

} // namespace
