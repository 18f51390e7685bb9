// Runs the engine on the worker thread; turns its tensors into QImages and its exceptions into signals.
#include "workers/segmentation_worker.h"

#include "invseg/error.h"
#include "invseg/float_maps.h"
#include "invseg/image.h"
#include "invseg/runtime_info.h"
#include "invseg/sd_model.h"
#include "invseg/segmenter.h"
#include "invseg/threads.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace invseg::ui {
namespace {

/// The pixels of any QImage as the engine's RGB8 image (QImage's own conversion to RGB888).
Image toRgbImage(const QImage& image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    Image out;
    out.width = rgb.width();
    out.height = rgb.height();
    const size_t row = static_cast<size_t>(rgb.width()) * 3;
    out.rgb.resize(row * static_cast<size_t>(rgb.height()));
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(out.rgb.data() + static_cast<size_t>(y) * row, rgb.constScanLine(y), row);
    return out;
}

/// [C, h, w] float maps in [0, 1] → one Grayscale8 image per channel (clamped, × 255, rounded half to even).
QVector<QImage> mapsToImages(const FloatMaps& maps)
{
    QVector<QImage> out;
    if (maps.empty())
        return out;
    for (int c = 0; c < maps.channels; ++c) {
        QImage img(maps.width, maps.height, QImage::Format_Grayscale8);
        const float* src = maps.plane(c);
        for (int y = 0; y < maps.height; ++y) {
            uchar* dst = img.scanLine(y);
            for (int x = 0; x < maps.width; ++x) {
                const float v = std::clamp(src[static_cast<size_t>(y) * maps.width + x], 0.0f, 1.0f) * 255.0f;
                dst[x] = static_cast<uchar>(std::nearbyint(v));
            }
        }
        out.push_back(img);
    }
    return out;
}

/// Labels → Indexed8 with a grey table (pixel = label).
QImage labelsToImage(const LabelMap& labels)
{
    if (labels.empty())
        return {};
    QImage img(labels.width, labels.height, QImage::Format_Indexed8);
    QVector<QRgb> table(256);
    for (int i = 0; i < 256; ++i)
        table[i] = qRgb(i, i, i);
    img.setColorTable(table);
    for (int y = 0; y < labels.height; ++y)
        std::memcpy(img.scanLine(y), labels.labels.data() + static_cast<size_t>(y) * labels.width,
                    static_cast<size_t>(labels.width));
    return img;
}

LossPoint lossPoint(const StepReport& r)
{
    return LossPoint{r.step, r.loss, r.csc, r.entropy, r.stepMs};
}

/// The engine's one-line message (it names the file, key or limit) after a translated word on what kind of failure it
/// is, so that the user reads the kind in their language.
QString describe(const Error& e)
{
    const QString what = QString::fromStdString(e.what());
    switch (e.kind()) {
    case ErrorKind::Io: return SegmentationWorker::tr("Cannot read or write a file: %1").arg(what);
    case ErrorKind::Format:
        return SegmentationWorker::tr("A file is damaged or not what it claims to be: %1").arg(what);
    case ErrorKind::Key:
    case ErrorKind::Shape:
        return SegmentationWorker::tr("The checkpoint does not fit this kind of model: %1").arg(what);
    case ErrorKind::InvalidInput: return SegmentationWorker::tr("Invalid input: %1").arg(what);
    case ErrorKind::Unsupported: return SegmentationWorker::tr("Not supported by this build: %1").arg(what);
    case ErrorKind::OutOfMemory:
        return SegmentationWorker::tr("Out of memory: %1").arg(what); // the engine's line says what to try
    case ErrorKind::Cancelled:
    case ErrorKind::Internal: break;
    }
    return what;
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
    // The ids of the Device list, CPU first: one source (the engine's CUDA status) for the list and for this.
    QStringList devices{QStringLiteral("cpu")};
    for (const auto& [id, label] : deviceChoices())
        if (id != devices.first())
            devices << id;
    return devices;
}

QList<QPair<QString, QString>> SegmentationWorker::deviceChoices()
{
    QList<QPair<QString, QString>> out;
    for (const auto& d : invseg::cudaStatus().devices)
        out.append({QStringLiteral("cuda:%1").arg(d.index), QString::fromStdString(d.label())});
    out.append({QStringLiteral("cpu"), tr("cpu")});
    return out;
}

QString SegmentationWorker::cpuOnlyNote()
{
    const auto& s = invseg::cudaStatus();
    switch (s.state) {
    case CudaState::Usable: return {};
    case CudaState::NotBuilt:
        return tr("Runs on the CPU: this build has no CUDA (make run CUDA=1 builds the GPU version).");
    case CudaState::NoDriver: return tr("Runs on the CPU: no NVIDIA driver was found.");
    case CudaState::NoDevice: return tr("Runs on the CPU: the NVIDIA driver found no GPU to use.");
    case CudaState::DriverTooOld:
        return tr("Runs on the CPU: the NVIDIA driver supports CUDA %1, older than the CUDA %2 this build needs. "
                  "Update the driver to use the GPU.")
            .arg(QString::fromStdString(invseg::cudaVersionString(s.driverVersion)),
                 QString::fromStdString(invseg::cudaVersionString(s.runtimeVersion)));
    case CudaState::InitFailed: return tr("Runs on the CPU: CUDA could not be started.");
    }
    return {};
}

QString SegmentationWorker::cpuOnlyDetail()
{
    return QString::fromStdString(invseg::cudaStatus().reason);
}

QString SegmentationWorker::libtorchVersion()
{
    return QStringLiteral("LibTorch %1").arg(QString::fromStdString(invseg::libtorchVersion()));
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
        m_info.device = QString::fromStdString(m_model->device());
        m_info.dtype = QString::fromStdString(m_model->dtype());
        m_info.variant = QString::fromLatin1(toString(m_model->variant()));
        m_info.nativeSize = static_cast<int>(m_model->nativeImageSize());
        Q_EMIT modelLoaded(jobId, m_info);
    } catch (const Error& e) {
        Q_EMIT modelLoadFailed(jobId, describe(e));
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
        const Image rgb = toRgbImage(image);

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
        auto res = m_segmenter->segment(rgb, names, options, callbacks);

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
        out.peakMemoryMb = res.peakMemoryMb;
        out.reportJson = QString::fromStdString(res.report.dump(2));
        Q_EMIT runFinished(jobId, out);
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled)
            Q_EMIT runCancelled(jobId);
        else
            Q_EMIT runFailed(jobId, describe(e));
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
        std::vector<std::string> names;
        for (const auto& c : classes)
            names.push_back(c.toStdString());
        const TokenAttention attention = inspectTokenAttention(*m_model, toRgbImage(image), names, options);
        AttentionMaps out;
        out.jobId = jobId;
        out.prompt = QString::fromStdString(attention.prompt);
        for (const auto& t : attention.tokens)
            out.tokens << QString::fromStdString(t);
        for (size_t i = 0; i < attention.levels.size(); ++i) {
            out.levels << attention.levels[i];
            out.maps << mapsToImages(attention.levelMaps[i]);
        }
        out.weighted = mapsToImages(attention.weighted);
        if (out.weighted.isEmpty()) // no level weighted: one null image per token
            out.weighted = QVector<QImage>(out.tokens.size());
        Q_EMIT attentionInspected(jobId, out);
    } catch (const Error& e) {
        Q_EMIT attentionFailed(jobId, describe(e));
    } catch (const std::exception& e) {
        Q_EMIT attentionFailed(jobId, QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT attentionFailed(jobId, tr("unknown error while segmenting"));
    }
}

} // namespace invseg::ui
