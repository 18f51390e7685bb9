// The label-file naming convention and the ownership test that keeps every input from being replaced.
#include "invseg/label_files.h"

#include "invseg/error.h"
#include "invseg/exports.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace invseg {
namespace {

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool startsWith(const std::string& s, const std::string& prefix)
{
    return s.rfind(prefix, 0) == 0;
}

std::string lower(std::string s)
{
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

} // namespace

LabelFiles labelFilesFor(const std::string& imagePath, const std::string& outDir)
{
    const fs::path image(imagePath);
    const fs::path dir = outDir.empty() ? image.parent_path() : fs::path(outDir);
    const std::string stem = (dir / image.stem()).string();
    LabelFiles f;
    f.labelPng = stem + ".label.png";
    f.classesTxt = classesFilePath(f.labelPng);
    f.labelmeJson = stem + ".json";
    f.overlayPng = stem + ".overlay.png";
    f.reportJson = stem + ".report.json";
    return f;
}

std::string folderClassesPath(const std::string& dir)
{
    return (fs::path(dir) / "classes.txt").string();
}

bool isOwnOutputName(const std::string& fileName)
{
    const std::string n = lower(fs::path(fileName).filename().string());
    return endsWith(n, ".label.png") || endsWith(n, ".label.classes.txt") || endsWith(n, ".overlay.png") ||
           endsWith(n, "_overlay.png") || (n.find(".heat.") != std::string::npos && endsWith(n, ".png")) ||
           endsWith(n, ".report.json") || endsWith(n, ".coco.json") || n == "coco.json" ||
           (startsWith(n, "coco.shard-") && endsWith(n, ".json"));
}

bool isDerivedFileName(const std::string& fileName)
{
    return isOwnOutputName(fileName) || endsWith(lower(fs::path(fileName).filename().string()), ".gt.png");
}

void markOwnLabelme(nlohmann::json& labelme, bool edited)
{
    labelme["invseg"] = {{"generator", "invseg"}, {"edited", edited}};
}

bool isOwnLabelmeFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        return false;
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return false;
    const auto it = j.find("invseg");
    return it != j.end() && it->is_object() && it->value("generator", std::string()) == "invseg";
}

std::string normalisedPath(const std::string& path)
{
    std::error_code ec;
    const fs::path abs = fs::absolute(path, ec);
    return (ec ? fs::path(path) : abs).lexically_normal().string();
}

void checkReplaceable(const std::string& path, const std::set<std::string>& inputs)
{
    std::error_code ec;
    const bool exists = fs::exists(fs::symlink_status(path, ec));
    if (inputs.count(normalisedPath(path)))
        throw Error(ErrorKind::InvalidInput,
                    "refusing to write '" + path + "': it is an input of this run and would be replaced");
    if (!exists)
        return;
    if (fs::is_directory(path, ec))
        throw Error(ErrorKind::InvalidInput, "refusing to write '" + path + "': a folder of that name exists");
    const std::string name = fs::path(path).filename().string();
    if (endsWith(lower(name), ".json") && !isOwnOutputName(name)) {
        if (!isOwnLabelmeFile(path))
            throw Error(ErrorKind::InvalidInput, "refusing to replace '" + path +
                                                     "': it exists and was not written by invseg (move it away or "
                                                     "choose another output folder)");
        return;
    }
    if (!isOwnOutputName(name))
        throw Error(ErrorKind::InvalidInput, "refusing to replace '" + path +
                                                 "': it exists and is not an output of invseg (move it away or "
                                                 "choose another output folder)");
}

} // namespace invseg
