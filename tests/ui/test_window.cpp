// The main window end to end: open, run, label map, export, brush + undo/redo, settings, screenshot, translations.
#include "window_test_support.h"

#include "controllers/app_settings.h"
#include "controllers/image_document.h"
#include "controllers/segmentation_controller.h"
#include "main_window.h"
#include "plots/loss_chart.h"
#include "widgets/class_panel.h"
#include "widgets/image_canvas.h"
#include "widgets/map_gallery.h"
#include "widgets/run_panel.h"
#include "workers/segmentation_worker.h"

#include "invseg/image.h"
#include "invseg/resources.h"
#include "invseg/runtime_info.h"
#include "invseg/segment_options.h"
#include "invseg/segmenter.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMimeData>
#include <QPointer>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QUrl>
#include <QWheelEvent>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace invseg::ui;
using invseg::ui::test::goldenModelPath;
using invseg::ui::test::sceneImage;

namespace {

struct WindowFixture : ::testing::Test {
    QTemporaryDir dir;
    std::unique_ptr<MainWindow> window;
    QString imagePath;

    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        MainWindowOptions options;
        options.settingsFile = dir.filePath(QStringLiteral("settings.ini"));
        options.loadModelOnStart = false;
        window = std::make_unique<MainWindow>(options);
        window->resize(1280, 800);
        window->show();
        imagePath = dir.filePath(QStringLiteral("scene.png"));
        ASSERT_TRUE(sceneImage().save(imagePath));
    }

    void TearDown() override { window.reset(); }

    void loadModelAndWait() { test::loadModelAndWait(*window); }

    void setRunSteps(int steps) { test::setRunSteps(*window, steps); }

    void runAndWait(int steps)
    {
        setRunSteps(steps);
        QSignalSpy ended(window.get(), &MainWindow::runEnded);
        ASSERT_TRUE(window->runCurrent());
        for (int i = 0; i < 1200 && ended.isEmpty(); ++i)
            ended.wait(100);
        ASSERT_EQ(ended.size(), 1);
        ASSERT_TRUE(ended[0][0].toBool());
    }
};

} // namespace

TEST_F(WindowFixture, OpenRunShowsLabelMapAndExportWritesAValidIndexedPng)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass"), QStringLiteral("box")});
    loadModelAndWait();
    runAndWait(2);

    ImageDocument* doc = window->currentDocument();
    ASSERT_NE(doc, nullptr);
    ASSERT_TRUE(doc->hasLabels());
    EXPECT_EQ(doc->labels().size(), QSize(64, 48));
    EXPECT_FALSE(window->gallery()->labelImage().isNull());
    EXPECT_EQ(window->lossChart()->history().size(), 2);
    int maxLabel = 0;
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x)
            maxLabel = std::max<int>(maxLabel, doc->labels().constScanLine(y)[x]);
    EXPECT_LE(maxLabel, 3);

    const QString out = dir.filePath(QStringLiteral("export"));
    ASSERT_TRUE(QDir().mkpath(out));
    QString error;
    ASSERT_TRUE(window->exportCurrent(out, &error)) << error.toStdString();
    const auto labels = invseg::loadLabelMap(QDir(out).filePath(QStringLiteral("scene.label.png")).toStdString());
    ASSERT_EQ(labels.width, 64);
    ASSERT_EQ(labels.height, 48);
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x)
            ASSERT_EQ(labels.labels[static_cast<size_t>(y) * 64 + x], doc->labels().constScanLine(y)[x]);
    EXPECT_TRUE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("scene.label.classes.txt"))));
    EXPECT_TRUE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("scene.overlay.png"))));
    EXPECT_TRUE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("scene.json"))));
    EXPECT_TRUE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("coco.json"))));

    // The run's labels are one undo step: undo goes back to an empty map.
    doc->undoStack()->undo();
    int nonzero = 0;
    for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x)
            nonzero += doc->labels().constScanLine(y)[x] != 0;
    EXPECT_EQ(nonzero, 0);
}

