// The worker and its controller against the golden tiny model: signal order, cancel, failures, stale jobs.
#include "ui_test_support.h"

#include "controllers/segmentation_controller.h"
#include "workers/segmentation_worker.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTimer>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace invseg::ui;
using invseg::ui::test::goldenModelPath;
using invseg::ui::test::sceneImage;

namespace {

invseg::SegmentOptions fastOptions(int steps)
{
    invseg::SegmentOptions o;
    o.steps = steps;
    return o;
}

/// Loads the golden model through the controller and waits for it.
void loadGolden(SegmentationController& controller)
{
    QSignalSpy loaded(&controller, &SegmentationController::modelLoaded);
    QSignalSpy failed(&controller, &SegmentationController::modelLoadFailed);
    controller.loadModel(goldenModelPath(), QStringLiteral("cpu"), QStringLiteral("fp32"));
    for (int i = 0; i < 600 && loaded.isEmpty() && failed.isEmpty(); ++i)
        loaded.wait(100);
    ASSERT_TRUE(failed.isEmpty()) << failed.value(0).value(0).toString().toStdString();
    ASSERT_EQ(loaded.size(), 1);
}

} // namespace

TEST(SegmentationWorker, EmitsStartedThenEveryStepThenFinishedInOrder)
{
    SegmentationWorker worker; // called directly on this thread: every signal is delivered synchronously
    worker.setThrottleMs(0);
    std::vector<std::string> events;
    std::vector<int> steps;
    StepUpdate last;
    RunResult result;
    QObject::connect(&worker, &SegmentationWorker::runStarted, [&](quint64) { events.push_back("started"); });
    QObject::connect(&worker, &SegmentationWorker::stepCompleted, [&](quint64 id, const StepUpdate& u) {
        EXPECT_EQ(id, 7u);
        events.push_back("step");
        steps.push_back(u.step);
        last = u;
    });
    QObject::connect(&worker, &SegmentationWorker::runFinished, [&](quint64, const RunResult& r) {
        events.push_back("finished");
        result = r;
    });
    QObject::connect(&worker, &SegmentationWorker::runFailed,
                     [&](quint64, const QString& m) { ADD_FAILURE() << m.toStdString(); });
    QSignalSpy loaded(&worker, &SegmentationWorker::modelLoaded);
    worker.loadModel(1, goldenModelPath(), QStringLiteral("cpu"), QStringLiteral("fp32"));
    ASSERT_EQ(loaded.size(), 1);
    const int native = loaded[0][1].value<ModelInfo>().nativeSize;
    EXPECT_GT(native, 0);
    EXPECT_EQ(native % 8, 0);

    worker.startRun(7, sceneImage(), {QStringLiteral("sky"), QStringLiteral("grass")}, fastOptions(3));
    ASSERT_EQ(events.size(), 6u);
    EXPECT_EQ(events.front(), "started");
    EXPECT_EQ(events.back(), "finished");
    EXPECT_EQ(steps, (std::vector<int>{0, 1, 2, 3}));
    ASSERT_EQ(last.refinedMaps.size(), 3); // background + 2 classes
    EXPECT_FALSE(last.refinedMaps[0].isNull());
    EXPECT_EQ(last.anchors.size(), 3);
    EXPECT_FALSE(last.labels.isNull());
    EXPECT_EQ(result.classNames,
              (QStringList{QStringLiteral("background"), QStringLiteral("sky"), QStringLiteral("grass")}));
    EXPECT_EQ(result.labels.size(), QSize(64, 48));
    EXPECT_EQ(result.history.size(), 3);
    EXPECT_EQ(result.maps.size(), 3);
    EXPECT_EQ(result.initialMaps.size(), 3);
    EXPECT_TRUE(result.reportJson.contains(QStringLiteral("\"prompt\"")));
}

TEST(SegmentationWorker, ThrottlesUpdatesButAlwaysSendsTheLastStepAndEveryLoss)
{
    SegmentationWorker worker;
    worker.setThrottleMs(60000); // nothing between the first and the last step gets through
    QSignalSpy loaded(&worker, &SegmentationWorker::modelLoaded);
    worker.loadModel(1, goldenModelPath(), QStringLiteral("cpu"), QStringLiteral("fp32"));
    ASSERT_EQ(loaded.size(), 1);
    QSignalSpy steps(&worker, &SegmentationWorker::stepCompleted);
    QSignalSpy finished(&worker, &SegmentationWorker::runFinished);
    worker.startRun(2, sceneImage(), {QStringLiteral("sky")}, fastOptions(4));
    ASSERT_EQ(finished.size(), 1);
    ASSERT_EQ(steps.size(), 2); // step 0 and the last step
    const auto lastUpdate = steps[1][1].value<StepUpdate>();
    EXPECT_EQ(lastUpdate.step, 4);
    EXPECT_EQ(lastUpdate.losses.size(), 4); // the skipped steps' losses travel with the last update
}

