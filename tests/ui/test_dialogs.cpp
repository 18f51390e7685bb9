// Dialogs and shutdown: About names the versions, the inspector lays out one tile per token, shutdown mid-run is
// prompt.
#include "ui_test_support.h"

#include "controllers/segmentation_controller.h"
#include "dialogs/about_dialog.h"
#include "dialogs/attention_inspector_dialog.h"
#include "workers/segmentation_worker.h"

#include <QElapsedTimer>
#include <QSignalSpy>

#include <gtest/gtest.h>

#include <memory>

using namespace invseg::ui;
using invseg::ui::test::goldenModelPath;
using invseg::ui::test::sceneImage;

TEST(AboutDialog, NamesVersionLibTorchAndDevice)
{
    AboutDialog dialog(QStringLiteral("/models/toy"), QStringLiteral("cuda:0"));
    EXPECT_TRUE(dialog.text().contains(QStringLiteral(INVSEG_VERSION)));
    EXPECT_TRUE(dialog.text().contains(QStringLiteral("LibTorch ")));
    EXPECT_TRUE(dialog.text().contains(QStringLiteral("cuda:0")));
    EXPECT_TRUE(dialog.text().contains(QStringLiteral("/models/toy")));
    EXPECT_TRUE(SegmentationWorker::availableDevices().contains(QStringLiteral("cpu")));
}

TEST(AttentionInspectorDialog, ShowsOneTilePerToken)
{
    AttentionInspectorDialog dialog;
    AttentionMaps maps;
    maps.tokens = {QStringLiteral("a"), QStringLiteral("photograph"), QStringLiteral("sky")};
    maps.levels = {1, 2};
    QImage grey(8, 8, QImage::Format_Grayscale8);
    grey.fill(128);
    maps.maps = {{grey, grey, grey}, {grey, grey, grey}};
    maps.weighted = {grey, grey, grey};
    dialog.setResult(maps);
    EXPECT_EQ(dialog.tileCount(), 3);
}

TEST(SegmentationController, ShutdownDuringARunReturnsWithinAStep)
{
    auto controller = std::make_unique<SegmentationController>();
    QSignalSpy loaded(controller.get(), &SegmentationController::modelLoaded);
    controller->loadModel(goldenModelPath(), QStringLiteral("cpu"), QStringLiteral("fp32"));
    for (int i = 0; i < 600 && loaded.isEmpty(); ++i)
        loaded.wait(100);
    ASSERT_EQ(loaded.size(), 1);
    QSignalSpy steps(controller.get(), &SegmentationController::stepCompleted);
    controller->startRun(sceneImage(), {QStringLiteral("sky")}, invseg::SegmentOptions{});
    for (int i = 0; i < 600 && steps.isEmpty(); ++i)
        steps.wait(100);
    ASSERT_FALSE(steps.isEmpty());
    QElapsedTimer t;
    t.start();
    controller.reset(); // cancel → quit → wait
    EXPECT_LT(t.elapsed(), 5000);
}