TEST_F(WindowFixture, OutOfMemoryEndsTheRunWithOneLineKeepsTheLabelsAndTheAppUsable)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    loadModelAndWait();
    runAndWait(2);
    ImageDocument* doc = window->currentDocument();
    ASSERT_TRUE(doc->hasLabels());
    window->canvas()->setTool(ImageCanvas::Tool::Brush);
    window->classPanel()->setActiveClass(1);
    window->canvas()->paintStroke({QPoint(5, 5), QPoint(20, 5)}); // the user's own edit on top of the run
    const QImage before = doc->labels().copy();

    struct Off {
        ~Off() { invseg::testing::injectOutOfMemoryAtStep(-1); }
    } off;
    invseg::testing::injectOutOfMemoryAtStep(2); // as if the GPU ran out in the second step
    setRunSteps(4);
    QSignalSpy ended(window.get(), &MainWindow::runEnded);
    ASSERT_TRUE(window->runCurrent());
    for (int i = 0; i < 1200 && ended.isEmpty(); ++i)
        ended.wait(100);
    ASSERT_EQ(ended.size(), 1);
    EXPECT_FALSE(ended[0][0].toBool());
    const QString status = window->statusBar()->currentMessage();
    EXPECT_TRUE(status.contains(QStringLiteral("out of memory on cpu"))) << status.toStdString();
    EXPECT_TRUE(status.contains(QStringLiteral("64\u00d748 image"))) << status.toStdString();
    EXPECT_TRUE(status.contains(QStringLiteral("try "))) << status.toStdString();
    EXPECT_FALSE(status.contains(QLatin1Char('\n'))) << "one line";
    EXPECT_EQ(doc->labels(), before) << "the run's failure changed the user's labels";
    EXPECT_FALSE(window->controller()->isRunning());

    invseg::testing::injectOutOfMemoryAtStep(-1);
    runAndWait(2); // the app is usable: the next run works
    EXPECT_TRUE(window->statusBar()->currentMessage().contains(QStringLiteral("on cpu (fp32)")))
        << window->statusBar()->currentMessage().toStdString();
}

TEST_F(WindowFixture, DeviceListNamesEachDeviceAndSaysWhyThereIsNoGpu)
{
    auto* combo = window->runPanel()->findChild<QComboBox*>(QStringLiteral("deviceList"));
    ASSERT_NE(combo, nullptr);
    const auto& cuda = invseg::cudaStatus();
    ASSERT_EQ(combo->count(), static_cast<int>(cuda.devices.size()) + 1);
    for (int i = 0; i < static_cast<int>(cuda.devices.size()); ++i)
        EXPECT_EQ(combo->itemText(i).toStdString(), cuda.devices[size_t(i)].label());
    // The window's default is the engine's: the first GPU in bf16 where it has it, else the CPU in fp32.
    const auto automatic = invseg::defaultDeviceChoice();
    EXPECT_EQ(window->runPanel()->device().toStdString(), automatic.device);
    EXPECT_EQ(window->runPanel()->dtype().toStdString(), automatic.dtype);
    auto* note = window->runPanel()->findChild<QLabel*>(QStringLiteral("deviceNote"));
    ASSERT_NE(note, nullptr);
    if (cuda.usable()) {
        EXPECT_TRUE(note->isHidden());
    } else {
        EXPECT_TRUE(note->isVisible()) << "the window says once that it runs on the CPU";
        EXPECT_TRUE(note->text().startsWith(QStringLiteral("Runs on the CPU: "))) << note->text().toStdString();
        EXPECT_EQ(note->toolTip().toStdString(), cuda.reason);
        EXPECT_EQ(window->statusBar()->currentMessage(), note->text());
    }
}

TEST(AppSettings, DeviceIsRememberedOnlyWhenTheUserPicksOne)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("s.ini"));
    {
        // A settings file of an older version, which wrote the CPU default on every exit.
        QSettings s(file, QSettings::IniFormat);
        s.setValue(QStringLiteral("model/device"), QStringLiteral("cpu"));
        s.setValue(QStringLiteral("model/dtype"), QStringLiteral("fp32"));
    }
    {
        MainWindowOptions options;
        options.settingsFile = file;
        options.loadModelOnStart = false;
        MainWindow w(options);
        EXPECT_EQ(w.runPanel()->device().toStdString(), invseg::defaultDeviceChoice().device);
        w.saveSettings();
    }
    {
        QSettings s(file, QSettings::IniFormat);
        EXPECT_FALSE(s.contains(QStringLiteral("run/device"))) << "the default is not saved as a choice";
        EXPECT_FALSE(s.contains(QStringLiteral("model/device")));
    }
    {
        MainWindowOptions options;
        options.settingsFile = file;
        options.loadModelOnStart = false;
        MainWindow w(options);
        auto* combo = w.runPanel()->findChild<QComboBox*>(QStringLiteral("deviceList"));
        ASSERT_NE(combo, nullptr);
        const int cpu = combo->findData(QStringLiteral("cpu"));
        ASSERT_GE(cpu, 0);
        combo->setCurrentIndex(cpu);
        Q_EMIT combo->activated(cpu); // what a click on the entry sends
        w.saveSettings();
    }
    QSettings s(file, QSettings::IniFormat);
    EXPECT_EQ(s.value(QStringLiteral("run/device")).toString(), QStringLiteral("cpu"));
}

