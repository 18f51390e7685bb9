// Resource lookup: environment override, install prefix, build tree, in that order.
#include "invseg/resources.h"

#include "invseg/error.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace invseg {

std::string executableDir()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
        return {};
    return exe.parent_path().string();
}

std::string resourceDir()
{
    static const std::string cached = [] {
        const char* marker = "clip/bpe_simple_vocab_16e6.txt.gz";
        std::vector<fs::path> candidates;
        if (const char* env = std::getenv("INVSEG_RESOURCE_DIR"); env && *env)
            candidates.emplace_back(env);
        const std::string exeDir = executableDir();
        if (!exeDir.empty()) {
            candidates.emplace_back(fs::path(exeDir) / ".." / INVSEG_DATA_SUBDIR);
            candidates.emplace_back(fs::path(exeDir) / "resources");
        }
        // The source tree only for programs that run from this build tree (tests, `make run`): an installed or
        // unpacked program finds its data relative to itself or not at all.
        const std::string buildDir = INVSEG_BINARY_DIR;
        if (!exeDir.empty() && exeDir.compare(0, buildDir.size(), buildDir) == 0 &&
            (exeDir.size() == buildDir.size() || exeDir[buildDir.size()] == '/'))
            candidates.emplace_back(fs::path(INVSEG_SOURCE_DIR) / "resources");
        std::string tried;
        for (const auto& c : candidates) {
            std::error_code ec;
            if (fs::exists(c / marker, ec))
                return fs::weakly_canonical(c, ec).string();
            tried += (tried.empty() ? "" : ", ") + c.string();
        }
        return std::string("!") + tried;
    }();
    if (!cached.empty() && cached[0] == '!')
        throw Error(ErrorKind::Io,
                    "cannot find the InvSeg resources (looked in " + cached.substr(1) + "); set INVSEG_RESOURCE_DIR");
    return cached;
}

std::string resourcePath(const std::string& relative)
{
    return resourceDir() + "/" + relative;
}

} // namespace invseg
