// One image's outputs from the CLI and the GUI alike: names, ownership checks, class numbering, report, rollback.
#include "invseg/image_outputs.h"

#include "export/image_outputs_detail.h"
#include "export/staged_files.h"
#include "image/atomic_file.h"
#include "image/png.h"
#include "invseg/error.h"
#include "invseg/label_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace invseg {
namespace {

std::string lower(std::string s)
{
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

/// A file-system-safe version of a class name for heat map file names.
std::string safeName(const std::string& name)
{
    std::string out;
    for (unsigned char c : name)
        out += (std::isalnum(c) || c == '-' || c == '_') ? static_cast<char>(c) : '_';
    return out.empty() ? "class" : out;
}

/// A JSON object read from path, or null when it is missing or not a JSON object.
nlohmann::json readObject(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        return nullptr;
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    return j.is_discarded() || !j.is_object() ? nlohmann::json() : j;
}

std::string jsonText(const std::string& path, const nlohmann::json& j)
{
    try {
        // Invalid UTF-8 in a class name or path is replaced rather than aborting the whole write (as writeJsonAtomic).
        return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::InvalidInput, path + ": cannot serialise JSON (" + e.what() + ")");
    }
}

std::string pngBytes(int width, int height, png::ColorType type, const uint8_t* pixels,
                     const std::vector<std::array<uint8_t, 3>>& palette = {})
{
    const std::vector<uint8_t> bytes = png::encode(width, height, type, pixels, palette);
    return std::string(bytes.begin(), bytes.end());
}

std::string fileName(const std::string& path)
{
    return fs::path(path).filename().string();
}

std::string outputDir(const ImageOutputRequest& r)
{
    return r.outDir.empty() ? fs::path(r.imagePath).parent_path().string() : r.outDir;
}

void checkRequest(const ImageOutputRequest& r)
{
    if (r.imagePath.empty() || !r.image || !r.labels)
        throw Error(ErrorKind::InvalidInput, "writeImageOutputs: an image path, the image and its labels are needed");
    if (r.image->empty() || r.labels->empty() ||
        r.labels->labels.size() != size_t(r.labels->width) * size_t(r.labels->height))
        throw Error(ErrorKind::InvalidInput, r.imagePath + ": empty or inconsistent image or label map");
    if (r.classNames.empty() || r.classNames.size() > 255)
        throw Error(ErrorKind::InvalidInput, r.imagePath +
                                                 ": 1 to 255 class names are needed (background first), got " +
                                                 std::to_string(r.classNames.size()));
    if (r.heatmaps && (!r.maps || r.maps->empty() || r.maps->channels != int(r.classNames.size()) ||
                       r.maps->width != r.image->width || r.maps->height != r.image->height ||
                       r.maps->data.size() != size_t(r.maps->channels) * r.maps->planeSize()))
        throw Error(ErrorKind::InvalidInput,
                    r.imagePath + ": heat maps need one map per class name at the image's size");
    if (!r.colors.empty() && r.colors.size() < r.classNames.size())
        throw Error(ErrorKind::InvalidInput, r.imagePath + ": fewer overlay colours than class names");
}

/// The labels renumbered to `written`: lut[request label] = written label, 255 stays.
LabelMap renumber(const ImageOutputRequest& r, const std::vector<std::string>& written, std::vector<int>* lutOut)
{
    std::vector<int> lut(256, -1);
    lut[kIgnoreLabel] = kIgnoreLabel;
    for (size_t i = 0; i < r.classNames.size(); ++i) {
        if (i == 0) {
            lut[0] = 0;
            continue;
        }
        for (size_t j = 1; j < written.size(); ++j)
            if (lower(written[j]) == lower(trim(r.classNames[i]))) {
                lut[i] = int(j);
                break;
            }
    }
    LabelMap out = *r.labels;
    for (size_t i = 0; i < out.labels.size(); ++i) {
        const int to = lut[out.labels[i]];
        if (to < 0)
            throw Error(ErrorKind::InvalidInput, r.imagePath + ": label " + std::to_string(out.labels[i]) + " at (" +
                                                     std::to_string(i % size_t(out.width)) + "," +
                                                     std::to_string(i / size_t(out.width)) + ") has no class name (" +
                                                     std::to_string(r.classNames.size()) + " names)");
        out.labels[i] = uint8_t(to);
    }
    *lutOut = lut;
    return out;
}

/// The report: the run's keys (or the existing report's), then what was written.
nlohmann::json makeReport(const ImageOutputRequest& r, const std::string& reportPath, const ImageOutputResult& res,
                          const nlohmann::json& outputs)
{
    nlohmann::json report = r.runReport.is_object() ? r.runReport : readObject(reportPath);
    if (!report.is_object())
        report = nlohmann::json::object();
    report["image"] = {{"path", r.imagePath}, {"width", r.image->width}, {"height", r.image->height}};
    report["outputs"] = outputs;
    report["label_classes"] = res.classNames;
    std::map<std::string, uint64_t> pixels;
    for (uint8_t l : res.labels.labels)
        if (l < res.classNames.size())
            ++pixels[res.classNames[l]];
    report["pixels_per_class"] = pixels;
    report["edited"] = r.edited;
    return report;
}

/// Stages every requested output; returns the report's "outputs".
nlohmann::json stageOutputs(const ImageOutputRequest& r, const LabelFiles& files, const std::vector<int>& lut,
                            const ImageOutputResult& res, bool writeLabelme, StagedFiles& staged)
{
    const LabelMap& labels = res.labels;
    nlohmann::json outputs = nlohmann::json::object();
    if (r.voc) {
        staged.stage(files.labelPng,
                     pngBytes(labels.width, labels.height, png::kPalette, labels.labels.data(), vocPalette()));
        std::string list;
        for (const auto& name : res.classNames) {
            if (name.find_first_of("\r\n") != std::string::npos)
                throw Error(ErrorKind::InvalidInput, files.classesTxt + ": class name '" + name + "' has a line break");
            list += name + "\n";
        }
        staged.stage(files.classesTxt, list);
        outputs["voc"] = fileName(files.labelPng);
    }
    if (r.overlay) {
        std::vector<std::array<uint8_t, 3>> palette = vocPalette();
        for (size_t i = 0; i < r.colors.size() && i < r.classNames.size(); ++i)
            palette[size_t(lut[i])] = r.colors[i];
        const Image over = colorOverlay(*r.image, labels, r.overlayAlpha, palette);
        staged.stage(files.overlayPng, pngBytes(over.width, over.height, png::kRgb, over.rgb.data()));
        outputs["overlay"] = fileName(files.overlayPng);
    }
    if (r.heatmaps) {
        // heatmapImage clamps to [0, 1] itself.
        const FloatMaps& maps = *r.maps;
        nlohmann::json heat = nlohmann::json::object();
        for (size_t c = 0; c < r.classNames.size(); ++c) {
            const std::string path = heatmapPathFor(r.imagePath, r.outDir, r.classNames[c]);
            const Image img = heatmapImage(maps.plane(int(c)), r.image->width, r.image->height, r.colormap);
            staged.stage(path, pngBytes(img.width, img.height, png::kRgb, img.rgb.data()));
            heat[r.classNames[c]] = fileName(path);
        }
        outputs["heatmaps"] = heat;
    }
    if (writeLabelme) {
        // labelme expects imagePath relative to the JSON file.
        std::error_code ec;
        const auto rel = fs::relative(fs::absolute(r.imagePath), fs::absolute(outputDir(r)), ec);
        const std::string imageRef = ec || rel.empty() ? fs::absolute(r.imagePath).string() : rel.string();
        auto labelme = toLabelme(labels, res.classNames, imageRef, r.image->width, r.image->height, r.labelmeEpsilon);
        markOwnLabelme(labelme, r.edited);
        staged.stage(files.labelmeJson, jsonText(files.labelmeJson, labelme));
        outputs["labelme"] = fileName(files.labelmeJson);
    }
    return outputs;
}

/// Whether NAME.json may be written: true, or false when a foreign one is kept (ForeignLabelme::Keep).
bool labelmeWritable(const ImageOutputRequest& r, const std::string& path, const std::set<std::string>& inputs)
{
    if (!r.labelme)
        return false;
    if (r.foreignLabelme == ForeignLabelme::Refuse) {
        checkReplaceable(path, inputs);
        return true;
    }
    try {
        checkReplaceable(path, inputs);
        return true;
    } catch (const Error&) {
        return false;
    }
}

std::set<std::string> inputsOf(const ImageOutputRequest& r)
{
    std::set<std::string> inputs = r.inputs;
    inputs.insert(normalisedPath(r.imagePath));
    return inputs;
}

} // namespace

