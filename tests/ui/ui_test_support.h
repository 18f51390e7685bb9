// Shared helpers of the UI tests: the repository's tiny model, temporary images, waiting on signals.
#pragma once

#include <QDir>
#include <QImage>
#include <QString>
#include <QTemporaryDir>

namespace invseg::ui::test {

/// The repository's golden SD1 diffusers folder (tests/data/golden/sd1/diffusers): a tiny random model, fast enough
/// for many runs per test. It does not follow INVSEG_GOLDEN_DIR, which only chooses the sets of the parity tests.
inline QString goldenModelPath()
{
    return QStringLiteral(INVSEG_TEST_MODEL_DIR);
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
