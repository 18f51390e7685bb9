// libFuzzer target: openSafetensors on arbitrary bytes.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    return invseg::fuzz::openAndReadAll(data, size, [](const std::string& p) { return invseg::openSafetensors(p); });
}
