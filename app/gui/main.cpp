// invseg-studio: starts the Qt application, installs the translation, shows the main window.
#include "controllers/app_settings.h"
#include "controllers/segmentation_controller.h"
#include "icons.h"
#include "main_window.h"
#include "workers/segmentation_worker.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDebug>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTimer>
#include <QTranslator>

#include <memory>

namespace {

/// The command line, described once: help and version print from it with or without a display.
struct Options {
    QCommandLineOption model{QStringList{QStringLiteral("m"), QStringLiteral("model")},
                             QStringLiteral("Stable Diffusion model (diffusers folder or single file)."),
                             QStringLiteral("path")};
    QCommandLineOption language{QStringLiteral("lang"), QStringLiteral("UI language (de, zh_CN, en)."),
                                QStringLiteral("locale")};
    QCommandLineOption screenshot{QStringLiteral("screenshot"),
                                  QStringLiteral("Save a picture of the window after the model and images are "
                                                 "loaded (and a first run when --run is given), then quit."),
                                  QStringLiteral("png")};
    QCommandLineOption run{QStringLiteral("run"), QStringLiteral("Segment the first image once the model is loaded.")};

    void addTo(QCommandLineParser& parser) const
    {
        parser.setApplicationDescription(
            QStringLiteral("Segment images by test-time prompt inversion on Stable Diffusion.\n\n"
                           "Labels are saved beside each image as NAME.label.png (VOC palette) with "
                           "NAME.label.classes.txt and NAME.json (labelme); a folder's class list is classes.txt."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption(model);
        parser.addOption(screenshot);
        parser.addOption(run);
        parser.addOption(language);
        parser.addPositionalArgument(QStringLiteral("images"), QStringLiteral("Images or folders to open."),
                                     QStringLiteral("[images...]"));
    }
};

/// --help and --version need no window system: answer them from a QCoreApplication before QApplication exists
/// (which aborts without a display).
bool wantsOnlyText(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--") // what follows is an image name
            return false;
        if (a == "-h" || a == "--help" || a == "-?" || a == "--help-all" || a == "-v" || a == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    if (wantsOnlyText(argc, argv)) {
        QCoreApplication core(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("InvSeg Studio"));
        QCoreApplication::setApplicationVersion(QStringLiteral(INVSEG_VERSION));
        QCommandLineParser parser;
        Options().addTo(parser);
        parser.process(core); // prints and exits
        return 0;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("InvSeg"));
    QApplication::setApplicationName(QStringLiteral("InvSeg Studio"));
    QApplication::setApplicationVersion(QStringLiteral(INVSEG_VERSION));
    QApplication::setWindowIcon(invseg::ui::appIcon(QStringLiteral("invseg-studio")));

    QCommandLineParser parser;
    const Options cli;
    cli.addTo(parser);
    parser.process(app);
    const QCommandLineOption& modelOption = cli.model;
    const QCommandLineOption& languageOption = cli.language;
    const QCommandLineOption& screenshotOption = cli.screenshot;
    const QCommandLineOption& runOption = cli.run;

    // Language: --lang, else the setting, else the system locale.
    QString language = parser.value(languageOption);
    if (language.isEmpty()) {
        QSettings settings;
        language = invseg::ui::AppSettings::load(settings).language;
    }
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QTranslator appTranslator, qtTranslator;
    if (appTranslator.load(locale, QStringLiteral("invseg"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appTranslator);
    if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);

    invseg::ui::MainWindowOptions options;
    options.loadModelOnStart = !parser.isSet(modelOption);
    invseg::ui::MainWindow window(options);
    // Where runs will use the CPU although a GPU was hoped for, the log says why too (the window says it once).
    if (const QString note = invseg::ui::SegmentationWorker::cpuOnlyNote(); !note.isEmpty())
        qInfo().noquote() << "invseg-studio:" << note << "[" << invseg::ui::SegmentationWorker::cpuOnlyDetail() << "]";
    if (parser.isSet(modelOption))
        window.loadModel(parser.value(modelOption));
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openPaths(parser.positionalArguments());

    const QString screenshot = parser.value(screenshotOption);
    const bool runFirst = parser.isSet(runOption);
    auto shot = std::make_shared<bool>(false);
    auto shoot = [&window, screenshot, shot] {
        if (*shot)
            return;
        *shot = true;
        const bool ok = window.grab().save(screenshot);
        QCoreApplication::exit(ok ? 0 : 1);
    };
    // --run starts one run when the model is ready (with or without --screenshot); the picture waits for it.
    auto started = std::make_shared<bool>(false);
    QObject::connect(&window, &invseg::ui::MainWindow::modelReady, &window,
                     [&window, runFirst, screenshot, shoot, started](bool loaded) {
                         if (runFirst && loaded && !*started)
                             *started = window.runCurrent();
                         if (!screenshot.isEmpty() && !(*started && window.controller()->isRunning()))
                             QTimer::singleShot(200, shoot);
                     });
    if (!screenshot.isEmpty()) {
        QObject::connect(&window, &invseg::ui::MainWindow::runEnded, &window,
                         [shoot] { QTimer::singleShot(200, shoot); });
        // The start-up model load begins on the first turn of the event loop, so whether one is under way is known
        // only then: the fallback shoots when nothing is loading or running (modelReady and runEnded shoot otherwise).
        QTimer::singleShot(500, &window, [&window, shoot] {
            if (!window.controller()->isLoading() && !window.controller()->isRunning())
                shoot();
        });
    }
    return app.exec();
}
