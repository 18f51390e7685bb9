// One opened image with its label map, the class names the labels refer to, its last run and its undo history.
#pragma once

#include "run_types.h"

#include <QImage>
#include <QObject>
#include <QString>
#include <QUndoStack>

namespace invseg::ui {

/// Where a document's labels stand, as the image list shows it.
enum class LabelState {
    Unlabelled, ///< no label map
    Segmented,  ///< labels from a run, not edited by hand, not saved
    Edited,     ///< labels edited by hand (or read from disk and changed), not saved
    Saved,      ///< what is on disk (NAME.label.png) is what is shown
};

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
    /// Labels changed since they were last saved or read from disk.
    bool isModified() const { return m_modified; }
    void setModified(bool modified);
    /// The labels hold hand edits (brush, fill, polygon, eraser; or saved labels marked edited). Segment All keeps
    /// such images.
    bool isHandEdited() const { return m_handEdited; }
    void setHandEdited(bool edited);
    /// The labels on disk are the ones shown (set after a save or a load).
    void setSaved();
    LabelState state() const;

    /// Whether the saved labels beside the image have been looked for (done once, when the image is first shown).
    bool savedLabelsChecked() const { return m_savedChecked; }
    void setSavedLabelsChecked() { m_savedChecked = true; }
    /// The image's own saved class list (from NAME.label.classes.txt; without background), empty when none.
    const QStringList& savedClasses() const { return m_savedClasses; }
    void setSavedClasses(const QStringList& classes) { m_savedClasses = classes; }

Q_SIGNALS:
    void labelsChanged();
    /// state() may have changed.
    void stateChanged();

private:
    QString m_path;
    QString m_error;
    QImage m_image;
    QImage m_labels;
    QVector<QRgb> m_colors;
    RunResult m_lastRun;
    QUndoStack m_undo;
    bool m_modified = false;
    bool m_handEdited = false;
    bool m_onDisk = false;
    bool m_savedChecked = false;
    QStringList m_savedClasses;
};

} // namespace invseg::ui
