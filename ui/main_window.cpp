// Main window: wires the panels, the canvas and the segmentation controller together.
#include "main_window.h"

#include "controllers/image_document.h"
#include "controllers/label_edit_command.h"
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

const QStringList& imageSuffixes()
{
    static const QStringList s{QStringLiteral("png"), QStringLiteral("jpg"),  QStringLiteral("jpeg"),
                               QStringLiteral("bmp"), QStringLiteral("tif"),  QStringLiteral("tiff"),
                               QStringLiteral("webp"), QStringLiteral("ppm"), QStringLiteral("pgm")};
    return s;
}

bool isImageFile(const QString& path)
{
    const QFileInfo fi(path);
    return fi.isFile() && imageSuffixes().contains(fi.suffix().toLower()) &&
           !fi.completeBaseName().endsWith(QStringLiteral("_overlay"));
}

std::unique_ptr<QSettings> makeSettings(const QString& file)
{
    if (file.isEmpty())
        return std::make_unique<QSettings>();
    return std::make_unique<QSettings>(file, QSettings::IniFormat);
}

std::vector<std::string> toStd(const QStringList& list)
{
    std::vector<std::string> out;
    for (const auto& s : list)
        out.push_back(s.toStdString());
    return out;
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
    : QMainWindow(parent), m_options(options), m_controller(new SegmentationController(this))
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

    m_run->setDevices(SegmentationWorker::availableDevices());
    applySettings();
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

MainWindow::~MainWindow() { m_controller->shutdown(); }

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

QAction* MainWindow::action(const QString& objectName) const { return findChild<QAction*>(objectName); }

void MainWindow::createActions()
{
    auto make = [this](const QString& text, const QString& name, const QKeySequence& key, auto slot) {
        auto* a = new QAction(text, this);
        a->setObjectName(name);
        if (!key.isEmpty())
            a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };

    // File
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(make(tr("&Open Images…"), QStringLiteral("actionOpen"), QKeySequence(tr("Ctrl+O")),
                         [this] { openFilesDialog(); }));
    file->addAction(make(tr("Open &Folder…"), QStringLiteral("actionOpenFolder"), QKeySequence(tr("Ctrl+U")),
                         [this] { openFolderDialog(); }));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(make(tr("Choose Model &Folder…"), QStringLiteral("actionModelFolder"), QKeySequence(),
                         [this] { chooseModel(true); }));
    file->addAction(make(tr("Choose Model F&ile…"), QStringLiteral("actionModelFile"), QKeySequence(),
                         [this] { chooseModel(false); }));
    file->addSeparator();
    file->addAction(make(tr("&Export…"), QStringLiteral("actionExport"), QKeySequence(tr("Ctrl+S")),
                         [this] { exportDialog(); }));
    file->addAction(make(tr("Export &All Labelled Images…"), QStringLiteral("actionExportAll"), QKeySequence(),
                         [this] {
                             const QString dir = QFileDialog::getExistingDirectory(this, tr("Export all into"),
                                                                                   m_settings.lastDirectory);
                             QString error;
                             if (!dir.isEmpty() && !exportAll(dir, &error))
                                 QMessageBox::warning(this, tr("Export"), error);
                         }));
    file->addSeparator();
    file->addAction(make(tr("&Quit"), QStringLiteral("actionQuit"), QKeySequence(tr("Ctrl+Q")), [this] { close(); }));

    // Edit
    auto* edit = menuBar()->addMenu(tr("&Edit"));
    auto* undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("actionUndo"));
    undo->setShortcut(QKeySequence(tr("Ctrl+Z")));
    auto* redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("actionRedo"));
    redo->setShortcuts({QKeySequence(tr("Ctrl+Shift+Z")), QKeySequence(tr("Ctrl+Y"))});
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    auto* tools = new QActionGroup(this);
    auto tool = [&](const QString& text, const QString& name, const QString& key, ImageCanvas::Tool t) {
        auto* a = new QAction(text, this);
        a->setObjectName(name);
        a->setShortcut(QKeySequence(key));
        a->setCheckable(true);
        a->setIcon(appIcon(name.mid(6).toLower()));
        a->setData(static_cast<int>(t));
        tools->addAction(a);
        edit->addAction(a);
        connect(a, &QAction::triggered, this, [this, t] { m_canvas->setTool(t); });
        return a;
    };
    tool(tr("&View / Pan"), QStringLiteral("actionView"), tr("V"), ImageCanvas::Tool::View)->setChecked(true);
    tool(tr("&Brush"), QStringLiteral("actionBrush"), tr("B"), ImageCanvas::Tool::Brush);
    tool(tr("&Eraser"), QStringLiteral("actionEraser"), tr("E"), ImageCanvas::Tool::Eraser);
    tool(tr("&Fill"), QStringLiteral("actionFill"), tr("F"), ImageCanvas::Tool::Fill);
    edit->addSeparator();
    edit->addAction(make(tr("Clear Labels"), QStringLiteral("actionClearLabels"), QKeySequence(), [this] {
        auto* doc = currentDocument();
        if (!doc || !doc->hasLabels())
            return;
        const QImage before = doc->labels().copy();
        QImage after = before;
        after.fill(0);
        doc->undoStack()->push(new LabelEditCommand(doc, before.rect(), before, after, tr("Clear labels"), false));
    }));

    // View
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    auto* zoomIn = make(tr("Zoom &In"), QStringLiteral("actionZoomIn"), QKeySequence(tr("Ctrl+=")),
                        [this] { m_canvas->zoomIn(); });
    zoomIn->setShortcuts({QKeySequence(tr("Ctrl+=")), QKeySequence(QKeySequence::ZoomIn)});
    m_viewMenu->addAction(zoomIn);
    m_viewMenu->addAction(make(tr("Zoom &Out"), QStringLiteral("actionZoomOut"), QKeySequence(tr("Ctrl+-")),
                               [this] { m_canvas->zoomOut(); }));
    m_viewMenu->addAction(make(tr("&Fit to Window"), QStringLiteral("actionFit"), QKeySequence(tr("Ctrl+F")),
                               [this] { m_canvas->fitToWindow(); }));
    m_viewMenu->addAction(make(tr("&Actual Size"), QStringLiteral("actionActualSize"), QKeySequence(tr("Ctrl+0")),
                               [this] { m_canvas->actualSize(); }));
    auto* mask = new QAction(tr("Show &Mask"), this);
    mask->setObjectName(QStringLiteral("actionShowMask"));
    mask->setCheckable(true);
    mask->setChecked(true);
    mask->setShortcut(QKeySequence(tr("Ctrl+M")));
    connect(mask, &QAction::toggled, m_canvas, &ImageCanvas::setMaskVisible);
    m_viewMenu->addAction(mask);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(make(tr("&Next Image"), QStringLiteral("actionNext"), QKeySequence(tr("D")),
                               [this] { nextImage(); }));
    m_viewMenu->addAction(make(tr("&Previous Image"), QStringLiteral("actionPrevious"), QKeySequence(tr("A")),
                               [this] { previousImage(); }));
    m_viewMenu->addSeparator();
    for (auto* d : findChildren<QDockWidget*>())
        m_viewMenu->addAction(d->toggleViewAction());

    // Run
    auto* run = menuBar()->addMenu(tr("&Run"));
    auto* runAct = make(tr("&Segment Image"), QStringLiteral("actionRun"), QKeySequence(tr("F5")),
                        [this] { runCurrent(); });
    runAct->setIcon(appIcon(QStringLiteral("run")));
    auto* stopAct = make(tr("S&top"), QStringLiteral("actionStop"), QKeySequence(tr("Esc")), [this] { stopRun(); });
    stopAct->setIcon(appIcon(QStringLiteral("stop")));
    run->addAction(runAct);
    run->addAction(stopAct);
    run->addAction(make(tr("Segment &All Images"), QStringLiteral("actionSegmentAll"), QKeySequence(tr("Ctrl+Shift+R")),
                        [this] { segmentAll(); }));
    run->addSeparator();
    run->addAction(make(tr("Attention &Inspector…"), QStringLiteral("actionInspector"), QKeySequence(),
                        [this] { showAttentionInspector(); }));

    // Settings
    auto* settings = menuBar()->addMenu(tr("&Settings"));
    auto* language = settings->addMenu(tr("&Language"));
    auto* langGroup = new QActionGroup(this);
    const QList<QPair<QString, QString>> languages{{tr("System"), QString()},
                                                   {QStringLiteral("English"), QStringLiteral("en")},
                                                   {QStringLiteral("Deutsch"), QStringLiteral("de")},
                                                   {QStringLiteral("中文 (简体)"), QStringLiteral("zh_CN")}};
    for (const auto& l : languages) {
        auto* a = language->addAction(l.first);
        a->setCheckable(true);
        a->setChecked(m_settings.language == l.second);
        langGroup->addAction(a);
        const QString code = l.second;
        connect(a, &QAction::triggered, this, [this, code] { setLanguage(code); });
    }

    // Help
    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(make(tr("&About InvSeg Studio"), QStringLiteral("actionAbout"), QKeySequence(),
                         [this] { showAbout(); }));

    // Tool bar
    auto* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    action(QStringLiteral("actionOpen"))->setIcon(appIcon(QStringLiteral("open")));
    bar->addAction(action(QStringLiteral("actionOpen")));
    bar->addAction(runAct);
    bar->addAction(stopAct);
    bar->addSeparator();
    for (auto* a : tools->actions())
        bar->addAction(a);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr("Brush:"), this));
    m_brushSize = new QSpinBox(this);
    m_brushSize->setRange(1, 512);
    m_brushSize->setValue(m_canvas->brushSize());
    m_brushSize->setToolTip(tr("Brush size in image pixels (mouse wheel while painting)"));
    bar->addWidget(m_brushSize);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr("Mask opacity:"), this));
    m_opacity = new QSlider(Qt::Horizontal, this);
    m_opacity->setObjectName(QStringLiteral("opacitySlider"));
    m_opacity->setRange(0, 100);
    m_opacity->setValue(50);
    m_opacity->setMaximumWidth(140);
    bar->addWidget(m_opacity);
}

