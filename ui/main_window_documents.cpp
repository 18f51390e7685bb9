// The window's images: opening, showing, saving and resuming labels (through LabelStore), export, Segment All.
#include "main_window.h"

#include "controllers/batch_runner.h"
#include "controllers/image_document.h"
#include "controllers/label_store.h"
#include "controllers/segmentation_controller.h"
#include "image_conversions.h"
#include "plots/loss_chart.h"
#include "widgets/class_panel.h"
#include "widgets/image_canvas.h"
#include "widgets/map_gallery.h"
#include "widgets/run_panel.h"

#include "invseg/exports.h"
#include "invseg/image_outputs.h"
#include "invseg/label_files.h"

#include <QDir>
#include <QDirIterator>
#include <QFileDialog>
#include <QFileInfo>
#include <QListWidget>
#include <QMessageBox>
#include <QSlider>
#include <QUndoGroup>

#include <cstring>

namespace invseg::ui {
namespace {

const QStringList& imageSuffixes()
{
    static const QStringList s{QStringLiteral("png"),  QStringLiteral("jpg"), QStringLiteral("jpeg"),
                               QStringLiteral("bmp"),  QStringLiteral("tif"), QStringLiteral("tiff"),
                               QStringLiteral("webp"), QStringLiteral("ppm"), QStringLiteral("pgm")};
    return s;
}

/// An image to label: a known suffix, and not one of our outputs (NAME.label.png, overlays, heat maps) nor ground
/// truth (*.gt.png).
bool isImageFile(const QString& path)
{
    const QFileInfo fi(path);
    return fi.isFile() && imageSuffixes().contains(fi.suffix().toLower()) &&
           !invseg::isDerivedFileName(fi.fileName().toStdString());
}

QString stateText(LabelState state)
{
    switch (state) {
    case LabelState::Unlabelled: return MainWindow::tr("unlabelled");
    case LabelState::Segmented: return MainWindow::tr("segmented");
    case LabelState::Edited: return MainWindow::tr("edited");
    case LabelState::Saved: return MainWindow::tr("saved");
    }
    return {};
}

} // namespace

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
        connect(doc, &ImageDocument::stateChanged, this, [this, doc] { updateFileItem(doc); });
        updateFileItem(doc);
        m_settings.addRecentFile(f);
    }
    const int added = m_documents.size() - first;
    if (added > 0) {
        // The folder's class list (classes.txt), else a sample's own (NAME.classes.txt, as resources/samples has):
        // adopted by name, so labels already painted keep their classes.
        const QFileInfo fi(m_documents[first]->path());
        const QString folderList = QString::fromStdString(invseg::folderClassesPath(fi.absolutePath().toStdString()));
        if (!adoptClassList(folderList))
            adoptClassList(fi.dir().filePath(fi.completeBaseName() + QStringLiteral(".classes.txt")));
        updateOverlayColors();
        showDocument(first);
        updateRecentMenu();
    } else if (!paths.isEmpty()) {
        showStatus(tr("No new images found"));
    }
    return added;
}

bool MainWindow::adoptClassList(const QString& file)
{
    QStringList list;
    QString error;
    if (!QFileInfo::exists(file) || !ClassPanel::readClassFile(file, &list, &error) || list.isEmpty())
        return false;
    if (list != m_classes->classes()) {
        m_classes->setClasses(list);
        showStatus(tr("Classes from %1").arg(QFileInfo(file).fileName()));
    }
    return true;
}

ImageDocument* MainWindow::currentDocument() const
{
    return m_current >= 0 && m_current < m_documents.size() ? m_documents[m_current] : nullptr;
}

bool MainWindow::showDocument(int index)
{
    return switchTo(index, true);
}

bool MainWindow::switchTo(int index, bool checkUnsaved)
{
    if (index < 0 || index >= m_documents.size())
        return false;
    if (checkUnsaved && index != m_current && !confirmLeave(currentDocument())) {
        QSignalBlocker block(m_fileList);
        m_fileList->setCurrentRow(m_current);
        return false;
    }
    m_current = index;
    auto* doc = m_documents[index];
    if (!doc->ensureLoaded()) {
        showStatus(doc->error(), 0);
        m_run->showMessage(doc->error());
    } else if (!doc->savedLabelsChecked()) {
        loadSavedLabels(doc);
    }
    m_canvas->cancelPolygon();
    m_canvas->setDocument(doc);
    m_undoGroup->setActiveStack(doc->undoStack());
    {
        QSignalBlocker block(m_fileList);
        m_fileList->setCurrentRow(index);
    }
    if (!m_controller->isRunning() || m_runDocument != doc) {
        m_gallery->clear();
        const RunResult& run = doc->lastRun();
        if (!run.classNames.isEmpty())
            m_gallery->showResult(run);
        m_chart->setHistory(run.history);
        // The bar shows this image's run, not the previous image's.
        if (run.history.isEmpty())
            m_run->resetProgress();
        else
            m_run->showProgress(run.history.size(), run.history.size(), run.history.last().stepMs, run.totalMs);
    }
    updateTitle();
    updateActions();
    return true;
}