TEST(SegmentationWorker, FailedLoadReportsTheMessageAndKeepsThePreviousModel)
{
    SegmentationWorker worker;
    QSignalSpy loaded(&worker, &SegmentationWorker::modelLoaded);
    QSignalSpy failed(&worker, &SegmentationWorker::modelLoadFailed);
    worker.loadModel(1, goldenModelPath(), QStringLiteral("cpu"), QStringLiteral("fp32"));
    ASSERT_EQ(loaded.size(), 1);
    const QString missing = QStringLiteral("/nonexistent/invseg/model-folder");
    worker.loadModel(2, missing, QStringLiteral("cpu"), QStringLiteral("fp32"));
    ASSERT_EQ(failed.size(), 1);
    EXPECT_EQ(failed[0][0].toULongLong(), 2u);
    const QString message = failed[0][1].toString();
    EXPECT_FALSE(message.isEmpty());
    EXPECT_TRUE(message.contains(QStringLiteral("model-folder"))) << message.toStdString();
    EXPECT_TRUE(message.startsWith(QStringLiteral("Cannot read or write a file: "))) << message.toStdString();

    // The golden model is still there: a baseline run succeeds.
    QSignalSpy finished(&worker, &SegmentationWorker::runFinished);
    worker.startRun(3, sceneImage(), {QStringLiteral("sky")}, fastOptions(0));
    EXPECT_EQ(finished.size(), 1);
}

TEST(SegmentationWorker, RunWithoutModelFailsWithAMessage)
{
    SegmentationWorker worker;
    QSignalSpy failed(&worker, &SegmentationWorker::runFailed);
    QSignalSpy started(&worker, &SegmentationWorker::runStarted);
    worker.startRun(1, sceneImage(), {QStringLiteral("sky")}, fastOptions(1));
    ASSERT_EQ(failed.size(), 1);
    EXPECT_TRUE(started.isEmpty());
    EXPECT_FALSE(failed[0][1].toString().isEmpty());
}

TEST(SegmentationWorker, EngineErrorsBecomeRunFailed)
{
    SegmentationWorker worker;
    QSignalSpy loaded(&worker, &SegmentationWorker::modelLoaded);
    worker.loadModel(1, goldenModelPath(), QStringLiteral("cpu"), QStringLiteral("fp32"));
    ASSERT_EQ(loaded.size(), 1);
    QSignalSpy failed(&worker, &SegmentationWorker::runFailed);
    worker.startRun(2, sceneImage(), {QStringLiteral("sky"), QStringLiteral("sky")}, fastOptions(1));
    ASSERT_EQ(failed.size(), 1);
    EXPECT_TRUE(failed[0][1].toString().contains(QStringLiteral("twice"))) << failed[0][1].toString().toStdString();
    // The kind of failure comes first, in the user's language (English here: no translator is installed).
    EXPECT_TRUE(failed[0][1].toString().startsWith(QStringLiteral("Invalid input: ")))
        << failed[0][1].toString().toStdString();
}

TEST(SegmentationController, StopEndsTheRunWithinOneStep)
{
    SegmentationController controller;
    loadGolden(controller);
    controller.worker()->setThrottleMs(0);
    QSignalSpy cancelled(&controller, &SegmentationController::runCancelled);
    QSignalSpy finished(&controller, &SegmentationController::runFinished);
    int stepAtCancel = -1;
    int maxStep = -1;
    QObject::connect(&controller, &SegmentationController::stepCompleted, [&](quint64, const StepUpdate& u) {
        maxStep = std::max(maxStep, u.step);
        if (u.step >= 1 && stepAtCancel < 0) {
            stepAtCancel = u.step;
            controller.cancelRun();
        }
    });
    controller.startRun(sceneImage(), {QStringLiteral("sky"), QStringLiteral("grass")}, fastOptions(200));
    for (int i = 0; i < 1200 && cancelled.isEmpty() && finished.isEmpty(); ++i)
        cancelled.wait(100);
    ASSERT_EQ(cancelled.size(), 1);
    EXPECT_TRUE(finished.isEmpty());
    ASSERT_GE(stepAtCancel, 1);
    // The step in flight when Stop was pressed may complete; no further one starts.
    EXPECT_LE(maxStep, stepAtCancel + 1);
    EXPECT_FALSE(controller.isRunning());
}