EditedMark readEditedMark(const std::string& imagePath, const std::string& outDir)
{
    const LabelFiles files = labelFilesFor(imagePath, outDir);
    EditedMark mark;
    const nlohmann::json report = readObject(files.reportJson);
    if (report.is_object() && report.contains("edited") && report["edited"].is_boolean()) {
        mark.known = true;
        mark.edited = report["edited"].get<bool>();
        mark.source = files.reportJson;
    }
    if (!mark.edited && isOwnLabelmeFile(files.labelmeJson)) {
        const nlohmann::json labelme = readObject(files.labelmeJson);
        const auto own = labelme.is_object() ? labelme.find("invseg") : labelme.end();
        const bool hasMark = own != labelme.end() && own->is_object() && own->contains("edited") &&
                             (*own)["edited"].is_boolean();
        if (hasMark) {
            const bool edited = (*own)["edited"].get<bool>();
            if (!mark.known || edited)
                mark.source = files.labelmeJson;
            mark.known = true;
            mark.edited = edited;
        }
    }
    return mark;
}

std::string heatmapPathFor(const std::string& imagePath, const std::string& outDir, const std::string& className)
{
    const fs::path image(imagePath);
    const fs::path dir = outDir.empty() ? image.parent_path() : fs::path(outDir);
    return (dir / image.stem()).string() + ".heat." + safeName(className) + ".png";
}

