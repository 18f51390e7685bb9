// A resizable window showing one map enlarged (nearest-neighbour, so latent pixels stay sharp).
#pragma once

#include <QDialog>
#include <QImage>

namespace invseg::ui {

class MapViewerDialog : public QDialog {
    Q_OBJECT
public:
    MapViewerDialog(const QImage& image, const QString& title, QWidget* parent = nullptr);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage m_image;
};

} // namespace invseg::ui
