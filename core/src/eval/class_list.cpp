// Class-name lists: the bundled benchmark lists (resources/classes) and user files in the same format.
#include "invseg/error.h"
#include "invseg/evaluation.h"
#include "invseg/resources.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace invseg {
namespace {

constexpr const char* kBundledLists[] = {"voc", "context", "cocoobj"};

std::string trim(const std::string& s)
{
    const char* ws = " \t\r\f\v";
    const size_t b = s.find_first_not_of(ws);
    if (b == std::string::npos)
        return {};
    const size_t e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

} // namespace

std::vector<std::string> loadClassList(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Io, path + ": cannot read the class list: " + std::strerror(errno));
    std::vector<std::string> names;
    std::string line;
    size_t lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (lineNo == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
            line.erase(0, 3); // a UTF-8 byte-order mark from Windows editors
        const std::string name = trim(line);
        if (name.empty() || name[0] == '#')
            continue;
        for (size_t i = 0; i < names.size(); ++i)
            if (names[i] == name)
                throw Error(ErrorKind::Format, path + ":" + std::to_string(lineNo) + ": class '" + name +
                                                   "' is listed twice (also label " + std::to_string(i) + ")");
        names.push_back(name);
    }
    if (in.bad())
        throw Error(ErrorKind::Io, path + ": read failed");
    if (names.empty())
        throw Error(ErrorKind::Format, path + ": the class list has no names");
    if (names.size() > 255)
        throw Error(ErrorKind::Format, path + ": " + std::to_string(names.size()) +
                                           " classes; at most 255 fit in a label map (255 is the ignore label)");
    return names;
}

std::string bundledClassListPath(const std::string& name)
{
    for (const char* known : kBundledLists)
        if (name == known)
            return resourcePath("classes/" + name + ".txt");
    throw Error(ErrorKind::InvalidInput, "unknown class list '" + name + "' (bundled: voc, context, cocoobj)");
}

std::vector<std::string> bundledClassList(const std::string& name)
{
    return loadClassList(bundledClassListPath(name));
}

} // namespace invseg
