// Atomic JSON files: every JSON the engine writes (labelme, COCO, reports) goes through here.
#include "image/atomic_file.h"
#include "invseg/error.h"
#include "invseg/exports.h"

#include <nlohmann/json.hpp>

namespace invseg {

void writeJsonAtomic(const std::string& path, const nlohmann::json& j)
{
    std::string text;
    try {
        // Invalid UTF-8 in a class name or path is replaced rather than aborting the whole export.
        text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::InvalidInput, path + ": cannot serialise JSON (" + e.what() + ")");
    }
    text += '\n';
    writeFileAtomic(path, text);
}

} // namespace invseg
