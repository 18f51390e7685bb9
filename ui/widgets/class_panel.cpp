// Class panel: a list widget whose row index is the label value.
#include "widgets/class_panel.h"

#include "image_conversions.h"

#include "invseg/resources.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QTextStream>
#include <QToolButton>
#include <QVBoxLayout>

namespace invseg::ui {
namespace {
constexpr int kColorRole = Qt::UserRole + 1;

QIcon swatch(const QColor& c)
{
    QPixmap pm(16, 16);
    pm.fill(c);
    QPainter p(&pm);
    p.setPen(Qt::black);
    p.drawRect(0, 0, 15, 15);
    return QIcon(pm);
}
} // namespace

ClassPanel::ClassPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_presets = new QComboBox(this);
    m_presets->addItem(tr("Presets…"));
    m_presetFiles = findPresets();
    for (const auto& p : m_presetFiles)
        m_presets->addItem(p.first);
    layout->addWidget(m_presets);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("classList"));
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    layout->addWidget(m_list, 1);

    auto* buttons = new QHBoxLayout;
    auto button = [&](const QString& text, const QString& tip, auto slot) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        connect(b, &QToolButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    button(QStringLiteral("+"), tr("Add a class"), [this] { addClass(); });
    button(QStringLiteral("−"), tr("Remove the selected class"), [this] { removeActiveClass(); });
    button(QStringLiteral("↑"), tr("Move up"), [this] { moveActiveClass(-1); });
    button(QStringLiteral("↓"), tr("Move down"), [this] { moveActiveClass(1); });
    button(tr("Colour"), tr("Choose the colour of the selected class"), [this] { chooseColorOfActive(); });
    buttons->addStretch();
    layout->addLayout(buttons);
    auto* io = new QHBoxLayout;
    auto* imp = new QToolButton(this);
    imp->setText(tr("Import…"));
    connect(imp, &QToolButton::clicked, this, &ClassPanel::importList);
    auto* exp = new QToolButton(this);
    exp->setText(tr("Export…"));
    connect(exp, &QToolButton::clicked, this, &ClassPanel::exportList);
    io->addWidget(imp);
    io->addWidget(exp);
    io->addStretch();
    layout->addLayout(io);

    connect(m_presets, qOverload<int>(&QComboBox::activated), this, &ClassPanel::applyPreset);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) { Q_EMIT activeClassChanged(row); });
    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        const QString name = item->text().trimmed();
        if (name.isEmpty() || name.contains(QLatin1Char('\n'))) {
            QSignalBlocker block(m_list);
            item->setText(tr("class %1").arg(m_list->row(item)));
        }
        Q_EMIT classesChanged();
    });
    setClasses({});
}

QListWidgetItem* ClassPanel::makeItem(const QString& name, const QColor& color) const
{
    auto* item = new QListWidgetItem(swatch(color), name);
    item->setData(kColorRole, color);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
    item->setToolTip(tr("Untick to hide this class on the canvas"));
    return item;
}

QStringList ClassPanel::classes() const
{
    QStringList out;
    for (int i = 1; i < m_list->count(); ++i)
        out << m_list->item(i)->text().trimmed();
    return out;
}

QStringList ClassPanel::allNames() const
{
    QStringList out{QStringLiteral("background")};
    out += classes();
    return out;
}

QVector<QColor> ClassPanel::colors() const
{
    QVector<QColor> out;
    for (int i = 0; i < m_list->count(); ++i)
        out << m_list->item(i)->data(kColorRole).value<QColor>();
    return out;
}

