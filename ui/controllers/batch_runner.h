// "Segment All": a queue of images run one after another behind a modal progress dialog with Cancel.
#pragma once

#include <QObject>
#include <QPointer>
#include <QVector>

#include <functional>

class QProgressDialog;
class QWidget;

namespace invseg::ui {

/// Lives on the GUI thread. The window decides which images go in (start) and does each run when asked
/// (runRequested); it reports every run's end with runEnded(), which moves on to the next image on the next turn
/// of the event loop. Cancel (the dialog's button or cancel()) empties the queue and asks for the running job to be
/// cancelled (cancelRequested).
class BatchRunner : public QObject {
    Q_OBJECT
public:
    explicit BatchRunner(QWidget* dialogParent);

    /// Starts a batch over the given document indices; nameOf gives the label text of each.
    void start(const QVector<int>& indices, std::function<QString(int)> nameOf);
    bool isActive() const { return !m_dialog.isNull() || !m_queue.isEmpty(); }
    /// The run of the current image ended (finished, failed or could not start): go on with the next.
    void runEnded();
    /// Empties the queue (the running job, if any, finishes or is cancelled by its owner).
    void stop() { m_queue.clear(); }
    /// Empties the queue and closes the dialog.
    void end();

Q_SIGNALS:
    void runRequested(int index);
    void cancelRequested();

private:
    void next();

    QWidget* m_parent;
    QVector<int> m_queue;
    int m_total = 0;
    QPointer<QProgressDialog> m_dialog;
    std::function<QString(int)> m_nameOf;
};

} // namespace invseg::ui