TEST_F(WindowFixture, BrushStrokeUndoRedoRestoresPixels)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    ImageDocument* doc = window->currentDocument();
    ImageCanvas* canvas = window->canvas();
    window->classPanel()->setActiveClass(2);
    canvas->setTool(ImageCanvas::Tool::Brush);
    canvas->setBrushSize(5);
    canvas->paintStroke({QPoint(10, 10), QPoint(30, 10)});
    ASSERT_TRUE(doc->hasLabels());
    EXPECT_EQ(doc->labels().constScanLine(10)[20], 2);
    EXPECT_EQ(doc->labels().constScanLine(40)[50], 0);
    const QImage afterStroke = doc->labels().copy();

    canvas->setTool(ImageCanvas::Tool::Eraser);
    canvas->paintStroke({QPoint(20, 10)});
    EXPECT_EQ(doc->labels().constScanLine(10)[20], 0);
    EXPECT_EQ(doc->undoStack()->count(), 2);

    doc->undoStack()->undo(); // the eraser
    EXPECT_EQ(doc->labels(), afterStroke);
    doc->undoStack()->undo(); // the brush
    EXPECT_EQ(doc->labels().constScanLine(10)[20], 0);
    EXPECT_EQ(doc->labels().constScanLine(10)[10], 0);
    doc->undoStack()->redo();
    EXPECT_EQ(doc->labels(), afterStroke);

    // Fill: the background region around the stroke becomes class 1, the stroke stays 2.
    window->classPanel()->setActiveClass(1);
    canvas->setTool(ImageCanvas::Tool::Fill);
    canvas->paintStroke({QPoint(60, 45)});
    EXPECT_EQ(doc->labels().constScanLine(45)[60], 1);
    EXPECT_EQ(doc->labels().constScanLine(10)[20], 2);
    window->action(QStringLiteral("actionUndo"))->trigger();
    EXPECT_EQ(doc->labels(), afterStroke);
}

TEST_F(WindowFixture, EditsAreKeptPerImage)
{
    const QString second = dir.filePath(QStringLiteral("second.png"));
    ASSERT_TRUE(sceneImage(40, 40).save(second));
    ASSERT_EQ(window->openPaths({imagePath, second}), 2);
    window->showDocument(0);
    window->canvas()->setTool(ImageCanvas::Tool::Brush);
    window->classPanel()->setActiveClass(1);
    window->canvas()->paintStroke({QPoint(5, 5)});
    window->nextImage();
    EXPECT_EQ(window->currentIndex(), 1);
    EXPECT_FALSE(window->currentDocument()->hasLabels());
    window->previousImage();
    ASSERT_TRUE(window->currentDocument()->hasLabels());
    EXPECT_EQ(window->currentDocument()->labels().constScanLine(5)[5], 1);
}

TEST_F(WindowFixture, ReorderingClassesRemapsLabels)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    window->classPanel()->setActiveClass(1);
    window->canvas()->setTool(ImageCanvas::Tool::Brush);
    window->canvas()->paintStroke({QPoint(8, 8)});
    window->classPanel()->moveActiveClass(1); // sky moves to row 2
    EXPECT_EQ(window->classPanel()->allNames(),
              (QStringList{QStringLiteral("background"), QStringLiteral("grass"), QStringLiteral("sky")}));
    EXPECT_EQ(window->currentDocument()->labels().constScanLine(8)[8], 2);
}

