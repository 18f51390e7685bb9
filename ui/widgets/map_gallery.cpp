// Map gallery: a grid of MapTiles rebuilt when the class list changes, repainted on every update.
#include "widgets/map_gallery.h"

#include "dialogs/map_viewer_dialog.h"
#include "image_conversions.h"
#include "widgets/map_tile.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

namespace invseg::ui {

MapGallery::MapGallery(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Colour map:"), this));
    m_colormapBox = new QComboBox(this);
    for (auto c : {Colormap::Viridis, Colormap::Magma, Colormap::Jet, Colormap::Gray})
        m_colormapBox->addItem(QString::fromLatin1(colormapName(c)), static_cast<int>(c));
    top->addWidget(m_colormapBox);
    top->addStretch();
    layout->addLayout(top);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    m_gridHost = new QWidget(scroll);
    m_grid = new QGridLayout(m_gridHost);
    m_grid->setSpacing(4);
    scroll->setWidget(m_gridHost);
    layout->addWidget(scroll, 1);
    setMinimumWidth(3 * 80 + 40);
    connect(m_colormapBox, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int i) { setColormap(static_cast<Colormap>(m_colormapBox->itemData(i).toInt())); });
    rebuild();
}

void MapGallery::setColormap(Colormap colormap)
{
    if (m_colormap == colormap)
        return;
    m_colormap = colormap;
    const int i = m_colormapBox->findData(static_cast<int>(colormap));
    if (i >= 0 && i != m_colormapBox->currentIndex()) {
        QSignalBlocker block(m_colormapBox);
        m_colormapBox->setCurrentIndex(i);
    }
    refresh();
    Q_EMIT colormapChanged(colormap);
}

void MapGallery::setClasses(const QStringList& names, const QVector<QColor>& colors)
{
    const bool sameNames = names == m_names;
    m_names = names;
    m_colors = colors;
    if (!sameNames)
        rebuild();
    else
        refresh();
}

void MapGallery::clear()
{
    m_before.clear();
    m_now.clear();
    m_anchors.clear();
    m_labels = QImage();
    refresh();
}

void MapGallery::showStep(const StepUpdate& update)
{
    if (update.step == 0 || m_before.isEmpty())
        m_before = update.refinedMaps;
    m_now = update.refinedMaps;
    m_anchors = update.anchors;
    m_labels = update.labels;
    if (m_now.size() != m_names.size())
        rebuild();
    else
        refresh();
}

void MapGallery::showResult(const RunResult& result)
{
    m_before = result.initialMaps;
    m_now = result.maps;
    m_anchors = result.anchors; // so that returning to a segmented image shows its anchors again
    m_labels = result.labels;
    if (result.classNames.size() != m_names.size() && !result.classNames.isEmpty()) {
        m_names = result.classNames;
        rebuild();
    } else {
        refresh();
    }
}

void MapGallery::rebuild()
{
    for (auto* t : m_tiles)
        t->deleteLater();
    m_tiles.clear();
    while (auto* item = m_grid->takeAt(0)) {
        if (auto* w = item->widget())
            w->deleteLater();
        delete item;
    }
    const QStringList headers{tr("Before"), tr("Now"), tr("Anchors")};
    for (int c = 0; c < headers.size(); ++c) {
        auto* h = new QLabel(headers[c], m_gridHost);
        h->setAlignment(Qt::AlignCenter);
        m_grid->addWidget(h, 0, c);
    }
    const int rows = std::max<int>(m_names.size(), std::max(m_now.size(), m_before.size()));
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < 3; ++c) {
            auto* tile = new MapTile(m_gridHost);
            connect(tile, &MapTile::clicked, this, [this, tile] { enlarge(tile); });
            m_grid->addWidget(tile, r + 1, c);
            m_tiles << tile;
        }
    }
    m_labelTile = new MapTile(m_gridHost);
    connect(m_labelTile, &MapTile::clicked, this, [this] { enlarge(m_labelTile); });
    m_grid->addWidget(m_labelTile, rows + 1, 0, 1, 3);
    m_labelTile->setMinimumHeight(160);
    m_tiles << m_labelTile;
    refresh();
}

void MapGallery::refresh()
{
    const int rows = (m_tiles.size() - 1) / 3;
    for (int r = 0; r < rows; ++r) {
        const QString name = r < m_names.size() ? m_names[r] : QString::number(r);
        const QVector<QImage>* sources[3] = {&m_before, &m_now, &m_anchors};
        const QString kinds[3] = {tr("before"), tr("now"), tr("anchors")};
        for (int c = 0; c < 3; ++c) {
            MapTile* tile = m_tiles[r * 3 + c];
            tile->setImage(applyColormap(sources[c]->value(r), m_colormap));
            tile->setCaption(QStringLiteral("%1 · %2").arg(name, kinds[c]));
        }
    }
    if (m_labelTile) {
        QImage coloured = m_labels;
        if (!coloured.isNull()) {
            QVector<QRgb> table(256, qRgb(0, 0, 0));
            for (int i = 0; i < 256; ++i)
                table[i] = (i < m_colors.size() ? m_colors[i] : defaultClassColor(i)).rgb();
            coloured.setColorTable(table);
        }
        m_labelTile->setImage(coloured);
        m_labelTile->setCaption(tr("Label map"));
    }
}

void MapGallery::enlarge(MapTile* tile)
{
    if (tile->image().isNull())
        return;
    auto* dialog = new MapViewerDialog(tile->image(), tile->caption(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace invseg::ui
