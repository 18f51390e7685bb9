// All-or-nothing writes of several files: the rollback behind image_outputs.h.
#include "export/staged_files.h"

#include "invseg/error.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace fs = std::filesystem;

namespace invseg {
namespace {

/// Unique per process and call: a name no other writer of this process uses at the same time.
std::string tempSuffix(const char* what)
{
    static std::atomic<unsigned> counter{0};
    return std::string(".invseg-") + what + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

} // namespace

StagedFiles::~StagedFiles()
{
    if (!m_done)
        rollback();
}

void StagedFiles::stage(const std::string& path, const std::string& bytes)
{
    Entry e;
    e.path = path;
    e.temp = path + tempSuffix("new");
    std::FILE* f = std::fopen(e.temp.c_str(), "wb");
    if (!f)
        throw Error(ErrorKind::Io, path + ": cannot write: " + std::strerror(errno));
    int err = 0;
    errno = 0;
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size())
        err = errno ? errno : EIO;
    if (std::fflush(f) != 0 && !err)
        err = errno ? errno : EIO;
    if (std::fclose(f) != 0 && !err)
        err = errno ? errno : EIO;
    if (err) {
        std::remove(e.temp.c_str());
        throw Error(ErrorKind::Io, path + ": write failed: " + std::strerror(err));
    }
    e.staged = true;
    m_entries.push_back(std::move(e));
}

void StagedFiles::commit(const std::function<void(const std::string&)>& beforeEach)
{
    try {
        for (auto& e : m_entries) {
            if (beforeEach)
                beforeEach(e.path);
            std::error_code ec;
            const auto st = fs::symlink_status(e.path, ec);
            if (!ec && fs::exists(st) && !fs::is_directory(st)) {
                // Kept aside rather than replaced, so that a later failure can put it back.
                e.aside = e.path + tempSuffix("old");
                if (std::rename(e.path.c_str(), e.aside.c_str()) != 0)
                    throw Error(ErrorKind::Io, e.path + ": cannot replace: " + std::strerror(errno));
                e.movedAside = true;
            }
            if (std::rename(e.temp.c_str(), e.path.c_str()) != 0)
                throw Error(ErrorKind::Io, e.path + ": write failed: " + std::strerror(errno));
            e.staged = false;
            e.inPlace = true;
        }
    } catch (...) {
        rollback();
        throw;
    }
}

void StagedFiles::done()
{
    for (auto& e : m_entries)
        if (e.movedAside)
            std::remove(e.aside.c_str());
    m_entries.clear();
    m_done = true;
}

void StagedFiles::rollback() noexcept
{
    for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
        if (it->inPlace)
            std::remove(it->path.c_str());
        if (it->movedAside)
            std::rename(it->aside.c_str(), it->path.c_str());
        if (it->staged)
            std::remove(it->temp.c_str());
    }
    m_entries.clear();
}

} // namespace invseg
