// Main window: wires the panels, the canvas and the segmentation controller together.
#include "main_window.h"

#include "controllers/batch_runner.h"
#include "controllers/image_document.h"
#include "controllers/label_edit_command.h"
#include "controllers/label_store.h"
#include "controllers/segmentation_controller.h"
#include "dialogs/about_dialog.h"
#include "dialogs/attention_inspector_dialog.h"
#include "icons.h"
#include "image_conversions.h"
#include "plots/loss_chart.h"
#include "widgets/class_panel.h"
#include "widgets/image_canvas.h"
#include "widgets/map_gallery.h"
#include "widgets/run_panel.h"
#include "workers/segmentation_worker.h"

#include "invseg/exports.h"
#include "invseg/resources.h"
#include "invseg/runtime_info.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDirIterator>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QProgressDialog>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QUndoGroup>

#include <nlohmann/json.hpp>

#include <memory>

namespace invseg::ui {
namespace {

std::unique_ptr<QSettings> makeSettings(const QString& file)
{
    if (file.isEmpty())
        return std::make_unique<QSettings>();
    return std::make_unique<QSettings>(file, QSettings::IniFormat);
}

QString bundledModelPath()
{
    try {
        return QString::fromStdString(invseg::resourcePath("models/toy"));
    } catch (const std::exception&) {
        return {};
    }
}

/// The options a model folder carries; an unreadable invseg_defaults.json leaves the method's defaults (the run
/// then says nothing about it: the model itself still loads and the panel shows what will be used).
invseg::SegmentOptions modelDefaults(const QString& path)
{
    try {
        return invseg::SegmentOptions::forModel(path.toStdString());
    } catch (const std::exception&) {
        return {};
    }
}

} // namespace

MainWindow::MainWindow(const MainWindowOptions& options, QWidget* parent)
    : QMainWindow(parent), m_options(options), m_controller(new SegmentationController(this)),
      m_batch(new BatchRunner(this))
{
    setObjectName(QStringLiteral("InvSegMainWindow"));
    setAcceptDrops(true);
    setWindowIcon(appIcon(QStringLiteral("invseg-studio")));
    {
        auto s = makeSettings(m_options.settingsFile);
        m_settings = AppSettings::load(*s);
    }
    m_undoGroup = new QUndoGroup(this);
    m_canvas = new ImageCanvas(this);
    m_canvas->setObjectName(QStringLiteral("canvas"));
    setCentralWidget(m_canvas);
    createDocks();
    createActions();

    m_cursorLabel = new QLabel(this);
    m_zoomLabel = new QLabel(this);
    m_modelLabel = new QLabel(tr("No model"), this);
    m_loadProgress = new QProgressBar(this);
    m_loadProgress->setMaximumWidth(160);
    m_loadProgress->setRange(0, 100);
    m_loadProgress->hide();
    statusBar()->addWidget(m_cursorLabel, 1);
    statusBar()->addPermanentWidget(m_loadProgress);
    statusBar()->addPermanentWidget(m_zoomLabel);
    statusBar()->addPermanentWidget(m_modelLabel);

    connect(m_canvas, &ImageCanvas::hovered, this, &MainWindow::onHovered);
    connect(m_canvas, &ImageCanvas::zoomChanged, this,
            [this](double z) { m_zoomLabel->setText(QStringLiteral("%1%").arg(qRound(z * 100))); });
    connect(m_canvas, &ImageCanvas::editFinished, this, &MainWindow::onEditFinished);
    connect(m_canvas, &ImageCanvas::brushSizeChanged, m_brushSize, &QSpinBox::setValue);
    connect(m_brushSize, qOverload<int>(&QSpinBox::valueChanged), m_canvas, &ImageCanvas::setBrushSize);
    connect(m_opacity, &QSlider::valueChanged, this, [this](int v) { m_canvas->setOverlayOpacity(v / 100.0); });

    connect(m_classes, &ClassPanel::classesChanged, this, &MainWindow::updateOverlayColors);
    connect(m_classes, &ClassPanel::activeClassChanged, m_canvas, &ImageCanvas::setActiveClass);
    connect(m_classes, &ClassPanel::labelsRemapped, this, &MainWindow::onLabelsRemapped);
    m_classes->setLabelInUse([this](int label) { return classInUse(label); });
    m_classes->setConfirmDrop([this](const QString& name) {
        return QMessageBox::question(this, tr("Remove class"),
                                     tr("Pixels are labelled \"%1\". Removing the class makes them background. "
                                        "Remove it?")
                                         .arg(name)) == QMessageBox::Yes;
    });
    connect(m_batch, &BatchRunner::runRequested, this, &MainWindow::runBatchItem);
    connect(m_batch, &BatchRunner::cancelRequested, m_controller, &SegmentationController::cancelRun);

    connect(m_run, &RunPanel::runRequested, this, [this] { runCurrent(); });
    connect(m_run, &RunPanel::stopRequested, this, &MainWindow::stopRun);
    connect(m_run, &RunPanel::deviceOrDtypeChanged, this, [this] {
        // The device and precision belong to the loaded model: reload it there.
        if (m_controller->hasModel() && !m_controller->isRunning() &&
            (m_controller->modelInfo().device != m_run->device() || m_controller->modelInfo().dtype != m_run->dtype()))
            loadModel(m_controller->modelInfo().path);
    });

    connect(m_controller, &SegmentationController::stepCompleted, this, &MainWindow::onStep);
    connect(m_controller, &SegmentationController::runFinished, this, &MainWindow::onRunFinished);
    connect(m_controller, &SegmentationController::runFailed, this, &MainWindow::onRunFailed);
    connect(m_controller, &SegmentationController::runCancelled, this, &MainWindow::onRunCancelled);
    connect(m_controller, &SegmentationController::modelLoaded, this, &MainWindow::onModelLoaded);
    connect(m_controller, &SegmentationController::modelLoadFailed, this, &MainWindow::onModelLoadFailed);
    connect(m_controller, &SegmentationController::modelLoadProgress, this, [this](const QString& stage, double f) {
        m_loadProgress->show();
        m_loadProgress->setValue(qRound(f * 100));
        m_loadProgress->setFormat(stage + QStringLiteral(" %p%"));
    });
    connect(m_controller, &SegmentationController::busyChanged, this, [this] { updateActions(); });

    m_run->setDevices(SegmentationWorker::deviceChoices());
    m_run->setDeviceNote(SegmentationWorker::cpuOnlyNote(), SegmentationWorker::cpuOnlyDetail());
    connect(m_run, &RunPanel::deviceOrDtypeChosen, this, [this] {
        m_settings.device = m_run->device();
        m_settings.dtype = m_run->dtype();
    });
    applySettings();
    if (!m_run->deviceNote().isEmpty())
        showStatus(m_run->deviceNote(), 15000); // said once; the Run panel keeps it under the Device list
    updateTitle();
    updateActions();

    if (m_options.loadModelOnStart) {
        QString path = m_settings.modelPath;
        if (path.isEmpty() || !QFileInfo::exists(path))
            path = bundledModelPath();
        if (!path.isEmpty() && QFileInfo::exists(path)) {
            QTimer::singleShot(0, this, [this, path] { loadModel(path); });
        } else {
            m_run->showMessage(tr("No model found. The bundled model (resources/models/toy) is missing: choose a "
                                  "Stable Diffusion model with File ▸ Choose Model Folder… or Choose Model File…"));
            showStatus(tr("No model loaded"), 0);
        }
    }
}

MainWindow::~MainWindow()
{
    m_controller->shutdown();
}

void MainWindow::createDocks()
{
    auto dock = [this](const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        addDockWidget(area, d);
        return d;
    };
    m_fileList = new QListWidget(this);
    m_fileList->setObjectName(QStringLiteral("fileList"));
    connect(m_fileList, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row != m_current)
            showDocument(row);
    });
    m_classes = new ClassPanel(this);
    m_run = new RunPanel(this);
    m_gallery = new MapGallery(this);
    m_chart = new LossChart(this);
    dock(tr("Images"), QStringLiteral("filesDock"), m_fileList, Qt::LeftDockWidgetArea);
    dock(tr("Classes"), QStringLiteral("classesDock"), m_classes, Qt::LeftDockWidgetArea);
    dock(tr("Run"), QStringLiteral("runDock"), m_run, Qt::RightDockWidgetArea);
    dock(tr("Live views"), QStringLiteral("mapsDock"), m_gallery, Qt::RightDockWidgetArea);
    auto* losses = dock(tr("Losses"), QStringLiteral("lossDock"), m_chart, Qt::BottomDockWidgetArea);
    // The side columns run the full height; the loss chart sits under the canvas only.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    auto* runDock = findChild<QDockWidget*>(QStringLiteral("runDock"));
    auto* maps = findChild<QDockWidget*>(QStringLiteral("mapsDock"));
    resizeDocks({maps}, {380}, Qt::Horizontal);
    resizeDocks({runDock, maps}, {300, 600}, Qt::Vertical);
    resizeDocks({losses}, {220}, Qt::Vertical);
}