void MainWindow::loadSavedLabels(ImageDocument* doc)
{
    doc->setSavedLabelsChecked();
    StoredLabels stored;
    QString error;
    if (!LabelStore::load(doc->path(), &stored, &error)) {
        if (!error.isEmpty())
            showStatus(tr("Could not read the saved labels of %1: %2").arg(doc->displayName(), error), 0);
        return;
    }
    if (stored.labels.size() != doc->image().size()) {
        showStatus(tr("%1 does not have the size of %2: not used").arg(stored.source, doc->displayName()), 0);
        return;
    }
    // Saved indices follow the image's own class list; the panel's may differ: match by name.
    QStringList names = stored.names.isEmpty() ? m_classes->allNames() : stored.names;
    if (!stored.names.isEmpty())
        doc->setSavedClasses(names.mid(1));
    m_classes->appendClasses(names.mid(1));
    QImage labels = stored.labels;
    QVector<int> lut = LabelStore::lutByName(names, m_classes->allNames());
    for (int i = int(names.size()); i < 255; ++i)
        lut[i] = i; // an index without a name keeps its value
    LabelStore::applyLut(labels, lut);
    doc->setLabels(labels);
    doc->setHandEdited(stored.edited);
    doc->setSaved();
    showStatus(tr("Labels read from %1").arg(QFileInfo(stored.source).fileName()));
}

