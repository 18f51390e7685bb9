// One image through the engine and out to disk, plus the flag handling that `segment` and `batch` share.
#include "segment_job.h"

#include "invseg/error.h"
#include "invseg/float_maps.h"
#include "invseg/image.h"
#include "invseg/image_outputs.h"
#include "invseg/json_file.h"
#include "invseg/label_files.h"
#include "invseg/resources.h"
#include "invseg/runtime_info.h"
#include "invseg/sd_model.h"
#include "invseg/threads.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace invseg::cli {

const std::set<std::string> kSegmentValueOptions = {
    "classes",       "classes-file", "model",    "steps",      "device", "dtype", "config",
    "out",           "format",       "lr",       "timestep",   "views",  "seed",  "image-size",
    "overlay-alpha", "epsilon",      "colormap", "heads-from", "threads"};
const std::set<std::string> kSegmentFlags = {"help",          "quiet",     "baseline",
                                             "channels-last", "overwrite", "overwrite-edited"};

const char* kSegmentOptionsHelp =
    R"(  --classes "a,b,c"    class names, comma-separated (background is added as label 0)
  --classes-file FILE  class names, one per line ('#' comments; a leading 'background' line keeps indices)
  --model PATH         a diffusers folder or a .safetensors/.ckpt single file (default: the bundled toy model)
  --heads-from DIR     attention head counts for a single file from this diffusers folder (non-standard models)
  --steps K            optimisation steps (default 20; 0 = the diffusion baseline, as --baseline)
  --device DEV         cpu, cuda, cuda:N or auto: the first GPU, in bf16 where it has bf16 unless --dtype says
                       otherwise, else the CPU (what the app picks; the choice and why go to stderr); default cpu
  --dtype T            fp32, bf16 or fp16 (fp16 on CUDA only; default fp32)
  --channels-last      run the UNet's convolutions in channels-last (NHWC) order (faster on CPU for SD sizes)
  --config FILE        a JSON object of method options (as written under "options" in every report);
                       the flags above and below override it
  --lr X --timestep T --views 1|2 --seed S --image-size stretch|pad
                       (the defaults are the method's, or those a model folder's invseg_defaults.json sets)
  --threads N          CPU threads for LibTorch and OpenBLAS (default: the cores this process may use)
  --out DIR            output folder (created if missing)
  --format LIST        any of voc,overlay,heatmaps,labelme,coco (or all; default voc,overlay)
  --overlay-alpha A    opacity of the overlay colours (default 0.5)
  --epsilon E          labelme polygon simplification tolerance in pixels (default 0: exact, labelme's
                       rasteriser gives the mask back pixel for pixel; 1 gives fewer points, loses boundary pixels)
  --colormap NAME      heatmap colours: viridis, magma, jet, gray (default viridis)
  --overwrite          replace the outputs of images already done (their NAME.report.json exists); never
                       replaces an input, any file invseg did not write, or labels edited by hand
  --overwrite-edited   also replace labels marked as edited by hand (saved by the app: "edited": true in
                       NAME.report.json or in the labelme file's "invseg" mark); implies --overwrite
  --quiet              no progress on stderr
)";

namespace {

std::string trim(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<std::string> splitList(const std::string& s, char sep)
{
    std::vector<std::string> out;
    std::string cur;
    std::stringstream in(s);
    while (std::getline(in, cur, sep))
        out.push_back(trim(cur));
    if (!s.empty() && s.back() == sep)
        out.push_back("");
    return out;
}

std::vector<std::string> readClassesFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorKind::Io, "cannot read the class list '" + path + "'");
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#')
            continue;
        out.push_back(line);
    }
    return out;
}

std::string formatSeconds(double s)
{
    std::ostringstream o;
    if (s < 60)
        o << std::fixed << std::setprecision(1) << s << "s";
    else
        o << static_cast<int>(s / 60) << "m" << std::setw(2) << std::setfill('0') << static_cast<int>(s) % 60 << "s";
    return o.str();
}

} // namespace

