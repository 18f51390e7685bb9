// The central image view: zoom, pan, mask overlay, and brush / eraser / fill editing of the label map.
#pragma once

#include <QImage>
#include <QPointer>
#include <QWidget>

namespace invseg::ui {

class ImageDocument;

/// Shows a document's image with its label map blended on top. Zoom: Ctrl+wheel or zoomIn/zoomOut/fitToWindow/
/// actualSize. Pan: middle-drag, space+left-drag, or plain wheel. Editing (tool ≠ View): left-drag paints the active
/// class (Brush), background (Eraser), or flood-fills a region (Fill); the wheel without Ctrl then changes the brush
/// size. Polygon: each click adds a vertex; Enter or a double click fills the polygon with the active class, Esc
/// cancels it. A finished edit is reported through editFinished, which the owner turns into an undo command.
class ImageCanvas : public QWidget {
    Q_OBJECT
public:
    enum class Tool { View, Brush, Eraser, Fill, Polygon };

    explicit ImageCanvas(QWidget* parent = nullptr);

    void setDocument(ImageDocument* document);
    ImageDocument* document() const { return m_document; }

    double zoom() const { return m_zoom; }
    void setZoom(double zoom, QPointF anchorWidget = QPointF(-1, -1));
    double overlayOpacity() const { return m_opacity; }
    bool maskVisible() const { return m_maskVisible; }
    Tool tool() const { return m_tool; }
    int brushSize() const { return m_brush; }
    int activeClass() const { return m_activeClass; }

    /// Widget ↔ image pixel coordinates.
    QPointF toImage(QPointF widgetPos) const;
    QPointF toWidget(QPointF imagePos) const;

    /// Paints a stroke of the current tool along image points, as a mouse drag would (used by tests and scripts).
    void paintStroke(const QVector<QPoint>& imagePoints);

    /// The polygon tool's vertices so far (image pixels).
    const QVector<QPoint>& polygon() const { return m_polygon; }
    void addPolygonPoint(QPoint imagePoint);
    /// Fills the polygon (at least 3 vertices) with the active class as one undo step; false when there is none.
    bool finishPolygon();
    void cancelPolygon();

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void fitToWindow();
    void actualSize();
    void setOverlayOpacity(double opacity);
    void setMaskVisible(bool visible);
    void setTool(invseg::ui::ImageCanvas::Tool tool);
    void setBrushSize(int size);
    void setActiveClass(int index);

Q_SIGNALS:
    /// The pixel under the cursor and its label (-1 outside the image or without labels).
    void hovered(QPoint imagePos, int label);
    void zoomChanged(double zoom);
    void brushSizeChanged(int size);
    /// A stroke or fill changed `rect` of the label map from `before` to `after` (Indexed8 patches of rect's size).
    void editFinished(const QRect& rect, const QImage& before, const QImage& after, const QString& text);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void beginEdit();
    void paintDab(QPoint center);
    void paintSegment(QPoint from, QPoint to);
    void floodFill(QPoint seed);
    void endEdit(const QString& text);
    void clampOffset();

    QPointer<ImageDocument> m_document;
    double m_zoom = 1.0;
    QPointF m_offset; ///< widget position of image pixel (0, 0)
    bool m_fitPending = true;
    double m_opacity = 0.5;
    bool m_maskVisible = true;
    Tool m_tool = Tool::View;
    int m_brush = 12;
    int m_activeClass = 1;

    bool m_spaceHeld = false;
    bool m_panning = false;
    QPoint m_panStart;
    QPointF m_offsetStart;
    bool m_painting = false;
    QPoint m_lastPoint;
    QImage m_beforeEdit;
    QRect m_dirty;
    QPointF m_cursor{-1, -1};
    QVector<QPoint> m_polygon;
};

} // namespace invseg::ui
