// QSettings keys of the application.
#include "controllers/app_settings.h"

#include <nlohmann/json.hpp>

#include <utility>

namespace invseg::ui {

AppSettings AppSettings::load(QSettings& s)
{
    AppSettings a;
    a.modelPath = s.value(QStringLiteral("model/path")).toString();
    // run/device and run/dtype are written only when the user picks one (model/device and model/dtype, which older
    // versions wrote on every exit, are ignored: they held the CPU default as if it had been chosen).
    a.device = s.value(QStringLiteral("run/device")).toString();
    a.dtype = s.value(QStringLiteral("run/dtype")).toString();
    // run/changed holds only what the user changed (run/options, which older versions wrote whole, took the method's
    // defaults for the user's choices and hid a model's own: it is ignored). A malformed entry changes nothing.
    const QString json = s.value(QStringLiteral("run/changed")).toString();
    if (!json.isEmpty()) {
        try {
            const auto j = nlohmann::json::parse(json.toStdString());
            invseg::SegmentOptions::fromJson(j); // valid fields only
            a.optionChanges = json;
        } catch (const std::exception&) {
            a.optionChanges.clear();
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
    s.remove(QStringLiteral("model/device"));
    s.remove(QStringLiteral("model/dtype"));
    for (const auto& [key, value] :
         {std::pair{QStringLiteral("run/device"), device}, {QStringLiteral("run/dtype"), dtype}}) {
        if (value.isEmpty())
            s.remove(key);
        else
            s.setValue(key, value);
    }
    s.remove(QStringLiteral("run/options"));
    if (optionChanges.isEmpty())
        s.remove(QStringLiteral("run/changed"));
    else
        s.setValue(QStringLiteral("run/changed"), optionChanges);
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