void MainWindow::applySettings()
{
    if (!m_settings.geometry.isEmpty())
        restoreGeometry(m_settings.geometry);
    else
        resize(1400, 900);
    if (!m_settings.windowState.isEmpty())
        restoreState(m_settings.windowState);
    m_run->setOptions(m_settings.options);
    m_modelDefaults = modelDefaults(m_settings.modelPath.isEmpty() ? bundledModelPath() : m_settings.modelPath);
    m_run->setDevice(m_settings.device);
    m_run->setDtype(m_settings.dtype);
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
    auto options = m_run->options();
    if (m_run->baselineOnly())
        options.steps = 0;
    m_settings.options = options;
    m_settings.device = m_run->device();
    m_settings.dtype = m_run->dtype();
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
    m_batchQueue.clear();
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

// ---- documents ------------------------------------------------------------------------------------------------------

int MainWindow::openPaths(const QStringList& paths)
{
    QStringList files;
    for (const auto& p : paths) {
        const QFileInfo fi(p);
        if (fi.isDir()) {
            QStringList inDir;
            QDirIterator it(fi.absoluteFilePath(), QDir::Files);
            while (it.hasNext()) {
                const QString f = it.next();
                if (isImageFile(f))
                    inDir << f;
            }
            inDir.sort();
            files += inDir;
            m_settings.lastDirectory = fi.absoluteFilePath();
        } else if (isImageFile(p)) {
            files << fi.absoluteFilePath();
            m_settings.lastDirectory = fi.absolutePath();
        }
    }
    const int first = m_documents.size();
    for (const auto& f : files) {
        bool open = false;
        for (auto* d : m_documents)
            open = open || d->path() == f;
        if (open)
            continue;
        auto* doc = new ImageDocument(f, this);
        m_documents << doc;
        m_undoGroup->addStack(doc->undoStack());
        m_fileList->addItem(doc->displayName());
        m_settings.addRecentFile(f);
    }
    const int added = m_documents.size() - first;
    if (added > 0) {
        // A sample scene comes with its class list beside it (NAME.classes.txt, as resources/samples and the VOC
        // export write it): use it for the first image opened.
        const QFileInfo fi(m_documents[first]->path());
        const QString classesFile = fi.dir().filePath(fi.completeBaseName() + QStringLiteral(".classes.txt"));
        QStringList list;
        QString error;
        if (QFileInfo::exists(classesFile) && ClassPanel::readClassFile(classesFile, &list, &error) && !list.isEmpty()) {
            m_classes->setClasses(list);
            showStatus(tr("Classes from %1").arg(QFileInfo(classesFile).fileName()));
        }
        updateOverlayColors();
        showDocument(first);
        updateRecentMenu();
    } else if (!paths.isEmpty()) {
        showStatus(tr("No new images found"));
    }
    return added;
}

ImageDocument* MainWindow::currentDocument() const
{
    return m_current >= 0 && m_current < m_documents.size() ? m_documents[m_current] : nullptr;
}

void MainWindow::showDocument(int index)
{
    if (index < 0 || index >= m_documents.size())
        return;
    m_current = index;
    auto* doc = m_documents[index];
    if (!doc->ensureLoaded()) {
        showStatus(doc->error(), 0);
        m_run->showMessage(doc->error());
    }
    m_canvas->setDocument(doc);
    m_undoGroup->setActiveStack(doc->undoStack());
    {
        QSignalBlocker block(m_fileList);
        m_fileList->setCurrentRow(index);
    }
    if (!m_controller->isRunning() || m_runDocument != doc) {
        m_gallery->clear();
        if (!doc->lastRun().classNames.isEmpty())
            m_gallery->showResult(doc->lastRun());
        m_chart->setHistory(doc->lastRun().history);
    }
    updateTitle();
    updateActions();
}

void MainWindow::nextImage()
{
    if (m_current + 1 < m_documents.size())
        showDocument(m_current + 1);
}

void MainWindow::previousImage()
{
    if (m_current > 0)
        showDocument(m_current - 1);
}

void MainWindow::updateOverlayColors()
{
    const auto colors = m_classes->colors();
    QVector<QRgb> table(256);
    for (int i = 0; i < 256; ++i)
        table[i] = (i < colors.size() ? colors[i] : defaultClassColor(i)).rgb();
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
    if (auto* doc = currentDocument())
        doc->undoStack()->push(new LabelEditCommand(doc, rect, before, after, text, true));
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

void MainWindow::showStatus(const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); }

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
    m_modelLabel->setText(tr("%1 (%2, %3, %4 px)")
                              .arg(QFileInfo(info.path).fileName(), info.device, info.dtype)
                              .arg(info.nativeSize));
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
    m_runDocument = doc;
    m_gallery->setClasses(m_classes->allNames(), m_classes->colors());
    m_gallery->clear();
    m_chart->clear();
    m_controller->startRun(doc->image(), m_classes->classes(), m_run->options());
    updateActions();
    showStatus(tr("Segmenting %1…").arg(doc->displayName()), 0);
    return true;
}

