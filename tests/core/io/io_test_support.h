// Test support for the io suite: temporary files written from bytes, and byte builders for zip, pickle and
// safetensors, so malformed inputs are spelled out in the tests themselves.
#pragma once

#include "invseg/error.h"
#include "invseg/tensor_file.h"
#include "zip_builder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace invseg::test {

/// A file holding the given bytes, removed when the object goes.
class TempFile {
public:
    explicit TempFile(const std::string& bytes, const std::string& suffix = ".bin")
    {
        const char* dir = std::getenv("TMPDIR");
        std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/invseg_io_XXXXXX" + suffix;
        std::vector<char> name(tmpl.begin(), tmpl.end());
        name.push_back('\0');
        const int fd = ::mkstemps(name.data(), int(suffix.size()));
        if (fd < 0)
            throw std::runtime_error("mkstemps failed");
        m_path = name.data();
        size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
            if (n <= 0)
                break;
            done += size_t(n);
        }
        ::close(fd);
        if (done != bytes.size())
            throw std::runtime_error("short write to " + m_path);
    }
    ~TempFile() { std::remove(m_path.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

inline std::string readFileBytes(const std::string& path)
{
    std::string out;
    if (FILE* f = std::fopen(path.c_str(), "rb")) {
        char buf[65536];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
            out.append(buf, n);
        std::fclose(f);
    }
    return out;
}

// --- pickle (protocol 2 opcodes, as torch.save writes them) -------------------------------------------------------

namespace pk {
inline std::string proto2()
{
    return "\x80\x02";
}
inline std::string stop()
{
    return ".";
}
inline std::string str(const std::string& s)
{
    return "X" + le32(s.size()) + s;
}
inline std::string integer(int64_t v)
{
    if (v >= INT32_MIN && v <= INT32_MAX)
        return "J" + le32(uint32_t(int32_t(v)));
    return std::string("\x8a\x08", 2) + le64(uint64_t(v));
}
inline std::string global(const std::string& module, const std::string& name)
{
    return "c" + module + "\n" + name + "\n";
}
inline std::string ints(const std::vector<int64_t>& v)
{
    std::string s = "(";
    for (auto x : v)
        s += integer(x);
    return s + "t";
}
inline std::string emptyOrderedDict()
{
    return global("collections", "OrderedDict") + ")R";
}
/// ('storage', torch.<type>, key, 'cpu', numel) + BINPERSID
inline std::string storage(const std::string& type, const std::string& key, int64_t numel)
{
    return "(" + str("storage") + global("torch", type) + str(key) + str("cpu") + integer(numel) + "tQ";
}
/// torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())
inline std::string tensor(const std::string& storagePickle, int64_t offset, const std::vector<int64_t>& size,
                          const std::vector<int64_t>& stride)
{
    return global("torch._utils", "_rebuild_tensor_v2") + "(" + storagePickle + integer(offset) + ints(size) +
           ints(stride) + "\x89" + emptyOrderedDict() + "tR";
}
/// {k0: v0, k1: v1, ...} from already pickled keys and values.
inline std::string dict(const std::vector<std::pair<std::string, std::string>>& items)
{
    std::string s = "}(";
    for (const auto& [k, v] : items)
        s += str(k) + v;
    return s + "u";
}
} // namespace pk

/// A zip laid out as torch.save lays it out: archive/data.pkl, archive/data/<key>, archive/version.
inline std::string torchZip(const std::string& pickle, const std::vector<ZipMember>& storages = {}, bool zip64 = false)
{
    std::vector<ZipMember> members{{"archive/data.pkl", pickle}};
    for (const auto& s : storages)
        members.push_back({"archive/data/" + s.name, s.data});
    members.push_back({"archive/version", "3\n"});
    return makeZip(members, zip64);
}

/// The bytes of n float32 values 0, 1, 2, ...
inline std::string floatRange(int n)
{
    std::string s;
    for (int i = 0; i < n; ++i) {
        float f = float(i);
        s.append(reinterpret_cast<const char*>(&f), 4);
    }
    return s;
}

/// Opens the file with `open` and reads every tensor; returns "" on success or the invseg::Error's message (and
/// its kind). Any other exception escapes and fails the test.
template <typename Open>
std::string errorOf(Open open, const std::string& path, ErrorKind* kind = nullptr)
{
    try {
        auto file = open(path);
        for (const auto& key : file->keys())
            (void)file->tensor(key).sum();
    } catch (const Error& e) {
        if (kind)
            *kind = e.kind();
        return e.what();
    }
    return "";
}

} // namespace invseg::test