TEST_F(WindowFixture, CanvasZoomShortcuts)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    window->action(QStringLiteral("actionActualSize"))->trigger();
    EXPECT_DOUBLE_EQ(window->canvas()->zoom(), 1.0);
    window->action(QStringLiteral("actionZoomIn"))->trigger();
    EXPECT_GT(window->canvas()->zoom(), 1.0);
    window->action(QStringLiteral("actionFit"))->trigger();
    const double fit = window->canvas()->zoom();
    EXPECT_GT(fit, 1.0); // a 64×48 image in a large canvas
    EXPECT_EQ(window->action(QStringLiteral("actionFit"))->shortcut(), QKeySequence(QStringLiteral("Ctrl+F")));
    EXPECT_EQ(window->action(QStringLiteral("actionShowMask"))->shortcut(), QKeySequence(QStringLiteral("Ctrl+M")));
}

TEST_F(WindowFixture, FailedModelLoadShowsTheMessageAndKeepsWorking)
{
    QSignalSpy ready(window.get(), &MainWindow::modelReady);
    window->loadModel(dir.filePath(QStringLiteral("no-such-model")));
    for (int i = 0; i < 100 && ready.isEmpty(); ++i)
        ready.wait(100);
    ASSERT_EQ(ready.size(), 1);
    EXPECT_FALSE(ready[0][0].toBool());
    EXPECT_FALSE(window->controller()->hasModel());
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    EXPECT_FALSE(window->runCurrent()); // no model: refused, not crashed
}

TEST(AppSettings, RoundTripsThroughQSettings)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("s.ini"));
    AppSettings a;
    a.modelPath = QStringLiteral("/models/sd15");
    a.device = QStringLiteral("cuda:1");
    a.dtype = QStringLiteral("fp16");
    a.optionChanges = QStringLiteral(R"({"steps":7,"learning_rate":0.05,"views":1,"entropy_weight":0.25})");
    a.classes = {QStringLiteral("cat"), QStringLiteral("dog")};
    a.classColors = {QColor(0, 0, 0), QColor(10, 20, 30), QColor(200, 100, 50)};
    a.addRecentFile(QStringLiteral("/a.png"));
    a.addRecentFile(QStringLiteral("/b.png"));
    a.addRecentFile(QStringLiteral("/a.png"));
    a.language = QStringLiteral("de");
    a.colormap = QStringLiteral("magma");
    a.overlayOpacity = 0.3;
    a.geometry = QByteArray("geom");
    {
        QSettings s(file, QSettings::IniFormat);
        a.save(s);
    }
    QSettings s(file, QSettings::IniFormat);
    const AppSettings b = AppSettings::load(s);
    EXPECT_EQ(b.modelPath, a.modelPath);
    EXPECT_EQ(b.device, a.device);
    EXPECT_EQ(b.dtype, a.dtype);
    EXPECT_EQ(b.optionChanges, a.optionChanges);
    EXPECT_EQ(b.classes, a.classes);
    EXPECT_EQ(b.classColors, a.classColors);
    EXPECT_EQ(b.recentFiles, (QStringList{QStringLiteral("/a.png"), QStringLiteral("/b.png")}));
    EXPECT_EQ(b.language, a.language);
    EXPECT_EQ(b.colormap, a.colormap);
    EXPECT_DOUBLE_EQ(b.overlayOpacity, 0.3);
    EXPECT_EQ(b.geometry, a.geometry);
}

TEST(MainWindowSettings, ClassesAndOptionsSurviveARestart)
{
    QTemporaryDir dir;
    MainWindowOptions options;
    options.settingsFile = dir.filePath(QStringLiteral("settings.ini"));
    options.loadModelOnStart = false;
    {
        MainWindow w(options);
        w.classPanel()->setClasses({QStringLiteral("horse"), QStringLiteral("tree")});
        auto o = w.runPanel()->options();
        o.steps = 13;
        o.timestep = 250;
        w.runPanel()->setOptions(o);
        w.saveSettings();
    }
    MainWindow w(options);
    EXPECT_EQ(w.classPanel()->classes(), (QStringList{QStringLiteral("horse"), QStringLiteral("tree")}));
    EXPECT_EQ(w.runPanel()->options().steps, 13);
    EXPECT_EQ(w.runPanel()->options().timestep, 250);
}

