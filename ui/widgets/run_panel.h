// Run settings (steps, learning rate, timestep, views, λ, device, dtype, baseline) and Run/Stop with progress.
#pragma once

#include "invseg/segment_options.h"

#include <QList>
#include <QPair>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace invseg::ui {

class RunPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunPanel(QWidget* parent = nullptr);

    /// The method's options as set in the panel (device/dtype included; steps = 0 when "baseline only").
    invseg::SegmentOptions options() const;
    /// Sets every field from options (other options are kept and returned by options()).
    void setOptions(const invseg::SegmentOptions& options);
    /// The Device list: (id, label) pairs, e.g. ("cuda:0", "cuda:0 · NVIDIA H100 · 79 GiB"); device() is the id.
    void setDevices(const QList<QPair<QString, QString>>& devices);
    /// Why the list has no GPU (shown once under it, plainly; the tooltip holds the engine's detail line), or empty.
    void setDeviceNote(const QString& note, const QString& detail);
    QString deviceNote() const;
    QString device() const;
    QString dtype() const;
    void setDevice(const QString& device);
    void setDtype(const QString& dtype);
    bool baselineOnly() const;

    /// Running state: Run disabled, Stop enabled, progress reset.
    void setRunning(bool running);
    void setRunEnabled(bool enabled);
    void showProgress(int step, int totalSteps, double stepMs, double elapsedMs);
    /// An empty bar and no step text (an image without a run of its own).
    void resetProgress();
    int progressValue() const;
    int progressMaximum() const;
    void showMessage(const QString& text);

Q_SIGNALS:
    void runRequested();
    void stopRequested();
    void deviceOrDtypeChanged();
    /// The user picked a device or precision in the lists (not emitted when a program sets them).
    void deviceOrDtypeChosen();

private:
    invseg::SegmentOptions m_base;
    QSpinBox* m_steps;
    QDoubleSpinBox* m_lr;
    QSpinBox* m_timestep;
    QSpinBox* m_views;
    QDoubleSpinBox* m_lambda;
    QComboBox* m_device;
    QComboBox* m_dtype;
    QCheckBox* m_baseline;
    QPushButton* m_run;
    QPushButton* m_stop;
    QProgressBar* m_progress;
    QLabel* m_stepLabel;
    QLabel* m_message;
    QLabel* m_deviceNote;
    bool m_running = false;
};

} // namespace invseg::ui
