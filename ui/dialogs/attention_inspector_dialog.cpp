// Attention inspector dialog.
#include "dialogs/attention_inspector_dialog.h"

#include "dialogs/map_viewer_dialog.h"
#include "image_conversions.h"
#include "widgets/map_tile.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace invseg::ui {

AttentionInspectorDialog::AttentionInspectorDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Attention Inspector"));
    resize(720, 560);
    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    m_timestep = new QSpinBox(this);
    m_timestep->setRange(0, 999);
    m_timestep->setValue(100);
    m_level = new QComboBox(this);
    m_level->addItem(tr("Weighted (as the run)"), -1);
    m_colormap = new QComboBox(this);
    for (auto c : {Colormap::Viridis, Colormap::Magma, Colormap::Jet, Colormap::Gray})
        m_colormap->addItem(QString::fromLatin1(colormapName(c)), static_cast<int>(c));
    m_inspect = new QPushButton(tr("Inspect"), this);
    controls->addWidget(new QLabel(tr("Timestep:"), this));
    controls->addWidget(m_timestep);
    controls->addWidget(new QLabel(tr("Level:"), this));
    controls->addWidget(m_level);
    controls->addWidget(new QLabel(tr("Colour map:"), this));
    controls->addWidget(m_colormap);
    controls->addStretch();
    controls->addWidget(m_inspect);
    layout->addLayout(controls);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_note);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    auto* host = new QWidget(scroll);
    m_grid = new QGridLayout(host);
    scroll->setWidget(host);
    layout->addWidget(scroll, 1);
    connect(m_inspect, &QPushButton::clicked, this, [this] {
        setBusy(true);
        Q_EMIT inspectRequested(m_timestep->value());
    });
    connect(m_colormap, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { rebuild(); });
    connect(m_level, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { rebuild(); });
}

void AttentionInspectorDialog::setResult(const AttentionMaps& maps)
{
    m_result = maps;
    setBusy(false);
    const int keep = m_level->currentData().toInt();
    {
        QSignalBlocker block(m_level);
        m_level->clear();
        m_level->addItem(tr("Weighted (as the run)"), -1);
        for (int level : maps.levels)
            m_level->addItem(tr("Level %1").arg(level), level);
        const int i = m_level->findData(keep);
        m_level->setCurrentIndex(i >= 0 ? i : 0);
    }
    m_note->setText(maps.prompt);
    rebuild();
}

void AttentionInspectorDialog::showMessage(const QString& message)
{
    setBusy(false);
    m_note->setText(message);
}

void AttentionInspectorDialog::setBusy(bool busy)
{
    m_inspect->setEnabled(!busy);
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
}

void AttentionInspectorDialog::rebuild()
{
    for (auto* t : m_tiles)
        t->deleteLater();
    m_tiles.clear();
    const auto cm = static_cast<Colormap>(m_colormap->currentData().toInt());
    const int level = m_level->currentData().toInt();
    const int li = m_result.levels.indexOf(level);
    const QVector<QImage>& maps = level < 0 || li < 0 ? m_result.weighted : m_result.maps[li];
    const int columns = 4;
    for (int i = 0; i < m_result.tokens.size(); ++i) {
        auto* tile = new MapTile(m_grid->parentWidget());
        tile->setCaption(m_result.tokens[i]);
        tile->setImage(applyColormap(maps.value(i), cm));
        connect(tile, &MapTile::clicked, this, [this, tile] {
            if (tile->image().isNull())
                return;
            auto* d = new MapViewerDialog(tile->image(), tile->caption(), this);
            d->setAttribute(Qt::WA_DeleteOnClose);
            d->show();
        });
        m_grid->addWidget(tile, i / columns, i % columns);
        m_tiles << tile;
    }
}

} // namespace invseg::ui
