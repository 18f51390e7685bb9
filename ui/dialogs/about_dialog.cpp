// About dialog.
#include "dialogs/about_dialog.h"

#include "workers/segmentation_worker.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

namespace invseg::ui {

AboutDialog::AboutDialog(const QString& modelText, const QString& deviceText, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("About InvSeg Studio"));
    m_text = tr("<h3>InvSeg Studio %1</h3>"
                "<p>Semantic segmentation by test-time prompt inversion on Stable Diffusion.</p>"
                "<p>%2<br>Qt %3<br>Devices: %4</p>"
                "<p>Model: %5<br>Running on: %6</p>")
                 .arg(QStringLiteral(INVSEG_VERSION), SegmentationWorker::libtorchVersion(),
                      QString::fromLatin1(qVersion()),
                      SegmentationWorker::availableDevices().join(QStringLiteral(", ")), modelText.toHtmlEscaped(),
                      deviceText.toHtmlEscaped());
    auto* layout = new QVBoxLayout(this);
    auto* label = new QLabel(m_text, this);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(label);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace invseg::ui
