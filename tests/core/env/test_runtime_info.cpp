// What the engine says about CUDA: each reason it is not usable, the device labels, the default device choice, and
// that this machine's probe agrees with LibTorch.
#include "invseg/runtime_info.h"

#include <gtest/gtest.h>

namespace invseg {
namespace {

CudaDevice h100()
{
    CudaDevice d;
    d.index = 0;
    d.name = "NVIDIA H100 80GB HBM3";
    d.totalMemory = 85'031'714'816; // what the driver reports for an H100 80 GB
    d.major = 9;
    return d;
}

/// A machine where everything works: LibTorch with CUDA 13.0, a 13.0 driver, one H100.
CudaProbe workingProbe()
{
    CudaProbe p;
    p.libtorchHasCuda = true;
    p.runtimeVersion = 13000;
    p.driverLoaded = true;
    p.driverVersion = 13000;
    p.devices = {h100()};
    p.libtorchDeviceCount = 1;
    return p;
}

bool contains(const std::string& s, const std::string& needle)
{
    return s.find(needle) != std::string::npos;
}

TEST(CudaStatus, UsableWhenLibTorchDriverAndDeviceAgree)
{
    const CudaStatus s = classifyCuda(workingProbe());
    EXPECT_TRUE(s.usable());
    EXPECT_TRUE(s.reason.empty());
    ASSERT_EQ(s.devices.size(), 1u);
    EXPECT_EQ(s.devices[0].label(), "cuda:0 \u00b7 NVIDIA H100 80GB HBM3 \u00b7 79 GiB");
}

TEST(CudaStatus, SaysWhyEachMachineRunsOnTheCpu)
{
    CudaProbe p = workingProbe();
    p.libtorchHasCuda = false;
    p.runtimeVersion = 0;
    CudaStatus s = classifyCuda(p);
    EXPECT_EQ(s.state, CudaState::NotBuilt);
    EXPECT_TRUE(contains(s.reason, "has no CUDA")) << s.reason;
    EXPECT_TRUE(contains(s.reason, "NVIDIA H100")) << "names the GPU it cannot use: " << s.reason;

    p = workingProbe();
    p.driverLoaded = false;
    p.driverLoadError = "libcuda.so.1: cannot open shared object file: No such file or directory";
    p.devices.clear();
    p.libtorchDeviceCount = 0;
    s = classifyCuda(p);
    EXPECT_EQ(s.state, CudaState::NoDriver);
    EXPECT_TRUE(contains(s.reason, "no NVIDIA driver")) << s.reason;
    EXPECT_TRUE(contains(s.reason, "libcuda.so.1")) << s.reason;

    p = workingProbe();
    p.initResult = 100; // CUDA_ERROR_NO_DEVICE
    p.devices.clear();
    p.libtorchDeviceCount = 0;
    s = classifyCuda(p);
    EXPECT_EQ(s.state, CudaState::NoDevice);
    EXPECT_TRUE(contains(s.reason, "no GPU")) << s.reason;

    p = workingProbe();
    p.driverVersion = 12040; // a CUDA 12.4 driver under a CUDA 13.0 runtime
    p.libtorchDeviceCount = 0;
    s = classifyCuda(p);
    EXPECT_EQ(s.state, CudaState::DriverTooOld);
    EXPECT_TRUE(contains(s.reason, "CUDA 12.4")) << s.reason;
    EXPECT_TRUE(contains(s.reason, "CUDA 13.0")) << s.reason;
    EXPECT_TRUE(s.devices.empty());

    p = workingProbe();
    p.driverVersion = 13020; // a newer minor version of the same major runs it (minor-version compatibility)
    EXPECT_TRUE(classifyCuda(p).usable());

    p = workingProbe();
    p.initResult = 999;
    p.initError = "CUDA_ERROR_UNKNOWN";
    p.devices.clear();
    p.libtorchDeviceCount = 0;
    s = classifyCuda(p);
    EXPECT_EQ(s.state, CudaState::InitFailed);
    EXPECT_TRUE(contains(s.reason, "CUDA_ERROR_UNKNOWN")) << s.reason;
}

TEST(CudaStatus, DefaultIsTheFirstGpuInBf16WhereItHasIt)
{
    DeviceChoice c = defaultDeviceChoice(classifyCuda(workingProbe()));
    EXPECT_EQ(c.device, "cuda:0");
    EXPECT_EQ(c.dtype, "bf16");

    CudaProbe p = workingProbe();
    p.devices[0].major = 7; // a Turing card: no full-rate bf16
    p.devices[0].minor = 5;
    c = defaultDeviceChoice(classifyCuda(p));
    EXPECT_EQ(c.device, "cuda:0");
    EXPECT_EQ(c.dtype, "fp32");

    p = workingProbe();
    p.driverLoaded = false;
    c = defaultDeviceChoice(classifyCuda(p));
    EXPECT_EQ(c.device, "cpu");
    EXPECT_EQ(c.dtype, "fp32");
}

TEST(CudaStatus, ThisMachinesProbeAgreesWithLibTorch)
{
    const CudaStatus& s = cudaStatus();
    EXPECT_EQ(s.usable(), cudaDeviceCount() > 0);
    if (s.usable()) {
        EXPECT_EQ(static_cast<int>(s.devices.size()), cudaDeviceCount());
    } else {
        EXPECT_FALSE(s.reason.empty());
        EXPECT_TRUE(s.devices.empty());
        EXPECT_EQ(defaultDeviceChoice().device, "cpu");
    }
    EXPECT_EQ(&s, &cudaStatus()) << "probed once";
}

} // namespace
} // namespace invseg
