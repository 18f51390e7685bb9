// Image canvas: a transform (zoom + offset) over a document, with byte-level label painting.
#include "widgets/image_canvas.h"

#include "controllers/image_document.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPolygonF>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace invseg::ui {
namespace {
constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 64.0;
constexpr double kZoomStep = 1.25;
} // namespace

ImageCanvas::ImageCanvas(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 150);
}

void ImageCanvas::setDocument(ImageDocument* document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_painting = false;
    if (m_document)
        connect(m_document, &ImageDocument::labelsChanged, this, qOverload<>(&QWidget::update));
    m_fitPending = true;
    if (isVisible() && width() > 0)
        fitToWindow();
    update();
}

QPointF ImageCanvas::toImage(QPointF p) const
{
    return (p - m_offset) / m_zoom;
}
QPointF ImageCanvas::toWidget(QPointF p) const
{
    return p * m_zoom + m_offset;
}

void ImageCanvas::setZoom(double zoom, QPointF anchor)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (anchor.x() < 0)
        anchor = QPointF(width() / 2.0, height() / 2.0);
    const QPointF imagePoint = toImage(anchor);
    m_zoom = zoom;
    m_offset = anchor - imagePoint * m_zoom;
    m_fitPending = false;
    clampOffset();
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void ImageCanvas::zoomIn()
{
    setZoom(m_zoom * kZoomStep);
}
void ImageCanvas::zoomOut()
{
    setZoom(m_zoom / kZoomStep);
}