OutputFormats OutputFormats::parse(const std::string& list)
{
    OutputFormats f;
    for (const auto& item : splitList(list, ',')) {
        if (item == "voc")
            f.voc = true;
        else if (item == "overlay")
            f.overlay = true;
        else if (item == "heatmaps")
            f.heatmaps = true;
        else if (item == "labelme")
            f.labelme = true;
        else if (item == "coco")
            f.coco = true;
        else if (item == "all")
            f.voc = f.overlay = f.heatmaps = f.labelme = f.coco = true;
        else
            throw UsageError("unknown output format '" + item +
                             "' (choose from voc, overlay, heatmaps, labelme, coco)");
    }
    return f;
}

SegmentOptions readMethodOptions(const Args& args)
{
    if (args.has("threads")) {
        const int t = args.intValue("threads", 0);
        if (t < 1)
            throw UsageError("--threads must be at least 1");
        setComputeThreads(t);
    }
    // method defaults < the model folder's tuned defaults < --config < flags
    SegmentOptions o = SegmentOptions::forModel(resolveModelPath(args));
    if (args.has("config")) {
        const std::string path = args.value("config");
        nlohmann::json j = readJsonFile(path);
        if (j.is_object() && j.contains("options") && j["options"].is_object())
            j = j["options"]; // a whole report: repeat its run
        try {
            o = SegmentOptions::fromJson(j, o);
        } catch (const Error& e) {
            throw Error(ErrorKind::InvalidInput, "the options file '" + path + "': " + e.what());
        }
    }
    o.steps = args.intValue("steps", o.steps);
    if (args.has("baseline"))
        o.steps = 0;
    o.learningRate = args.doubleValue("lr", o.learningRate);
    o.timestep = args.intValue("timestep", static_cast<int>(o.timestep));
    o.views = args.intValue("views", o.views);
    if (args.has("seed")) {
        const int seed = args.intValue("seed", 0);
        if (seed < 0)
            throw UsageError("--seed must be non-negative");
        o.seed = static_cast<uint64_t>(seed);
    }
    if (args.has("image-size")) {
        const auto v = args.value("image-size");
        if (v == "stretch")
            o.imageSize = ImageSizePolicy::Stretch;
        else if (v == "pad")
            o.imageSize = ImageSizePolicy::Pad;
        else
            throw UsageError("--image-size must be stretch or pad");
    }
    o.device = args.value("device", o.device);
    o.dtype = args.value("dtype", o.dtype);
    if (o.device == "auto") {
        // What the window picks when nobody chose: the first GPU (bf16 where it has it), else the CPU, saying why.
        const DeviceChoice choice = defaultDeviceChoice();
        o.device = choice.device;
        if (!args.has("dtype"))
            o.dtype = choice.dtype;
        std::cerr << "device: " << o.device << ", " << o.dtype
                  << (choice.device == "cpu" ? " (CUDA is not used: " + cudaStatus().reason + ")" : std::string())
                  << "\n";
    }
    if (args.has("channels-last"))
        o.channelsLast = true;
    o.validate();
    checkDtype(o.dtype); // an unknown dtype is an error before anything loads
    return o;
}

std::string resolveModelPath(const Args& args)
{
    std::string path = args.value("model");
    if (path.empty()) {
        path = resourcePath("models/toy");
        if (!fs::exists(path))
            throw Error(ErrorKind::Io, "no bundled model at '" + path + "': pass --model PATH");
    }
    return path;
}

SegmentSetup readSetup(const Args& args)
{
    SegmentSetup s;
    s.options = readMethodOptions(args);
    for (const auto& list : args.values("classes"))
        for (const auto& c : splitList(list, ','))
            s.classes.push_back(c);
    for (const auto& file : args.values("classes-file"))
        for (const auto& c : readClassesFile(file))
            s.classes.push_back(c);
    if (!args.has("classes") && !args.has("classes-file"))
        throw UsageError("give the classes with --classes \"a,b\" or --classes-file FILE");
    Segmenter::normalizeClasses(s.classes); // empty, duplicated or misplaced names: an error now

    s.modelPath = resolveModelPath(args);
    s.headsFrom = args.value("heads-from");
    s.formats = OutputFormats::parse(args.value("format", "voc,overlay"));
    s.outDir = args.value("out");
    if (s.outDir.empty())
        throw UsageError("give the output folder with --out DIR");
    s.overlayAlpha = args.doubleValue("overlay-alpha", s.overlayAlpha);
    if (!(s.overlayAlpha >= 0 && s.overlayAlpha <= 1))
        throw UsageError("--overlay-alpha must be in [0, 1]");
    s.labelmeEpsilon = args.doubleValue("epsilon", s.labelmeEpsilon);
    if (!(s.labelmeEpsilon >= 0))
        throw UsageError("--epsilon must be non-negative");
    s.colormap = args.value("colormap", s.colormap);
    colormapFromName(s.colormap);
    s.quiet = args.has("quiet");
    s.overwriteEdited = args.has("overwrite-edited");
    s.overwrite = args.has("overwrite") || s.overwriteEdited;
    return s;
}

