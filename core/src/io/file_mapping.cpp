// mmap of a whole file for the checkpoint readers.
#include "io/file_mapping.h"

#include "invseg/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace invseg {

FileMapping::FileMapping(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(ErrorKind::Io, path + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(ErrorKind::Io, path + ": not a regular file");
    }
    m_size = static_cast<size_t>(st.st_size);
    if (m_size > 0) {
        // MAP_PRIVATE + PROT_WRITE: tensors handed out as views of the map may be modified in place by callers;
        // copy-on-write keeps that from faulting or from reaching the file.
        void* p = ::mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            throw Error(ErrorKind::Io, path + ": cannot map: " + std::strerror(err));
        }
        m_data = static_cast<uint8_t*>(p);
    }
    ::close(fd);
}

FileMapping::FileMapping(std::vector<uint8_t> bytes) : m_owned(std::move(bytes))
{
    m_size = m_owned.size();
    m_data = m_owned.empty() ? nullptr : m_owned.data();
}

FileMapping::~FileMapping()
{
    if (m_data && m_owned.empty())
        ::munmap(m_data, m_size);
}

} // namespace invseg
