// Runs the engine on the worker thread; turns its tensors into QImages and its exceptions into signals.
#include "workers/segmentation_worker.h"

#include "invseg/error.h"
#include "invseg/nn/attention_capture.h"
#include "invseg/nn/unet.h"
#include "invseg/noise_schedule.h"
#include "invseg/sd_model.h"
#include "invseg/segmenter.h"
#include "invseg/threads.h"
#include "invseg/tokenizer.h"

#include <QElapsedTimer>

#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <thread>
#include <tuple>

namespace invseg::ui {
namespace {

/// [H, W, 3] uint8 CPU tensor owning a copy of the pixels.
torch::Tensor imageToTensor(const QImage& image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    auto t = torch::empty({rgb.height(), rgb.width(), 3}, torch::kByte);
    auto* dst = t.data_ptr<uint8_t>();
    const size_t row = static_cast<size_t>(rgb.width()) * 3;
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(dst + static_cast<size_t>(y) * row, rgb.constScanLine(y), row);
    return t;
}

/// [C, h, w] float maps in [0, 1] → one Grayscale8 image per channel.
QVector<QImage> mapsToImages(const torch::Tensor& maps)
{
    QVector<QImage> out;
    if (!maps.defined() || maps.dim() != 3)
        return out;
    const auto bytes =
        (maps.detach().to(torch::kCPU, torch::kFloat).clamp(0, 1) * 255.0).round().to(torch::kByte).contiguous();
    const int C = static_cast<int>(bytes.size(0)), h = static_cast<int>(bytes.size(1)),
              w = static_cast<int>(bytes.size(2));
    const auto* src = bytes.data_ptr<uint8_t>();
    for (int c = 0; c < C; ++c) {
        QImage img(w, h, QImage::Format_Grayscale8);
        for (int y = 0; y < h; ++y)
            std::memcpy(img.scanLine(y), src + (static_cast<size_t>(c) * h + y) * w, static_cast<size_t>(w));
        out.push_back(img);
    }
    return out;
}

/// [H, W] uint8 labels → Indexed8 with a grey table (pixel = label).
QImage labelsToImage(const torch::Tensor& labels)
{
    if (!labels.defined() || labels.dim() != 2)
        return {};
    const auto bytes = labels.to(torch::kCPU, torch::kByte).contiguous();
    const int h = static_cast<int>(bytes.size(0)), w = static_cast<int>(bytes.size(1));
    QImage img(w, h, QImage::Format_Indexed8);
    QVector<QRgb> table(256);
    for (int i = 0; i < 256; ++i)
        table[i] = qRgb(i, i, i);
    img.setColorTable(table);
    const auto* src = bytes.data_ptr<uint8_t>();
    for (int y = 0; y < h; ++y)
        std::memcpy(img.scanLine(y), src + static_cast<size_t>(y) * w, static_cast<size_t>(w));
    return img;
}

/// Min-max normalises a 2-D map to [0, 1] (a constant map becomes 0).
torch::Tensor normalized(const torch::Tensor& m)
{
    const auto lo = m.min(), hi = m.max();
    return (m - lo) / (hi - lo).clamp_min(1e-12);
}

LossPoint lossPoint(const StepReport& r)
{
    return LossPoint{r.step, r.loss, r.csc, r.entropy, r.stepMs};
}

} // namespace

SegmentationWorker::SegmentationWorker(QObject* parent) : QObject(parent)
{
    registerMetaTypes();
    // LibTorch's intra-op pool takes every core by default, which starves the GUI thread while a run optimises;
    // leave one core to the event loop.
    static const bool once = [] {
        // one engine call for both pools (LibTorch's and OpenBLAS's), so they do not oversubscribe the cores
        invseg::keepFreedTensorMemory();
        const int cores = invseg::availableCores();
        invseg::setComputeThreads(cores > 1 ? cores - 1 : 1);
        return true;
    }();
    Q_UNUSED(once);
}

SegmentationWorker::~SegmentationWorker() = default;

void SegmentationWorker::cancel(quint64 upToJobId)
{
    // Raise the watermark first, then flag the running job: whichever order the worker starts a job in, it either
    // sees the watermark or we see its id (both are sequentially consistent atomics).
    quint64 cur = m_cancelledUpTo.load();
    while (cur < upToJobId && !m_cancelledUpTo.compare_exchange_weak(cur, upToJobId)) {
    }
    const quint64 running = m_runningJob.load();
    if (running != 0 && running <= upToJobId)
        m_cancelFlag.store(true);
}

QStringList SegmentationWorker::availableDevices()
{
    QStringList devices{QStringLiteral("cpu")};
    try {
        const auto n = static_cast<int>(torch::cuda::device_count());
        for (int i = 0; i < n; ++i)
            devices << QStringLiteral("cuda:%1").arg(i);
    } catch (...) {
        // No CUDA runtime: CPU only.
    }
    return devices;
}

QString SegmentationWorker::libtorchVersion()
{
    return QStringLiteral("LibTorch %1").arg(QStringLiteral(TORCH_VERSION));
}

void SegmentationWorker::loadModel(quint64 jobId, const QString& path, const QString& device, const QString& dtype)
{
    try {
        ModelOptions options;
        options.device = device.toStdString();
        options.dtype = dtype.toStdString();
        options.checkpoint.progress = [this, jobId](const std::string& stage, double fraction) {
            Q_EMIT modelLoadProgress(jobId, QString::fromStdString(stage), fraction);
        };
        auto model = SdModel::load(path.toStdString(), options);
        auto segmenter = std::make_unique<Segmenter>(model);
        // Replace only now: a failed load keeps the previous model.
        m_segmenter = std::move(segmenter);
        m_model = std::move(model);
        m_info.path = QString::fromStdString(m_model->path());
        m_info.device = QString::fromStdString(m_model->device().str());
        m_info.dtype = QString::fromLatin1(dtypeName(m_model->dtype()));
        m_info.variant = QString::fromLatin1(toString(m_model->variant()));
        m_info.nativeSize = static_cast<int>(m_model->nativeImageSize());
        Q_EMIT modelLoaded(jobId, m_info);
    } catch (const std::exception& e) {
        Q_EMIT modelLoadFailed(jobId, QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT modelLoadFailed(jobId, tr("unknown error while loading %1").arg(path));
    }
}

void SegmentationWorker::unloadModel()
{
    m_segmenter.reset();
    m_model.reset();
    m_info = {};
}

void SegmentationWorker::startRun(quint64 jobId, const QImage& image, const QStringList& classes,
                                  const invseg::SegmentOptions& options)
{
    m_runningJob.store(jobId);
    m_cancelFlag.store(isCancelled(jobId));
    struct Reset {
        SegmentationWorker* w;
        ~Reset() { w->m_runningJob.store(0); }
    } reset{this};

    if (m_cancelFlag.load()) {
        Q_EMIT runCancelled(jobId);
        return;
    }
    if (!m_segmenter) {
        Q_EMIT runFailed(jobId, tr("No model is loaded."));
        return;
    }
    if (image.isNull()) {
        Q_EMIT runFailed(jobId, tr("The image is empty."));
        return;
    }
    Q_EMIT runStarted(jobId);
    try {
        std::vector<std::string> names;
        for (const auto& c : classes)
            names.push_back(c.toStdString());
        const auto tensor = imageToTensor(image);

        QElapsedTimer sinceEmit;
        bool emitted = false;
        QVector<LossPoint> pending;
        QVector<QImage> lastAnchors; // the final step always emits, so this ends as the run's last anchors
        const int throttle = m_throttleMs.load();
        SegmentCallbacks callbacks;
        callbacks.wantMaps = true;
        callbacks.cancel = &m_cancelFlag;
        callbacks.onStep = [&](const StepReport& r) {
            if (r.step > 0)
                pending.push_back(lossPoint(r));
            const bool last = r.step >= r.totalSteps;
            if (emitted && !last && r.step > 0 && throttle > 0 && sinceEmit.elapsed() < throttle)
                return;
            StepUpdate u;
            u.jobId = jobId;
            u.step = r.step;
            u.totalSteps = r.totalSteps;
            u.loss = r.loss;
            u.csc = r.csc;
            u.entropy = r.entropy;
            u.stepMs = r.stepMs;
            u.elapsedMs = r.elapsedMs;
            u.losses = pending;
            pending.clear();
            u.refinedMaps = mapsToImages(r.refinedMaps);
            u.anchors = mapsToImages(r.anchors);
            lastAnchors = u.anchors;
            u.labels = labelsToImage(r.labels);
            Q_EMIT stepCompleted(jobId, u);
            emitted = true;
            sinceEmit.start();
        };
        auto res = m_segmenter->segment(tensor, names, options, callbacks);

        RunResult out;
        out.jobId = jobId;
        for (const auto& n : res.classNames)
            out.classNames << QString::fromStdString(n);
        out.labels = labelsToImage(res.labels);
        out.maps = mapsToImages(res.maps);
        out.initialMaps = mapsToImages(res.initialMaps);
        out.anchors = lastAnchors;
        for (const auto& h : res.history)
            out.history.push_back(lossPoint(h));
        out.totalMs = res.totalMs;
        out.reportJson = QString::fromStdString(res.report.dump(2));
        Q_EMIT runFinished(jobId, out);
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled)
            Q_EMIT runCancelled(jobId);
        else
            Q_EMIT runFailed(jobId, QString::fromStdString(e.what()));
    } catch (const c10::Error& e) {
        Q_EMIT runFailed(jobId, QString::fromStdString(e.what_without_backtrace()));
    } catch (const std::exception& e) {
        Q_EMIT runFailed(jobId, QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT runFailed(jobId, tr("unknown error while segmenting"));
    }
}

void SegmentationWorker::inspectAttention(quint64 jobId, const QImage& image, const QStringList& classes,
                                          const invseg::SegmentOptions& options)
{
    if (!m_model) {
        Q_EMIT attentionFailed(jobId, tr("No model is loaded."));
        return;
    }
    try {
        namespace F = torch::nn::functional;
        torch::NoGradGuard noGrad;
        SdModel& model = *m_model;
        std::vector<std::string> names;
        for (const auto& c : classes)
            names.push_back(c.toStdString());
        auto all = Segmenter::normalizeClasses(names); // background first
        std::string joined;
        for (size_t i = 1; i < all.size(); ++i)
            joined += all[i] + " and ";
        joined += "background";
        std::string prompt = options.promptTemplate;
        const auto at = prompt.find("{classes}");
        if (at != std::string::npos)
            prompt.replace(at, 9, joined);

        const int64_t native = model.nativeImageSize();
        auto img = imageToTensor(image).to(torch::kFloat).permute({2, 0, 1}).unsqueeze(0) / 127.5 - 1.0;
        img = F::interpolate(img, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{native, native})
                                      .mode(torch::kBilinear)
                                      .align_corners(false))
                  .clamp(-1, 1)
                  .to(model.device());
        const auto z0 = model.imageToLatent(img);
        const auto ids = model.tokenIds({prompt});
        const auto cond = model.encodeText(ids);
        auto gen = at::detail::createCPUGenerator(options.seed);
        const auto noise = torch::randn(z0.sizes(), gen, torch::kFloat).to(model.device(), model.dtype());
        const auto zt = model.schedule().addNoise(z0, noise, options.timestep);
        nn::AttentionCapture capture;
        capture.select = [](const nn::AttnLayerInfo& l) { return l.kind == nn::AttnKind::Cross; };
        const std::atomic<bool> never{false};
        capture.cancel = &never;
        model.unet()->forward(zt, torch::full({1}, options.timestep, torch::kLong).to(model.device()), cond, &capture);

        // Tokens between start and end of text.
        AttentionMaps out;
        out.jobId = jobId;
        out.prompt = QString::fromStdString(prompt);
        const auto idsCpu = ids.to(torch::kCPU).contiguous();
        std::vector<int64_t> positions;
        for (int64_t k = 1; k < idsCpu.size(1); ++k) {
            const int64_t id = idsCpu[0][k].item<int64_t>();
            if (id == ClipTokenizer::kEos)
                break;
            positions.push_back(k);
            out.tokens << QString::fromStdString(model.tokenizer().decode({id}));
        }

        // Mean over each level's cross layers, then one map per token.
        std::map<int, std::pair<torch::Tensor, int>> perLevel;
        std::map<int, std::pair<int64_t, int64_t>> levelSize;
        for (const auto& l : capture.layers) {
            if (l.kind != nn::AttnKind::Cross || !capture.maps.count(l.name))
                continue;
            auto& acc = perLevel[l.level];
            const auto m = capture.maps.at(l.name)[0].to(torch::kCPU, torch::kFloat); // [Q, 77]
            acc.first = acc.first.defined() ? acc.first + m : m;
            acc.second += 1;
            levelSize[l.level] = {l.height, l.width};
        }
        int64_t topH = 0, topW = 0;
        if (!levelSize.empty())
            std::tie(topH, topW) = levelSize.begin()->second;
        std::vector<torch::Tensor> weighted(positions.size());
        for (const auto& [level, acc] : perLevel) {
            const auto mean = acc.first / acc.second;
            const auto [h, w] = levelSize[level];
            QVector<QImage> maps;
            for (size_t k = 0; k < positions.size(); ++k) {
                const auto m = normalized(mean.select(1, positions[k]).reshape({h, w}));
                maps << mapsToImages(m.unsqueeze(0)).value(0);
                const double weight = level < static_cast<int>(options.levelWeights.size())
                                          ? options.levelWeights[level]
                                          : 0.0;
                if (weight > 0) {
                    const auto up = F::interpolate(m.unsqueeze(0).unsqueeze(0),
                                                   F::InterpolateFuncOptions()
                                                       .size(std::vector<int64_t>{topH, topW})
                                                       .mode(torch::kBilinear)
                                                       .align_corners(false))[0][0] *
                                    weight;
                    weighted[k] = weighted[k].defined() ? weighted[k] + up : up;
                }
            }
            out.levels << level;
            out.maps << maps;
        }
        for (const auto& w : weighted)
            out.weighted << (w.defined() ? mapsToImages(normalized(w).unsqueeze(0)).value(0) : QImage());
        Q_EMIT attentionInspected(jobId, out);
    } catch (const c10::Error& e) {
        Q_EMIT attentionFailed(jobId, QString::fromStdString(e.what_without_backtrace()));
    } catch (const std::exception& e) {
        Q_EMIT attentionFailed(jobId, QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT attentionFailed(jobId, tr("unknown error while segmenting"));
    }
}

} // namespace invseg::ui
