// Labels on disk: reading an image's saved labels back and writing them (in place or into a folder) through the
// engine's writer of the CLI too (invseg/image_outputs.h: NAME.label.png + NAME.label.classes.txt + NAME.json +
// NAME.report.json + classes.txt).
#pragma once

#include "invseg/image.h"

#include <QColor>
#include <QImage>
#include <QStringList>
#include <QVector>

#include <string>
#include <vector>

namespace invseg::ui {

/// Labels read from disk.
struct StoredLabels {
    QImage labels;      ///< Indexed8, pixel = index into names
    QStringList names;  ///< background first; empty when the file came without a class list
    bool edited = true; ///< hand-edited (our labelme mark says so; anything else read back counts as the user's work)
    QString source;     ///< the file the labels came from
};

/// What to write for one image.
struct LabelSaveRequest {
    QString imagePath;
    QString outDir;           ///< "" = beside the image
    QImage image;             ///< the image's pixels (for the overlay and sizes)
    QImage labels;            ///< Indexed8 label map
    QStringList names;        ///< background first
    bool edited = false;      ///< recorded in the report and the labelme file's mark
    bool withOverlay = false; ///< also NAME.overlay.png (the Export command)
    QVector<QColor> colors;   ///< overlay colours, background first
    double overlayOpacity = 0.5;
    QString runReport; ///< the run's report (RunResult::reportJson) when the labels came from one; "" = none
};

/// What a save wrote: the labels and class names as written (numbered by the folder's classes.txt), for COCO.
struct LabelSaveResult {
    QStringList written; ///< every file written
    std::vector<std::string> classNames;
    invseg::LabelMap labels;
};

/// Stateless; every write is atomic (temporary file + rename) and refuses to replace anything that is not ours.
class LabelStore {
public:
    /// NAME.label.png (+ NAME.label.classes.txt), else a labelme NAME.json (polygons and rectangles rasterised in
    /// file order). Returns false without error when there is none; false with *error when one is unreadable.
    static bool load(const QString& imagePath, StoredLabels* out, QString* error);

    /// Writes NAME.label.png + NAME.label.classes.txt + NAME.json + NAME.report.json (+ the overlay on request) through
    /// the engine's one writer of an image's outputs (invseg/image_outputs.h, as the CLI does: same names, same
    /// numbering by the folder's classes.txt, all or nothing) and, when the folder has none, its classes.txt. A
    /// NAME.json that someone else wrote is left alone (a line in *notes says so). Returns false with *error naming
    /// the file when a write fails or would replace an input; the labels in memory are untouched either way.
    static bool save(const LabelSaveRequest& request, QStringList* notes, QString* error,
                     LabelSaveResult* result = nullptr);

    /// lut[i] = index of from[i] in to (-1 when absent); 255 maps to 255.
    static QVector<int> lutByName(const QStringList& from, const QStringList& to);
    /// Applies lut to every pixel (entries < 0 become 0).
    static void applyLut(QImage& labels, const QVector<int>& lut);
    /// Reads a class list file with every line kept (line i = label i); false when unreadable.
    static bool readNames(const QString& path, QStringList* names);
};

} // namespace invseg::ui
