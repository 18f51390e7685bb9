// An undoable change of a document's label map: one brush/eraser stroke or one fill.
#pragma once

#include <QImage>
#include <QPointer>
#include <QRect>
#include <QUndoCommand>

namespace invseg::ui {

class ImageDocument;

/// Stores only the changed rectangle, before and after. The first redo() (on push) is a no-op when the change has
/// already been drawn into the document (alreadyApplied).
class LabelEditCommand : public QUndoCommand {
public:
    LabelEditCommand(ImageDocument* document, const QRect& rect, const QImage& before, const QImage& after,
                     const QString& text, bool alreadyApplied = true);
    void undo() override;
    void redo() override;

private:
    void apply(const QImage& patch);

    QPointer<ImageDocument> m_document;
    QRect m_rect;
    QImage m_before, m_after;
    bool m_skipRedo;
};

} // namespace invseg::ui
