// Labelling that never loses work, through the real window: saving beside the image leaves it byte-identical, class
// lists remap by name, moving on and quitting save or ask, saved labels come back, Segment All keeps hand edits, and
// the polygon tool and [ ] work.
#include "window_test_support.h"

#include "controllers/image_document.h"
#include "controllers/segmentation_controller.h"
#include "dialogs/shortcuts_dialog.h"
#include "main_window.h"
#include "widgets/class_panel.h"
#include "widgets/image_canvas.h"
#include "widgets/map_gallery.h"
#include "widgets/run_panel.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QListWidget>
#include <QMessageBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <gtest/gtest.h>

#include <functional>

using namespace invseg::ui;
using invseg::ui::test::goldenModelPath;
using invseg::ui::test::sceneImage;

namespace {

QByteArray bytesOf(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(text);
}

/// Clicks `button` in the next modal message box (the window's question about unsaved labels).
void answerNextMessageBox(QMessageBox::StandardButton button, bool* seen)
{
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [button, seen, poll] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            *seen = true;
            box->button(button)->click();
            return;
        }
        QTimer::singleShot(10, *poll);
    };
    QTimer::singleShot(0, *poll);
}

struct Labelling : ::testing::Test {
    QTemporaryDir dir;
    std::unique_ptr<MainWindow> window;
    QString imagePath, secondPath;
    MainWindowOptions options;

    void SetUp() override
    {
        ASSERT_TRUE(dir.isValid());
        options.settingsFile = dir.filePath(QStringLiteral("settings.ini"));
        options.loadModelOnStart = false;
        imagePath = dir.filePath(QStringLiteral("scene.png"));
        secondPath = dir.filePath(QStringLiteral("second.png"));
        ASSERT_TRUE(sceneImage().save(imagePath));
        ASSERT_TRUE(sceneImage(40, 32).save(secondPath));
        openWindow();
    }

    void openWindow()
    {
        window = std::make_unique<MainWindow>(options);
        window->resize(1280, 800);
        window->show();
    }

    void TearDown() override { window.reset(); }

    QString nameAt(ImageDocument* doc, int x, int y) const
    {
        return window->classPanel()->allNames().value(doc->labels().constScanLine(y)[x]);
    }

    void paint(int cls, QPoint at, int size = 5)
    {
        window->classPanel()->setActiveClass(cls);
        window->canvas()->setTool(ImageCanvas::Tool::Brush);
        window->canvas()->setBrushSize(size);
        window->canvas()->paintStroke({at});
    }

    LabelState stateOf(int row) const
    {
        return static_cast<LabelState>(
            window->findChild<QListWidget*>(QStringLiteral("fileList"))->item(row)->data(Qt::UserRole).toInt());
    }

    void loadModelAndWait() { test::loadModelAndWait(*window); }

    void setRunSteps(int steps) { test::setRunSteps(*window, steps); }
};

} // namespace

