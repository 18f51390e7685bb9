// Icons: Debian's Qt has no SVG plugin unless qt6-svg-plugins is installed, so paint a fallback.
#include "icons.h"

#include <QFile>
#include <QImageReader>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace invseg::ui {
namespace {

QPixmap painted(const QString& name, int size)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 24.0, size / 24.0);
    p.setPen(Qt::NoPen);
    if (name == QLatin1String("run")) {
        p.setBrush(QColor(46, 139, 87));
        p.drawPolygon(QPolygonF({QPointF(7, 4), QPointF(20, 12), QPointF(7, 20)}));
    } else if (name == QLatin1String("stop")) {
        p.setBrush(QColor(192, 57, 43));
        p.drawRect(QRectF(6, 6, 12, 12));
    } else if (name == QLatin1String("view")) {
        p.setPen(QPen(QColor(52, 73, 94), 2));
        p.drawLine(QPointF(12, 3), QPointF(12, 21));
        p.drawLine(QPointF(3, 12), QPointF(21, 12));
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(52, 73, 94));
        p.drawPolygon(QPolygonF({QPointF(12, 1), QPointF(15.5, 5), QPointF(8.5, 5)}));
        p.drawPolygon(QPolygonF({QPointF(12, 23), QPointF(15.5, 19), QPointF(8.5, 19)}));
        p.drawPolygon(QPolygonF({QPointF(1, 12), QPointF(5, 8.5), QPointF(5, 15.5)}));
        p.drawPolygon(QPolygonF({QPointF(23, 12), QPointF(19, 8.5), QPointF(19, 15.5)}));
    } else if (name == QLatin1String("brush")) {
        p.setBrush(QColor(142, 110, 62));
        p.drawPolygon(QPolygonF({QPointF(20, 3), QPointF(21, 4), QPointF(11, 15), QPointF(9, 13)}));
        p.setBrush(QColor(41, 128, 185));
        QPainterPath tip;
        tip.moveTo(8, 14);
        tip.lineTo(10, 16);
        tip.cubicTo(10, 19, 7, 21, 3, 21);
        tip.cubicTo(5, 19, 4, 15, 8, 14);
        p.drawPath(tip);
    } else if (name == QLatin1String("eraser")) {
        p.setBrush(QColor(224, 143, 160));
        p.drawPolygon(QPolygonF({QPointF(14, 3), QPointF(21, 10), QPointF(11, 20), QPointF(6, 20), QPointF(3, 17)}));
        p.setBrush(QColor(244, 211, 218));
        p.drawPolygon(QPolygonF({QPointF(3, 17), QPointF(9, 11), QPointF(16, 18), QPointF(14, 20), QPointF(6, 20)}));
    } else if (name == QLatin1String("fill")) {
        p.setPen(QPen(QColor(52, 73, 94), 1.8));
        p.drawPolygon(QPolygonF({QPointF(4, 11), QPointF(11, 4), QPointF(18, 11), QPointF(11, 18)}));
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(41, 128, 185));
        p.drawPolygon(QPolygonF({QPointF(4, 11), QPointF(18, 11), QPointF(11, 18)}));
        p.drawEllipse(QPointF(20, 17), 1.6, 2.2);
    } else if (name == QLatin1String("polygon")) {
        const QPolygonF poly({QPointF(4, 18), QPointF(6, 5), QPointF(17, 4), QPointF(20, 14), QPointF(11, 20)});
        p.setPen(QPen(QColor(52, 73, 94), 1.6));
        p.setBrush(QColor(41, 128, 185, 90));
        p.drawPolygon(poly);
    } else if (name == QLatin1String("open")) {
        p.setBrush(QColor(230, 170, 60));
        p.drawRect(QRectF(3, 7, 18, 13));
        p.drawRect(QRectF(3, 5, 8, 3));
    } else {
        p.setBrush(QColor(31, 45, 61));
        p.drawRoundedRect(QRectF(1, 1, 22, 22), 3, 3);
        p.setBrush(QColor(46, 139, 87));
        p.drawRect(QRectF(1, 14, 22, 9));
        p.setBrush(QColor(241, 196, 15));
        p.drawEllipse(QPointF(16, 7), 3.5, 3.5);
        p.setBrush(QColor(192, 57, 43));
        p.drawPolygon(QPolygonF({QPointF(3, 15), QPointF(8, 6), QPointF(13, 15)}));
    }
    return pm;
}

} // namespace

QIcon appIcon(const QString& name)
{
    static const bool svg = QImageReader::supportedImageFormats().contains("svg");
    const QString file = QStringLiteral(":/icons/%1.svg").arg(name);
    if (svg && QFile::exists(file))
        return QIcon(file);
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64})
        icon.addPixmap(painted(name, size));
    return icon;
}

} // namespace invseg::ui
