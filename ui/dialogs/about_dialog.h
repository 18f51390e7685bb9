// About box: version, LibTorch version, Qt version, the model and device in use.
#pragma once

#include <QDialog>

namespace invseg::ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    AboutDialog(const QString& modelText, const QString& deviceText, QWidget* parent = nullptr);
    /// The text shown (for tests).
    QString text() const { return m_text; }

private:
    QString m_text;
};

} // namespace invseg::ui
