// The application window: wires the canvas, the class/run/file panels, the live views and the loss chart to the
// controllers (segmentation, label files, Segment All). Its code is split over main_window*.cpp by concern.
#pragma once

#include "controllers/app_settings.h"
#include "run_types.h"

#include <QMainWindow>
#include <QPointer>
#include <QVector>

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QProgressDialog;
class QSlider;
class QSpinBox;
class QUndoGroup;

namespace invseg::ui {

class ClassPanel;
class ImageCanvas;
class ImageDocument;
struct LabelSaveResult;
class BatchRunner;
class LossChart;
class MapGallery;
class RunPanel;
class SegmentationController;

/// Options of a window (tests use a private settings file and skip the default model).
struct MainWindowOptions {
    QString settingsFile;         ///< "" = the platform's default QSettings
    bool loadModelOnStart = true; ///< load the remembered or bundled model at start-up
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const MainWindowOptions& options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // ---- scripting surface (menus call these; tests too) ----
    /// Adds image files (folders are expanded); returns how many were added. Shows the first new one.
    int openPaths(const QStringList& paths);
    void loadModel(const QString& path);
    /// Starts a run on the current image; false (with a status message) when impossible.
    bool runCurrent();
    void stopRun();
    /// Writes the current image's NAME.label.png (+ NAME.label.classes.txt), NAME.overlay.png, NAME.json (labelme),
    /// NAME.report.json and coco.json (of this image) into dir, through the engine's writer the CLI uses (the image's
    /// own folder is fine: no input is ever replaced).
    bool exportCurrent(const QString& dir, QString* error = nullptr);
    /// The same for every image with labels, with one coco.json for all of them.
    bool exportAll(const QString& dir, QString* error = nullptr);
    /// Saves the current image's labels beside it (Ctrl+S); false with *error, labels kept, when that fails.
    bool saveCurrent(QString* error = nullptr);
    bool saveDocument(ImageDocument* doc, QString* error = nullptr);
    /// Segments every open image in turn (progress dialog with cancel), keeping hand-edited ones and using each
    /// image's own saved class list when it has one.
    void segmentAll();
    /// Shows image index; leaving an image with unsaved labels saves them (auto-save) or asks first. False when the
    /// user cancelled or the save failed (the current image stays).
    bool showDocument(int index);
    void nextImage();
    void previousImage();
    /// Saves (auto-save on) or asks about doc's unsaved labels; true when it may be left.
    bool confirmLeave(ImageDocument* doc);
    bool autoSave() const { return m_settings.autoSave; }
    void setAutoSave(bool on);

    int documentCount() const { return m_documents.size(); }
    int currentIndex() const { return m_current; }
    ImageDocument* currentDocument() const;
    ImageCanvas* canvas() const { return m_canvas; }
    ClassPanel* classPanel() const { return m_classes; }
    RunPanel* runPanel() const { return m_run; }
    MapGallery* gallery() const { return m_gallery; }
    LossChart* lossChart() const { return m_chart; }
    SegmentationController* controller() const { return m_controller; }
    QUndoGroup* undoGroup() const { return m_undoGroup; }
    const AppSettings& settings() const { return m_settings; }
    /// Stores the window's current state into settings and writes them.
    void saveSettings();
    QAction* action(const QString& objectName) const;

Q_SIGNALS:
    void modelReady(bool loaded);
    void runEnded(bool finished);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createDocks();
    void createActions();
    void createFileMenu();
    void createEditMenu();
    void createViewMenu();
    void createRunMenu();
    void createSettingsMenu();
    void createHelpMenu();
    void createToolBar();
    void showShortcuts();
    bool switchTo(int index, bool checkUnsaved);
    void loadSavedLabels(ImageDocument* doc);
    bool adoptClassList(const QString& file);
    void updateFileItem(ImageDocument* doc);
    bool classInUse(int label) const;
    bool startRunOf(ImageDocument* doc, const QStringList& classes);
    /// One image's outputs into dir (no COCO); what was written goes to *result for the COCO file.
    bool exportDocument(ImageDocument* doc, const QString& dir, QString* error, LabelSaveResult* result);
    /// dir/coco.json of these images (file names and labels as written).
    bool writeCoco(const QString& dir, const QStringList& files, const QVector<LabelSaveResult>& results,
                   QString* error);
    void mergeRunLabels(ImageDocument* doc, const RunResult& result);
    void applySettings();
    void updateOverlayColors();
    void updateRecentMenu();
    void updateTitle();
    void updateActions();
    void showStatus(const QString& text, int timeoutMs = 5000);
    void chooseModel(bool folder);
    void openFilesDialog();
    void openFolderDialog();
    void exportDialog();
    void showAbout();
    void showAttentionInspector();
    void setLanguage(const QString& language);
    void onHovered(QPoint pos, int label);
    void onEditFinished(const QRect& rect, const QImage& before, const QImage& after, const QString& text);
    void onLabelsRemapped(const QVector<int>& lut);
    void onStep(quint64 jobId, const invseg::ui::StepUpdate& update);
    void onRunFinished(quint64 jobId, const invseg::ui::RunResult& result);
    void onRunFailed(quint64 jobId, const QString& message);
    void onRunCancelled(quint64 jobId);
    void onModelLoaded(const invseg::ui::ModelInfo& info);
    void onModelLoadFailed(const QString& message);
    void runBatchItem(int index);

    MainWindowOptions m_options;
    AppSettings m_settings;
    /// The method options the loaded model's folder asks for (SegmentOptions::forModel); the run panel's fields
    /// that still hold them follow the next model's.
    invseg::SegmentOptions m_modelDefaults;
    SegmentationController* m_controller;
    QVector<ImageDocument*> m_documents;
    int m_current = -1;
    QPointer<ImageDocument> m_runDocument;
    ImageCanvas* m_canvas;
    ClassPanel* m_classes;
    RunPanel* m_run;
    MapGallery* m_gallery;
    LossChart* m_chart;
    QListWidget* m_fileList;
    QUndoGroup* m_undoGroup;
    QSlider* m_opacity;
    QSpinBox* m_brushSize;
    QLabel* m_cursorLabel;
    QLabel* m_zoomLabel;
    QLabel* m_modelLabel;
    QProgressBar* m_loadProgress;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QString m_pendingModelPath;
    BatchRunner* m_batch;
    QAction* m_tools[5] = {};
};

} // namespace invseg::ui