void ImageCanvas::fitToWindow()
{
    if (!m_document || m_document->image().isNull() || width() <= 0 || height() <= 0) {
        m_fitPending = true;
        return;
    }
    const QSize s = m_document->image().size();
    const double z = std::min(width() / double(s.width()), height() / double(s.height())) * 0.98;
    m_zoom = std::clamp(z, kMinZoom, kMaxZoom);
    m_offset = QPointF((width() - s.width() * m_zoom) / 2.0, (height() - s.height() * m_zoom) / 2.0);
    m_fitPending = false;
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void ImageCanvas::actualSize()
{
    setZoom(1.0);
}

void ImageCanvas::setOverlayOpacity(double opacity)
{
    m_opacity = std::clamp(opacity, 0.0, 1.0);
    update();
}

void ImageCanvas::setMaskVisible(bool visible)
{
    m_maskVisible = visible;
    update();
}

void ImageCanvas::setTool(Tool tool)
{
    if (tool != m_tool)
        m_polygon.clear();
    m_tool = tool;
    setCursor(tool == Tool::View ? Qt::ArrowCursor : Qt::CrossCursor);
    update();
}

void ImageCanvas::setBrushSize(int size)
{
    size = std::clamp(size, 1, 512);
    if (size == m_brush)
        return;
    m_brush = size;
    update();
    Q_EMIT brushSizeChanged(m_brush);
}

void ImageCanvas::setActiveClass(int index)
{
    m_activeClass = std::clamp(index, 0, 254);
}

void ImageCanvas::clampOffset()
{
    if (!m_document || m_document->image().isNull())
        return;
    // Keep at least a quarter of the view covered by the image so it cannot be lost off-screen.
    const QSizeF s = QSizeF(m_document->image().size()) * m_zoom;
    const double mx = width() * 0.75, my = height() * 0.75;
    m_offset.setX(std::clamp(m_offset.x(), -s.width() + width() - mx, mx));
    m_offset.setY(std::clamp(m_offset.y(), -s.height() + height() - my, my));
}

void ImageCanvas::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Dark));
    if (!m_document || m_document->image().isNull()) {
        p.setPen(palette().color(QPalette::BrightText));
        p.drawText(rect(), Qt::AlignCenter, tr("Open an image (Ctrl+O) or drop files here"));
        return;
    }
    const QImage& img = m_document->image();
    const QRectF target(m_offset, QSizeF(img.size()) * m_zoom);
    p.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 1.0);
    p.drawImage(target, img);
    if (m_maskVisible && m_document->hasLabels()) {
        p.setOpacity(m_opacity);
        p.setRenderHint(QPainter::SmoothPixmapTransform, false);
        p.drawImage(target, m_document->labels());
        p.setOpacity(1.0);
    }
    if (m_tool == Tool::Brush || m_tool == Tool::Eraser) {
        if (m_cursor.x() >= 0) {
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(QPen(Qt::white, 1, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            const double r = m_brush * m_zoom / 2.0;
            p.drawEllipse(m_cursor, r, r);
        }
    }
    if (m_tool == Tool::Polygon && !m_polygon.isEmpty()) {
        QPolygonF poly;
        for (const QPoint& v : m_polygon)
            poly << toWidget(QPointF(v) + QPointF(0.5, 0.5));
        if (m_cursor.x() >= 0)
            poly << m_cursor;
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(Qt::white, 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawPolyline(poly);
        for (int i = 0; i < m_polygon.size(); ++i)
            p.drawEllipse(poly[i], 3, 3);
    }
}

void ImageCanvas::resizeEvent(QResizeEvent*)
{
    if (m_fitPending)
        fitToWindow();
    else
        clampOffset();
}

void ImageCanvas::wheelEvent(QWheelEvent* event)
{
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        const double factor = std::pow(kZoomStep, delta.y() / 120.0);
        setZoom(m_zoom * factor, event->position());
    } else if (m_tool == Tool::Brush || m_tool == Tool::Eraser) {
        setBrushSize(m_brush + (delta.y() > 0 ? 1 : -1) * std::max(1, m_brush / 8));
    } else {
        m_offset += QPointF(delta.x(), delta.y()) / 2.0;
        m_fitPending = false;
        clampOffset();
        update();
    }
    event->accept();
}

void ImageCanvas::mousePressEvent(QMouseEvent* event)
{
    const bool panButton = event->button() == Qt::MiddleButton ||
                           (event->button() == Qt::LeftButton && (m_spaceHeld || m_tool == Tool::View));
    if (panButton) {
        m_panning = true;
        m_panStart = event->position().toPoint();
        m_offsetStart = m_offset;
        setCursor(Qt::ClosedHandCursor);
        return;
    }
    if (event->button() != Qt::LeftButton || !m_document || m_document->image().isNull())
        return;
    const QPoint ip = toImage(event->position()).toPoint();
    if (!m_document->image().rect().contains(ip))
        return;
    if (m_tool == Tool::Polygon) {
        const QPointF f = toImage(event->position()); // the pixel under the cursor (floor, not rounded)
        addPolygonPoint(QPoint(int(std::floor(f.x())), int(std::floor(f.y()))));
        return;
    }
    beginEdit();
    if (m_tool == Tool::Fill) {
        floodFill(ip);
        endEdit(tr("Fill"));
        return;
    }
    m_painting = true;
    m_lastPoint = ip;
    paintDab(ip);
    m_document->notifyLabelsChanged();
}

void ImageCanvas::mouseMoveEvent(QMouseEvent* event)
{
    m_cursor = event->position();
    if (m_panning) {
        m_offset = m_offsetStart + (event->position() - QPointF(m_panStart));
        m_fitPending = false;
        clampOffset();
        update();
        return;
    }
    const QPoint ip = toImage(event->position()).toPoint();
    int label = -1;
    if (m_document && m_document->image().rect().contains(ip) && m_document->hasLabels())
        label = m_document->labels().constScanLine(ip.y())[ip.x()];
    Q_EMIT hovered(ip, label);
    if (m_painting) {
        paintSegment(m_lastPoint, ip);
        m_lastPoint = ip;
        m_document->notifyLabelsChanged();
    } else if (m_tool == Tool::Brush || m_tool == Tool::Eraser) {
        update();
    }
}

void ImageCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_panning && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        m_panning = false;
        setCursor(m_tool == Tool::View ? Qt::ArrowCursor : Qt::CrossCursor);
        return;
    }
    if (m_painting && event->button() == Qt::LeftButton) {
        m_painting = false;
        endEdit(m_tool == Tool::Eraser ? tr("Erase") : tr("Brush stroke"));
    }
}

