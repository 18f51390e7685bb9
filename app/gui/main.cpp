// invseg-studio: starts the Qt application, installs the translation, shows the main window.
#include "controllers/app_settings.h"
#include "icons.h"
#include "controllers/segmentation_controller.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTimer>
#include <QTranslator>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("InvSeg"));
    QApplication::setApplicationName(QStringLiteral("InvSeg Studio"));
    QApplication::setApplicationVersion(QStringLiteral(INVSEG_VERSION));
    QApplication::setWindowIcon(invseg::ui::appIcon(QStringLiteral("invseg-studio")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Segment images by test-time prompt inversion on Stable Diffusion"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption modelOption(QStringList{QStringLiteral("m"), QStringLiteral("model")},
                                   QStringLiteral("Stable Diffusion model (diffusers folder or single file)."),
                                   QStringLiteral("path"));
    QCommandLineOption languageOption(QStringLiteral("lang"), QStringLiteral("UI language (de, zh_CN, en)."),
                                      QStringLiteral("locale"));
    QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a picture of the window after the model and images are "
                                                       "loaded (and a first run when --run is given), then quit."),
                                        QStringLiteral("png"));
    QCommandLineOption runOption(QStringLiteral("run"), QStringLiteral("Segment the first image once the model is loaded."));
    parser.addOption(modelOption);
    parser.addOption(screenshotOption);
    parser.addOption(runOption);
    parser.addOption(languageOption);
    parser.addPositionalArgument(QStringLiteral("images"), QStringLiteral("Images or folders to open."),
                                 QStringLiteral("[images...]"));
    parser.process(app);

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
    if (parser.isSet(modelOption))
        window.loadModel(parser.value(modelOption));
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openPaths(parser.positionalArguments());

    const QString screenshot = parser.value(screenshotOption);
    const bool runFirst = parser.isSet(runOption);
    auto shoot = [&window, screenshot] {
        const bool ok = window.grab().save(screenshot);
        QCoreApplication::exit(ok ? 0 : 1);
    };
    if (!screenshot.isEmpty()) {
        QObject::connect(&window, &invseg::ui::MainWindow::runEnded, &window, [shoot] { QTimer::singleShot(200, shoot); });
        QObject::connect(&window, &invseg::ui::MainWindow::modelReady, &window, [&window, runFirst, shoot](bool loaded) {
            if (!(runFirst && loaded && window.runCurrent()))
                QTimer::singleShot(200, shoot);
        });
        // The start-up model load begins on the first turn of the event loop, so whether one is under way is known
        // only then: the fallback shoots when nothing is loading or running (modelReady and runEnded shoot otherwise).
        QTimer::singleShot(500, &window, [&window, shoot] {
            if (!window.controller()->isLoading() && !window.controller()->isRunning())
                shoot();
        });
    }
    return app.exec();
}