TEST(SegmentationController, DropsResultsOfSupersededRuns)
{
    SegmentationController controller;
    loadGolden(controller);
    QSignalSpy workerFinished(controller.worker(), &SegmentationWorker::runFinished);
    QSignalSpy workerCancelled(controller.worker(), &SegmentationWorker::runCancelled);
    QSignalSpy finished(&controller, &SegmentationController::runFinished);
    QSignalSpy cancelled(&controller, &SegmentationController::runCancelled);
    QVector<quint64> stepJobs;
    QObject::connect(&controller, &SegmentationController::stepCompleted,
                     [&](quint64 id, const StepUpdate&) { stepJobs << id; });
    const quint64 a = controller.startRun(sceneImage(), {QStringLiteral("sky")}, fastOptions(3));
    const quint64 b = controller.startRun(sceneImage(), {QStringLiteral("grass")}, fastOptions(2));
    ASSERT_NE(a, b);
    for (int i = 0; i < 1200 && finished.isEmpty(); ++i)
        finished.wait(100);
    ASSERT_EQ(finished.size(), 1);
    EXPECT_EQ(finished[0][0].toULongLong(), b);
    EXPECT_EQ(finished[0][1].value<RunResult>().classNames.value(1), QStringLiteral("grass"));
    // The worker did answer for job a (cancelled or finished), and the controller passed none of it on. The worker
    // thread may still be inside its emit (the queued copy to the controller goes first): join it before counting.
    controller.shutdown();
    EXPECT_EQ(workerFinished.size() + workerCancelled.size(), 2)
        << "worker finished " << workerFinished.size() << ", cancelled " << workerCancelled.size();
    EXPECT_TRUE(cancelled.isEmpty());
    for (auto id : stepJobs)
        EXPECT_EQ(id, b);
}

TEST(SegmentationController, EventLoopStaysResponsiveWhileTheWorkerOptimises)
{
    SegmentationController controller;
    loadGolden(controller);
    QSignalSpy finished(&controller, &SegmentationController::runFinished);
    QElapsedTimer clock;
    qint64 last = 0, maxGap = 0;
    int ticks = 0, steps = 0;
    QTimer probe;
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        if (ticks++ > 0)
            maxGap = std::max(maxGap, now - last);
        last = now;
    });
    QObject::connect(&controller, &SegmentationController::stepCompleted, [&](quint64, const StepUpdate&) { ++steps; });
    clock.start();
    probe.start();
    controller.startRun(sceneImage(256, 192), {QStringLiteral("sky"), QStringLiteral("grass"), QStringLiteral("box")},
                        fastOptions(12));
    for (int i = 0; i < 1200 && finished.isEmpty(); ++i)
        finished.wait(100);
    probe.stop();
    ASSERT_EQ(finished.size(), 1);
    EXPECT_GT(steps, 0);
    EXPECT_GT(ticks, 5);
    EXPECT_LT(maxGap, 50) << "max event-loop gap " << maxGap << " ms over " << ticks << " ticks";
}

TEST(SegmentationController, InspectsRawPerTokenCrossAttention)
{
    SegmentationController controller;
    loadGolden(controller);
    QSignalSpy inspected(&controller, &SegmentationController::attentionInspected);
    QSignalSpy failed(&controller, &SegmentationController::attentionFailed);
    controller.inspectAttention(sceneImage(), {QStringLiteral("sky"), QStringLiteral("grass")}, fastOptions(0));
    for (int i = 0; i < 600 && inspected.isEmpty() && failed.isEmpty(); ++i)
        inspected.wait(100);
    ASSERT_TRUE(failed.isEmpty()) << failed.value(0).value(0).toString().toStdString();
    ASSERT_EQ(inspected.size(), 1);
    const auto maps = inspected[0][0].value<AttentionMaps>();
    EXPECT_TRUE(maps.tokens.contains(QStringLiteral("sky")));
    EXPECT_TRUE(maps.tokens.contains(QStringLiteral("background")));
    ASSERT_FALSE(maps.levels.isEmpty());
    ASSERT_EQ(maps.maps.size(), maps.levels.size());
    for (const auto& level : maps.maps) {
        ASSERT_EQ(level.size(), maps.tokens.size());
        EXPECT_FALSE(level[0].isNull());
    }
    ASSERT_EQ(maps.weighted.size(), maps.tokens.size());
    EXPECT_FALSE(maps.weighted[0].isNull());
}
