// Attention inspector: the raw cross-attention map of every prompt token, per UNet level, before any inversion.
#pragma once

#include "run_types.h"

#include "invseg/exports.h"

#include <QDialog>
#include <QImage>

class QComboBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QSpinBox;

namespace invseg::ui {

class MapTile;

/// Shows one tile per prompt token (class words, "and", "background", …) for the chosen level (or the run's
/// weighting of levels). Whoever handles inspectRequested computes the maps (SegmentationController::
/// inspectAttention) and passes them to setResult().
class AttentionInspectorDialog : public QDialog {
    Q_OBJECT
public:
    explicit AttentionInspectorDialog(QWidget* parent = nullptr);

    void setResult(const invseg::ui::AttentionMaps& maps);
    void showMessage(const QString& message);
    void setBusy(bool busy);
    int tileCount() const { return m_tiles.size(); }

Q_SIGNALS:
    void inspectRequested(int timestep);

private:
    void rebuild();

    AttentionMaps m_result;
    QComboBox* m_level;
    QComboBox* m_colormap;
    QSpinBox* m_timestep;
    QPushButton* m_inspect;
    QLabel* m_note;
    QGridLayout* m_grid;
    QVector<MapTile*> m_tiles;
};

} // namespace invseg::ui
