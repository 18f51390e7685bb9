// Live views of a run: per class the refined map before inversion and now, its anchors, and the label map.
#pragma once

#include "run_types.h"

#include "invseg/exports.h"

#include <QColor>
#include <QWidget>

class QComboBox;
class QGridLayout;

namespace invseg::ui {

class MapTile;

/// Grey maps are kept as they come from the worker and coloured with the chosen colour map when shown, so changing
/// the colour map needs no new run. Clicking a tile opens it enlarged.
class MapGallery : public QWidget {
    Q_OBJECT
public:
    explicit MapGallery(QWidget* parent = nullptr);

    void setClasses(const QStringList& names, const QVector<QColor>& colors);
    void clear();
    /// The first update of a run (step 0) also becomes the "before" column.
    void showStep(const StepUpdate& update);
    void showResult(const RunResult& result);
    invseg::Colormap colormap() const { return m_colormap; }
    void setColormap(invseg::Colormap colormap);
    int tileCount() const { return m_tiles.size(); }
    /// The label map currently shown (class indices, coloured with the class colours).
    const QImage& labelImage() const { return m_labels; }
    /// The anchor maps shown (one per class; empty when there are none).
    const QVector<QImage>& anchorMaps() const { return m_anchors; }

Q_SIGNALS:
    void colormapChanged(invseg::Colormap colormap);

private:
    void rebuild();
    void refresh();
    void enlarge(MapTile* tile);

    QStringList m_names;
    QVector<QColor> m_colors;
    QVector<QImage> m_before, m_now, m_anchors;
    QImage m_labels;
    invseg::Colormap m_colormap = invseg::Colormap::Viridis;
    QComboBox* m_colormapBox;
    QGridLayout* m_grid;
    QWidget* m_gridHost;
    QVector<MapTile*> m_tiles;
    MapTile* m_labelTile = nullptr;
};

} // namespace invseg::ui
