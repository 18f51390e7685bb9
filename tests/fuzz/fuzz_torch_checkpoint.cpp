// libFuzzer target: openTorchCheckpoint (LibTorch's zip reader + our restricted unpickler) on arbitrary bytes.
//
// Inputs starting with "PK" are taken as whole files, so the zip layer is fuzzed. Any other input is taken as a
// bare pickle (after its first byte) and wrapped in a torch-like archive with a few storages, so mutations reach
// the unpickler and the tensor checks directly instead of dying in the zip layer.
#include "fuzz_support.h"
#include "zip_builder.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace invseg;
    auto open = [](const std::string& p) { return openTorchCheckpoint(p); };
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
        return fuzz::openAndReadAll(data, size, open);
    if (size < 1)
        return 0;
    // Storages "0".."3" of 64 bytes each: enough for any dtype and small views.
    std::vector<test::ZipMember> members{
        {"archive/data.pkl", std::string(reinterpret_cast<const char*>(data) + 1, size - 1)}};
    for (int k = 0; k < 4; ++k)
        members.push_back({"archive/data/" + std::to_string(k), std::string(64, char(k * 17 + 1))});
    members.push_back({"archive/version", "3\n"});
    const std::string zip = test::makeZip(members, /*zip64=*/(data[0] & 1) != 0);
    return fuzz::openAndReadAll(reinterpret_cast<const uint8_t*>(zip.data()), zip.size(), open);
}
