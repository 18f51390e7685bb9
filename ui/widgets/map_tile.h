// A clickable thumbnail of one map (a class's attention map, anchors, or the label map) with a caption.
#pragma once

#include <QImage>
#include <QWidget>

namespace invseg::ui {

class MapTile : public QWidget {
    Q_OBJECT
public:
    explicit MapTile(QWidget* parent = nullptr);
    void setImage(const QImage& image);
    const QImage& image() const { return m_image; }
    void setCaption(const QString& caption);
    const QString& caption() const { return m_caption; }
    QSize sizeHint() const override { return QSize(112, 128); }

Q_SIGNALS:
    void clicked();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QImage m_image;
    QString m_caption;
};

} // namespace invseg::ui