void MainWindow::stopRun()
{
    m_batchQueue.clear();
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
        doc->ensureLabels();
        const QImage before = doc->labels().copy();
        doc->setLastRun(result);
        doc->undoStack()->push(
            new LabelEditCommand(doc, before.rect(), before, result.labels, tr("Segmentation"), false));
        if (doc == currentDocument()) {
            m_gallery->showResult(result);
            m_chart->setHistory(result.history);
        }
    }
    updateActions();
    m_run->showProgress(result.history.size(), result.history.size(),
                        result.history.isEmpty() ? 0.0 : result.history.last().stepMs, result.totalMs);
    showStatus(tr("Segmented %1 in %2 s").arg(doc ? doc->displayName() : QString()).arg(result.totalMs / 1000.0, 0, 'f', 1));
    Q_EMIT runEnded(true);
    if (!m_batchQueue.isEmpty() || m_batchDialog)
        QTimer::singleShot(0, this, &MainWindow::runNextInBatch);
}

void MainWindow::onRunFailed(quint64, const QString& message)
{
    updateActions();
    m_run->showMessage(message);
    showStatus(tr("Segmentation failed: %1").arg(message), 0);
    Q_EMIT runEnded(false);
    if (!m_batchQueue.isEmpty() || m_batchDialog)
        QTimer::singleShot(0, this, &MainWindow::runNextInBatch); // one bad image does not stop the batch
}