void ImageCanvas::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (m_tool == Tool::Polygon && event->button() == Qt::LeftButton) {
        finishPolygon(); // the double click's first press has already added the last vertex
        return;
    }
    QWidget::mouseDoubleClickEvent(event);
}

bool ImageCanvas::event(QEvent* event)
{
    // Enter and Esc belong to an unfinished polygon before any window shortcut (Esc also stops a run).
    if (event->type() == QEvent::ShortcutOverride && !m_polygon.isEmpty()) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Escape || key == Qt::Key_Return || key == Qt::Key_Enter) {
            event->accept();
            return true;
        }
    }
    return QWidget::event(event);
}

void ImageCanvas::keyPressEvent(QKeyEvent* event)
{
    if (m_tool == Tool::Polygon && !m_polygon.isEmpty()) {
        if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
            finishPolygon();
            return;
        }
        if (event->key() == Qt::Key_Escape) {
            cancelPolygon();
            return;
        }
    }
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        setCursor(Qt::OpenHandCursor);
        return;
    }
    QWidget::keyPressEvent(event);
}

void ImageCanvas::keyReleaseEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        setCursor(m_tool == Tool::View ? Qt::ArrowCursor : Qt::CrossCursor);
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void ImageCanvas::leaveEvent(QEvent*)
{
    m_cursor = QPointF(-1, -1);
    Q_EMIT hovered(QPoint(-1, -1), -1);
    update();
}

void ImageCanvas::beginEdit()
{
    m_document->ensureLabels();
    m_beforeEdit = m_document->labels().copy();
    m_dirty = QRect();
}

void ImageCanvas::paintDab(QPoint c)
{
    QImage& labels = m_document->mutableLabels();
    const uchar value = static_cast<uchar>(m_tool == Tool::Eraser ? 0 : m_activeClass);
    const double r = std::max(0.5, m_brush / 2.0);
    const int ri = static_cast<int>(std::ceil(r));
    const QRect box = QRect(c.x() - ri, c.y() - ri, 2 * ri + 1, 2 * ri + 1).intersected(labels.rect());
    for (int y = box.top(); y <= box.bottom(); ++y) {
        uchar* row = labels.scanLine(y);
        for (int x = box.left(); x <= box.right(); ++x) {
            const double dx = x - c.x(), dy = y - c.y();
            if (dx * dx + dy * dy <= r * r)
                row[x] = value;
        }
    }
    m_dirty |= box;
}

void ImageCanvas::paintSegment(QPoint from, QPoint to)
{
    const QPoint d = to - from;
    const int n = std::max(1, std::max(std::abs(d.x()), std::abs(d.y())) / std::max(1, m_brush / 4));
    for (int i = 1; i <= n; ++i)
        paintDab(from + d * (double(i) / n));
}