std::vector<std::string> imageOutputPaths(const ImageOutputRequest& r)
{
    const LabelFiles files = labelFilesFor(r.imagePath, r.outDir);
    std::vector<std::string> out;
    if (r.voc)
        out.insert(out.end(), {files.labelPng, files.classesTxt});
    if (r.overlay)
        out.push_back(files.overlayPng);
    if (r.heatmaps)
        for (const auto& name : r.classNames)
            out.push_back(heatmapPathFor(r.imagePath, r.outDir, name));
    if (r.labelme)
        out.push_back(files.labelmeJson);
    out.push_back(files.reportJson);
    return out;
}

std::vector<std::string> readClassList(const std::string& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return {};
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorKind::Io, "cannot read the class list '" + path + "'");
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#')
            continue;
        if (out.empty() && lower(line) == "background")
            continue;
        const bool seen = std::any_of(out.begin(), out.end(), [&](const auto& o) { return lower(o) == lower(line); });
        if (!seen)
            out.push_back(line);
    }
    return out;
}

std::vector<std::string> numberedClassNames(const std::string& outDir, const std::vector<std::string>& classNames)
{
    if (classNames.empty())
        return {};
    std::vector<std::string> written{classNames[0]};
    for (const auto& name : readClassList(folderClassesPath(outDir)))
        written.push_back(name);
    for (size_t i = 1; i < classNames.size(); ++i) {
        const std::string name = trim(classNames[i]);
        const bool known = std::any_of(written.begin() + 1, written.end(),
                                       [&](const auto& w) { return lower(w) == lower(name); });
        if (!known)
            written.push_back(name);
    }
    if (written.size() > 255)
        throw Error(ErrorKind::InvalidInput, folderClassesPath(outDir) + " and the classes make " +
                                                 std::to_string(written.size()) +
                                                 " names; a label PNG holds at most 255 (background included)");
    return written;
}

