// Reading JSON files with errors that name the file and the parser's complaint.
#include "invseg/json_file.h"

#include "invseg/error.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace invseg {

nlohmann::json readJsonFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorKind::Io, path + ": cannot open");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::Format, path + ": invalid JSON (" + e.what() + ")");
    }
}

} // namespace invseg
