// invseg-studio: starts the Qt application, installs the translation, shows the main window.
#include "controllers/app_settings.h"
#include "icons.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
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
    parser.addOption(modelOption);
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
    return app.exec();
}
