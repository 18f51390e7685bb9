// Shared helpers of the UI tests: the golden tiny model, temporary images, waiting on signals.
#pragma once

#include <QDir>
#include <QImage>
#include <QString>
#include <QTemporaryDir>

#include <cstdlib>

namespace invseg::ui::test {

/// The golden SD1 diffusers folder ($INVSEG_GOLDEN_DIR/sd1/diffusers).
inline QString goldenModelPath()
{
    const char* env = std::getenv("INVSEG_GOLDEN_DIR");
    const QString root = env && *env ? QString::fromLocal8Bit(env) : QStringLiteral(INVSEG_GOLDEN_DIR_DEFAULT);
    return QDir(root).filePath(QStringLiteral("sd1/diffusers"));
}

/// A small synthetic scene: blue sky over green grass with a red box.
inline QImage sceneImage(int w = 64, int h = 48)
{
    QImage img(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            QColor c = y < h / 2 ? QColor(90, 150, 230) : QColor(60, 170, 70);
            if (x > w / 3 && x < w / 2 && y > h / 3 && y < 3 * h / 4)
                c = QColor(200, 40, 40);
            img.setPixelColor(x, y, c);
        }
    return img;
}

} // namespace invseg::ui::test