TEST(MainWindowSettings, OptionsAreTheModelsDefaultsPlusOnlyWhatTheUserChanged)
{
    // The bundled model's folder carries its own defaults (invseg_defaults.json): with nothing changed, the window
    // runs with exactly the options the CLI resolves for that model (SegmentOptions::forModel), on the engine's
    // default device, and saving the settings stores no option as a choice of the user's.
    const QString bundled = QString::fromStdString(invseg::resourcePath("models/toy"));
    if (!QFileInfo::exists(bundled + QStringLiteral("/invseg_defaults.json")))
        GTEST_SKIP() << "no bundled model";
    const auto cli = invseg::SegmentOptions::forModel(bundled.toStdString());
    ASSERT_NE(cli.levelWeights, invseg::SegmentOptions().levelWeights) << "the model's defaults are its own";
    QTemporaryDir dir;
    MainWindowOptions options;
    options.settingsFile = dir.filePath(QStringLiteral("settings.ini"));
    options.loadModelOnStart = false;
    {
        // A settings file of an older version, which stored every option (the method's defaults) as if chosen.
        QSettings s(options.settingsFile, QSettings::IniFormat);
        s.setValue(QStringLiteral("run/options"), QString::fromStdString(invseg::SegmentOptions().toJson().dump()));
    }
    {
        MainWindow w(options);
        auto o = w.runPanel()->options();
        EXPECT_EQ(o.changesFrom(cli).dump(), "{}") << "the window differs from the CLI in " << o.changesFrom(cli);
        EXPECT_EQ(o.device, invseg::defaultDeviceChoice().device);
        EXPECT_EQ(o.dtype, invseg::defaultDeviceChoice().dtype);
        w.saveSettings();
        QSettings s(options.settingsFile, QSettings::IniFormat);
        EXPECT_FALSE(s.contains(QStringLiteral("run/changed")));
        EXPECT_FALSE(s.contains(QStringLiteral("run/options")));
        o.steps = 9; // the user's change
        w.runPanel()->setOptions(o);
        w.saveSettings();
    }
    MainWindow w(options);
    const auto o = w.runPanel()->options();
    EXPECT_EQ(o.steps, 9);
    EXPECT_EQ(o.levelWeights, cli.levelWeights);
    EXPECT_EQ(o.changesFrom(cli).dump(), R"({"steps":9})");
}

TEST_F(WindowFixture, SavesAScreenshotAfterARun)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass"), QStringLiteral("box")});
    loadModelAndWait();
    runAndWait(3);
    const QImage shot = window->grab().toImage();
    ASSERT_FALSE(shot.isNull());
    // What it shows: the whole window, not a blank or single-colour picture ...
    EXPECT_EQ(shot.size(), window->size() * shot.devicePixelRatio());
    QSet<QRgb> colours;
    for (int y = 0; y < shot.height(); y += 4)
        for (int x = 0; x < shot.width(); x += 4)
            colours.insert(shot.pixel(x, y));
    EXPECT_GT(colours.size(), 50) << "the screenshot is (nearly) blank";
    // ... and the canvas carries the run's label overlay: hiding the mask changes a good part of the canvas.
    ImageCanvas* canvas = window->canvas();
    const QImage withMask = canvas->grab().toImage();
    canvas->setMaskVisible(false);
    const QImage withoutMask = canvas->grab().toImage();
    canvas->setMaskVisible(true);
    ASSERT_EQ(withMask.size(), withoutMask.size());
    int changed = 0, total = 0;
    for (int y = 0; y < withMask.height(); y += 2)
        for (int x = 0; x < withMask.width(); x += 2, ++total)
            changed += withMask.pixel(x, y) != withoutMask.pixel(x, y);
    EXPECT_GT(changed, total / 20) << "no label overlay on the canvas: " << changed << " of " << total
                                   << " sampled pixels change when the mask is hidden";
    const QString path = QStringLiteral(INVSEG_SCREENSHOT_PATH);
    QDir().mkpath(QFileInfo(path).absolutePath());
    ASSERT_TRUE(shot.save(path)) << path.toStdString();
    EXPECT_GT(QFileInfo(path).size(), 1000);
}

