// The class list: background (fixed, row 0) plus the user's classes, each with a colour; presets, import/export.
#pragma once

#include <QColor>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QComboBox;
class QListWidget;
class QListWidgetItem;
class QToolButton;

namespace invseg::ui {

/// Row i is label i. Changing the order or removing a class reports how old labels map to new ones (labelsRemapped:
/// lut[old] = new, removed classes → 0), so open label maps can follow.
class ClassPanel : public QWidget {
    Q_OBJECT
public:
    explicit ClassPanel(QWidget* parent = nullptr);

    /// The user's classes, without background.
    QStringList classes() const;
    /// Background first, then the classes: label i ↔ allNames()[i].
    QStringList allNames() const;
    QVector<QColor> colors() const;
    /// Replaces the list (a leading "background" is skipped). Colours default to the VOC palette.
    void setClasses(const QStringList& classes, const QVector<QColor>& colors = {});
    int activeClass() const;
    void setActiveClass(int index);

    /// name → file of the presets found (resources/classes/*.txt, resources/toy/classes.txt).
    static QVector<QPair<QString, QString>> findPresets();
    /// Reads a class list file: one name per line, blank lines and '#' comments skipped, "background" first line
    /// dropped. Returns false with a message when unreadable.
    static bool readClassFile(const QString& path, QStringList* classes, QString* error);

public Q_SLOTS:
    void addClass(const QString& name = QString());
    void removeActiveClass();
    void moveActiveClass(int delta);
    void renameActiveClass();
    void chooseColorOfActive();
    void importList();
    void exportList();
    void applyPreset(int comboIndex);

Q_SIGNALS:
    void classesChanged();
    void activeClassChanged(int index);
    void labelsRemapped(const QVector<int>& lut);

private:
    QListWidgetItem* makeItem(const QString& name, const QColor& color) const;
    void emitRemap(const QVector<int>& lut);

    QListWidget* m_list;
    QComboBox* m_presets;
    QVector<QPair<QString, QString>> m_presetFiles;
};

} // namespace invseg::ui
