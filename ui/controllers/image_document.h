// One opened image with its label map, the class names the labels refer to, its last run and its undo history.
#pragma once

#include "run_types.h"

#include <QImage>
#include <QObject>
#include <QString>
#include <QUndoStack>

namespace invseg::ui {

/// Owned by the MainWindow's document list; lives on the GUI thread. The image is loaded on first use.
/// `labels` is Indexed8 with one byte per pixel = class index (0 = background, 255 = ignore); its colour table is
/// the overlay colours (entry 0 transparent) and carries no meaning for export.
class ImageDocument : public QObject {
    Q_OBJECT
public:
    explicit ImageDocument(const QString& path, QObject* parent = nullptr);

    const QString& path() const { return m_path; }
    QString displayName() const;
    /// Loads the pixels on first call (through the engine's loader); returns false and sets error() on failure.
    bool ensureLoaded();
    const QString& error() const { return m_error; }
    const QImage& image() const { return m_image; }
    void setImage(const QImage& image) { m_image = image; }

    const QImage& labels() const { return m_labels; }
    bool hasLabels() const { return !m_labels.isNull(); }
    /// Replaces the label map (no undo entry). Emits labelsChanged.
    void setLabels(const QImage& labels);
    /// Creates an all-background map of the image's size if there is none.
    void ensureLabels();
    /// Writes pixels into the label map during a stroke (no undo entry, no signal).
    QImage& mutableLabels() { return m_labels; }
    void notifyLabelsChanged() { Q_EMIT labelsChanged(); }
    /// Applies a colour table (entry i = overlay colour of class i) to the label map.
    void setOverlayColors(const QVector<QRgb>& table);

    const RunResult& lastRun() const { return m_lastRun; }
    void setLastRun(const RunResult& run) { m_lastRun = run; }

    QUndoStack* undoStack() { return &m_undo; }
    bool isModified() const { return m_modified; }
    void setModified(bool modified) { m_modified = modified; }

Q_SIGNALS:
    void labelsChanged();

private:
    QString m_path;
    QString m_error;
    QImage m_image;
    QImage m_labels;
    QVector<QRgb> m_colors;
    RunResult m_lastRun;
    QUndoStack m_undo;
    bool m_modified = false;
};

} // namespace invseg::ui