void ensureWritableDir(const std::string& dir)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw Error(ErrorKind::Io, "cannot create the output folder '" + dir + "'" + (ec ? ": " + ec.message() : ""));
    const std::string probe = (fs::path(dir) / (".invseg-write-probe-" + std::to_string(::getpid()))).string();
    {
        std::ofstream out(probe);
        if (!out || !(out << "x") || !(out.flush())) {
            out.close();
            fs::remove(probe, ec);
            throw Error(ErrorKind::Io, "the output folder '" + dir + "' is not writable");
        }
    }
    fs::remove(probe, ec);
}

std::shared_ptr<SdModel> loadModel(const SegmentSetup& setup)
{
    return loadModel(setup.modelPath, setup.options, setup.quiet, setup.headsFrom);
}

std::shared_ptr<SdModel> loadModel(const std::string& path, const SegmentOptions& options, bool quiet,
                                   const std::string& headsFrom)
{
    ModelOptions mo;
    mo.checkpoint.headsFrom = headsFrom;
    mo.device = options.device;
    mo.dtype = options.dtype;
    mo.channelsLast = options.channelsLast;
    checkDevice(mo.device); // CUDA asked for where there is none: say so before reading gigabytes
    const auto t0 = std::chrono::steady_clock::now();
    auto model = SdModel::load(path, mo);
    if (!quiet)
        std::cerr << "model: " << path << " (" << toString(model->variant()) << ", " << model->nativeImageSize()
                  << " px, " << model->device() << ", " << model->dtype() << ") loaded in "
                  << formatSeconds(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count())
                  << "\n";
    return model;
}

Progress::Progress(bool quiet, int imageCount) : m_quiet(quiet), m_tty(::isatty(2)), m_count(imageCount) {}

void Progress::beginImage(int index, const std::string& name)
{
    m_index = index;
    m_name = name;
}

void Progress::step(const StepReport& r)
{
    if (m_quiet || r.step == 0 || r.totalSteps == 0)
        return;
    const double perStep = r.elapsedMs / 1000.0 / std::max(1, r.step);
    const double eta = perStep * (r.totalSteps - r.step);
    std::ostringstream o;
    o << "[" << m_index + 1 << "/" << m_count << "] " << m_name << " ";
    if (m_tty) {
        const int width = 20;
        const int filled = r.step * width / r.totalSteps;
        o << "[" << std::string(filled, '#') << std::string(width - filled, '.') << "] ";
    }
    o << "step " << r.step << "/" << r.totalSteps << " loss " << std::fixed << std::setprecision(4) << r.loss
      << " (csc " << r.csc << ", ent " << r.entropy << ") " << std::setprecision(0) << r.stepMs << " ms/step ETA "
      << formatSeconds(eta);
    if (m_tty)
        std::cerr << "\r\033[K" << o.str() << std::flush;
    else if (r.step == r.totalSteps || r.step % 5 == 0)
        std::cerr << o.str() << "\n";
}

void Progress::endImage(const std::string& message)
{
    if (m_quiet)
        return;
    if (m_tty)
        std::cerr << "\r\033[K";
    std::cerr << "[" << m_index + 1 << "/" << m_count << "] " << m_name << ": " << message << "\n";
}

std::string fileStem(const std::string& path)
{
    return fs::path(path).stem().string();
}

