// Shared libFuzzer plumbing: the input goes to an in-memory file (the readers take paths), then the reader opens it
// and every tensor is read and touched. Only invseg::Error may come out; anything else is a finding.
#pragma once

#include "invseg/error.h"
#include "invseg/tensor_file.h"

#include <torch/torch.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace invseg::fuzz {

/// The path of an in-memory file now holding exactly [data, data + size). One memfd, reused for every input.
inline std::string writeInput(const uint8_t* data, size_t size)
{
    static const int fd = [] {
        const int f = ::memfd_create("invseg-fuzz", MFD_CLOEXEC);
        if (f < 0) {
            std::perror("memfd_create");
            std::abort();
        }
        return f;
    }();
    if (::ftruncate(fd, 0) != 0)
        std::abort();
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pwrite(fd, data + done, size - done, off_t(done));
        if (n <= 0)
            std::abort();
        done += size_t(n);
    }
    return "/proc/self/fd/" + std::to_string(fd);
}

/// Opens the file, asks for everything the TensorFile interface offers, and reads each tensor's bytes through an
/// instrumented loop, so out-of-range views show up as sanitizer reports rather than silent garbage.
template <typename Open>
int openAndReadAll(const uint8_t* data, size_t size, Open open)
{
    const std::string path = writeInput(data, size);
    try {
        auto file = open(path);
        (void)file->format();
        (void)file->metadata();
        for (const auto& key : file->keys()) {
            if (!file->contains(key))
                std::abort();
            const TensorInfo info = file->info(key);
            try {
                const torch::Tensor t = file->tensor(key);
                if (t.sizes().vec() != info.shape || t.numel() != info.numel())
                    std::abort(); // the tensor disagrees with its own description
                const auto c = t.contiguous();
                const auto* bytes = static_cast<const volatile uint8_t*>(c.data_ptr());
                uint8_t sum = 0;
                for (size_t i = 0, n = size_t(c.nbytes()); i < n; ++i)
                    sum ^= bytes[i];
                (void)sum;
            } catch (const Error& e) {
                if (e.kind() != ErrorKind::Unsupported && e.kind() != ErrorKind::Format)
                    std::abort(); // a reader that validated the file at open time must not fail differently later
            }
        }
    } catch (const Error&) {
    }
    return 0;
}

} // namespace invseg::fuzz
