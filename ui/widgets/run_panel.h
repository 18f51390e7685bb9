// Run settings (steps, learning rate, timestep, views, λ, device, dtype, baseline) and Run/Stop with progress.
#pragma once

#include "invseg/segment_options.h"

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
    void setDevices(const QStringList& devices);
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
    bool m_running = false;
};

} // namespace invseg::ui