bool isImageFileName(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::set<std::string> kAlways = {".png", ".ppm", ".pgm", ".pnm"};
#ifdef INVSEG_HAVE_OPENCV
    static const std::set<std::string> kOpenCv = {".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"};
    if (kOpenCv.count(ext))
        return true;
#endif
    return kAlways.count(ext) > 0;
}

std::string reportPath(const std::string& outDir, const std::string& imagePath)
{
    return labelFilesFor(imagePath, outDir).reportJson;
}

bool isBatchInput(const std::string& path)
{
    return isImageFileName(path) && !isDerivedFileName(fs::path(path).filename().string());
}

ImageOutputRequest outputRequest(const SegmentSetup& setup, const std::string& imagePath,
                                 const std::set<std::string>& inputs)
{
    ImageOutputRequest r;
    r.imagePath = imagePath;
    r.outDir = setup.outDir;
    r.classNames = Segmenter::normalizeClasses(setup.classes);
    r.voc = setup.formats.voc;
    r.overlay = setup.formats.overlay;
    r.heatmaps = setup.formats.heatmaps;
    r.labelme = setup.formats.labelme;
    r.overlayAlpha = static_cast<float>(setup.overlayAlpha);
    r.colormap = colormapFromName(setup.colormap);
    r.labelmeEpsilon = setup.labelmeEpsilon;
    r.inputs = inputs;
    r.foreignLabelme = ForeignLabelme::Refuse;
    r.replaceEdited = setup.overwriteEdited;
    return r;
}

bool isDone(const SegmentSetup& setup, const std::string& imagePath)
{
    return fs::exists(reportPath(setup.outDir, imagePath)) || readEditedMark(imagePath, setup.outDir).edited;
}

void checkOutputs(const SegmentSetup& setup, const std::string& imagePath, const std::set<std::string>& inputs)
{
    // Hand-edited labels first: --overwrite never replaces them, whatever else holds.
    const EditedMark mark = readEditedMark(imagePath, setup.outDir);
    if (mark.edited && !setup.overwriteEdited)
        throw Error(ErrorKind::InvalidInput, "'" + imagePath + "' has labels edited by hand in '" + setup.outDir +
                                                 "' (" + mark.source +
                                                 " says so): --overwrite never replaces them; pass --overwrite-edited"
                                                 " to replace them (or --resume with batch to skip them)");
    checkImageOutputs(outputRequest(setup, imagePath, inputs));
    const std::string report = reportPath(setup.outDir, imagePath);
    if (!setup.overwrite && fs::exists(report))
        throw Error(ErrorKind::InvalidInput, "'" + imagePath + "' was already segmented into '" + setup.outDir + "' (" +
                                                 report +
                                                 " exists): pass --overwrite to replace those outputs"
                                                 " (or --resume with batch to skip done images)");
}

ImageOutputResult segmentImageFile(Segmenter& segmenter, const SegmentSetup& setup, const std::string& imagePath,
                                   const std::set<std::string>& inputs, Progress& progress,
                                   const std::atomic<bool>* cancel)
{
    const Image image = loadImage(imagePath);
    SegmentCallbacks cb;
    cb.cancel = cancel;
    cb.onStep = [&](const StepReport& r) { progress.step(r); };
    const SegmentResult result = segmenter.segment(image, setup.classes, setup.options, cb);

    // One writer for the CLI and the GUI: all outputs or none (a failed image leaves nothing, and --resume redoes it).
    ImageOutputRequest request = outputRequest(setup, imagePath, inputs);
    request.image = &image;
    request.labels = &result.labels;
    request.classNames = result.classNames;
    request.runReport = result.report;
    FloatMaps maps;
    if (setup.formats.heatmaps) {
        maps = resizeMapsBilinear(result.maps, image.width, image.height);
        request.maps = &maps;
    }
    ImageOutputResult written = writeImageOutputs(request);

    std::ostringstream msg;
    msg << std::fixed << std::setprecision(2) << result.totalMs / 1000.0 << " s";
    if (!result.history.empty())
        msg << ", final loss " << std::setprecision(4) << result.history.back().loss;
    msg << ", peak memory " << std::setprecision(0) << result.peakMemoryMb << " MiB";
    progress.endImage(msg.str());
    return written;
}

} // namespace invseg::cli