TEST_F(Labelling, SavingAndExportingIntoTheImagesFolderLeaveItsFilesByteIdentical)
{
    writeText(dir.filePath(QStringLiteral("scene.classes.txt")), "background\nsky\ngrass\n");
    const QByteArray image = bytesOf(imagePath), classes = bytesOf(dir.filePath(QStringLiteral("scene.classes.txt")));
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    paint(2, QPoint(20, 20));
    EXPECT_EQ(stateOf(0), LabelState::Edited);

    window->action(QStringLiteral("actionSave"))->trigger(); // Ctrl+S: in place, no dialog
    EXPECT_EQ(bytesOf(imagePath), image);
    EXPECT_EQ(bytesOf(dir.filePath(QStringLiteral("scene.classes.txt"))), classes);
    const auto saved = invseg::loadLabelMap(dir.filePath(QStringLiteral("scene.label.png")).toStdString());
    EXPECT_EQ(saved.labels[20 * 64 + 20], 2);
    EXPECT_EQ(bytesOf(dir.filePath(QStringLiteral("scene.label.classes.txt"))), QByteArray("background\nsky\ngrass\n"));
    EXPECT_TRUE(QFileInfo::exists(dir.filePath(QStringLiteral("scene.json"))));
    EXPECT_TRUE(QFileInfo::exists(dir.filePath(QStringLiteral("classes.txt")))); // the folder's class list, new
    EXPECT_EQ(stateOf(0), LabelState::Saved);
    EXPECT_FALSE(window->currentDocument()->isModified());

    // Export into the same folder: the image and every file that is not ours stay as they were.
    paint(1, QPoint(50, 40));
    QString error;
    ASSERT_TRUE(window->exportCurrent(dir.path(), &error)) << error.toStdString();
    EXPECT_EQ(bytesOf(imagePath), image);
    EXPECT_EQ(bytesOf(dir.filePath(QStringLiteral("scene.classes.txt"))), classes);
    EXPECT_TRUE(QFileInfo::exists(dir.filePath(QStringLiteral("scene.overlay.png"))));
    EXPECT_TRUE(QFileInfo::exists(dir.filePath(QStringLiteral("coco.json"))));

    // A labelme file someone else made (NAME.json) is an input too: saving leaves it alone and still saves the mask.
    const QByteArray foreign = "{\"version\": \"5.2.1\", \"shapes\": [], \"imageWidth\": 64, \"imageHeight\": 48}\n";
    writeText(dir.filePath(QStringLiteral("scene.json")), foreign);
    paint(2, QPoint(5, 40));
    ASSERT_TRUE(window->saveCurrent(&error)) << error.toStdString();
    EXPECT_EQ(bytesOf(dir.filePath(QStringLiteral("scene.json"))), foreign);
    EXPECT_EQ(invseg::loadLabelMap(dir.filePath(QStringLiteral("scene.label.png")).toStdString()).labels[40 * 64 + 5],
              2);
    EXPECT_EQ(bytesOf(imagePath), image);
}

TEST_F(Labelling, AFailedSaveKeepsTheLabelsAndSaysWhy)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    paint(1, QPoint(10, 10));
    // A folder where the mask should go: the save fails, naming it, and nothing is lost.
    ASSERT_TRUE(QDir(dir.path()).mkdir(QStringLiteral("scene.label.png")));
    QString error;
    EXPECT_FALSE(window->saveCurrent(&error));
    EXPECT_TRUE(error.contains(QStringLiteral("scene.label.png"))) << error.toStdString();
    EXPECT_TRUE(window->currentDocument()->isModified());
    EXPECT_EQ(window->currentDocument()->labels().constScanLine(10)[10], 1);
}

