// GUI-thread front of the segmentation worker: owns its thread, issues job ids, drops stale results.
#pragma once

#include "run_types.h"

#include <QObject>
#include <QThread>

namespace invseg::ui {

class SegmentationWorker;

/// Owns a SegmentationWorker on a member QThread. Lives on the GUI thread.
///
/// Every request gets a new job id (monotonic, shared by loads and runs). Only the newest load and the newest run are
/// current; the worker's signals for any other job are dropped here, so a late result of a superseded run never
/// reaches the window. Starting a run cancels the runs before it. Cancel goes to the worker directly (an atomic flag),
/// not through its event queue, which is blocked while it optimises.
///
/// Destruction (or shutdown()) cancels → quits the thread → waits; the worker is deleted on QThread::finished.
class SegmentationController : public QObject {
    Q_OBJECT
public:
    explicit SegmentationController(QObject* parent = nullptr);
    ~SegmentationController() override;

    quint64 loadModel(const QString& path, const QString& device, const QString& dtype);
    quint64 startRun(const QImage& image, const QStringList& classes, const invseg::SegmentOptions& options);
    /// Raw per-token cross-attention maps of one image (attention inspector); attentionInspected follows.
    quint64 inspectAttention(const QImage& image, const QStringList& classes, const invseg::SegmentOptions& options);
    /// Stops the current run (and any queued) at the next step; runCancelled follows.
    void cancelRun();
    void shutdown();

    bool isRunning() const { return m_runJob != 0; }
    bool isLoading() const { return m_loadJob != 0; }
    bool hasModel() const { return !m_model.path.isEmpty(); }
    const ModelInfo& modelInfo() const { return m_model; }
    quint64 currentRunJob() const { return m_runJob; }
    /// For tests and diagnostics: the worker (lives on the worker thread; call only its thread-safe members).
    SegmentationWorker* worker() const { return m_worker; }

Q_SIGNALS:
    void modelLoadProgress(const QString& stage, double fraction);
    void modelLoaded(const invseg::ui::ModelInfo& info);
    void modelLoadFailed(const QString& message);
    void runStarted(quint64 jobId);
    void stepCompleted(quint64 jobId, const invseg::ui::StepUpdate& update);
    void runFinished(quint64 jobId, const invseg::ui::RunResult& result);
    void runFailed(quint64 jobId, const QString& message);
    void runCancelled(quint64 jobId);
    void attentionInspected(const invseg::ui::AttentionMaps& maps);
    void attentionFailed(const QString& message);
    /// Emitted when a load or run starts or ends.
    void busyChanged(bool busy);

private:
    void onModelLoadProgress(quint64 jobId, const QString& stage, double fraction);
    void onModelLoaded(quint64 jobId, const invseg::ui::ModelInfo& info);
    void onModelLoadFailed(quint64 jobId, const QString& message);
    void onRunStarted(quint64 jobId);
    void onStepCompleted(quint64 jobId, const invseg::ui::StepUpdate& update);
    void onRunFinished(quint64 jobId, const invseg::ui::RunResult& result);
    void onRunFailed(quint64 jobId, const QString& message);
    void onRunCancelled(quint64 jobId);
    void endRun();

    QThread m_thread;
    SegmentationWorker* m_worker = nullptr;
    quint64 m_nextJob = 1;
    quint64 m_runJob = 0;
    quint64 m_loadJob = 0;
    quint64 m_inspectJob = 0;
    ModelInfo m_model;
};

} // namespace invseg::ui