void checkImageOutputs(const ImageOutputRequest& r)
{
    const std::set<std::string> inputs = inputsOf(r);
    const LabelFiles files = labelFilesFor(r.imagePath, r.outDir);
    for (const auto& path : imageOutputPaths(r))
        if (path != files.labelmeJson)
            checkReplaceable(path, inputs);
    labelmeWritable(r, files.labelmeJson, inputs); // throws for a foreign one unless it is to be kept
    if (!r.replaceEdited) {
        const EditedMark mark = readEditedMark(r.imagePath, r.outDir);
        if (mark.edited)
            throw Error(ErrorKind::InvalidInput, "refusing to replace the labels of '" + r.imagePath +
                                                     "': they were edited by hand (" + mark.source + " says so)");
    }
}

ImageOutputResult writeImageOutputs(const ImageOutputRequest& request)
{
    return detail::writeImageOutputs(request, {});
}

namespace detail {

ImageOutputResult writeImageOutputs(const ImageOutputRequest& r, const BeforeCommit& beforeCommit)
{
    checkRequest(r);
    checkImageOutputs(r);
    const LabelFiles files = labelFilesFor(r.imagePath, r.outDir);
    const bool writeLabelme = labelmeWritable(r, files.labelmeJson, inputsOf(r));

    ImageOutputResult res;
    const std::string dir = outputDir(r);
    res.classNames = numberedClassNames(dir, r.classNames);
    std::vector<int> lut;
    res.labels = renumber(r, res.classNames, &lut);
    if (r.labelme && !writeLabelme)
        res.keptForeign.push_back(files.labelmeJson);

    StagedFiles staged;
    const nlohmann::json outputs = stageOutputs(r, files, lut, res, writeLabelme, staged);
    res.report = makeReport(r, files.reportJson, res, outputs);
    staged.stage(files.reportJson, jsonText(files.reportJson, res.report)); // last: its presence means done
    staged.commit(beforeCommit);
    staged.done();
    res.written = imageOutputPaths(r);
    if (!writeLabelme)
        res.written.erase(std::remove(res.written.begin(), res.written.end(), files.labelmeJson), res.written.end());

    // The folder's project class list, when it has none yet (an existing one is never replaced). Not part of the
    // image's outputs: a failure here is reported, the outputs stay.
    const std::string folderList = folderClassesPath(dir);
    std::error_code ec;
    if (r.createFolderClasses && !fs::exists(fs::symlink_status(folderList, ec))) {
        std::string text;
        for (const auto& name : res.classNames)
            text += name + "\n";
        try {
            writeFileAtomic(folderList, text);
            res.folderClassesWritten = folderList;
        } catch (const std::exception& e) {
            res.folderClassesError = e.what();
        }
    }
    return res;
}

} // namespace detail

std::string cocoFileName(int shard, int shards)
{
    if (shards <= 1)
        return "coco.json";
    return "coco.shard-" + std::to_string(shard) + "-of-" + std::to_string(shards) + ".json";
}

void writeCocoFile(const std::string& path, const std::vector<std::string>& fileNames,
                   const std::vector<LabelMap>& maps, const std::vector<std::string>& classNames)
{
    if (fileNames.size() != maps.size())
        throw Error(ErrorKind::InvalidInput, path + ": as many file names as label maps are needed");
    std::vector<CocoImage> images;
    for (size_t i = 0; i < maps.size(); ++i)
        images.push_back({fileNames[i], &maps[i]});
    writeJsonAtomic(path, toCoco(images, classNames));
}

} // namespace invseg