QAction* MainWindow::action(const QString& objectName) const
{
    return findChild<QAction*>(objectName);
}

void MainWindow::applySettings()
{
    if (!m_settings.geometry.isEmpty())
        restoreGeometry(m_settings.geometry);
    else
        resize(1400, 900);
    if (!m_settings.windowState.isEmpty())
        restoreState(m_settings.windowState);
    // The model's defaults with the user's own changes on top (the options the CLI resolves for the same model, plus
    // what was changed in the panel).
    m_modelDefaults = modelDefaults(m_settings.modelPath.isEmpty() ? bundledModelPath() : m_settings.modelPath);
    invseg::SegmentOptions options = m_modelDefaults;
    if (!m_settings.optionChanges.isEmpty()) {
        try {
            options = invseg::SegmentOptions::fromJson(nlohmann::json::parse(m_settings.optionChanges.toStdString()),
                                                       m_modelDefaults);
        } catch (const std::exception&) {
            options = m_modelDefaults; // validated on load; a model whose defaults clash keeps its own
        }
    }
    m_run->setOptions(options);
    // The device and precision the user picked, else the engine's default (the first GPU, bf16 where it has it);
    // a picked GPU that is gone falls back to the default too.
    const invseg::DeviceChoice automatic = invseg::defaultDeviceChoice();
    const bool picked = !m_settings.device.isEmpty() &&
                        SegmentationWorker::availableDevices().contains(m_settings.device);
    m_run->setDevice(picked ? m_settings.device : QString::fromStdString(automatic.device));
    m_run->setDtype(!m_settings.dtype.isEmpty() ? m_settings.dtype : QString::fromStdString(automatic.dtype));
    if (!m_settings.classes.isEmpty())
        m_classes->setClasses(m_settings.classes, m_settings.classColors);
    else {
        // A first start: the toy preset if it is there, else a small example list.
        QStringList list;
        QString error;
        for (const auto& p : ClassPanel::findPresets())
            if (p.first == QStringLiteral("toy"))
                ClassPanel::readClassFile(p.second, &list, &error);
        if (list.isEmpty())
            list = QStringList{QStringLiteral("sky"), QStringLiteral("grass"), QStringLiteral("tree")};
        m_classes->setClasses(list);
    }
    try {
        m_gallery->setColormap(invseg::colormapFromName(m_settings.colormap.toStdString()));
    } catch (const std::exception&) {
    }
    m_opacity->setValue(qRound(m_settings.overlayOpacity * 100));
    m_canvas->setOverlayOpacity(m_settings.overlayOpacity);
    m_brushSize->setValue(m_settings.brushSize);
    updateRecentMenu();
    updateOverlayColors();
}

