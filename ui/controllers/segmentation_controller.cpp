// Job bookkeeping for the segmentation worker.
#include "controllers/segmentation_controller.h"

#include "workers/segmentation_worker.h"

namespace invseg::ui {

SegmentationController::SegmentationController(QObject* parent) : QObject(parent)
{
    registerMetaTypes();
    m_thread.setObjectName(QStringLiteral("InvSegWorker"));
    m_worker = new SegmentationWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SegmentationWorker::modelLoadProgress, this, &SegmentationController::onModelLoadProgress);
    connect(m_worker, &SegmentationWorker::modelLoaded, this, &SegmentationController::onModelLoaded);
    connect(m_worker, &SegmentationWorker::modelLoadFailed, this, &SegmentationController::onModelLoadFailed);
    connect(m_worker, &SegmentationWorker::runStarted, this, &SegmentationController::onRunStarted);
    connect(m_worker, &SegmentationWorker::stepCompleted, this, &SegmentationController::onStepCompleted);
    connect(m_worker, &SegmentationWorker::runFinished, this, &SegmentationController::onRunFinished);
    connect(m_worker, &SegmentationWorker::runFailed, this, &SegmentationController::onRunFailed);
    connect(m_worker, &SegmentationWorker::runCancelled, this, &SegmentationController::onRunCancelled);
    connect(m_worker, &SegmentationWorker::attentionInspected, this, [this](quint64 id, const AttentionMaps& maps) {
        if (id == m_inspectJob)
            Q_EMIT attentionInspected(maps);
    });
    connect(m_worker, &SegmentationWorker::attentionFailed, this, [this](quint64 id, const QString& message) {
        if (id == m_inspectJob)
            Q_EMIT attentionFailed(message);
    });
    m_thread.start();
}

SegmentationController::~SegmentationController()
{
    shutdown();
}

void SegmentationController::shutdown()
{
    if (!m_thread.isRunning())
        return;
    m_worker->cancel(m_nextJob);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr; // deleted on QThread::finished
}

quint64 SegmentationController::loadModel(const QString& path, const QString& device, const QString& dtype)
{
    if (!m_worker)
        return 0;
    const quint64 id = m_nextJob++;
    m_loadJob = id;
    Q_EMIT busyChanged(true);
    SegmentationWorker* w = m_worker;
    QMetaObject::invokeMethod(
        w, [w, id, path, device, dtype] { w->loadModel(id, path, device, dtype); }, Qt::QueuedConnection);
    return id;
}

quint64 SegmentationController::startRun(const QImage& image, const QStringList& classes,
                                         const invseg::SegmentOptions& options)
{
    if (!m_worker)
        return 0;
    const quint64 id = m_nextJob++;
    if (m_runJob != 0)
        m_worker->cancel(m_runJob); // superseded: its signals will be dropped
    m_runJob = id;
    Q_EMIT busyChanged(true);
    SegmentationWorker* w = m_worker;
    QMetaObject::invokeMethod(
        w, [w, id, image, classes, options] { w->startRun(id, image, classes, options); }, Qt::QueuedConnection);
    return id;
}

quint64 SegmentationController::inspectAttention(const QImage& image, const QStringList& classes,
                                                 const invseg::SegmentOptions& options)
{
    if (!m_worker)
        return 0;
    const quint64 id = m_nextJob++;
    m_inspectJob = id;
    SegmentationWorker* w = m_worker;
    QMetaObject::invokeMethod(
        w, [w, id, image, classes, options] { w->inspectAttention(id, image, classes, options); },
        Qt::QueuedConnection);
    return id;
}

void SegmentationController::cancelRun()
{
    if (m_worker && m_runJob != 0)
        m_worker->cancel(m_runJob);
}

void SegmentationController::onModelLoadProgress(quint64 jobId, const QString& stage, double fraction)
{
    if (jobId == m_loadJob)
        Q_EMIT modelLoadProgress(stage, fraction);
}

void SegmentationController::onModelLoaded(quint64 jobId, const ModelInfo& info)
{
    if (jobId != m_loadJob)
        return;
    m_loadJob = 0;
    m_model = info;
    Q_EMIT modelLoaded(info);
    Q_EMIT busyChanged(isRunning());
}

void SegmentationController::onModelLoadFailed(quint64 jobId, const QString& message)
{
    if (jobId != m_loadJob)
        return;
    m_loadJob = 0;
    Q_EMIT modelLoadFailed(message);
    Q_EMIT busyChanged(isRunning());
}

void SegmentationController::onRunStarted(quint64 jobId)
{
    if (jobId == m_runJob)
        Q_EMIT runStarted(jobId);
}

void SegmentationController::onStepCompleted(quint64 jobId, const StepUpdate& update)
{
    if (jobId == m_runJob)
        Q_EMIT stepCompleted(jobId, update);
}

void SegmentationController::onRunFinished(quint64 jobId, const RunResult& result)
{
    if (jobId != m_runJob)
        return;
    endRun();
    Q_EMIT runFinished(jobId, result);
}

void SegmentationController::onRunFailed(quint64 jobId, const QString& message)
{
    if (jobId != m_runJob)
        return;
    endRun();
    Q_EMIT runFailed(jobId, message);
}

void SegmentationController::onRunCancelled(quint64 jobId)
{
    if (jobId != m_runJob)
        return;
    endRun();
    Q_EMIT runCancelled(jobId);
}

void SegmentationController::endRun()
{
    m_runJob = 0;
    Q_EMIT busyChanged(isLoading());
}

} // namespace invseg::ui
