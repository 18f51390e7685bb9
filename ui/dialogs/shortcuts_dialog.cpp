// The shortcut list: a two-column table built from the window's actions.
#include "dialogs/shortcuts_dialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace invseg::ui {

ShortcutsDialog::ShortcutsDialog(const QList<QAction*>& actions, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    setObjectName(QStringLiteral("shortcutsDialog"));
    QList<QPair<QString, QString>> rows;
    for (const auto* a : actions) {
        QStringList keys;
        for (const auto& k : a->shortcuts())
            keys << k.toString(QKeySequence::NativeText);
        rows.append({a->text().remove(QLatin1Char('&')).remove(QStringLiteral("…")), keys.join(QStringLiteral(", "))});
    }
    rows.append({tr("Pan"), tr("Space + drag, middle drag, or the wheel")});
    rows.append({tr("Zoom at the cursor"), tr("Ctrl + wheel")});
    rows.append({tr("Brush size while painting"), tr("Wheel, [ and ]")});
    rows.append({tr("Polygon: add a corner / fill / cancel"), tr("Click / Enter or double-click / Esc")});

    m_table = new QTableWidget(int(rows.size()), 2, this);
    m_table->setHorizontalHeaderLabels({tr("Command"), tr("Shortcut")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int i = 0; i < rows.size(); ++i) {
        m_table->setItem(i, 0, new QTableWidgetItem(rows[i].first));
        m_table->setItem(i, 1, new QTableWidgetItem(rows[i].second));
    }
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(520, 560);
}

} // namespace invseg::ui
