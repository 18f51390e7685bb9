// What the engine runs on: LibTorch's version, whether CUDA is usable and why not, and the GPUs it sees, for device
// pickers, status lines and about boxes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace invseg {

/// The LibTorch version the engine was built against, e.g. "2.1.0". Throws nothing.
std::string libtorchVersion();

/// Why CUDA can or cannot be used, most fundamental first.
enum class CudaState {
    Usable,       ///< LibTorch has CUDA, a driver and at least one device: runs can use cuda:N
    NotBuilt,     ///< this build's LibTorch has no CUDA (Debian's LibTorch; make run CUDA=1 builds one that has)
    NoDriver,     ///< no NVIDIA driver: libcuda.so.1 cannot be loaded
    NoDevice,     ///< a driver, but no device it can use (none installed, or CUDA_VISIBLE_DEVICES hides them)
    DriverTooOld, ///< the driver supports an older CUDA than LibTorch's runtime needs
    InitFailed,   ///< the driver failed to initialise, or LibTorch sees no device where the driver does
};

/// One GPU as the driver reports it.
struct CudaDevice {
    int index = 0;
    std::string name;              ///< e.g. "NVIDIA H100 80GB HBM3"
    std::uint64_t totalMemory = 0; ///< bytes
    int major = 0, minor = 0;      ///< compute capability
    /// bf16 arithmetic at full rate (compute capability 8.0 or newer: Ampere, Ada, Hopper, ...).
    bool bf16() const { return major >= 8; }
    /// "cuda:0 · NVIDIA H100 80GB HBM3 · 79 GiB": what a device list shows.
    std::string label() const;
};

/// The raw facts a probe gathers; classifyCuda() turns them into a CudaStatus (split so that each outcome can be
/// tested on a machine without a GPU).
struct CudaProbe {
    bool libtorchHasCuda = false;    ///< this build links a LibTorch with CUDA
    int runtimeVersion = 0;          ///< the CUDA runtime LibTorch was built with, e.g. 13000 (0 when none)
    bool driverLoaded = false;       ///< libcuda.so.1 could be loaded
    std::string driverLoadError;     ///< dlerror() when it could not
    int initResult = 0;              ///< cuInit's CUresult (0 = success)
    std::string initError;           ///< its name, e.g. "CUDA_ERROR_NO_DEVICE"
    int driverVersion = 0;           ///< cuDriverGetVersion, e.g. 12040 for CUDA 12.4 (0 when unknown)
    std::vector<CudaDevice> devices; ///< what the driver enumerates
    int libtorchDeviceCount = 0;     ///< what LibTorch's own runtime counts
};

/// Whether CUDA is usable, why not, and the devices.
struct CudaStatus {
    CudaState state = CudaState::NotBuilt;
    /// One plain English line: what the engine runs on and why, e.g. "CUDA is not used: no NVIDIA driver was found
    /// (libcuda.so.1: cannot open shared object file)". Empty when usable.
    std::string reason;
    int runtimeVersion = 0;
    int driverVersion = 0;
    std::vector<CudaDevice> devices; ///< the usable devices (empty unless state is Usable)
    std::vector<CudaDevice> seen;    ///< every device the driver reports, usable or not

    bool usable() const { return state == CudaState::Usable; }
};

/// Classifies a probe's facts (pure; no driver call).
CudaStatus classifyCuda(const CudaProbe& probe);
/// Probes the driver (through libcuda.so.1, loaded at run time, so a build without CUDA can still name the GPUs it
/// cannot use) and LibTorch, once per process; later calls return the cached result. Thread-safe; throws nothing.
const CudaStatus& cudaStatus();
/// A CUDA version number (12040) as "12.4".
std::string cudaVersionString(int version);

/// The number of CUDA devices LibTorch can use (0 when this build has no CUDA or the machine has no GPU or driver).
/// Throws nothing.
int cudaDeviceCount();

/// cudaDeviceCount() > 0.
inline bool cudaAvailable()
{
    return cudaDeviceCount() > 0;
}

/// A device and precision for a run.
struct DeviceChoice {
    std::string device = "cpu"; ///< "cpu" or "cuda:N"
    std::string dtype = "fp32"; ///< "fp32" or "bf16"
};

/// What a front end uses when the user chose nothing ("--device auto" in the CLI, the window's default): the first
/// usable CUDA device, in bf16 where it computes bf16 at full rate (else fp32); the CPU in fp32 without CUDA.
DeviceChoice defaultDeviceChoice(const CudaStatus& status);
inline DeviceChoice defaultDeviceChoice()
{
    return defaultDeviceChoice(cudaStatus());
}

} // namespace invseg
