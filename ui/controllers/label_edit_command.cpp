// Label edits as rectangles of bytes swapped in and out of the document's map.
#include "controllers/label_edit_command.h"

#include "controllers/image_document.h"

#include <cstring>

namespace invseg::ui {

LabelEditCommand::LabelEditCommand(ImageDocument* document, const QRect& rect, const QImage& before,
                                   const QImage& after, const QString& text, bool alreadyApplied)
    : m_document(document), m_rect(rect), m_before(before), m_after(after), m_skipRedo(alreadyApplied)
{
    setText(text);
}

void LabelEditCommand::undo()
{
    apply(m_before);
}

void LabelEditCommand::redo()
{
    if (m_skipRedo) {
        m_skipRedo = false;
        return;
    }
    apply(m_after);
}

void LabelEditCommand::apply(const QImage& patch)
{
    if (!m_document || !m_document->hasLabels())
        return;
    QImage& labels = m_document->mutableLabels();
    const QRect r = m_rect.intersected(labels.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        std::memcpy(labels.scanLine(y) + r.left(), patch.constScanLine(y - m_rect.top()) + (r.left() - m_rect.left()),
                    static_cast<size_t>(r.width()));
    m_document->setModified(true);
    m_document->notifyLabelsChanged();
}

} // namespace invseg::ui
