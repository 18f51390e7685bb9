// Test support: running a command and capturing its exit code, stdout and stderr.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace invseg::test {

struct CommandResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

inline std::string shellQuote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

/// Runs `command` through /bin/sh with stdout and stderr captured to temporary files.
inline CommandResult runCommand(const std::string& command)
{
    namespace fs = std::filesystem;
    const auto dir = fs::temp_directory_path();
    const auto tag = std::to_string(::getpid()) + "-" + std::to_string(std::rand());
    const auto outPath = dir / ("invseg-test-out-" + tag);
    const auto errPath = dir / ("invseg-test-err-" + tag);
    const std::string full = command + " >" + shellQuote(outPath.string()) + " 2>" + shellQuote(errPath.string()) +
                             " </dev/null";
    const int status = std::system(full.c_str());
    CommandResult r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    auto slurp = [](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    };
    r.out = slurp(outPath);
    r.err = slurp(errPath);
    fs::remove(outPath);
    fs::remove(errPath);
    return r;
}

/// The invseg CLI of this build, with arguments quoted.
inline CommandResult runCli(const std::vector<std::string>& args)
{
    std::string cmd = shellQuote(INVSEG_CLI_PATH);
    for (const auto& a : args)
        cmd += " " + shellQuote(a);
    return runCommand(cmd);
}

/// A fresh scratch folder under the temp dir, removed by the destructor.
class ScratchDir {
public:
    ScratchDir()
    {
        std::string templ = (std::filesystem::temp_directory_path() / "invseg-test-XXXXXX").string();
        if (!::mkdtemp(templ.data()))
            throw std::runtime_error("mkdtemp failed");
        m_path = templ;
    }
    ~ScratchDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

inline void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

} // namespace invseg::test
