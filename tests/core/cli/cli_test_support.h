// Helpers of the CLI tests: the golden model, small test images, folder listings and snapshots, JSON files.
#pragma once

#include "support/golden_sets.h"
#include "support/run_command.h"

#include "invseg/image.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

/// The first golden set's diffusers folder (the repository's sd1 unless INVSEG_GOLDEN_DIR names another root);
/// fails the test when there is none.
#define REQUIRE_GOLDEN_MODEL(var)                                                                                      \
    const auto var##Sets = ::invseg::test::goldenSets();                                                               \
    INVSEG_REQUIRE_GOLDEN(var##Sets);                                                                                  \
    const std::string var = var##Sets.front().diffusersDir()

namespace invseg::test {

inline std::string fixture(const std::string& name)
{
    return std::string(INVSEG_TEST_DATA_DIR) + "/images/" + name;
}

/// A small RGB test image written with the engine's PNG encoder.
inline std::string writeImage(const ScratchDir& dir, const std::string& name, int w, int h)
{
    Image img;
    img.width = w;
    img.height = h;
    img.rgb.resize(static_cast<size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t* p = &img.rgb[(static_cast<size_t>(y) * w + x) * 3];
            p[0] = y < h / 2 ? 90 : 40;
            p[1] = y < h / 2 ? 140 : 180;
            p[2] = y < h / 2 ? 230 : 50;
        }
    const std::string path = dir.file(name);
    saveRgbPng(path, img);
    return path;
}

inline std::vector<std::string> listDir(const std::filesystem::path& dir)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

inline nlohmann::json readJson(const std::string& path)
{
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

inline std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Every regular file of a folder with its bytes.
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& dir)
{
    std::map<std::string, std::string> out;
    for (const auto& name : listDir(dir))
        if (std::filesystem::is_regular_file(dir / name))
            out[name] = readBytes((dir / name).string());
    return out;
}

} // namespace invseg::test