void ClassPanel::setClasses(const QStringList& classes, const QVector<QColor>& colors)
{
    // Match the new list to the old one by name, so that every painted pixel keeps its class name.
    const QStringList oldNames = allNames();
    const QVector<QColor> oldColors = this->colors();
    QStringList names;
    QVector<QColor> newColors{colors.value(0, oldColors.value(0, defaultClassColor(0)))};
    for (int k = 0; k < classes.size(); ++k) {
        const QString name = classes[k].trimmed();
        if (name.isEmpty() || (k == 0 && name.compare(QStringLiteral("background"), Qt::CaseInsensitive) == 0) ||
            names.contains(name))
            continue;
        names << name;
    }
    for (int i = 0; i < names.size(); ++i)
        newColors << colors.value(i + 1, defaultClassColor(i + 1));
    for (int i = 1; i < oldNames.size(); ++i)
        if (!names.contains(oldNames[i]) && m_inUse && m_inUse(i)) {
            names << oldNames[i]; // still painted somewhere: kept rather than silently dropped
            newColors << oldColors.value(i, defaultClassColor(names.size()));
        }
    while (names.size() > 254)
        names.removeLast();

    QVector<int> lut(256);
    bool identity = true;
    for (int i = 0; i < 256; ++i) {
        lut[i] = i == 255 ? 255 : (i < oldNames.size() ? (i == 0 ? 0 : int(names.indexOf(oldNames[i])) + 1) : i);
        identity = identity && lut[i] == i;
    }

    QSignalBlocker block(m_list);
    m_list->clear();
    auto* bg = makeItem(QStringLiteral("background"), newColors[0]);
    bg->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled); // fixed: always label 0
    bg->setData(Qt::CheckStateRole, QVariant());
    bg->setToolTip(tr("Background is always present and always label 0"));
    m_list->addItem(bg);
    for (int i = 0; i < names.size(); ++i)
        m_list->addItem(makeItem(names[i], newColors.value(i + 1, defaultClassColor(i + 1))));
    m_list->setCurrentRow(m_list->count() > 1 ? 1 : 0);
    block.unblock();
    if (!identity)
        emitRemap(lut);
    Q_EMIT classesChanged();
    Q_EMIT activeClassChanged(m_list->currentRow());
}

void ClassPanel::appendClasses(const QStringList& names)
{
    const QStringList present = allNames();
    bool added = false;
    {
        QSignalBlocker block(m_list);
        for (const auto& n : names) {
            const QString name = n.trimmed();
            if (name.isEmpty() || present.contains(name) || m_list->count() >= 255)
                continue;
            bool again = false;
            for (int i = 0; i < m_list->count(); ++i)
                again = again || m_list->item(i)->text().trimmed() == name;
            if (again)
                continue;
            m_list->addItem(makeItem(name, defaultClassColor(m_list->count())));
            added = true;
        }
    }
    if (added)
        Q_EMIT classesChanged();
}

bool ClassPanel::isClassVisible(int index) const
{
    auto* item = m_list->item(index);
    return !item || index == 0 || item->checkState() != Qt::Unchecked;
}

void ClassPanel::setClassVisible(int index, bool visible)
{
    if (auto* item = m_list->item(index); item && index > 0)
        item->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
}

void ClassPanel::setActiveClass(int index)
{
    if (index >= 0 && index < m_list->count())
        m_list->setCurrentRow(index);
}

void ClassPanel::addClass(const QString& name)
{
    QString n = name;
    if (n.isEmpty()) {
        bool ok = false;
        n = QInputDialog::getText(this, tr("Add class"), tr("Class name:"), QLineEdit::Normal, QString(), &ok)
                .trimmed();
        if (!ok || n.isEmpty())
            return;
    }
    if (allNames().contains(n, Qt::CaseInsensitive) || m_list->count() >= 255)
        return;
    m_list->addItem(makeItem(n, defaultClassColor(m_list->count())));
    m_list->setCurrentRow(m_list->count() - 1);
    Q_EMIT classesChanged();
}

void ClassPanel::emitRemap(const QVector<int>& lut)
{
    Q_EMIT labelsRemapped(lut);
}

