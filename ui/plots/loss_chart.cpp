// Loss chart on Qt Charts (or, where the Qt Charts CMake package is missing, a minimal QPainter plot).
#include "plots/loss_chart.h"

#include <QVBoxLayout>

#ifdef INVSEG_HAVE_QTCHARTS
#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QValueAxis>
#else
#include <QPainter>
#include <QPainterPath>
#endif

#include <algorithm>
#include <cmath>

namespace invseg::ui {
namespace {

struct Range {
    double lo = 0, hi = 1;
    int maxStep = 1;
};

Range rangeOf(const QVector<LossPoint>& points)
{
    Range r;
    bool first = true;
    for (const auto& p : points) {
        for (double v : {p.loss, p.csc, p.entropy}) {
            if (!std::isfinite(v))
                continue;
            r.lo = first ? v : std::min(r.lo, v);
            r.hi = first ? v : std::max(r.hi, v);
            first = false;
        }
        r.maxStep = std::max(r.maxStep, p.step);
    }
    const double pad = std::max(1e-3, (r.hi - r.lo) * 0.05);
    r.lo = std::min(0.0, r.lo - pad);
    r.hi += pad;
    return r;
}

#ifndef INVSEG_HAVE_QTCHARTS
/// The fallback plot: three polylines and a frame.
class PlainPlot : public QWidget {
public:
    explicit PlainPlot(const QVector<LossPoint>* points, QWidget* parent) : QWidget(parent), m_points(points) {}

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.fillRect(rect(), palette().color(QPalette::Base));
        const QRectF area = QRectF(rect()).adjusted(40, 10, -10, -20);
        p.setPen(palette().color(QPalette::Text));
        p.drawRect(area);
        const Range r = rangeOf(*m_points);
        p.drawText(QRectF(0, area.top() - 6, 38, 14), Qt::AlignRight, QString::number(r.hi, 'g', 3));
        p.drawText(QRectF(0, area.bottom() - 8, 38, 14), Qt::AlignRight, QString::number(r.lo, 'g', 3));
        p.drawText(QRectF(area.right() - 40, area.bottom() + 2, 40, 14), Qt::AlignRight, QString::number(r.maxStep));
        const QColor colors[3] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44)};
        p.setRenderHint(QPainter::Antialiasing);
        for (int s = 0; s < 3; ++s) {
            QPainterPath path;
            for (int i = 0; i < m_points->size(); ++i) {
                const auto& lp = (*m_points)[i];
                const double v = s == 0 ? lp.loss : (s == 1 ? lp.csc : lp.entropy);
                const QPointF pt(area.left() + area.width() * lp.step / r.maxStep,
                                 area.bottom() - area.height() * (v - r.lo) / (r.hi - r.lo));
                if (i == 0)
                    path.moveTo(pt);
                else
                    path.lineTo(pt);
            }
            p.setPen(QPen(colors[s], 1.5));
            p.drawPath(path);
        }
    }

private:
    const QVector<LossPoint>* m_points;
};
#endif

} // namespace

struct LossChart::Private {
#ifdef INVSEG_HAVE_QTCHARTS
    QChart* chart = nullptr;
    QLineSeries* total = nullptr;
    QLineSeries* csc = nullptr;
    QLineSeries* entropy = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
#else
    QWidget* plot = nullptr;
#endif
};

LossChart::LossChart(QWidget* parent) : QWidget(parent), d(new Private)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
#ifdef INVSEG_HAVE_QTCHARTS
    d->chart = new QChart;
    d->chart->legend()->setAlignment(Qt::AlignBottom);
    d->chart->setMargins(QMargins(2, 2, 2, 2));
    d->total = new QLineSeries;
    d->total->setName(tr("Total"));
    d->csc = new QLineSeries;
    d->csc->setName(tr("CSC"));
    d->entropy = new QLineSeries;
    d->entropy->setName(tr("Entropy"));
    d->x = new QValueAxis;
    d->x->setTitleText(tr("Step"));
    d->x->setLabelFormat(QStringLiteral("%d"));
    d->y = new QValueAxis;
    d->y->setTitleText(tr("Loss"));
    d->chart->addAxis(d->x, Qt::AlignBottom);
    d->chart->addAxis(d->y, Qt::AlignLeft);
    for (auto* s : {d->total, d->csc, d->entropy}) {
        d->chart->addSeries(s);
        s->attachAxis(d->x);
        s->attachAxis(d->y);
    }
    auto* view = new QChartView(d->chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    layout->addWidget(view);
#else
    d->plot = new PlainPlot(&m_points, this);
    d->plot->setToolTip(tr("Total") + QStringLiteral(" / ") + tr("CSC") + QStringLiteral(" / ") + tr("Entropy"));
    layout->addWidget(d->plot);
#endif
    setMinimumHeight(200);
    refresh();
}

LossChart::~LossChart()
{
    delete d;
}

void LossChart::clear()
{
    m_points.clear();
    refresh();
}

void LossChart::append(const QVector<LossPoint>& points)
{
    m_points += points;
    refresh();
}

void LossChart::setHistory(const QVector<LossPoint>& points)
{
    m_points = points;
    refresh();
}

void LossChart::refresh()
{
#ifdef INVSEG_HAVE_QTCHARTS
    QList<QPointF> total, csc, entropy;
    for (const auto& p : m_points) {
        total << QPointF(p.step, p.loss);
        csc << QPointF(p.step, p.csc);
        entropy << QPointF(p.step, p.entropy);
    }
    // One replace per series: a single repaint instead of one per point.
    d->total->replace(total);
    d->csc->replace(csc);
    d->entropy->replace(entropy);
    const Range r = rangeOf(m_points);
    d->y->setRange(r.lo, r.hi);
    d->x->setRange(0, r.maxStep);
    // Whole steps only: about ten ticks, anchored at 0.
    d->x->setTickType(QValueAxis::TicksDynamic);
    d->x->setTickAnchor(0);
    d->x->setTickInterval(std::max(1, (r.maxStep + 9) / 10));
#else
    d->plot->update();
#endif
}

} // namespace invseg::ui