TEST_F(Labelling, AClassListChangeKeepsEveryPaintedPixelsClassName)
{
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass"), QStringLiteral("box")});
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    ImageDocument* first = window->currentDocument();
    paint(2, QPoint(8, 8));   // grass
    paint(3, QPoint(30, 30)); // box
    // (auto-save is on: moving to the next image saves this one without a question)

    // A second image from a folder with its own class list in another order: the list is adopted by name.
    const QString other = dir.filePath(QStringLiteral("other"));
    ASSERT_TRUE(QDir().mkpath(other));
    ASSERT_TRUE(sceneImage(32, 32).save(QDir(other).filePath(QStringLiteral("x.png"))));
    writeText(QDir(other).filePath(QStringLiteral("classes.txt")), "background\ntree\nbox\nsky\n");
    ASSERT_EQ(window->openPaths({QDir(other).filePath(QStringLiteral("x.png"))}), 1);
    EXPECT_EQ(window->classPanel()->classes().mid(0, 3),
              (QStringList{QStringLiteral("tree"), QStringLiteral("box"), QStringLiteral("sky")}));
    EXPECT_TRUE(window->classPanel()->classes().contains(QStringLiteral("grass"))); // painted: kept
    EXPECT_EQ(nameAt(first, 8, 8), QStringLiteral("grass"));
    EXPECT_EQ(nameAt(first, 30, 30), QStringLiteral("box"));

    // A list without them: still painted, still there, still the same names.
    window->classPanel()->setClasses({QStringLiteral("water")});
    EXPECT_EQ(nameAt(first, 8, 8), QStringLiteral("grass"));
    EXPECT_EQ(nameAt(first, 30, 30), QStringLiteral("box"));
    EXPECT_FALSE(window->classPanel()->classes().contains(QStringLiteral("tree"))); // unused: gone

    // Removing a class with pixels asks first; "no" keeps the class and its pixels.
    const int grass = int(window->classPanel()->allNames().indexOf(QStringLiteral("grass")));
    QString asked;
    window->classPanel()->setConfirmDrop([&asked](const QString& name) {
        asked = name;
        return false;
    });
    window->classPanel()->setActiveClass(grass);
    window->classPanel()->removeActiveClass();
    EXPECT_EQ(asked, QStringLiteral("grass"));
    EXPECT_EQ(nameAt(first, 8, 8), QStringLiteral("grass"));
    window->classPanel()->setConfirmDrop([](const QString&) { return true; });
    window->classPanel()->removeActiveClass();
    EXPECT_EQ(nameAt(first, 8, 8), QStringLiteral("background"));
    EXPECT_EQ(nameAt(first, 30, 30), QStringLiteral("box"));
}

TEST_F(Labelling, NextImageAutoSavesAndReopeningShowsTheSavedLabels)
{
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    ASSERT_EQ(window->openPaths({imagePath, secondPath}), 2);
    ASSERT_TRUE(window->autoSave()); // on by default
    paint(2, QPoint(12, 12));
    EXPECT_EQ(stateOf(0), LabelState::Edited);
    EXPECT_EQ(stateOf(1), LabelState::Unlabelled);
    window->action(QStringLiteral("actionNext"))->trigger(); // D
    EXPECT_EQ(window->currentIndex(), 1);
    EXPECT_TRUE(QFileInfo::exists(dir.filePath(QStringLiteral("scene.label.png"))));
    EXPECT_EQ(stateOf(0), LabelState::Saved);

    // A new session, with the classes in another order: the saved labels come back under their names.
    window.reset();
    openWindow();
    window->classPanel()->setClasses({QStringLiteral("grass"), QStringLiteral("tree"), QStringLiteral("sky")});
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    ASSERT_TRUE(window->currentDocument()->hasLabels());
    EXPECT_EQ(nameAt(window->currentDocument(), 12, 12), QStringLiteral("grass"));
    EXPECT_EQ(nameAt(window->currentDocument(), 60, 40), QStringLiteral("background"));
    EXPECT_EQ(stateOf(0), LabelState::Saved);
    EXPECT_TRUE(window->currentDocument()->isHandEdited());

    // Without NAME.label.png the labelme file is read instead (labelme's habit: NAME.json beside the image).
    window.reset();
    ASSERT_TRUE(QFile::remove(dir.filePath(QStringLiteral("scene.label.png"))));
    openWindow();
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    ASSERT_TRUE(window->currentDocument()->hasLabels());
    EXPECT_EQ(nameAt(window->currentDocument(), 12, 12), QStringLiteral("grass"));
    EXPECT_EQ(nameAt(window->currentDocument(), 60, 40), QStringLiteral("background"));
}

