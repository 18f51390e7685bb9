// Value types that travel between the segmentation worker and the GUI thread (registered Qt metatypes).
#pragma once

#include "invseg/segment_options.h"

#include <QImage>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace invseg::ui {

/// One optimisation step's losses (every step, even those whose maps were throttled away).
struct LossPoint {
    int step = 0;
    double loss = 0, csc = 0, entropy = 0, stepMs = 0;
};

/// A throttled progress update of a run. Maps are 8-bit grey images (0 = 0.0, 255 = 1.0) at the UNet's top
/// resolution, one per class, background first; labels is Indexed8 holding class indices (no colour table set).
struct StepUpdate {
    quint64 jobId = 0;
    int step = 0;
    int totalSteps = 0;
    double loss = 0, csc = 0, entropy = 0;
    double stepMs = 0, elapsedMs = 0;
    QVector<LossPoint> losses; ///< every step since the previous update (step 0 excluded)
    QVector<QImage> refinedMaps;
    QVector<QImage> anchors;
    QImage labels;
};

/// The outcome of a finished run.
struct RunResult {
    quint64 jobId = 0;
    QStringList classNames;      ///< label i ↔ classNames[i]; [0] = background
    QImage labels;               ///< Indexed8 at the input image's size, pixel = label
    QVector<QImage> maps;        ///< final M̂ per class (grey)
    QVector<QImage> initialMaps; ///< baseline maps per class (grey)
    QVector<QImage> anchors;     ///< the last step's anchor maps per class (grey; empty for the baseline)
    QVector<LossPoint> history;
    double totalMs = 0;
    double peakMemoryMb = 0; ///< on CUDA: the peak LibTorch's caching allocator reserved during the run
    QString reportJson;      ///< the engine's report (options, prompt, timings): everything to repeat the run
};

/// What a loaded model is.
struct ModelInfo {
    QString path;
    QString device;
    QString dtype;
    QString variant;
    int nativeSize = 0;
};

/// Raw cross-attention maps of every prompt token (the inspector's view): per UNet level with cross-attention, the
/// mean over that level's layers and heads of the token's column, min-max normalised, as 8-bit grey images.
struct AttentionMaps {
    quint64 jobId = 0;
    QString prompt;
    QStringList tokens;            ///< readable text of each token between start and end of text
    QVector<int> levels;           ///< the UNet levels present (0 = full latent resolution)
    QVector<QVector<QImage>> maps; ///< maps[i][k]: level levels[i], token k
    QVector<QImage> weighted;      ///< the run's level weighting, at the top level's resolution
};

/// Registers the types above for queued connections (idempotent).
void registerMetaTypes();

} // namespace invseg::ui

Q_DECLARE_METATYPE(invseg::ui::StepUpdate)
Q_DECLARE_METATYPE(invseg::ui::RunResult)
Q_DECLARE_METATYPE(invseg::ui::ModelInfo)
Q_DECLARE_METATYPE(invseg::ui::AttentionMaps)
Q_DECLARE_METATYPE(invseg::SegmentOptions)
