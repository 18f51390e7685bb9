// openTensorFile: picks the reader from the file's first bytes rather than its name.
#include "invseg/tensor_file.h"
#include "invseg/error.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace invseg {

std::unique_ptr<TensorFile> openTensorFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Io, path + ": cannot open: " + std::strerror(errno));
    char head[512] = {};
    in.read(head, sizeof head);
    const std::streamsize got = in.gcount();

    if (got >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0)
        return openTorchCheckpoint(path);
    // torch.save before 1.6 wrote a bare pickle stream starting with a magic number (PROTO 2, LONG1 of 10 bytes),
    // and before that a tar archive.
    if (got >= 4 && std::memcmp(head, "\x80\x02\x8a\x0a", 4) == 0)
        throw Error(ErrorKind::Unsupported,
                    path + ": legacy (pre-1.6) PyTorch checkpoint format; re-save it with a recent torch.save");
    if (got >= 262 && std::memcmp(head + 257, "ustar", 5) == 0)
        throw Error(ErrorKind::Unsupported, path + ": legacy tar PyTorch checkpoint format is not supported");
    return openSafetensors(path);
}

} // namespace invseg
