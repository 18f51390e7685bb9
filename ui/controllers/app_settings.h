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
    QString device = QStringLiteral("cpu");
    QString dtype = QStringLiteral("fp32");
    invseg::SegmentOptions options;
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