TEST_F(Labelling, WithoutAutoSaveMovingOnAndQuittingAsk)
{
    ASSERT_EQ(window->openPaths({imagePath, secondPath}), 2);
    window->setAutoSave(false);
    paint(1, QPoint(10, 10));
    const QString saved = dir.filePath(QStringLiteral("scene.label.png"));

    bool seen = false;
    answerNextMessageBox(QMessageBox::Cancel, &seen);
    window->nextImage();
    EXPECT_TRUE(seen);
    EXPECT_EQ(window->currentIndex(), 0); // cancelled: stays
    EXPECT_FALSE(QFileInfo::exists(saved));

    seen = false;
    answerNextMessageBox(QMessageBox::Cancel, &seen);
    EXPECT_FALSE(window->close()); // Ctrl+Q with unsaved labels: asked, cancelled, still open
    EXPECT_TRUE(seen);
    EXPECT_TRUE(window->isVisible());

    seen = false;
    answerNextMessageBox(QMessageBox::Save, &seen);
    EXPECT_TRUE(window->close());
    EXPECT_TRUE(seen);
    ASSERT_TRUE(QFileInfo::exists(saved));
    EXPECT_EQ(invseg::loadLabelMap(saved.toStdString()).labels[10 * 64 + 10], 1);

    // And reopening shows them.
    window.reset();
    openWindow();
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    ASSERT_TRUE(window->currentDocument()->hasLabels());
    EXPECT_EQ(window->currentDocument()->labels().constScanLine(10)[10], 1);
}

TEST_F(Labelling, QuittingWithAutoSaveSavesWithoutAsking)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    paint(1, QPoint(10, 10));
    EXPECT_TRUE(window->close());
    EXPECT_TRUE(QFileInfo::exists(dir.filePath(QStringLiteral("scene.label.png"))));
}

TEST_F(Labelling, SegmentAllKeepsAHandEditedImageAndListsOnlyImages)
{
    // A sample folder: images with ground truth and earlier outputs beside them; only the images are opened.
    ASSERT_TRUE(sceneImage().save(dir.filePath(QStringLiteral("scene.gt.png"))));
    ASSERT_TRUE(sceneImage().save(dir.filePath(QStringLiteral("old.overlay.png"))));
    ASSERT_EQ(window->openPaths({dir.path()}), 2);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    window->showDocument(0); // sorted by name: scene.png, second.png
    ASSERT_EQ(QFileInfo(window->currentDocument()->path()).fileName(), QStringLiteral("scene.png"));
    paint(2, QPoint(20, 20), 9);
    ImageDocument* edited = window->currentDocument();
    const QImage handLabels = edited->labels().copy();

    loadModelAndWait();
    setRunSteps(1);
    QSignalSpy ended(window.get(), &MainWindow::runEnded);
    window->segmentAll();
    for (int i = 0; i < 1200 && ended.isEmpty(); ++i)
        ended.wait(100);
    ASSERT_EQ(ended.size(), 1);
    QTest::qWait(300); // no second run starts
    EXPECT_EQ(ended.size(), 1);
    EXPECT_FALSE(window->controller()->isRunning());
    EXPECT_EQ(edited->labels(), handLabels); // the hand edits are untouched
    window->showDocument(1);
    EXPECT_TRUE(window->currentDocument()->hasLabels());
    EXPECT_EQ(stateOf(1), LabelState::Saved); // auto-save saved the batch's result
    EXPECT_TRUE(QFileInfo::exists(dir.filePath(QStringLiteral("second.label.png"))));
}