void MainWindow::saveSettings()
{
    m_settings.geometry = saveGeometry();
    m_settings.windowState = saveState();
    m_settings.optionChanges = QString::fromStdString(m_run->options().changesFrom(m_modelDefaults).dump());
    if (m_settings.optionChanges == QStringLiteral("{}"))
        m_settings.optionChanges.clear();
    m_settings.classes = m_classes->classes();
    m_settings.classColors = m_classes->colors();
    m_settings.colormap = QString::fromLatin1(invseg::colormapName(m_gallery->colormap()));
    m_settings.overlayOpacity = m_opacity->value() / 100.0;
    m_settings.brushSize = m_brushSize->value();
    if (m_controller->hasModel())
        m_settings.modelPath = m_controller->modelInfo().path;
    auto s = makeSettings(m_options.settingsFile);
    m_settings.save(*s);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    for (auto* doc : m_documents)
        if (!confirmLeave(doc)) {
            event->ignore();
            return;
        }
    m_batch->end();
    saveSettings();
    m_controller->shutdown();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const auto& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (openPaths(paths) > 0)
        event->acceptProposedAction();
}

void MainWindow::updateOverlayColors()
{
    const auto colors = m_classes->colors();
    QVector<QRgb> table(256);
    for (int i = 0; i < 256; ++i)
        table[i] = (i < colors.size() ? colors[i] : defaultClassColor(i)).rgb();
    for (int i = 1; i < colors.size(); ++i)
        if (!m_classes->isClassVisible(i))
            table[i] = qRgba(0, 0, 0, 0); // hidden in the class list
    table[0] = qRgba(0, 0, 0, 0);
    table[255] = qRgba(224, 224, 192, 255);
    for (auto* d : m_documents)
        d->setOverlayColors(table);
    m_gallery->setClasses(m_classes->allNames(), colors);
}

