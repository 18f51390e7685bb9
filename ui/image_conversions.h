// Conversions between Qt images and the engine's Image / LabelMap (the one place for them), and class colours.
#pragma once

#include "invseg/exports.h"
#include "invseg/image.h"

#include <QColor>
#include <QImage>
#include <QVector>

namespace invseg::ui {

/// Any QImage → RGB8 (alpha composited over white, as the engine's loader does).
Image toEngineImage(const QImage& image);
QImage toQImage(const Image& image);

/// An Indexed8 / Grayscale8 image whose pixel values are labels → LabelMap, and back (Indexed8 without colours).
LabelMap toLabelMap(const QImage& labels);
QImage toLabelImage(const LabelMap& labels);
/// An empty (all background) Indexed8 label image of the given size.
QImage blankLabelImage(QSize size);

/// The default colour of class index i (the PASCAL VOC palette).
QColor defaultClassColor(int index);

/// A 256-entry colour table of an engine colour map (built once through heatmapImage).
const QVector<QRgb>& colormapTable(Colormap colormap);
/// Colours an 8-bit grey map (0..255 ↔ 0..1) with a colour map.
QImage applyColormap(const QImage& grey, Colormap colormap);

} // namespace invseg::ui
