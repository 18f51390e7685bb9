// Benchmark layouts on disk (PASCAL VOC, PASCAL Context, COCO-Object) and the "KIND:ARGUMENT" spec strings that name
// them.
#include "invseg/error.h"
#include "invseg/evaluation.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace invseg {
namespace {

constexpr const char* kSpecForms = "voc:DIR, context:DIR, cocoobj:DIR or toy:seeds=A-B";

bool isDir(const fs::path& p)
{
    std::error_code ec;
    return fs::is_directory(p, ec);
}

bool isFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

std::string trim(const std::string& s)
{
    const char* ws = " \t\r\n\f\v";
    const size_t b = s.find_first_not_of(ws);
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

/// The folder holding `marker` (e.g. JPEGImages): root itself or root/<year folder> or root/VOCdevkit/<year folder>.
fs::path resolveVocRoot(const std::string& spec, const fs::path& root, const std::string& yearFolder)
{
    if (!isDir(root))
        throw Error(ErrorKind::Io, spec + ": " + root.string() + " is not a folder");
    for (const fs::path& candidate : {root, root / yearFolder, root / "VOCdevkit" / yearFolder})
        if (isDir(candidate / "JPEGImages"))
            return candidate;
    throw Error(ErrorKind::Io, spec + ": no JPEGImages/ folder in " + root.string() + ", " +
                                   (root / yearFolder).string() + " or " + (root / "VOCdevkit" / yearFolder).string() +
                                   " (expected the VOCdevkit/" + yearFolder + " layout)");
}

/// The ids of a VOC-style split file: first token of every non-blank line.
std::vector<std::string> readSplit(const fs::path& file)
{
    if (!isFile(file))
        throw Error(ErrorKind::Io, file.string() + ": split file not found");
    std::ifstream in(file);
    if (!in)
        throw Error(ErrorKind::Io, file.string() + ": cannot read the split file");
    std::vector<std::string> ids;
    std::string line;
    while (std::getline(in, line)) {
        const std::string t = trim(line);
        if (t.empty())
            continue;
        ids.push_back(t.substr(0, t.find_first_of(" \t")));
    }
    if (in.bad())
        throw Error(ErrorKind::Io, file.string() + ": read failed");
    if (ids.empty())
        throw Error(ErrorKind::Format, file.string() + ": the split file lists no images");
    return ids;
}

void requireDir(const fs::path& dir, const std::string& what)
{
    if (!isDir(dir))
        throw Error(ErrorKind::Io, dir.string() + ": " + what + " folder not found");
}

void requireFile(const fs::path& file, const std::string& why)
{
    if (!isFile(file))
        throw Error(ErrorKind::Io, file.string() + ": not found (" + why + ")");
}

/// VOC and Context share the layout: JPEGImages/<id>.jpg, <gtFolder>/<id>.png, ImageSets/<splitFolder>/<split>.txt.
Dataset openVocStyle(const DatasetSpec& spec, const DatasetOptions& options, const std::string& specText,
                     const std::string& yearFolder, const std::string& gtFolder, const std::string& splitFolder)
{
    Dataset ds;
    ds.kind = spec.kind;
    const fs::path root = resolveVocRoot(specText, fs::path(spec.root), yearFolder);
    ds.root = root.string();
    requireDir(root / gtFolder, "ground-truth");
    const fs::path splitFile = root / "ImageSets" / splitFolder / (options.split + ".txt");
    const std::vector<std::string> ids = readSplit(splitFile);
    const std::string why = "listed in " + splitFile.filename().string();
    for (const std::string& id : ids) {
        if (options.limit > 0 && ds.items.size() >= options.limit)
            break;
        DatasetItem item{id, (root / "JPEGImages" / (id + ".jpg")).string(),
                         (root / gtFolder / (id + ".png")).string()};
        requireFile(item.imagePath, why);
        requireFile(item.groundTruthPath, why);
        ds.items.push_back(std::move(item));
    }
    return ds;
}

bool hasJpegExtension(const fs::path& p)
{
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".jpg" || ext == ".jpeg";
}

Dataset openCocoObject(const DatasetSpec& spec, const DatasetOptions& options, const std::string& specText)
{
    Dataset ds;
    ds.kind = spec.kind;
    const fs::path root(spec.root);
    if (!isDir(root))
        throw Error(ErrorKind::Io, specText + ": " + root.string() + " is not a folder");
    ds.root = root.string();
    // "val" → val2017 (COCO 2017's folder names); a split given with its year is taken as is.
    const std::string folder = options.split.size() > 4 &&
                                       options.split.compare(options.split.size() - 4, 4, "2017") == 0
                                   ? options.split
                                   : options.split + "2017";
    const fs::path images = root / "images" / folder;
    const fs::path annotations = root / "annotations" / folder;
    requireDir(images, "image");
    requireDir(annotations, "ground-truth");
    std::vector<fs::path> jpegs;
    std::error_code ec;
    for (fs::directory_iterator it(images, ec), end; !ec && it != end; it.increment(ec))
        if (hasJpegExtension(it->path()) && isFile(it->path()))
            jpegs.push_back(it->path());
    if (ec)
        throw Error(ErrorKind::Io, images.string() + ": cannot list the folder: " + ec.message());
    if (jpegs.empty())
        throw Error(ErrorKind::Io, images.string() + ": no .jpg images in the folder");
    std::sort(jpegs.begin(), jpegs.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
    for (const fs::path& jpg : jpegs) {
        if (options.limit > 0 && ds.items.size() >= options.limit)
            break;
        const std::string stem = jpg.stem().string();
        fs::path gt = annotations / (stem + "_instanceTrainIds.png");
        if (!isFile(gt))
            gt = annotations / (stem + ".png");
        if (!isFile(gt))
            throw Error(ErrorKind::Io, (annotations / (stem + "_instanceTrainIds.png")).string() + ": not found (nor " +
                                           stem + ".png), the ground truth of " + jpg.filename().string());
        ds.items.push_back({stem, jpg.string(), gt.string()});
    }
    return ds;
}

} // namespace

const char* datasetKindName(DatasetKind kind)
{
    switch (kind) {
    case DatasetKind::Voc: return "voc";
    case DatasetKind::Context: return "context";
    case DatasetKind::CocoObject: return "cocoobj";
    case DatasetKind::Toy: return "toy";
    }
    return "voc";
}

DatasetSpec parseDatasetSpec(const std::string& spec)
{
    const size_t colon = spec.find(':');
    if (colon == std::string::npos)
        throw Error(ErrorKind::InvalidInput, "dataset '" + spec + "': expected " + kSpecForms);
    const std::string kind = spec.substr(0, colon);
    const std::string arg = spec.substr(colon + 1);
    DatasetSpec out;
    if (kind == "voc")
        out.kind = DatasetKind::Voc;
    else if (kind == "context")
        out.kind = DatasetKind::Context;
    else if (kind == "cocoobj")
        out.kind = DatasetKind::CocoObject;
    else if (kind == "toy")
        out.kind = DatasetKind::Toy;
    else
        throw Error(ErrorKind::InvalidInput,
                    "dataset '" + spec + "': unknown kind '" + kind + "'; expected " + kSpecForms);
    if (out.kind == DatasetKind::Toy) {
        const std::string prefix = "seeds=";
        if (arg.compare(0, prefix.size(), prefix) != 0 || arg.size() == prefix.size())
            throw Error(ErrorKind::InvalidInput, "dataset '" + spec +
                                                     "': a toy dataset is toy:seeds=A-B (e.g. "
                                                     "toy:seeds=2000000000-2000000099)");
        out.seeds = arg.substr(prefix.size());
        return out;
    }
    if (arg.empty())
        throw Error(ErrorKind::InvalidInput, "dataset '" + spec + "': no folder after '" + kind + ":'");
    out.root = arg;
    return out;
}

Dataset openDataset(const DatasetSpec& spec, const DatasetOptions& options)
{
    const std::string specText = std::string(datasetKindName(spec.kind)) + ":" + spec.root;
    if (options.split.empty() || options.split.find_first_of("/\\") != std::string::npos)
        throw Error(ErrorKind::InvalidInput, specText + ": bad split name '" + options.split + "'");
    Dataset ds;
    switch (spec.kind) {
    case DatasetKind::Voc:
        ds = openVocStyle(spec, options, specText, "VOC2012", "SegmentationClass", "Segmentation");
        break;
    case DatasetKind::Context:
        ds = openVocStyle(spec, options, specText, "VOC2010", "SegmentationClassContext", "SegmentationContext");
        break;
    case DatasetKind::CocoObject: ds = openCocoObject(spec, options, specText); break;
    case DatasetKind::Toy:
        throw Error(ErrorKind::InvalidInput, "toy:seeds=" + spec.seeds +
                                                 ": the toy dataset is generated, not read; generate a scene for each "
                                                 "of toySeeds(spec)");
    }
    ds.classNames = bundledClassList(datasetKindName(spec.kind));
    return ds;
}

Dataset openDataset(const std::string& spec, const DatasetOptions& options)
{
    return openDataset(parseDatasetSpec(spec), options);
}

} // namespace invseg
