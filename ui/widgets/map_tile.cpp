// Map thumbnail: nearest-neighbour scaling keeps the latent's pixels visible.
#include "widgets/map_tile.h"

#include <QMouseEvent>
#include <QPainter>

namespace invseg::ui {

MapTile::MapTile(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(72, 88);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Click to enlarge"));
}

void MapTile::setImage(const QImage& image)
{
    m_image = image;
    update();
}

void MapTile::setCaption(const QString& caption)
{
    m_caption = caption;
    update();
}

void MapTile::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const int captionH = fontMetrics().height() + 2;
    const QRect area(0, 0, width(), height() - captionH);
    p.fillRect(area, palette().color(QPalette::Dark));
    if (!m_image.isNull()) {
        const QSize s = m_image.size().scaled(area.size(), Qt::KeepAspectRatio);
        const QRect target(area.center().x() - s.width() / 2 + 1, area.center().y() - s.height() / 2 + 1, s.width(),
                           s.height());
        p.drawImage(target, m_image);
    }
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, height() - captionH, width(), captionH), Qt::AlignCenter,
               fontMetrics().elidedText(m_caption, Qt::ElideRight, width()));
}

void MapTile::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()))
        Q_EMIT clicked();
}

} // namespace invseg::ui
