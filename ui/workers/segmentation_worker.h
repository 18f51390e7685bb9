// The long-lived worker that owns the loaded Stable Diffusion model and runs InvSeg off the GUI thread.
#pragma once

#include "run_types.h"

#include <QImage>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

namespace invseg {
class SdModel;
class Segmenter;
} // namespace invseg

namespace invseg::ui {

/// Lives on a worker QThread (moveToThread); its slots are invoked through queued calls and run one at a time.
///
/// Contract:
///  - Every request carries a job id; every signal it causes carries the same id. The worker does not drop stale
///    jobs itself (the controller does), but a cancelled job ends with runCancelled, never runFinished.
///  - cancel() is the one method callable from any thread: it sets atomic state that the running optimisation checks
///    every step and between UNet blocks, so it works while the worker's event loop is blocked by a run.
///  - No exception escapes a slot: engine errors become modelLoadFailed / runFailed with the engine's one-line
///    message; Error(Cancelled) becomes runCancelled.
///  - stepCompleted is throttled to at most one update per throttleMs (default 50 ms, i.e. 20/s); the initial pass
///    (step 0) and the last step are always sent, and each update carries the losses of the steps it skipped.
class SegmentationWorker : public QObject {
    Q_OBJECT
public:
    explicit SegmentationWorker(QObject* parent = nullptr);
    ~SegmentationWorker() override;

    /// Any thread. Cancels every job whose id is ≤ upToJobId (the one running now and any still queued).
    void cancel(quint64 upToJobId);
    /// Any thread, before runs start. 0 disables throttling.
    void setThrottleMs(int ms) { m_throttleMs.store(ms); }

    /// "cpu" plus "cuda:N" for every usable CUDA device: the ids of deviceChoices(), CPU first.
    static QStringList availableDevices();
    /// The Device list: (id, label) for the CPU and each usable GPU, labelled with its name and memory
    /// ("cuda:0 · NVIDIA H100 · 79 GiB"). The GPUs come first: the window's default is the first entry's.
    static QList<QPair<QString, QString>> deviceChoices();
    /// Where CUDA is not usable, one translated sentence saying that runs use the CPU and why (no driver, no device,
    /// a driver older than the runtime, a build without CUDA); empty where a GPU is usable.
    static QString cpuOnlyNote();
    /// The engine's own line on why CUDA is not usable (English, for tooltips and logs); empty where it is.
    static QString cpuOnlyDetail();
    /// "LibTorch x.y.z".
    static QString libtorchVersion();

public Q_SLOTS:
    /// Loads a diffusers folder or a single checkpoint file. On failure the previous model stays loaded.
    void loadModel(quint64 jobId, const QString& path, const QString& device, const QString& dtype);
    /// Segments `image` into `classes` (+ background) with the loaded model.
    void startRun(quint64 jobId, const QImage& image, const QStringList& classes,
                  const invseg::SegmentOptions& options);
    /// One UNet pass at options.timestep with the prompt of `classes` (no inversion), recording every cross-attention
    /// layer: the raw per-token maps of the attention inspector. attentionInspected or attentionFailed follows.
    void inspectAttention(quint64 jobId, const QImage& image, const QStringList& classes,
                          const invseg::SegmentOptions& options);
    /// Drops the loaded model (frees its memory).
    void unloadModel();

Q_SIGNALS:
    void modelLoadProgress(quint64 jobId, const QString& stage, double fraction);
    void modelLoaded(quint64 jobId, const invseg::ui::ModelInfo& info);
    void modelLoadFailed(quint64 jobId, const QString& message);
    void runStarted(quint64 jobId);
    void stepCompleted(quint64 jobId, const invseg::ui::StepUpdate& update);
    void runFinished(quint64 jobId, const invseg::ui::RunResult& result);
    void runFailed(quint64 jobId, const QString& message);
    void runCancelled(quint64 jobId);
    void attentionInspected(quint64 jobId, const invseg::ui::AttentionMaps& maps);
    void attentionFailed(quint64 jobId, const QString& message);

private:
    bool isCancelled(quint64 jobId) const { return jobId <= m_cancelledUpTo.load(); }

    std::shared_ptr<invseg::SdModel> m_model;
    std::unique_ptr<invseg::Segmenter> m_segmenter;
    ModelInfo m_info;
    std::atomic<bool> m_cancelFlag{false};
    std::atomic<quint64> m_cancelledUpTo{0};
    std::atomic<quint64> m_runningJob{0};
    std::atomic<int> m_throttleMs{50};
};

} // namespace invseg::ui
