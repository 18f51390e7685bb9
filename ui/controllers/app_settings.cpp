// QSettings keys of the application.
#include "controllers/app_settings.h"

#include <nlohmann/json.hpp>

namespace invseg::ui {

AppSettings AppSettings::load(QSettings& s)
{
    AppSettings a;
    a.modelPath = s.value(QStringLiteral("model/path")).toString();
    a.device = s.value(QStringLiteral("model/device"), a.device).toString();
    a.dtype = s.value(QStringLiteral("model/dtype"), a.dtype).toString();
    const QString json = s.value(QStringLiteral("run/options")).toString();
    if (!json.isEmpty()) {
        try {
            a.options = invseg::SegmentOptions::fromJson(nlohmann::json::parse(json.toStdString()));
        } catch (const std::exception&) {
            a.options = {}; // an old or hand-edited entry: fall back to the defaults
        }
    }
    a.recentFiles = s.value(QStringLiteral("files/recent")).toStringList();
    a.lastDirectory = s.value(QStringLiteral("files/lastDirectory")).toString();
    a.classes = s.value(QStringLiteral("classes/names")).toStringList();
    for (const auto& c : s.value(QStringLiteral("classes/colors")).toStringList()) {
        const QColor color(c);
        a.classColors << (color.isValid() ? color : QColor(Qt::black));
    }
    a.geometry = s.value(QStringLiteral("window/geometry")).toByteArray();
    a.windowState = s.value(QStringLiteral("window/state")).toByteArray();
    a.language = s.value(QStringLiteral("ui/language")).toString();
    a.colormap = s.value(QStringLiteral("ui/colormap"), a.colormap).toString();
    a.overlayOpacity = s.value(QStringLiteral("ui/overlayOpacity"), a.overlayOpacity).toDouble();
    a.brushSize = s.value(QStringLiteral("ui/brushSize"), a.brushSize).toInt();
    a.autoSave = s.value(QStringLiteral("labels/autoSave"), a.autoSave).toBool();
    return a;
}

void AppSettings::save(QSettings& s) const
{
    s.setValue(QStringLiteral("model/path"), modelPath);
    s.setValue(QStringLiteral("model/device"), device);
    s.setValue(QStringLiteral("model/dtype"), dtype);
    s.setValue(QStringLiteral("run/options"), QString::fromStdString(options.toJson().dump()));
    s.setValue(QStringLiteral("files/recent"), recentFiles);
    s.setValue(QStringLiteral("files/lastDirectory"), lastDirectory);
    s.setValue(QStringLiteral("classes/names"), classes);
    QStringList colors;
    for (const auto& c : classColors)
        colors << c.name();
    s.setValue(QStringLiteral("classes/colors"), colors);
    s.setValue(QStringLiteral("window/geometry"), geometry);
    s.setValue(QStringLiteral("window/state"), windowState);
    s.setValue(QStringLiteral("ui/language"), language);
    s.setValue(QStringLiteral("ui/colormap"), colormap);
    s.setValue(QStringLiteral("ui/overlayOpacity"), overlayOpacity);
    s.setValue(QStringLiteral("ui/brushSize"), brushSize);
    s.setValue(QStringLiteral("labels/autoSave"), autoSave);
    s.sync();
}

void AppSettings::addRecentFile(const QString& path)
{
    recentFiles.removeAll(path);
    recentFiles.prepend(path);
    while (recentFiles.size() > kMaxRecentFiles)
        recentFiles.removeLast();
}

} // namespace invseg::ui
