// Test support for the export suite: a temporary folder removed afterwards, byte-level file helpers, fixture paths.
#pragma once

#include "invseg/error.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace invseg::test {

/// A fresh folder under $TMPDIR (or /tmp), removed with everything in it when the object goes.
class TempDir {
public:
    TempDir()
    {
        const char* dir = std::getenv("TMPDIR");
        std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/invseg_export_XXXXXX";
        std::vector<char> name(tmpl.begin(), tmpl.end());
        name.push_back('\0');
        if (!::mkdtemp(name.data()))
            throw std::runtime_error("mkdtemp failed");
        m_path = name.data();
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::permissions(m_path, std::filesystem::perms::owner_all, ec);
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }

    /// Names of the entries in the folder (not recursive).
    std::vector<std::string> entries() const
    {
        std::vector<std::string> out;
        for (const auto& e : std::filesystem::directory_iterator(m_path))
            out.push_back(e.path().filename().string());
        return out;
    }

private:
    std::string m_path;
};

inline std::vector<uint8_t> readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void writeBytes(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

inline void writeText(const std::string& path, const std::string& text)
{
    writeBytes(path, std::vector<uint8_t>(text.begin(), text.end()));
}

inline std::string readText(const std::string& path)
{
    const auto b = readBytes(path);
    return std::string(b.begin(), b.end());
}

/// A file of tests/data/images (made by make_fixtures.py there).
inline std::string fixture(const std::string& name)
{
    return std::string(INVSEG_TEST_DATA_DIR) + "/images/" + name;
}

/// Runs f, expecting an invseg::Error of `kind` whose message contains every one of `parts`.
template <typename F>
void expectError(F&& f, ErrorKind kind, const std::vector<std::string>& parts)
{
    try {
        f();
        ADD_FAILURE() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(errorKindName(e.kind()), std::string(errorKindName(kind))) << e.what();
        for (const auto& p : parts)
            EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << "'" << p << "' not in: " << e.what();
    }
}

/// What runUnprivileged returns when it runs as root and cannot drop to "nobody".
constexpr int kCannotDropPrivileges = 10;

/// Runs `attempt` (0 for success, another code naming what went wrong) as a user whom folder permissions bind: in this
/// process when it is not root, else in a child that drops to "nobody" (65534), for whom a root-owned folder of mode
/// 0755 or 0555 is read-only. Returns attempt's code, kCannotDropPrivileges, or -1 when the child did not exit.
template <typename F>
int runUnprivileged(F&& attempt)
{
    if (::geteuid() != 0)
        return attempt();
    const pid_t child = ::fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(kCannotDropPrivileges);
        ::_exit(attempt());
    }
    int status = 0;
    if (::waitpid(child, &status, 0) != child || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

} // namespace invseg::test
