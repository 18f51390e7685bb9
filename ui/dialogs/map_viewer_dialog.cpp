// Enlarged map window.
#include "dialogs/map_viewer_dialog.h"

#include <QPainter>

namespace invseg::ui {

MapViewerDialog::MapViewerDialog(const QImage& image, const QString& title, QWidget* parent)
    : QDialog(parent), m_image(image)
{
    setWindowTitle(title);
    resize(512, 512);
}

void MapViewerDialog::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Dark));
    if (m_image.isNull())
        return;
    const QSize s = m_image.size().scaled(size(), Qt::KeepAspectRatio);
    p.drawImage(QRect(QPoint((width() - s.width()) / 2, (height() - s.height()) / 2), s), m_image);
}

} // namespace invseg::ui
