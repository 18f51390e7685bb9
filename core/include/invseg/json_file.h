// The one reader of JSON files: configs, shard indexes, tokenizer maps, model defaults, options files.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace invseg {

/// Parses the whole file. Throws Error(Io) "<path>: cannot open" when it cannot be read and Error(Format)
/// "<path>: invalid JSON (<the parser's message>)" when it is not JSON. Any JSON value is accepted; callers check
/// the shape they need.
nlohmann::json readJsonFile(const std::string& path);

} // namespace invseg
