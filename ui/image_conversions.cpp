// QImage ↔ engine image types; colour tables.
#include "image_conversions.h"

#include <array>
#include <cstring>
#include <map>
#include <mutex>

namespace invseg::ui {

Image toEngineImage(const QImage& image)
{
    Image out;
    if (image.isNull())
        return out;
    QImage src = image;
    if (src.hasAlphaChannel()) {
        QImage flat(src.size(), QImage::Format_RGB888);
        flat.fill(Qt::white);
        const QImage argb = src.convertToFormat(QImage::Format_ARGB32);
        for (int y = 0; y < argb.height(); ++y) {
            const QRgb* s = reinterpret_cast<const QRgb*>(argb.constScanLine(y));
            uchar* d = flat.scanLine(y);
            for (int x = 0; x < argb.width(); ++x) {
                const int a = qAlpha(s[x]);
                d[3 * x + 0] = static_cast<uchar>((qRed(s[x]) * a + 255 * (255 - a) + 127) / 255);
                d[3 * x + 1] = static_cast<uchar>((qGreen(s[x]) * a + 255 * (255 - a) + 127) / 255);
                d[3 * x + 2] = static_cast<uchar>((qBlue(s[x]) * a + 255 * (255 - a) + 127) / 255);
            }
        }
        src = flat;
    } else {
        src = src.convertToFormat(QImage::Format_RGB888);
    }
    out.width = src.width();
    out.height = src.height();
    out.rgb.resize(static_cast<size_t>(out.width) * out.height * 3);
    for (int y = 0; y < out.height; ++y)
        std::memcpy(out.rgb.data() + static_cast<size_t>(y) * out.width * 3, src.constScanLine(y),
                    static_cast<size_t>(out.width) * 3);
    return out;
}

QImage toQImage(const Image& image)
{
    if (image.empty())
        return {};
    QImage out(image.width, image.height, QImage::Format_RGB888);
    for (int y = 0; y < image.height; ++y)
        std::memcpy(out.scanLine(y), image.rgb.data() + static_cast<size_t>(y) * image.width * 3,
                    static_cast<size_t>(image.width) * 3);
    return out;
}

LabelMap toLabelMap(const QImage& labels)
{
    LabelMap out;
    if (labels.isNull())
        return out;
    QImage src = labels;
    if (src.format() != QImage::Format_Indexed8 && src.format() != QImage::Format_Grayscale8)
        src = src.convertToFormat(QImage::Format_Grayscale8);
    out.width = src.width();
    out.height = src.height();
    out.labels.resize(static_cast<size_t>(out.width) * out.height);
    for (int y = 0; y < out.height; ++y)
        std::memcpy(out.labels.data() + static_cast<size_t>(y) * out.width, src.constScanLine(y),
                    static_cast<size_t>(out.width));
    return out;
}

QImage toLabelImage(const LabelMap& labels)
{
    if (labels.empty())
        return {};
    QImage out(labels.width, labels.height, QImage::Format_Indexed8);
    QVector<QRgb> table(256);
    for (int i = 0; i < 256; ++i)
        table[i] = qRgb(i, i, i);
    out.setColorTable(table);
    for (int y = 0; y < labels.height; ++y)
        std::memcpy(out.scanLine(y), labels.labels.data() + static_cast<size_t>(y) * labels.width,
                    static_cast<size_t>(labels.width));
    return out;
}

QImage blankLabelImage(QSize size)
{
    LabelMap m;
    m.width = size.width();
    m.height = size.height();
    m.labels.assign(static_cast<size_t>(m.width) * m.height, 0);
    return toLabelImage(m);
}

QColor defaultClassColor(int index)
{
    const auto c = vocColor(index & 0xff);
    return QColor(c[0], c[1], c[2]);
}

const QVector<QRgb>& colormapTable(Colormap colormap)
{
    static std::mutex mutex;
    static std::map<int, QVector<QRgb>> tables;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = tables.find(static_cast<int>(colormap));
    if (it != tables.end())
        return it->second;
    std::array<float, 256> ramp{};
    for (int i = 0; i < 256; ++i)
        ramp[static_cast<size_t>(i)] = (static_cast<float>(i) + 0.5f) / 256.0f;
    const Image img = heatmapImage(ramp.data(), 256, 1, colormap);
    QVector<QRgb> table(256);
    for (int i = 0; i < 256; ++i)
        table[i] = qRgb(img.rgb[3 * i], img.rgb[3 * i + 1], img.rgb[3 * i + 2]);
    return tables.emplace(static_cast<int>(colormap), table).first->second;
}

QImage applyColormap(const QImage& grey, Colormap colormap)
{
    if (grey.isNull())
        return {};
    QImage indexed(grey.size(), QImage::Format_Indexed8);
    const QImage src = grey.format() == QImage::Format_Grayscale8 || grey.format() == QImage::Format_Indexed8
                           ? grey
                           : grey.convertToFormat(QImage::Format_Grayscale8);
    for (int y = 0; y < src.height(); ++y)
        std::memcpy(indexed.scanLine(y), src.constScanLine(y), static_cast<size_t>(src.width()));
    indexed.setColorTable(colormapTable(colormap));
    return indexed;
}

} // namespace invseg::ui
