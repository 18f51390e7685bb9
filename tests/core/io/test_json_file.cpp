// readJsonFile: the one JSON-file reader names the file and the parser's complaint.
#include "invseg/error.h"
#include "invseg/json_file.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace invseg {
namespace {

std::string writeTemp(const std::string& name, const std::string& text)
{
    const auto path = std::filesystem::temp_directory_path() / (name + "." + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << text;
    return path.string();
}

TEST(JsonFile, ReadsAnyJsonValue)
{
    const auto obj = writeTemp("invseg_json_obj", R"({"steps": 3, "level_weights": [0, 1]})");
    EXPECT_EQ(readJsonFile(obj)["steps"], 3);
    const auto arr = writeTemp("invseg_json_arr", "[1, 2]");
    EXPECT_EQ(readJsonFile(arr).size(), 2u);
    std::filesystem::remove(obj);
    std::filesystem::remove(arr);
}

TEST(JsonFile, MissingFileIsAnIoErrorNamingIt)
{
    const std::string path = "/nonexistent/invseg/options.json";
    try {
        readJsonFile(path);
        FAIL() << "read a missing file";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Io);
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

TEST(JsonFile, BadJsonIsAFormatErrorNamingTheFileAndTheParserError)
{
    const auto path = writeTemp("invseg_json_bad", "{\"steps\": 3,");
    try {
        readJsonFile(path);
        FAIL() << "parsed truncated JSON";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Format);
        const std::string msg = e.what();
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
        EXPECT_NE(msg.find("invalid JSON (["), std::string::npos) << msg; // nlohmann's "[json.exception.parse_error..."
    }
    std::filesystem::remove(path);
}

} // namespace
} // namespace invseg