TEST_F(Labelling, SegmentAllUsesEachImagesOwnSavedClassList)
{
    // second.png was labelled earlier with its own list; scene.png has none.
    window->classPanel()->setClasses({QStringLiteral("water"), QStringLiteral("boat")});
    ASSERT_EQ(window->openPaths({secondPath}), 1);
    window->currentDocument()->ensureLabels();
    window->currentDocument()->setModified(true);
    ASSERT_TRUE(window->saveCurrent());
    window.reset();
    ASSERT_TRUE(QFile::remove(dir.filePath(QStringLiteral("classes.txt")))); // no folder list: the images' own count

    openWindow();
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    ASSERT_EQ(window->openPaths({imagePath, secondPath}), 2);
    window->showDocument(1);
    // An all-background map saved by a run is not hand-edited work: it may be segmented again.
    window->currentDocument()->setHandEdited(false);
    loadModelAndWait();
    setRunSteps(1);
    QSignalSpy started(window->controller(), &SegmentationController::stepCompleted);
    QSignalSpy ended(window.get(), &MainWindow::runEnded);
    window->segmentAll();
    for (int i = 0; i < 1200 && ended.size() < 2; ++i)
        ended.wait(100);
    ASSERT_EQ(ended.size(), 2);
    // The second image ran with its own water/boat, the first with the project's sky/grass.
    EXPECT_EQ(window->currentDocument()->lastRun().classNames,
              (QStringList{QStringLiteral("background"), QStringLiteral("water"), QStringLiteral("boat")}));
    window->showDocument(0); // the project's list (which has grown by the names the saved labels brought)
    EXPECT_EQ(window->currentDocument()->lastRun().classNames.mid(0, 3),
              (QStringList{QStringLiteral("background"), QStringLiteral("sky"), QStringLiteral("grass")}));
    EXPECT_TRUE(window->classPanel()->classes().contains(QStringLiteral("water")));
}

TEST_F(Labelling, PolygonToolFillsAndEscCancels)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    window->classPanel()->setActiveClass(2);
    window->action(QStringLiteral("actionPolygon"))->trigger();
    ImageCanvas* canvas = window->canvas();
    ASSERT_EQ(canvas->tool(), ImageCanvas::Tool::Polygon);
    canvas->setFocus();
    auto click = [&](int x, int y) {
        QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier,
                          canvas->toWidget(QPointF(x + 0.5, y + 0.5)).toPoint());
    };
    click(10, 10);
    click(40, 10);
    click(40, 30);
    click(10, 30);
    EXPECT_EQ(canvas->polygon().size(), 4);
    QTest::keyClick(canvas, Qt::Key_Return);
    ImageDocument* doc = window->currentDocument();
    ASSERT_TRUE(doc->hasLabels());
    EXPECT_EQ(doc->labels().constScanLine(20)[25], 2);
    EXPECT_EQ(doc->labels().constScanLine(10)[10], 2); // the corners are inside
    EXPECT_EQ(doc->labels().constScanLine(30)[40], 2);
    EXPECT_EQ(doc->labels().constScanLine(40)[25], 0);
    EXPECT_EQ(doc->labels().constScanLine(20)[45], 0);
    EXPECT_EQ(doc->undoStack()->count(), 1);
    EXPECT_TRUE(doc->isHandEdited());
    EXPECT_TRUE(canvas->polygon().isEmpty());

    // Esc cancels an unfinished polygon (before the window's Esc = Stop), a double click finishes one.
    window->classPanel()->setActiveClass(1);
    click(50, 35);
    click(60, 35);
    QTest::keyClick(canvas, Qt::Key_Escape);
    EXPECT_TRUE(canvas->polygon().isEmpty());
    EXPECT_EQ(doc->labels().constScanLine(36)[55], 0);
    click(50, 35);
    click(60, 35);
    click(60, 45);
    QTest::mouseDClick(canvas, Qt::LeftButton, Qt::NoModifier, canvas->toWidget(QPointF(50.5, 45.5)).toPoint());
    EXPECT_EQ(doc->labels().constScanLine(38)[58], 1);
    EXPECT_EQ(doc->undoStack()->count(), 2);
    doc->undoStack()->undo();
    EXPECT_EQ(doc->labels().constScanLine(38)[58], 0);
}