void MainWindow::onLabelsRemapped(const QVector<int>& lut)
{
    for (auto* d : m_documents) {
        if (!d->hasLabels())
            continue;
        QImage& labels = d->mutableLabels();
        for (int y = 0; y < labels.height(); ++y) {
            uchar* row = labels.scanLine(y);
            for (int x = 0; x < labels.width(); ++x)
                row[x] = static_cast<uchar>(lut.value(row[x], row[x]));
        }
        // Stored patches hold the old indices; keeping them would undo into the wrong classes.
        d->undoStack()->clear();
        d->setModified(true); // the indices changed: the file on disk no longer matches the list
        d->notifyLabelsChanged();
    }
}

void MainWindow::onHovered(QPoint pos, int label)
{
    if (pos.x() < 0) {
        m_cursorLabel->clear();
        return;
    }
    const QStringList names = m_classes->allNames();
    QString cls;
    if (label == 255)
        cls = tr("ignore");
    else if (label >= 0 && label < names.size())
        cls = names[label];
    else if (label >= 0)
        cls = tr("label %1").arg(label);
    m_cursorLabel->setText(cls.isEmpty() ? QStringLiteral("%1, %2").arg(pos.x()).arg(pos.y())
                                         : tr("%1, %2 — %3").arg(pos.x()).arg(pos.y()).arg(cls));
}

void MainWindow::onEditFinished(const QRect& rect, const QImage& before, const QImage& after, const QString& text)
{
    if (auto* doc = currentDocument()) {
        doc->undoStack()->push(new LabelEditCommand(doc, rect, before, after, text, true));
        doc->setHandEdited(true);
    }
}

void MainWindow::updateRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    for (const auto& f : m_settings.recentFiles) {
        auto* a = m_recentMenu->addAction(QFileInfo(f).fileName());
        a->setToolTip(f);
        connect(a, &QAction::triggered, this, [this, f] { openPaths({f}); });
    }
    m_recentMenu->setEnabled(!m_settings.recentFiles.isEmpty());
}

void MainWindow::updateTitle()
{
    auto* doc = currentDocument();
    setWindowTitle(doc ? tr("%1 — InvSeg Studio").arg(doc->displayName()) : tr("InvSeg Studio"));
}

void MainWindow::updateActions()
{
    const bool running = m_controller->isRunning();
    const bool canRun = m_controller->hasModel() && !m_controller->isLoading() && currentDocument() != nullptr;
    m_run->setRunning(running);
    m_run->setRunEnabled(canRun);
    if (auto* a = action(QStringLiteral("actionRun")))
        a->setEnabled(canRun && !running);
    if (auto* a = action(QStringLiteral("actionStop")))
        a->setEnabled(running);
    if (auto* a = action(QStringLiteral("actionSegmentAll")))
        a->setEnabled(canRun && !running && !m_documents.isEmpty());
}

