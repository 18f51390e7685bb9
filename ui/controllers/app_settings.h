// Everything the application remembers between sessions, read from and written to QSettings in one place.
#pragma once

#include "invseg/segment_options.h"

#include <QByteArray>
#include <QColor>
#include <QSettings>
#include <QStringList>
#include <QVector>

namespace invseg::ui {

struct AppSettings {
    static constexpr int kMaxRecentFiles = 10;

    QString modelPath;
    /// The device and precision the user picked in the Run panel; empty = not picked: the window then takes the
    /// engine's default (the first GPU, bf16 where it has it, else the CPU), so a GPU that appears is used.
    QString device;
    QString dtype;
    /// The method options the user changed in the Run panel, as a JSON object of SegmentOptions fields (toJson()'s
    /// names); every other option is the loaded model's default (its invseg_defaults.json, else the method's), so a
    /// model's defaults are never overridden by values the user did not choose. Empty = none changed.
    QString optionChanges;
    QStringList recentFiles;
    QStringList classes;         ///< without background
    QVector<QColor> classColors; ///< background first
    QByteArray geometry;
    QByteArray windowState;
    QString language; ///< "" = system locale, else a locale name ("de", "zh_CN", "en")
    QString colormap = QStringLiteral("viridis");
    double overlayOpacity = 0.5;
    int brushSize = 12;
    QString lastDirectory;
    bool autoSave = true; ///< save labels when moving to another image or quitting (else ask)

    /// Reads every key present; a malformed options entry keeps the defaults.
    static AppSettings load(QSettings& settings);
    void save(QSettings& settings) const;
    /// Moves path to the front of recentFiles (no duplicates, at most kMaxRecentFiles).
    void addRecentFile(const QString& path);
};

} // namespace invseg::ui
