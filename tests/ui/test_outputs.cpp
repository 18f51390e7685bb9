// The app and the CLI write an image's outputs through one writer: the window's save and `invseg segment` of the same
// image and run give the same file names, the same label PNG bytes and a report each.
#include "window_test_support.h"

#include "controllers/image_document.h"
#include "main_window.h"
#include "support/run_command.h"
#include "widgets/class_panel.h"

#include "invseg/threads.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <algorithm>

using namespace invseg::ui;

namespace {

QByteArray bytesOf(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject jsonOf(const QString& path)
{
    return QJsonDocument::fromJson(bytesOf(path)).object();
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(text);
}

QStringList filesIn(const QString& dir, const QStringList& except)
{
    QStringList out;
    for (const auto& name : QDir(dir).entryList(QDir::Files, QDir::Name))
        if (!except.contains(name))
            out << name;
    return out;
}

} // namespace

TEST(AppAndCli, SaveAndSegmentWriteTheSameFilesAndLabelBytes)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString gui = dir.filePath(QStringLiteral("gui")), cli = dir.filePath(QStringLiteral("cli"));
    ASSERT_TRUE(QDir().mkpath(gui));
    ASSERT_TRUE(QDir().mkpath(cli));
    const QString image = QDir(gui).filePath(QStringLiteral("scene.png"));
    ASSERT_TRUE(invseg::ui::test::sceneImage().save(image));
    // One project class list in both folders: the app adopts it, both number the labels by it.
    const QByteArray classes = "background\nsky\ngrass\n";
    writeText(QDir(gui).filePath(QStringLiteral("classes.txt")), classes);
    writeText(QDir(cli).filePath(QStringLiteral("classes.txt")), classes);

    MainWindowOptions options;
    options.settingsFile = dir.filePath(QStringLiteral("settings.ini"));
    options.loadModelOnStart = false;
    MainWindow window(options);
    window.show();
    ASSERT_EQ(window.openPaths({image}), 1);
    ASSERT_EQ(window.classPanel()->classes(), (QStringList{QStringLiteral("sky"), QStringLiteral("grass")}));
    invseg::ui::test::loadModelAndWait(window);
    invseg::ui::test::setRunSteps(window, 1);
    QSignalSpy ended(&window, &MainWindow::runEnded);
    ASSERT_TRUE(window.runCurrent());
    for (int i = 0; i < 1200 && ended.isEmpty(); ++i)
        ended.wait(100);
    ASSERT_EQ(ended.size(), 1);
    ASSERT_TRUE(ended[0][0].toBool());
    QString error;
    ASSERT_TRUE(window.saveCurrent(&error)) << error.toStdString();

    // The same run from the CLI: the app's report repeats it (--config), on as many threads as the app's worker uses.
    const int cores = invseg::availableCores();
    const auto r = invseg::test::runCli({"segment", "--image", image.toStdString(), "--classes", "sky,grass", "--model",
                                         invseg::ui::test::goldenModelPath().toStdString(), "--config",
                                         QDir(gui).filePath(QStringLiteral("scene.report.json")).toStdString(),
                                         "--threads", std::to_string(std::max(1, cores - 1)), "--format", "voc,labelme",
                                         "--out", cli.toStdString(), "--quiet"});
    ASSERT_EQ(r.exitCode, 0) << r.err;

    const QStringList expected{QStringLiteral("scene.json"), QStringLiteral("scene.label.classes.txt"),
                               QStringLiteral("scene.label.png"), QStringLiteral("scene.report.json")};
    const QStringList inputs{QStringLiteral("scene.png"), QStringLiteral("classes.txt")};
    EXPECT_EQ(filesIn(gui, inputs), expected);
    EXPECT_EQ(filesIn(cli, inputs), expected);
    const QByteArray guiLabels = bytesOf(QDir(gui).filePath(QStringLiteral("scene.label.png")));
    ASSERT_FALSE(guiLabels.isEmpty());
    EXPECT_EQ(guiLabels, bytesOf(QDir(cli).filePath(QStringLiteral("scene.label.png"))));
    EXPECT_EQ(bytesOf(QDir(gui).filePath(QStringLiteral("scene.label.classes.txt"))), classes);
    EXPECT_EQ(bytesOf(QDir(cli).filePath(QStringLiteral("scene.label.classes.txt"))), classes);

    // Both reports hold the run (options, per-step losses) and whether the labels were edited by hand.
    for (const auto& folder : {gui, cli}) {
        const QJsonObject report = jsonOf(QDir(folder).filePath(QStringLiteral("scene.report.json")));
        EXPECT_EQ(report.value(QStringLiteral("options")).toObject().value(QStringLiteral("steps")).toInt(), 1)
            << folder.toStdString();
        EXPECT_TRUE(report.value(QStringLiteral("steps")).isArray()) << folder.toStdString();
        EXPECT_EQ(report.value(QStringLiteral("edited")), QJsonValue(false)) << folder.toStdString();
        EXPECT_TRUE(report.value(QStringLiteral("pixels_per_class")).isObject()) << folder.toStdString();
    }
}
