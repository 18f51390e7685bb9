// LibTorch's version, and whether CUDA is usable and why not, for callers that include no LibTorch header.
#include "invseg/runtime_info.h"

#include <torch/cuda.h>
#include <torch/version.h>

#if defined(INVSEG_LIBTORCH_CUDA)
#include <ATen/detail/CUDAHooksInterface.h>
#endif

#include <dlfcn.h>

#include <cmath>
#include <cstdio>

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

std::string cudaVersionString(int version)
{
    return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

std::string CudaDevice::label() const
{
    const double gib = static_cast<double>(totalMemory) / (1024.0 * 1024.0 * 1024.0);
    char mem[32];
    std::snprintf(mem, sizeof mem, "%.0f GiB", std::round(gib));
    return "cuda:" + std::to_string(index) + " \u00b7 " + name + " \u00b7 " + mem;
}

namespace {

std::string deviceNames(const std::vector<CudaDevice>& devices)
{
    std::string s;
    for (const auto& d : devices)
        s += (s.empty() ? "" : ", ") + d.name;
    return s;
}

} // namespace

CudaStatus classifyCuda(const CudaProbe& p)
{
    CudaStatus s;
    s.runtimeVersion = p.runtimeVersion;
    s.driverVersion = p.driverVersion;
    s.seen = p.devices;
    const std::string gpus = p.devices.empty() ? "" : " (the driver sees " + deviceNames(p.devices) + ")";
    if (!p.libtorchHasCuda) {
        s.state = CudaState::NotBuilt;
        s.reason = "this build's LibTorch has no CUDA" + gpus;
    } else if (!p.driverLoaded) {
        s.state = CudaState::NoDriver;
        s.reason = "no NVIDIA driver was found (" + (p.driverLoadError.empty() ? "libcuda.so.1" : p.driverLoadError) +
                   ")";
    } else if (p.initResult == 100 /* CUDA_ERROR_NO_DEVICE */ || (p.initResult == 0 && p.devices.empty())) {
        s.state = CudaState::NoDevice;
        s.reason = "the NVIDIA driver " + cudaVersionString(p.driverVersion) + " found no GPU it can use";
    } else if (p.driverVersion > 0 && p.runtimeVersion > 0 && p.driverVersion / 1000 < p.runtimeVersion / 1000) {
        // CUDA's minor-version compatibility: any driver of the runtime's major version runs it.
        s.state = CudaState::DriverTooOld;
        s.reason = "the NVIDIA driver supports CUDA " + cudaVersionString(p.driverVersion) + ", older than the CUDA " +
                   cudaVersionString(p.runtimeVersion) + " this LibTorch needs: update the driver" + gpus;
    } else if (p.initResult != 0) {
        s.state = CudaState::InitFailed;
        s.reason = "the NVIDIA driver failed to start (" +
                   (p.initError.empty() ? "cuInit error " : p.initError + ", ") + std::to_string(p.initResult) + ")";
    } else if (p.libtorchDeviceCount == 0) {
        s.state = CudaState::InitFailed;
        s.reason = "LibTorch sees no CUDA device although the driver does" + gpus;
    } else {
        s.state = CudaState::Usable;
        for (const auto& d : p.devices)
            if (d.index < p.libtorchDeviceCount)
                s.devices.push_back(d);
    }
    return s;
}

namespace {

/// The few driver-API calls the probe makes, loaded at run time (no link-time dependency on the driver).
using CUresult = int;
using CUdevice = int;
struct DriverApi {
    CUresult (*init)(unsigned) = nullptr;
    CUresult (*driverGetVersion)(int*) = nullptr;
    CUresult (*deviceGetCount)(int*) = nullptr;
    CUresult (*deviceGet)(CUdevice*, int) = nullptr;
    CUresult (*deviceGetName)(char*, int, CUdevice) = nullptr;
    CUresult (*deviceTotalMem)(size_t*, CUdevice) = nullptr;
    CUresult (*deviceGetAttribute)(int*, int, CUdevice) = nullptr;
    CUresult (*getErrorName)(CUresult, const char**) = nullptr;
};

template <typename F>
bool loadSymbol(void* lib, const char* name, F& f)
{
    f = reinterpret_cast<F>(dlsym(lib, name));
    return f != nullptr;
}

void probeDriver(CudaProbe& p)
{
    // Kept loaded for the process's life: LibTorch's runtime loads the same library.
    void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char* e = dlerror();
        p.driverLoadError = e ? e : "libcuda.so.1 cannot be loaded";
        return;
    }
    DriverApi api;
    if (!loadSymbol(lib, "cuInit", api.init) || !loadSymbol(lib, "cuDriverGetVersion", api.driverGetVersion) ||
        !loadSymbol(lib, "cuDeviceGetCount", api.deviceGetCount) || !loadSymbol(lib, "cuDeviceGet", api.deviceGet) ||
        !loadSymbol(lib, "cuDeviceGetName", api.deviceGetName) ||
        !loadSymbol(lib, "cuDeviceTotalMem_v2", api.deviceTotalMem) ||
        !loadSymbol(lib, "cuDeviceGetAttribute", api.deviceGetAttribute)) {
        p.driverLoadError = "libcuda.so.1 lacks the driver API's entry points";
        return;
    }
    loadSymbol(lib, "cuGetErrorName", api.getErrorName);
    p.driverLoaded = true;
    api.driverGetVersion(&p.driverVersion);
    p.initResult = api.init(0);
    if (p.initResult != 0) {
        const char* name = nullptr;
        if (api.getErrorName && api.getErrorName(p.initResult, &name) == 0 && name)
            p.initError = name;
        return;
    }
    int count = 0;
    if (api.deviceGetCount(&count) != 0)
        return;
    for (int i = 0; i < count; ++i) {
        CUdevice dev = 0;
        if (api.deviceGet(&dev, i) != 0)
            continue;
        CudaDevice d;
        d.index = i;
        char name[256] = {};
        if (api.deviceGetName(name, sizeof name - 1, dev) == 0)
            d.name = name;
        size_t bytes = 0;
        if (api.deviceTotalMem(&bytes, dev) == 0)
            d.totalMemory = bytes;
        api.deviceGetAttribute(&d.major, 75 /* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR */, dev);
        api.deviceGetAttribute(&d.minor, 76 /* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR */, dev);
        p.devices.push_back(d);
    }
}

CudaStatus probeCuda()
{
    CudaProbe p;
#if defined(INVSEG_LIBTORCH_CUDA)
    p.libtorchHasCuda = true;
    try {
        p.runtimeVersion = static_cast<int>(at::detail::getCUDAHooks().versionCUDART());
    } catch (...) {
        p.runtimeVersion = 0; // libtorch_cuda not loaded: the device count below says so
    }
#endif
    probeDriver(p);
    p.libtorchDeviceCount = cudaDeviceCount();
    return classifyCuda(p);
}

} // namespace

const CudaStatus& cudaStatus()
{
    static const CudaStatus status = probeCuda();
    return status;
}

DeviceChoice defaultDeviceChoice(const CudaStatus& status)
{
    DeviceChoice c;
    if (status.usable() && !status.devices.empty()) {
        const CudaDevice& d = status.devices.front();
        c.device = "cuda:" + std::to_string(d.index);
        c.dtype = d.bf16() ? "bf16" : "fp32";
    }
    return c;
}

} // namespace invseg
