// Image document: lazy loading through the engine and label-map bookkeeping.
#include "controllers/image_document.h"

#include "image_conversions.h"

#include "invseg/image.h"

#include <QFileInfo>

namespace invseg::ui {

ImageDocument::ImageDocument(const QString& path, QObject* parent) : QObject(parent), m_path(path)
{
    m_undo.setUndoLimit(100);
}

QString ImageDocument::displayName() const
{
    return QFileInfo(m_path).fileName();
}

bool ImageDocument::ensureLoaded()
{
    if (!m_image.isNull())
        return true;
    try {
        m_image = toQImage(loadImage(m_path.toStdString()));
        m_error.clear();
    } catch (const std::exception& e) {
        // The engine's message names the file and what is wrong with it.
        m_error = QString::fromStdString(e.what());
        return false;
    }
    return !m_image.isNull();
}

void ImageDocument::setLabels(const QImage& labels)
{
    m_labels = labels;
    if (!m_labels.isNull() && !m_colors.isEmpty())
        m_labels.setColorTable(m_colors);
    Q_EMIT labelsChanged();
}

void ImageDocument::ensureLabels()
{
    if (!m_labels.isNull() || m_image.isNull())
        return;
    setLabels(blankLabelImage(m_image.size()));
}

void ImageDocument::setModified(bool modified)
{
    m_modified = modified;
    Q_EMIT stateChanged();
}

void ImageDocument::setHandEdited(bool edited)
{
    m_handEdited = edited;
    Q_EMIT stateChanged();
}

void ImageDocument::setSaved()
{
    m_modified = false;
    m_onDisk = true;
    Q_EMIT stateChanged();
}

LabelState ImageDocument::state() const
{
    if (m_labels.isNull())
        return LabelState::Unlabelled;
    if (!m_modified && m_onDisk)
        return LabelState::Saved;
    return m_handEdited ? LabelState::Edited : LabelState::Segmented;
}

void ImageDocument::setOverlayColors(const QVector<QRgb>& table)
{
    m_colors = table;
    if (!m_labels.isNull())
        m_labels.setColorTable(m_colors);
    Q_EMIT labelsChanged();
}

} // namespace invseg::ui