void ImageCanvas::floodFill(QPoint seed)
{
    QImage& labels = m_document->mutableLabels();
    const uchar target = labels.constScanLine(seed.y())[seed.x()];
    const uchar value = static_cast<uchar>(m_activeClass);
    if (target == value)
        return;
    std::vector<QPoint> stack{seed};
    int minX = seed.x(), maxX = seed.x(), minY = seed.y(), maxY = seed.y();
    const int w = labels.width(), h = labels.height();
    while (!stack.empty()) {
        const QPoint p = stack.back();
        stack.pop_back();
        uchar* row = labels.scanLine(p.y());
        if (row[p.x()] != target)
            continue;
        // Scanline fill: extend left and right, then seed the rows above and below.
        int l = p.x(), r = p.x();
        while (l > 0 && row[l - 1] == target)
            --l;
        while (r < w - 1 && row[r + 1] == target)
            ++r;
        std::memset(row + l, value, static_cast<size_t>(r - l + 1));
        minX = std::min(minX, l), maxX = std::max(maxX, r);
        minY = std::min(minY, p.y()), maxY = std::max(maxY, p.y());
        for (int ny : {p.y() - 1, p.y() + 1}) {
            if (ny < 0 || ny >= h)
                continue;
            const uchar* nrow = labels.constScanLine(ny);
            for (int x = l; x <= r; ++x)
                if (nrow[x] == target && (x == l || nrow[x - 1] != target))
                    stack.emplace_back(x, ny);
        }
    }
    m_dirty |= QRect(QPoint(minX, minY), QPoint(maxX, maxY));
}

void ImageCanvas::endEdit(const QString& text)
{
    if (m_dirty.isEmpty() || !m_document)
        return;
    const QImage after = m_document->labels().copy(m_dirty);
    const QImage before = m_beforeEdit.copy(m_dirty);
    m_beforeEdit = QImage();
    m_document->setModified(true);
    m_document->notifyLabelsChanged();
    Q_EMIT editFinished(m_dirty, before, after, text);
    m_dirty = QRect();
}

void ImageCanvas::addPolygonPoint(QPoint p)
{
    if (!m_document || m_document->image().isNull() || !m_document->image().rect().contains(p))
        return;
    m_polygon << p;
    update();
}

void ImageCanvas::cancelPolygon()
{
    m_polygon.clear();
    update();
}

bool ImageCanvas::finishPolygon()
{
    if (m_polygon.size() < 3 || !m_document || m_document->image().isNull()) {
        cancelPolygon();
        return false;
    }
    beginEdit();
    QImage& labels = m_document->mutableLabels();
    QPolygonF poly;
    for (const QPoint& v : m_polygon)
        poly << QPointF(v) + QPointF(0.5, 0.5); // vertices at pixel centres
    const QRect box = poly.boundingRect().toAlignedRect().adjusted(-1, -1, 1, 1).intersected(labels.rect());
    // Every pixel whose centre lies inside, plus the pixels along the edges (so corners and thin parts are kept).
    const uchar value = static_cast<uchar>(m_activeClass);
    for (int y = box.top(); y <= box.bottom(); ++y) {
        uchar* row = labels.scanLine(y);
        for (int x = box.left(); x <= box.right(); ++x)
            if (poly.containsPoint(QPointF(x + 0.5, y + 0.5), Qt::OddEvenFill))
                row[x] = value;
    }
    for (int i = 0; i < m_polygon.size(); ++i) {
        const QPoint a = m_polygon[i], b = m_polygon[(i + 1) % m_polygon.size()];
        const int n = std::max(std::abs(b.x() - a.x()), std::abs(b.y() - a.y()));
        for (int k = 0; k <= n; ++k) {
            const QPoint p = n == 0 ? a : a + (b - a) * (double(k) / n);
            if (labels.rect().contains(p))
                labels.scanLine(p.y())[p.x()] = value;
        }
    }
    m_dirty = box;
    m_polygon.clear();
    endEdit(tr("Polygon"));
    update();
    return true;
}

void ImageCanvas::paintStroke(const QVector<QPoint>& points)
{
    if (points.isEmpty() || !m_document || m_document->image().isNull())
        return;
    beginEdit();
    if (m_tool == Tool::Fill) {
        floodFill(points.first());
        endEdit(tr("Fill"));
        return;
    }
    paintDab(points.first());
    for (int i = 1; i < points.size(); ++i)
        paintSegment(points[i - 1], points[i]);
    endEdit(m_tool == Tool::Eraser ? tr("Erase") : tr("Brush stroke"));
}

} // namespace invseg::ui
