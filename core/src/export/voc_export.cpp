// VOC-style export: the label map as a VOC-palette PNG plus the class list that gives its indices meaning.
#include "image/atomic_file.h"
#include "invseg/error.h"
#include "invseg/exports.h"

#include <algorithm>
#include <cstdio>

namespace invseg {

std::string classesFilePath(const std::string& pngPath)
{
    const size_t slash = pngPath.find_last_of('/');
    const size_t nameStart = slash == std::string::npos ? 0 : slash + 1;
    const size_t dot = pngPath.find_last_of('.');
    // A dot that starts the file name (".png") marks a hidden file, not an extension.
    if (dot == std::string::npos || dot <= nameStart)
        return pngPath + ".classes.txt";
    return pngPath.substr(0, dot) + ".classes.txt";
}

void writeVocPng(const std::string& path, const LabelMap& labels, const std::vector<std::string>& classNames)
{
    if (classNames.empty() || classNames.size() > 255)
        throw Error(ErrorKind::InvalidInput, path +
                                                 ": a VOC export needs 1 to 255 class names (background first), got " +
                                                 std::to_string(classNames.size()));
    std::string list;
    for (const auto& name : classNames) {
        if (name.find_first_of("\r\n") != std::string::npos)
            throw Error(ErrorKind::InvalidInput, path + ": class name '" + name + "' contains a line break");
        list += name;
        list += '\n';
    }
    if (labels.labels.size() == size_t(std::max(labels.width, 0)) * size_t(std::max(labels.height, 0)))
        for (size_t i = 0; i < labels.labels.size(); ++i) {
            const uint8_t v = labels.labels[i];
            if (v != kIgnoreLabel && v >= classNames.size())
                throw Error(ErrorKind::InvalidInput,
                            path + ": label " + std::to_string(v) + " at (" + std::to_string(i % size_t(labels.width)) +
                                "," + std::to_string(i / size_t(labels.width)) + ") has no class name (" +
                                std::to_string(classNames.size()) + " names)");
        }
    // saveIndexedPng checks the map's size; the class list is only written once the PNG is in place, and a PNG
    // whose class list could not be written is removed again: without it the indices mean nothing.
    saveIndexedPng(path, labels, vocPalette());
    try {
        writeFileAtomic(classesFilePath(path), list);
    } catch (...) {
        std::remove(path.c_str());
        throw;
    }
}

} // namespace invseg
