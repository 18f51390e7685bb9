// The window's menus, tool bar and shortcuts (one function per menu); the actions only call the window's methods.
#include "main_window.h"

#include "controllers/image_document.h"
#include "controllers/label_edit_command.h"
#include "dialogs/shortcuts_dialog.h"
#include "icons.h"
#include "widgets/image_canvas.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSlider>
#include <QSpinBox>
#include <QToolBar>
#include <QUndoGroup>

namespace invseg::ui {
namespace {

template <typename Slot>
QAction* makeAction(MainWindow* w, const QString& text, const QString& name, const QKeySequence& key, Slot slot)
{
    auto* a = new QAction(text, w);
    a->setObjectName(name);
    if (!key.isEmpty())
        a->setShortcut(key);
    QObject::connect(a, &QAction::triggered, w, slot);
    return a;
}

} // namespace

void MainWindow::createActions()
{
    createFileMenu();
    createEditMenu();
    createViewMenu();
    createRunMenu();
    createSettingsMenu();
    createHelpMenu();
    createToolBar();
}

void MainWindow::createFileMenu()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(makeAction(this, tr("&Open Images…"), QStringLiteral("actionOpen"), QKeySequence(tr("Ctrl+O")),
                               [this] { openFilesDialog(); }));
    file->addAction(makeAction(this, tr("Open &Folder…"), QStringLiteral("actionOpenFolder"),
                               QKeySequence(tr("Ctrl+U")), [this] { openFolderDialog(); }));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(makeAction(this, tr("Choose Model &Folder…"), QStringLiteral("actionModelFolder"), QKeySequence(),
                               [this] { chooseModel(true); }));
    file->addAction(makeAction(this, tr("Choose Model F&ile…"), QStringLiteral("actionModelFile"), QKeySequence(),
                               [this] { chooseModel(false); }));
    file->addSeparator();
    file->addAction(
        makeAction(this, tr("&Save Labels"), QStringLiteral("actionSave"), QKeySequence(tr("Ctrl+S")), [this] {
            QString error;
            if (currentDocument() && !saveCurrent(&error))
                QMessageBox::warning(this, tr("Save labels"), error);
        }));
    file->addAction(makeAction(this, tr("&Export…"), QStringLiteral("actionExport"), QKeySequence(tr("Ctrl+E")),
                               [this] { exportDialog(); }));
    file->addAction(
        makeAction(this, tr("Export &All Labelled Images…"), QStringLiteral("actionExportAll"), QKeySequence(), [this] {
            const QString dir = QFileDialog::getExistingDirectory(this, tr("Export all into"),
                                                                  m_settings.lastDirectory);
            QString error;
            if (!dir.isEmpty() && !exportAll(dir, &error))
                QMessageBox::warning(this, tr("Export"), error);
        }));
    file->addSeparator();
    file->addAction(
        makeAction(this, tr("&Quit"), QStringLiteral("actionQuit"), QKeySequence(tr("Ctrl+Q")), [this] { close(); }));
}

void MainWindow::createEditMenu()
{
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
    const struct {
        QString text, name, key;
        ImageCanvas::Tool tool;
    } kTools[] = {{tr("&View / Pan"), QStringLiteral("actionView"), tr("V"), ImageCanvas::Tool::View},
                  {tr("&Brush"), QStringLiteral("actionBrush"), tr("B"), ImageCanvas::Tool::Brush},
                  {tr("&Eraser"), QStringLiteral("actionEraser"), tr("E"), ImageCanvas::Tool::Eraser},
                  {tr("&Fill"), QStringLiteral("actionFill"), tr("F"), ImageCanvas::Tool::Fill},
                  {tr("&Polygon"), QStringLiteral("actionPolygon"), tr("P"), ImageCanvas::Tool::Polygon}};
    int i = 0;
    for (const auto& t : kTools) {
        auto* a = new QAction(t.text, this);
        a->setObjectName(t.name);
        a->setShortcut(QKeySequence(t.key));
        a->setCheckable(true);
        a->setIcon(appIcon(t.name.mid(6).toLower()));
        a->setData(static_cast<int>(t.tool));
        tools->addAction(a);
        edit->addAction(a);
        const auto tool = t.tool;
        connect(a, &QAction::triggered, this, [this, tool] { m_canvas->setTool(tool); });
        m_tools[i++] = a;
    }
    m_tools[0]->setChecked(true);
    m_tools[4]->setToolTip(tr("Polygon: click the corners, Enter or double-click fills with the class, Esc cancels"));
    edit->addSeparator();
    edit->addAction(
        makeAction(this, tr("S&maller Brush"), QStringLiteral("actionBrushSmaller"), QKeySequence(tr("[")),
                   [this] { m_brushSize->setValue(m_brushSize->value() - std::max(1, m_brushSize->value() / 8)); }));
    edit->addAction(
        makeAction(this, tr("&Larger Brush"), QStringLiteral("actionBrushLarger"), QKeySequence(tr("]")),
                   [this] { m_brushSize->setValue(m_brushSize->value() + std::max(1, m_brushSize->value() / 8)); }));
    edit->addSeparator();
    edit->addAction(makeAction(this, tr("Clear Labels"), QStringLiteral("actionClearLabels"), QKeySequence(), [this] {
        auto* doc = currentDocument();
        if (!doc || !doc->hasLabels())
            return;
        const QImage before = doc->labels().copy();
        QImage after = before;
        after.fill(0);
        doc->undoStack()->push(new LabelEditCommand(doc, before.rect(), before, after, tr("Clear labels"), false));
        doc->setHandEdited(true);
    }));
}

