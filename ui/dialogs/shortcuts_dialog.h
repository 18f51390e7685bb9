// Help ▸ Keyboard Shortcuts: every menu action with a shortcut, plus the canvas's mouse and key gestures.
#pragma once

#include <QDialog>
#include <QList>

class QAction;
class QTableWidget;

namespace invseg::ui {

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    /// Lists the actions' current shortcuts (read when the dialog is made; the actions are not kept).
    explicit ShortcutsDialog(const QList<QAction*>& actions, QWidget* parent = nullptr);
    QTableWidget* table() const { return m_table; }

private:
    QTableWidget* m_table;
};

} // namespace invseg::ui