void MainWindow::showStatus(const QString& text, int timeoutMs)
{
    statusBar()->showMessage(text, timeoutMs);
}

// ---- model ----------------------------------------------------------------------------------------------------------

void MainWindow::loadModel(const QString& path)
{
    m_pendingModelPath = path;
    m_loadProgress->setValue(0);
    m_loadProgress->show();
    m_modelLabel->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    m_controller->loadModel(path, m_run->device(), m_run->dtype());
    updateActions();
}

void MainWindow::onModelLoaded(const ModelInfo& info)
{
    m_loadProgress->hide();
    m_modelLabel->setText(
        tr("%1 (%2, %3, %4 px)").arg(QFileInfo(info.path).fileName(), info.device, info.dtype).arg(info.nativeSize));
    m_modelLabel->setToolTip(info.path);
    m_settings.modelPath = info.path;
    // the method options this model carries (invseg_defaults.json), where the user has not changed them
    const auto defaults = modelDefaults(info.path);
    m_run->setOptions(invseg::SegmentOptions::rebased(m_run->options(), m_modelDefaults, defaults));
    m_modelDefaults = defaults;
    m_run->showMessage(QString());
    showStatus(tr("Model loaded: %1").arg(info.path));
    updateActions();
    Q_EMIT modelReady(true);
}

void MainWindow::onModelLoadFailed(const QString& message)
{
    m_loadProgress->hide();
    const QString text = tr("Could not load the model %1: %2").arg(m_pendingModelPath, message);
    m_modelLabel->setText(m_controller->hasModel() ? QFileInfo(m_controller->modelInfo().path).fileName()
                                                   : tr("No model"));
    m_run->showMessage(text);
    showStatus(text, 0);
    updateActions();
    Q_EMIT modelReady(false);
}

void MainWindow::chooseModel(bool folder)
{
    QString path;
    if (folder)
        path = QFileDialog::getExistingDirectory(this, tr("Choose a diffusers model folder"), m_settings.modelPath);
    else
        path = QFileDialog::getOpenFileName(this, tr("Choose a Stable Diffusion checkpoint"), m_settings.modelPath,
                                            tr("Checkpoints (*.safetensors *.ckpt *.pt *.bin);;All files (*)"));
    if (!path.isEmpty())
        loadModel(path);
}

// ---- runs -----------------------------------------------------------------------------------------------------------

bool MainWindow::runCurrent()
{
    auto* doc = currentDocument();
    QString problem;
    if (!doc)
        problem = tr("Open an image first.");
    else if (!doc->ensureLoaded())
        problem = doc->error();
    else if (m_controller->isLoading())
        problem = tr("The model is still loading.");
    else if (!m_controller->hasModel())
        problem = tr("No model is loaded: choose one in the File menu.");
    else if (m_classes->classes().isEmpty())
        problem = tr("Add at least one class.");
    else if (m_controller->isRunning())
        problem = tr("A run is in progress.");
    if (!problem.isEmpty()) {
        m_run->showMessage(problem);
        showStatus(problem);
        return false;
    }
    return startRunOf(doc, m_classes->classes());
}

bool MainWindow::startRunOf(ImageDocument* doc, const QStringList& classes)
{
    m_runDocument = doc;
    QStringList names{QStringLiteral("background")};
    names += classes;
    m_gallery->setClasses(names, m_classes->colors());
    m_gallery->clear();
    m_chart->clear();
    m_run->showProgress(0, m_run->options().steps, 0, 0);
    m_controller->startRun(doc->image(), classes, m_run->options());
    updateActions();
    const auto& info = m_controller->modelInfo();
    showStatus(tr("Segmenting %1 on %2 (%3)…").arg(doc->displayName(), info.device, info.dtype), 0);
    return true;
}

void MainWindow::stopRun()
{
    m_batch->stop();
    m_controller->cancelRun();
}

void MainWindow::onStep(quint64, const StepUpdate& update)
{
    if (m_runDocument && m_runDocument == currentDocument())
        m_gallery->showStep(update);
    m_chart->append(update.losses);
    m_run->showProgress(update.step, update.totalSteps, update.stepMs, update.elapsedMs);
}

