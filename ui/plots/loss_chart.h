// Loss curves of a run (total, CSC, entropy) — the only place besides plots/*.cpp that sees QtCharts.
#pragma once

#include "run_types.h"

#include <QWidget>

namespace invseg::ui {

/// A chart of the three losses against the step. Updated in bulk (series->replace), never point by point.
class LossChart : public QWidget {
    Q_OBJECT
public:
    explicit LossChart(QWidget* parent = nullptr);
    ~LossChart() override;

    void clear();
    /// Appends points and redraws every series with one replace() each.
    void append(const QVector<LossPoint>& points);
    void setHistory(const QVector<LossPoint>& points);
    const QVector<LossPoint>& history() const { return m_points; }

private:
    void refresh();

    struct Private;
    Private* d;
    QVector<LossPoint> m_points;
};

} // namespace invseg::ui