void MainWindow::updateFileItem(ImageDocument* doc)
{
    const int row = int(m_documents.indexOf(doc));
    auto* item = m_fileList->item(row);
    if (!item)
        return;
    const LabelState state = doc->state();
    const QString marks[] = {QString(), QStringLiteral("◐ "), QStringLiteral("✎ "), QStringLiteral("✓ ")};
    item->setText(marks[int(state)] + doc->displayName());
    item->setData(Qt::UserRole, int(state));
    item->setToolTip(tr("%1 — %2").arg(doc->path(), stateText(state)));
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

bool MainWindow::classInUse(int label) const
{
    for (auto* d : m_documents) {
        if (!d->hasLabels())
            continue;
        const QImage& labels = d->labels();
        for (int y = 0; y < labels.height(); ++y)
            if (std::memchr(labels.constScanLine(y), label, size_t(labels.width())))
                return true;
    }
    return false;
}

// ---- saving -------------------------------------------------------------------------------------------------------

void MainWindow::setAutoSave(bool on)
{
    m_settings.autoSave = on;
    if (auto* a = action(QStringLiteral("actionAutoSave")); a && a->isChecked() != on)
        a->setChecked(on);
}

bool MainWindow::confirmLeave(ImageDocument* doc)
{
    if (!doc || !doc->hasLabels() || !doc->isModified())
        return true;
    QString error;
    if (m_settings.autoSave) {
        if (saveDocument(doc, &error))
            return true;
        QMessageBox::warning(this, tr("Save labels"),
                             tr("The labels of %1 could not be saved: %2\nThey are kept; nothing was lost.")
                                 .arg(doc->displayName(), error));
        return false;
    }
    QMessageBox box(QMessageBox::Question, tr("Unsaved labels"),
                    tr("The labels of %1 have changes that are not saved.").arg(doc->displayName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedLabelsDialog"));
    box.setDefaultButton(QMessageBox::Save);
    const int answer = box.exec();
    if (answer == QMessageBox::Discard)
        return true;
    if (answer != QMessageBox::Save)
        return false;
    if (saveDocument(doc, &error))
        return true;
    QMessageBox::warning(this, tr("Save labels"),
                         tr("The labels of %1 could not be saved: %2").arg(doc->displayName(), error));
    return false;
}

bool MainWindow::saveCurrent(QString* error)
{
    return saveDocument(currentDocument(), error);
}

bool MainWindow::saveDocument(ImageDocument* doc, QString* error)
{
    QString message;
    if (!doc || !doc->hasLabels()) {
        if (error)
            *error = tr("The current image has no labels to save.");
        return false;
    }
    LabelSaveRequest r;
    r.imagePath = doc->path();
    r.image = doc->image();
    r.labels = doc->labels();
    r.names = m_classes->allNames();
    r.edited = doc->isHandEdited();
    r.runReport = doc->lastRun().reportJson;
    QStringList notes;
    if (!LabelStore::save(r, &notes, &message)) {
        showStatus(tr("Could not save the labels of %1: %2").arg(doc->displayName(), message), 0);
        if (error)
            *error = message;
        return false;
    }
    doc->setSaved();
    doc->setSavedClasses(m_classes->classes());
    const QString png =
        QFileInfo(QString::fromStdString(invseg::labelFilesFor(doc->path().toStdString()).labelPng)).fileName();
    showStatus(notes.isEmpty() ? tr("Saved %1").arg(png)
                               : tr("Saved %1 (%2)").arg(png, notes.join(QStringLiteral("; "))));
    return true;
}

// ---- export -------------------------------------------------------------------------------------------------------

bool MainWindow::exportDocument(ImageDocument* doc, const QString& dir, QString* error, LabelSaveResult* result)
{
    if (!doc || !doc->hasLabels()) {
        if (error)
            *error = tr("The current image has no labels to export.");
        return false;
    }
    LabelSaveRequest r;
    r.imagePath = doc->path();
    r.outDir = dir;
    r.image = doc->image();
    r.labels = doc->labels();
    r.names = m_classes->allNames();
    r.edited = doc->isHandEdited();
    r.runReport = doc->lastRun().reportJson;
    r.withOverlay = true;
    r.colors = m_classes->colors();
    r.overlayOpacity = m_opacity->value() / 100.0;
    QStringList notes;
    QString message;
    if (!LabelStore::save(r, &notes, &message, result)) {
        if (error)
            *error = message;
        return false;
    }
    if (QFileInfo(dir).canonicalFilePath() == QFileInfo(doc->path()).canonicalPath())
        doc->setSaved(); // exported beside the image: that is its saved state
    showStatus(tr("Exported %1 to %2").arg(doc->displayName(), dir));
    return true;
}

bool MainWindow::writeCoco(const QString& dir, const QStringList& files, const QVector<LabelSaveResult>& results,
                           QString* error)
{
    try {
        std::vector<LabelMap> maps;
        std::vector<std::string> names;
        for (int i = 0; i < results.size(); ++i) {
            maps.push_back(results[i].labels);
            names.push_back(files[i].toStdString());
        }
        // Every result is numbered alike: the same class panel, the same folder's classes.txt.
        const std::string path = QDir(dir).filePath(QString::fromStdString(invseg::cocoFileName())).toStdString();
        invseg::checkReplaceable(path);
        writeCocoFile(path, names, maps, results.front().classNames);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

bool MainWindow::exportCurrent(const QString& dir, QString* error)
{
    auto* doc = currentDocument();
    LabelSaveResult result;
    return exportDocument(doc, dir, error, &result) &&
           writeCoco(dir, {QFileInfo(doc->path()).fileName()}, {result}, error);
}

bool MainWindow::exportAll(const QString& dir, QString* error)
{
    QVector<LabelSaveResult> results;
    QStringList files;
    for (auto* doc : m_documents) {
        if (!doc->hasLabels())
            continue;
        LabelSaveResult result;
        if (!exportDocument(doc, dir, error, &result))
            return false;
        results << result;
        files << QFileInfo(doc->path()).fileName();
    }
    if (results.isEmpty()) {
        if (error)
            *error = tr("No image has labels to export.");
        return false;
    }
    return writeCoco(dir, files, results, error);
}

void MainWindow::exportDialog()
{
    auto* doc = currentDocument();
    if (!doc || !doc->hasLabels()) {
        showStatus(tr("The current image has no labels to export."));
        return;
    }
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export into folder"),
                                                          QFileInfo(doc->path()).absolutePath());
    if (dir.isEmpty())
        return;
    QString error;
    if (!exportCurrent(dir, &error))
        QMessageBox::warning(this, tr("Export"), error);
}

void MainWindow::openFilesDialog()
{
    const QString filter =
        tr("Images (%1);;All files (*)").arg(QStringLiteral("*.") + imageSuffixes().join(QStringLiteral(" *.")));
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Open images"), m_settings.lastDirectory, filter);
    if (!files.isEmpty())
        openPaths(files);
}

void MainWindow::openFolderDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a folder of images"),
                                                          m_settings.lastDirectory);
    if (!dir.isEmpty())
        openPaths({dir});
}

// ---- Segment All --------------------------------------------------------------------------------------------------

void MainWindow::segmentAll()
{
    if (m_documents.isEmpty() || m_controller->isRunning())
        return;
    QVector<int> queue;
    int kept = 0;
    for (int i = 0; i < m_documents.size(); ++i) {
        auto* doc = m_documents[i];
        if (doc->ensureLoaded() && !doc->savedLabelsChecked())
            loadSavedLabels(doc);
        if (doc->hasLabels() && doc->isHandEdited()) {
            ++kept; // the user's work is never replaced by a batch
            continue;
        }
        queue << i;
    }
    if (kept > 0)
        showStatus(tr("Segment All keeps %1 hand-edited image(s) as they are").arg(kept), 0);
    if (queue.isEmpty())
        return;
    m_batch->start(queue, [this](int i) { return m_documents.value(i) ? m_documents[i]->displayName() : QString(); });
}

void MainWindow::runBatchItem(int index)
{
    switchTo(index, false); // the batch saves each result itself (auto-save) or leaves it unsaved in memory
    auto* doc = currentDocument();
    // Each image's own saved class list when it has one, else the project's.
    const QStringList classes = doc && !doc->savedClasses().isEmpty() ? doc->savedClasses() : m_classes->classes();
    const bool ok = doc && doc->ensureLoaded() && m_controller->hasModel() && !m_controller->isLoading() &&
                    !m_controller->isRunning() && !classes.isEmpty() && startRunOf(doc, classes);
    if (!ok)
        m_batch->runEnded();
}

} // namespace invseg::ui