TEST_F(Labelling, BracketsChangeTheBrushSize)
{
    auto* smaller = window->action(QStringLiteral("actionBrushSmaller"));
    auto* larger = window->action(QStringLiteral("actionBrushLarger"));
    ASSERT_NE(smaller, nullptr);
    ASSERT_NE(larger, nullptr);
    EXPECT_EQ(smaller->shortcut(), QKeySequence(QStringLiteral("[")));
    EXPECT_EQ(larger->shortcut(), QKeySequence(QStringLiteral("]")));
    window->canvas()->setBrushSize(12);
    larger->trigger();
    EXPECT_GT(window->canvas()->brushSize(), 12);
    const int big = window->canvas()->brushSize();
    smaller->trigger();
    smaller->trigger();
    EXPECT_LT(window->canvas()->brushSize(), big);
    EXPECT_EQ(window->findChild<QSpinBox*>(QStringLiteral("brushSize"))->value(), window->canvas()->brushSize());
    window->canvas()->setBrushSize(1);
    smaller->trigger();
    EXPECT_EQ(window->canvas()->brushSize(), 1);
}

TEST_F(Labelling, HiddenClassesAreTransparentOnTheCanvas)
{
    ASSERT_EQ(window->openPaths({imagePath}), 1);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    paint(2, QPoint(10, 10));
    ImageDocument* doc = window->currentDocument();
    EXPECT_NE(qAlpha(doc->labels().color(2)), 0);
    window->classPanel()->setClassVisible(2, false);
    EXPECT_EQ(qAlpha(doc->labels().color(2)), 0);
    EXPECT_NE(qAlpha(doc->labels().color(1)), 0);
    EXPECT_EQ(doc->labels().constScanLine(10)[10], 2); // hidden, not removed
    window->classPanel()->setClassVisible(2, true);
    EXPECT_NE(qAlpha(doc->labels().color(2)), 0);
}

TEST_F(Labelling, TheShortcutListNamesTheCommandsAndTheirKeys)
{
    QList<QAction*> actions{window->action(QStringLiteral("actionSave")),
                            window->action(QStringLiteral("actionPolygon")),
                            window->action(QStringLiteral("actionBrushLarger"))};
    ShortcutsDialog dialog(actions);
    QStringList rows;
    for (int i = 0; i < dialog.table()->rowCount(); ++i)
        rows << dialog.table()->item(i, 0)->text() + QStringLiteral("=") + dialog.table()->item(i, 1)->text();
    EXPECT_TRUE(rows.contains(QStringLiteral("Save Labels=") +
                              QKeySequence(QStringLiteral("Ctrl+S")).toString(QKeySequence::NativeText)))
        << rows.join(QStringLiteral(" | ")).toStdString();
    EXPECT_TRUE(rows.contains(QStringLiteral("Polygon=P")));
    EXPECT_TRUE(rows.contains(QStringLiteral("Larger Brush=]")));
    EXPECT_NE(window->action(QStringLiteral("actionShortcuts")), nullptr);
}

TEST_F(Labelling, ProgressAndAnchorsFollowTheShownImage)
{
    ASSERT_EQ(window->openPaths({imagePath, secondPath}), 2);
    window->classPanel()->setClasses({QStringLiteral("sky"), QStringLiteral("grass")});
    loadModelAndWait();
    setRunSteps(2);
    QSignalSpy ended(window.get(), &MainWindow::runEnded);
    ASSERT_TRUE(window->runCurrent());
    for (int i = 0; i < 1200 && ended.isEmpty(); ++i)
        ended.wait(100);
    ASSERT_EQ(ended.size(), 1);
    EXPECT_EQ(window->runPanel()->progressValue(), window->runPanel()->progressMaximum());
    EXPECT_FALSE(window->gallery()->anchorMaps().isEmpty());
    window->nextImage(); // an image without a run: no "100 % 2/2" from the previous one
    EXPECT_EQ(window->runPanel()->progressValue(), 0);
    EXPECT_TRUE(window->gallery()->anchorMaps().isEmpty());
    window->previousImage(); // back: its run's progress and anchors again
    EXPECT_EQ(window->runPanel()->progressMaximum(), 2);
    EXPECT_EQ(window->runPanel()->progressValue(), 2);
    EXPECT_FALSE(window->gallery()->anchorMaps().isEmpty());
}