TEST(Translations, EveryStringIsTranslated)
{
    for (const QString name : {QStringLiteral("invseg_de.ts"), QStringLiteral("invseg_zh_CN.ts")}) {
        QFile f(QDir(QStringLiteral(INVSEG_TRANSLATIONS_DIR)).filePath(name));
        ASSERT_TRUE(f.open(QIODevice::ReadOnly)) << name.toStdString();
        const QString ts = QString::fromUtf8(f.readAll());
        const int messages = ts.count(QStringLiteral("<message"));
        EXPECT_GT(messages, 100) << name.toStdString();
        EXPECT_FALSE(ts.contains(QStringLiteral("type=\"unfinished\""))) << name.toStdString();
        EXPECT_FALSE(ts.contains(QStringLiteral("<translation></translation>"))) << name.toStdString();
    }
}

TEST_F(WindowFixture, SegmentAllLabelsEveryImageAndExportAllWritesOneCocoFile)
{
    const QString second = dir.filePath(QStringLiteral("second.png"));
    ASSERT_TRUE(sceneImage(40, 32).save(second));
    ASSERT_EQ(window->openPaths({imagePath, second}), 2);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    loadModelAndWait();
    setRunSteps(1);
    QSignalSpy ended(window.get(), &MainWindow::runEnded);
    window->segmentAll();
    for (int i = 0; i < 1200 && ended.size() < 2; ++i)
        ended.wait(100);
    ASSERT_EQ(ended.size(), 2);
    QTest::qWait(50); // the batch closes on the next turn of the event loop
    EXPECT_FALSE(window->controller()->isRunning());
    window->showDocument(0);
    ASSERT_TRUE(window->currentDocument()->hasLabels());
    window->showDocument(1);
    ASSERT_TRUE(window->currentDocument()->hasLabels());
    EXPECT_EQ(window->currentDocument()->labels().size(), QSize(40, 32));

    const QString out = dir.filePath(QStringLiteral("all"));
    ASSERT_TRUE(QDir().mkpath(out));
    QString error;
    ASSERT_TRUE(window->exportAll(out, &error)) << error.toStdString();
    QFile coco(QDir(out).filePath(QStringLiteral("coco.json")));
    ASSERT_TRUE(coco.open(QIODevice::ReadOnly));
    const auto json = QJsonDocument::fromJson(coco.readAll()).object();
    EXPECT_EQ(json.value(QStringLiteral("images")).toArray().size(), 2);
    EXPECT_EQ(json.value(QStringLiteral("categories")).toArray().size(), 2);
    EXPECT_TRUE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("second.label.png"))));
}

TEST_F(WindowFixture, StatusBarNamesTheClassUnderTheCursorAndCtrlWheelZooms)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    window->classPanel()->setActiveClass(2);
    ImageCanvas* canvas = window->canvas();
    canvas->setTool(ImageCanvas::Tool::Brush);
    canvas->setBrushSize(9);
    canvas->paintStroke({QPoint(20, 20)});
    canvas->setTool(ImageCanvas::Tool::View);
    canvas->fitToWindow();
    const QPoint at = canvas->toWidget(QPointF(20.5, 20.5)).toPoint();
    QTest::mouseMove(canvas, at);
    bool named = false;
    for (auto* label : window->statusBar()->findChildren<QLabel*>())
        named = named || label->text().contains(QStringLiteral("grass"));
    EXPECT_TRUE(named);

    const double before = canvas->zoom();
    QWheelEvent wheel(QPointF(at), canvas->mapToGlobal(QPointF(at)), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(canvas, &wheel);
    EXPECT_GT(canvas->zoom(), before);
    // The image point under the cursor stays under it.
    EXPECT_NEAR(canvas->toImage(QPointF(at)).x(), 20.5, 0.6);
}

TEST_F(WindowFixture, OpeningASampleUsesTheClassListBesideIt)
{
    QFile f(dir.filePath(QStringLiteral("scene.classes.txt")));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Text));
    f.write("background\ncat\ndog\n");
    f.close();
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    EXPECT_EQ(window->classPanel()->classes(), (QStringList{QStringLiteral("cat"), QStringLiteral("dog")}));
}