void ClassPanel::removeActiveClass()
{
    const int row = m_list->currentRow();
    if (row <= 0)
        return;
    if (m_inUse && m_inUse(row) && m_confirmDrop && !m_confirmDrop(m_list->item(row)->text().trimmed()))
        return;
    const int n = m_list->count();
    delete m_list->takeItem(row);
    QVector<int> lut(256);
    for (int i = 0; i < 256; ++i)
        lut[i] = i < row ? i : (i == row ? 0 : (i < n ? i - 1 : i));
    lut[255] = 255;
    emitRemap(lut);
    Q_EMIT classesChanged();
}

void ClassPanel::moveActiveClass(int delta)
{
    const int row = m_list->currentRow();
    const int to = row + delta;
    if (row <= 0 || to <= 0 || to >= m_list->count())
        return;
    auto* item = m_list->takeItem(row);
    m_list->insertItem(to, item);
    m_list->setCurrentRow(to);
    QVector<int> lut(256);
    for (int i = 0; i < 256; ++i)
        lut[i] = i;
    lut[row] = to;
    lut[to] = row;
    emitRemap(lut);
    Q_EMIT classesChanged();
}

void ClassPanel::renameActiveClass()
{
    auto* item = m_list->currentItem();
    if (item && m_list->currentRow() > 0)
        m_list->editItem(item);
}

void ClassPanel::chooseColorOfActive()
{
    auto* item = m_list->currentItem();
    if (!item)
        return;
    const QColor c = QColorDialog::getColor(item->data(kColorRole).value<QColor>(), this, tr("Class colour"));
    if (!c.isValid())
        return;
    QSignalBlocker block(m_list);
    item->setData(kColorRole, c);
    item->setIcon(swatch(c));
    block.unblock();
    Q_EMIT classesChanged();
}

QVector<QPair<QString, QString>> ClassPanel::findPresets()
{
    QVector<QPair<QString, QString>> out;
    QString root;
    try {
        root = QString::fromStdString(invseg::resourceDir());
    } catch (const std::exception&) {
        return out;
    }
    const QDir classesDir(root + QStringLiteral("/classes"));
    for (const auto& fi : classesDir.entryInfoList({QStringLiteral("*.txt")}, QDir::Files, QDir::Name))
        out.push_back({fi.completeBaseName(), fi.absoluteFilePath()});
    const QString toy = root + QStringLiteral("/toy/classes.txt");
    if (QFileInfo::exists(toy))
        out.push_back({QStringLiteral("toy"), toy});
    return out;
}

bool ClassPanel::readClassFile(const QString& path, QStringList* classes, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        if (error)
            *error = tr("Cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    QTextStream in(&f);
    QStringList out;
    while (!in.atEnd()) {
        const QString line = in.readLine().trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (out.isEmpty() && line.compare(QStringLiteral("background"), Qt::CaseInsensitive) == 0)
            continue;
        if (!out.contains(line, Qt::CaseInsensitive))
            out << line;
    }
    *classes = out;
    return true;
}

void ClassPanel::applyPreset(int comboIndex)
{
    if (comboIndex <= 0 || comboIndex > m_presetFiles.size())
        return;
    QStringList list;
    QString error;
    if (!readClassFile(m_presetFiles[comboIndex - 1].second, &list, &error)) {
        QMessageBox::warning(this, tr("Class preset"), error);
    } else {
        setClasses(list);
    }
    m_presets->setCurrentIndex(0);
}

void ClassPanel::importList()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import class list"), QString(),
                                                      tr("Class lists (*.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    QStringList list;
    QString error;
    if (!readClassFile(path, &list, &error))
        QMessageBox::warning(this, tr("Import class list"), error);
    else
        setClasses(list);
}

void ClassPanel::exportList()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export class list"), QStringLiteral("classes.txt"),
                                                      tr("Class lists (*.txt)"));
    if (path.isEmpty())
        return;
    QSaveFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Text)) {
        QTextStream out(&f);
        for (const auto& n : allNames())
            out << n << '\n';
        out.flush();
        if (f.commit())
            return;
    }
    QMessageBox::warning(this, tr("Export class list"), tr("Cannot write %1: %2").arg(path, f.errorString()));
}

} // namespace invseg::ui