void MainWindow::onRunCancelled(quint64)
{
    updateActions();
    m_run->showMessage(tr("Stopped."));
    showStatus(tr("Run stopped"));
    Q_EMIT runEnded(false);
    endBatch();
}

void MainWindow::segmentAll()
{
    if (m_documents.isEmpty() || m_controller->isRunning())
        return;
    m_batchQueue.clear();
    for (int i = 0; i < m_documents.size(); ++i)
        m_batchQueue << i;
    m_batchTotal = m_batchQueue.size();
    m_batchDialog = new QProgressDialog(tr("Segmenting all images…"), tr("Cancel"), 0, m_batchTotal, this);
    m_batchDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_batchDialog->setWindowModality(Qt::WindowModal);
    m_batchDialog->setMinimumDuration(0);
    connect(m_batchDialog, &QProgressDialog::canceled, this, [this] {
        m_batchQueue.clear();
        m_controller->cancelRun();
        endBatch();
    });
    runNextInBatch();
}

void MainWindow::runNextInBatch()
{
    if (m_batchQueue.isEmpty()) {
        endBatch();
        return;
    }
    const int index = m_batchQueue.takeFirst();
    if (m_batchDialog) {
        m_batchDialog->setValue(m_batchTotal - m_batchQueue.size() - 1);
        m_batchDialog->setLabelText(tr("Segmenting %1 (%2 of %3)…")
                                        .arg(m_documents[index]->displayName())
                                        .arg(m_batchTotal - m_batchQueue.size())
                                        .arg(m_batchTotal));
    }
    showDocument(index);
    if (!runCurrent())
        QTimer::singleShot(0, this, &MainWindow::runNextInBatch);
}