void MainWindow::createViewMenu()
{
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    auto* zoomIn = makeAction(this, tr("Zoom &In"), QStringLiteral("actionZoomIn"), QKeySequence(tr("Ctrl+=")),
                              [this] { m_canvas->zoomIn(); });
    zoomIn->setShortcuts({QKeySequence(tr("Ctrl+=")), QKeySequence(QKeySequence::ZoomIn)});
    m_viewMenu->addAction(zoomIn);
    m_viewMenu->addAction(makeAction(this, tr("Zoom &Out"), QStringLiteral("actionZoomOut"), QKeySequence(tr("Ctrl+-")),
                                     [this] { m_canvas->zoomOut(); }));
    m_viewMenu->addAction(makeAction(this, tr("&Fit to Window"), QStringLiteral("actionFit"),
                                     QKeySequence(tr("Ctrl+F")), [this] { m_canvas->fitToWindow(); }));
    m_viewMenu->addAction(makeAction(this, tr("&Actual Size"), QStringLiteral("actionActualSize"),
                                     QKeySequence(tr("Ctrl+0")), [this] { m_canvas->actualSize(); }));
    auto* mask = new QAction(tr("Show &Mask"), this);
    mask->setObjectName(QStringLiteral("actionShowMask"));
    mask->setCheckable(true);
    mask->setChecked(true);
    mask->setShortcut(QKeySequence(tr("Ctrl+M")));
    connect(mask, &QAction::toggled, m_canvas, &ImageCanvas::setMaskVisible);
    m_viewMenu->addAction(mask);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(makeAction(this, tr("&Next Image"), QStringLiteral("actionNext"), QKeySequence(tr("D")),
                                     [this] { nextImage(); }));
    m_viewMenu->addAction(makeAction(this, tr("&Previous Image"), QStringLiteral("actionPrevious"),
                                     QKeySequence(tr("A")), [this] { previousImage(); }));
    m_viewMenu->addSeparator();
    for (auto* d : findChildren<QDockWidget*>())
        m_viewMenu->addAction(d->toggleViewAction());
}

void MainWindow::createRunMenu()
{
    auto* run = menuBar()->addMenu(tr("&Run"));
    auto* runAct = makeAction(this, tr("&Segment Image"), QStringLiteral("actionRun"), QKeySequence(tr("F5")),
                              [this] { runCurrent(); });
    runAct->setIcon(appIcon(QStringLiteral("run")));
    auto* stopAct = makeAction(this, tr("S&top"), QStringLiteral("actionStop"), QKeySequence(tr("Esc")),
                               [this] { stopRun(); });
    stopAct->setIcon(appIcon(QStringLiteral("stop")));
    run->addAction(runAct);
    run->addAction(stopAct);
    run->addAction(makeAction(this, tr("Segment &All Images"), QStringLiteral("actionSegmentAll"),
                              QKeySequence(tr("Ctrl+Shift+R")), [this] { segmentAll(); }));
    run->addSeparator();
    run->addAction(makeAction(this, tr("Attention &Inspector…"), QStringLiteral("actionInspector"), QKeySequence(),
                              [this] { showAttentionInspector(); }));
}

void MainWindow::createSettingsMenu()
{
    auto* settings = menuBar()->addMenu(tr("&Settings"));
    auto* autoSave = new QAction(tr("Save Labels &Automatically"), this);
    autoSave->setObjectName(QStringLiteral("actionAutoSave"));
    autoSave->setCheckable(true);
    autoSave->setChecked(m_settings.autoSave);
    autoSave->setToolTip(tr("Save an image's labels when moving to another image or quitting (else ask)"));
    connect(autoSave, &QAction::toggled, this, &MainWindow::setAutoSave);
    settings->addAction(autoSave);
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
}

void MainWindow::createHelpMenu()
{
    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(makeAction(this, tr("&Keyboard Shortcuts…"), QStringLiteral("actionShortcuts"),
                               QKeySequence(tr("F1")), [this] { showShortcuts(); }));
    help->addAction(makeAction(this, tr("&About InvSeg Studio"), QStringLiteral("actionAbout"), QKeySequence(),
                               [this] { showAbout(); }));
}

void MainWindow::createToolBar()
{
    auto* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    action(QStringLiteral("actionOpen"))->setIcon(appIcon(QStringLiteral("open")));
    bar->addAction(action(QStringLiteral("actionOpen")));
    bar->addAction(action(QStringLiteral("actionRun")));
    bar->addAction(action(QStringLiteral("actionStop")));
    bar->addSeparator();
    for (auto* a : m_tools)
        bar->addAction(a);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr("Brush:"), this));
    m_brushSize = new QSpinBox(this);
    m_brushSize->setObjectName(QStringLiteral("brushSize"));
    m_brushSize->setRange(1, 512);
    m_brushSize->setValue(m_canvas->brushSize());
    m_brushSize->setToolTip(tr("Brush size in image pixels ([ and ], or the mouse wheel while painting)"));
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

void MainWindow::showShortcuts()
{
    QList<QAction*> actions;
    for (auto* menu : menuBar()->findChildren<QMenu*>())
        for (auto* a : menu->actions())
            if (!a->shortcut().isEmpty() && !actions.contains(a))
                actions << a;
    ShortcutsDialog dialog(actions, this);
    dialog.exec();
}

} // namespace invseg::ui