void MainWindow::onRunFinished(quint64, const RunResult& result)
{
    auto* doc = m_runDocument.data();
    if (doc && !result.labels.isNull() && result.labels.size() == doc->image().size()) {
        mergeRunLabels(doc, result);
        if (doc == currentDocument()) {
            m_gallery->showResult(result);
            m_chart->setHistory(result.history);
        }
        if (m_batch->isActive() && m_settings.autoSave) {
            QString error;
            if (!saveDocument(doc, &error))
                showStatus(error, 0);
        }
    }
    updateActions();
    m_run->showProgress(result.history.size(), result.history.size(),
                        result.history.isEmpty() ? 0.0 : result.history.last().stepMs, result.totalMs);
    const auto& info = m_controller->modelInfo();
    QString text = tr("Segmented %1 in %2 s on %3 (%4)")
                       .arg(doc ? doc->displayName() : QString())
                       .arg(result.totalMs / 1000.0, 0, 'f', 1)
                       .arg(info.device, info.dtype);
    if (info.device.startsWith(QStringLiteral("cuda")))
        text += tr(", peak GPU memory %1 MiB").arg(qRound(result.peakMemoryMb));
    showStatus(text);
    Q_EMIT runEnded(true);
    m_batch->runEnded();
}

void MainWindow::mergeRunLabels(ImageDocument* doc, const RunResult& result)
{
    // The run's indices follow the class list it was given; the document's follow the panel's. Match by name, adding
    // classes the panel does not have yet, so that a run with an image's own class list lands on the right ids.
    QStringList missing;
    for (const auto& n : result.classNames)
        if (!m_classes->allNames().contains(n))
            missing << n;
    m_classes->appendClasses(missing);
    QImage labels = result.labels.copy();
    LabelStore::applyLut(labels, LabelStore::lutByName(result.classNames, m_classes->allNames()));
    doc->ensureLabels();
    const QImage before = doc->labels().copy();
    doc->setLastRun(result); // the live views show the run as it was, in its own class order
    doc->undoStack()->push(new LabelEditCommand(doc, before.rect(), before, labels, tr("Segmentation"), false));
    doc->setHandEdited(false);
}

void MainWindow::onRunFailed(quint64, const QString& message)
{
    updateActions();
    m_run->showMessage(message);
    showStatus(tr("Segmentation failed: %1").arg(message), 0);
    Q_EMIT runEnded(false);
    m_batch->runEnded(); // one bad image does not stop the batch
}

void MainWindow::onRunCancelled(quint64)
{
    updateActions();
    m_run->showMessage(tr("Stopped."));
    showStatus(tr("Run stopped"));
    Q_EMIT runEnded(false);
    m_batch->end();
}

// ---- dialogs --------------------------------------------------------------------------------------------------------

void MainWindow::showAbout()
{
    const auto& info = m_controller->modelInfo();
    AboutDialog dialog(info.path.isEmpty() ? tr("none") : info.path,
                       info.device.isEmpty() ? m_run->device() : info.device, this);
    dialog.exec();
}

void MainWindow::showAttentionInspector()
{
    auto* dialog = new AttentionInspectorDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AttentionInspectorDialog::inspectRequested, this, [this, dialog](int timestep) {
        auto* doc = currentDocument();
        if (!doc || !doc->ensureLoaded() || !m_controller->hasModel() || m_classes->classes().isEmpty()) {
            dialog->showMessage(tr("Open an image, load a model and add a class first."));
            return;
        }
        auto options = m_run->options();
        options.timestep = timestep;
        m_controller->inspectAttention(doc->image(), m_classes->classes(), options);
    });
    connect(m_controller, &SegmentationController::attentionInspected, dialog, &AttentionInspectorDialog::setResult);
    connect(m_controller, &SegmentationController::attentionFailed, dialog, &AttentionInspectorDialog::showMessage);
    dialog->show();
}

void MainWindow::setLanguage(const QString& language)
{
    m_settings.language = language;
    saveSettings();
    QMessageBox::information(this, tr("Language"), tr("The language changes when InvSeg Studio is restarted."));
}

} // namespace invseg::ui