void MainWindow::endBatch()
{
    m_batchQueue.clear();
    if (m_batchDialog) {
        m_batchDialog->setValue(m_batchTotal);
        m_batchDialog->close();
        m_batchDialog = nullptr;
    }
}

// ---- export ---------------------------------------------------------------------------------------------------------

bool MainWindow::exportCurrent(const QString& dir, QString* error)
{
    auto* doc = currentDocument();
    if (!doc || !doc->hasLabels()) {
        if (error)
            *error = tr("The current image has no labels to export.");
        return false;
    }
    const QDir out(dir);
    const QString stem = QFileInfo(doc->path()).completeBaseName();
    try {
        const auto names = toStd(m_classes->allNames());
        const LabelMap labels = toLabelMap(doc->labels());
        writeVocPng(out.filePath(stem + QStringLiteral(".png")).toStdString(), labels, names);
        std::vector<std::array<uint8_t, 3>> palette = vocPalette();
        const auto colors = m_classes->colors();
        for (int i = 0; i < colors.size() && i < 255; ++i)
            palette[static_cast<size_t>(i)] = {static_cast<uint8_t>(colors[i].red()),
                                               static_cast<uint8_t>(colors[i].green()),
                                               static_cast<uint8_t>(colors[i].blue())};
        const Image overlay = colorOverlay(toEngineImage(doc->image()), labels,
                                           static_cast<float>(m_opacity->value() / 100.0), palette);
        saveRgbPng(out.filePath(stem + QStringLiteral("_overlay.png")).toStdString(), overlay);
        const auto labelme = toLabelme(labels, names, out.relativeFilePath(doc->path()).toStdString(),
                                       doc->image().width(), doc->image().height());
        writeJsonAtomic(out.filePath(stem + QStringLiteral(".json")).toStdString(), labelme);
        const auto coco = toCoco({CocoImage{QFileInfo(doc->path()).fileName().toStdString(), &labels}}, names);
        writeJsonAtomic(out.filePath(stem + QStringLiteral(".coco.json")).toStdString(), coco);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    doc->setModified(false);
    showStatus(tr("Exported %1 to %2").arg(stem, dir));
    return true;
}

bool MainWindow::exportAll(const QString& dir, QString* error)
{
    const int keep = m_current;
    std::vector<LabelMap> maps;
    std::vector<std::string> files;
    for (int i = 0; i < m_documents.size(); ++i) {
        if (!m_documents[i]->hasLabels())
            continue;
        m_current = i;
        if (!exportCurrent(dir, error)) {
            m_current = keep;
            return false;
        }
        maps.push_back(toLabelMap(m_documents[i]->labels()));
        files.push_back(QFileInfo(m_documents[i]->path()).fileName().toStdString());
    }
    m_current = keep;
    if (maps.empty()) {
        if (error)
            *error = tr("No image has labels to export.");
        return false;
    }
    try {
        std::vector<CocoImage> images;
        for (size_t i = 0; i < maps.size(); ++i)
            images.push_back(CocoImage{files[i], &maps[i]});
        writeJsonAtomic(QDir(dir).filePath(QStringLiteral("annotations.coco.json")).toStdString(),
                        toCoco(images, toStd(m_classes->allNames())));
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

void MainWindow::exportDialog()
{
    if (!currentDocument() || !currentDocument()->hasLabels()) {
        showStatus(tr("The current image has no labels to export."));
        return;
    }
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export into folder"), m_settings.lastDirectory);
    if (dir.isEmpty())
        return;
    QString error;
    if (!exportCurrent(dir, &error))
        QMessageBox::warning(this, tr("Export"), error);
}

void MainWindow::openFilesDialog()
{
    const QString filter = tr("Images (%1);;All files (*)")
                               .arg(QStringLiteral("*.") + imageSuffixes().join(QStringLiteral(" *.")));
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Open images"), m_settings.lastDirectory, filter);
    if (!files.isEmpty())
        openPaths(files);
}

void MainWindow::openFolderDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a folder of images"), m_settings.lastDirectory);
    if (!dir.isEmpty())
        openPaths({dir});
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
