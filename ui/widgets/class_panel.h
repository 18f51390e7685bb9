// The class list: background (fixed, row 0) plus the user's classes, each with a colour; presets, import/export.
#pragma once

#include <QColor>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <functional>

class QComboBox;
class QListWidget;
class QListWidgetItem;
class QToolButton;

namespace invseg::ui {

/// Row i is label i. Changing the order or removing a class reports how old labels map to new ones (labelsRemapped:
/// lut[old] = new, removed classes → 0), so open label maps can follow. A new list (setClasses, a preset, an import)
/// is matched by name: every label keeps its class name, and a class that still has pixels somewhere (labelInUse)
/// stays in the list, appended at the end. Removing a class with pixels asks first (confirmDrop).
/// Each row has a check box: unchecked classes are hidden on the canvas (isClassVisible).
class ClassPanel : public QWidget {
    Q_OBJECT
public:
    explicit ClassPanel(QWidget* parent = nullptr);

    /// The user's classes, without background.
    QStringList classes() const;
    /// Background first, then the classes: label i ↔ allNames()[i].
    QStringList allNames() const;
    QVector<QColor> colors() const;
    /// Replaces the list (a leading "background" is skipped), remapping labels by name (see above). Colours default to
    /// the VOC palette.
    void setClasses(const QStringList& classes, const QVector<QColor>& colors = {});
    /// Adds classes at the end (no label changes: existing indices stay); names already present are skipped.
    void appendClasses(const QStringList& names);
    /// Whether label i has pixels in any open label map (set by the window; without it no label is in use).
    void setLabelInUse(std::function<bool(int)> inUse) { m_inUse = std::move(inUse); }
    /// Asked before the pixels of a removed class are dropped; false keeps the class (default: drop).
    void setConfirmDrop(std::function<bool(const QString&)> confirm) { m_confirmDrop = std::move(confirm); }
    bool isClassVisible(int index) const;
    void setClassVisible(int index, bool visible);
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
    std::function<bool(int)> m_inUse;
    std::function<bool(const QString&)> m_confirmDrop;
    QComboBox* m_presets;
    QVector<QPair<QString, QString>> m_presetFiles;
};

} // namespace invseg::ui