TEST_F(WindowFixture, DroppingFilesAndAFolderOpensTheirImages)
{
    const QString folder = dir.filePath(QStringLiteral("dropped"));
    ASSERT_TRUE(QDir().mkpath(folder));
    ASSERT_TRUE(sceneImage(24, 16).save(QDir(folder).filePath(QStringLiteral("a.png"))));
    ASSERT_TRUE(sceneImage(16, 24).save(QDir(folder).filePath(QStringLiteral("b.png"))));
    QFile notAnImage(QDir(folder).filePath(QStringLiteral("notes.txt")));
    ASSERT_TRUE(notAnImage.open(QIODevice::WriteOnly));
    notAnImage.write("not an image");
    notAnImage.close();

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(imagePath), QUrl::fromLocalFile(folder)});
    const QPointF at(window->width() / 2.0, window->height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &enter);
    EXPECT_TRUE(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &drop);
    EXPECT_TRUE(drop.isAccepted());
    ASSERT_EQ(window->documentCount(), 3); // the file and the folder's two images; the text file is skipped
    EXPECT_EQ(window->currentIndex(), 0);
    EXPECT_EQ(window->currentDocument()->path(), imagePath);

    // A drop without local image files opens nothing and is not accepted.
    QMimeData text;
    text.setText(QStringLiteral("cat"));
    QDropEvent ignored(at, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &ignored);
    EXPECT_FALSE(ignored.isAccepted());
    EXPECT_EQ(window->documentCount(), 3);
}

TEST_F(WindowFixture, CancellingSegmentAllStopsTheBatchAndKeepsFinishedImages)
{
    QStringList paths{imagePath};
    for (int i = 1; i < 3; ++i) {
        paths << dir.filePath(QStringLiteral("scene%1.png").arg(i));
        ASSERT_TRUE(sceneImage(32 + 8 * i, 32).save(paths.last()));
    }
    ASSERT_EQ(window->openPaths(paths), 3);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    loadModelAndWait();
    setRunSteps(10);
    QSignalSpy ended(window.get(), &MainWindow::runEnded);
    QSignalSpy steps(window->controller(), &SegmentationController::stepCompleted);
    window->segmentAll();
    QPointer<QProgressDialog> progress = window->findChild<QProgressDialog*>();
    ASSERT_FALSE(progress.isNull());
    EXPECT_EQ(progress->maximum(), 3);
    for (int i = 0; i < 1200 && ended.isEmpty(); ++i)
        ended.wait(100);
    ASSERT_EQ(ended.size(), 1);
    ASSERT_TRUE(ended[0][0].toBool());
    // Wait for a step of the second image's run, then press the dialog's Cancel.
    const int stepsOfFirst = steps.size();
    for (int i = 0; i < 600 && steps.size() == stepsOfFirst; ++i)
        steps.wait(100);
    ASSERT_GT(steps.size(), stepsOfFirst);
    EXPECT_GE(progress->value(), 1);
    auto* cancel = progress->findChild<QPushButton*>();
    ASSERT_NE(cancel, nullptr);
    cancel->click();
    for (int i = 0; i < 600 && ended.size() < 2; ++i)
        ended.wait(100);
    ASSERT_EQ(ended.size(), 2);
    EXPECT_FALSE(ended[1][0].toBool()); // the second run was cancelled, not finished
    QTest::qWait(300);                  // no third run starts
    EXPECT_EQ(ended.size(), 2);
    EXPECT_FALSE(window->controller()->isRunning());
    EXPECT_TRUE(progress.isNull() || !progress->isVisible());

    window->showDocument(0);
    EXPECT_TRUE(window->currentDocument()->hasLabels()); // the finished image keeps its labels
    window->showDocument(1);
    EXPECT_FALSE(window->currentDocument()->hasLabels());
    window->showDocument(2);
    EXPECT_FALSE(window->currentDocument()->hasLabels());
}

TEST_F(WindowFixture, ModelLoadsInTheWorkerWithProgress)
{
    QSignalSpy progress(window->controller(), &SegmentationController::modelLoadProgress);
    loadModelAndWait();
    ASSERT_GE(progress.size(), 2);
    QSet<QString> stages;
    for (const auto& args : progress) {
        const double f = args[1].toDouble();
        EXPECT_FALSE(args[0].toString().isEmpty());
        EXPECT_GE(f, 0.0);
        EXPECT_LE(f, 1.0);
        stages.insert(args[0].toString());
    }
    EXPECT_GE(stages.size(), 2); // reading the weights, then building the networks
    EXPECT_DOUBLE_EQ(progress.last()[1].toDouble(), 1.0);
    EXPECT_TRUE(window->findChild<QProgressBar*>() != nullptr);
}
