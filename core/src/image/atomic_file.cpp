// Atomic whole-file writes (temporary file + rename), shared by the PNG and JSON writers.
#include "image/atomic_file.h"

#include "invseg/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace invseg {

void writeFileAtomic(const std::string& path, const void* data, size_t size)
{
    if (path.empty())
        throw Error(ErrorKind::InvalidInput, "cannot write a file with an empty name");
    // The temporary lives beside the target so that rename() stays on one file system and is atomic.
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f)
        throw Error(ErrorKind::Io, path + ": cannot write: " + std::strerror(errno));
    int err = 0;
    errno = 0;
    if (size > 0 && std::fwrite(data, 1, size, f) != size)
        err = errno ? errno : EIO;
    if (std::fflush(f) != 0 && !err)
        err = errno ? errno : EIO;
    if (std::fclose(f) != 0 && !err)
        err = errno ? errno : EIO;
    if (!err && std::rename(tmp.c_str(), path.c_str()) != 0)
        err = errno ? errno : EIO;
    if (err) {
        std::remove(tmp.c_str());
        throw Error(ErrorKind::Io, path + ": write failed: " + std::strerror(err));
    }
}

} // namespace invseg
