// Segment All's queue and progress dialog.
#include "controllers/batch_runner.h"

#include <QProgressDialog>
#include <QTimer>

namespace invseg::ui {

BatchRunner::BatchRunner(QWidget* dialogParent) : QObject(dialogParent), m_parent(dialogParent) {}

void BatchRunner::start(const QVector<int>& indices, std::function<QString(int)> nameOf)
{
    m_queue = indices;
    m_total = int(indices.size());
    m_nameOf = std::move(nameOf);
    m_dialog = new QProgressDialog(tr("Segmenting all images…"), tr("Cancel"), 0, m_total, m_parent);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog->setWindowModality(Qt::WindowModal);
    m_dialog->setMinimumDuration(0);
    connect(m_dialog, &QProgressDialog::canceled, this, [this] {
        m_queue.clear();
        Q_EMIT cancelRequested();
        end();
    });
    next();
}

void BatchRunner::runEnded()
{
    if (isActive())
        QTimer::singleShot(0, this, &BatchRunner::next);
}

void BatchRunner::next()
{
    if (m_queue.isEmpty()) {
        end();
        return;
    }
    const int index = m_queue.takeFirst();
    const int done = m_total - int(m_queue.size());
    if (m_dialog) {
        m_dialog->setValue(done - 1);
        m_dialog->setLabelText(tr("Segmenting %1 (%2 of %3)…").arg(m_nameOf(index)).arg(done).arg(m_total));
    }
    Q_EMIT runRequested(index);
}

void BatchRunner::end()
{
    m_queue.clear();
    if (m_dialog) {
        m_dialog->setValue(m_total);
        m_dialog->close();
        m_dialog = nullptr;
    }
}

} // namespace invseg::ui
