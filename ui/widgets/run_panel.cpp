// Run panel: a form over SegmentOptions and the progress read-out.
#include "widgets/run_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace invseg::ui {

RunPanel::RunPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* form = new QFormLayout;
    m_steps = new QSpinBox(this);
    m_steps->setRange(1, 1000);
    m_steps->setToolTip(tr("Optimisation steps K"));
    m_lr = new QDoubleSpinBox(this);
    m_lr->setDecimals(4);
    m_lr->setRange(0.0, 1.0);
    m_lr->setSingleStep(0.001);
    m_lr->setToolTip(tr("Adam learning rate"));
    m_timestep = new QSpinBox(this);
    m_timestep->setRange(0, 999);
    m_timestep->setToolTip(tr("Diffusion timestep t of the noised latent"));
    m_views = new QSpinBox(this);
    m_views->setRange(1, 2);
    m_views->setToolTip(tr("1 = identity only, 2 = identity and horizontal flip"));
    m_lambda = new QDoubleSpinBox(this);
    m_lambda->setDecimals(3);
    m_lambda->setRange(0.0, 100.0);
    m_lambda->setSingleStep(0.1);
    m_lambda->setToolTip(tr("Weight λ of the entropy loss"));
    m_device = new QComboBox(this);
    m_device->setObjectName(QStringLiteral("deviceList"));
    m_dtype = new QComboBox(this);
    m_dtype->addItems({QStringLiteral("fp32"), QStringLiteral("bf16"), QStringLiteral("fp16")});
    m_baseline = new QCheckBox(tr("Baseline only (no inversion)"), this);
    form->addRow(tr("Steps"), m_steps);
    form->addRow(tr("Learning rate"), m_lr);
    form->addRow(tr("Timestep"), m_timestep);
    form->addRow(tr("Views"), m_views);
    form->addRow(tr("λ (entropy)"), m_lambda);
    m_deviceNote = new QLabel(this);
    m_deviceNote->setObjectName(QStringLiteral("deviceNote"));
    m_deviceNote->setWordWrap(true);
    m_deviceNote->hide();
    form->addRow(tr("Device"), m_device);
    form->addRow(tr("Precision"), m_dtype);
    form->addRow(m_baseline);
    layout->addLayout(form);
    // Under the form, not in it: a word-wrapped label gets its full height in a box layout.
    layout->addWidget(m_deviceNote);

    auto* buttons = new QHBoxLayout;
    m_run = new QPushButton(tr("Run"), this);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setToolTip(tr("Segment the current image (F5)"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_stop->setEnabled(false);
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    layout->addLayout(buttons);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    layout->addWidget(m_progress);
    m_stepLabel = new QLabel(this);
    layout->addWidget(m_stepLabel);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);

    connect(m_run, &QPushButton::clicked, this, &RunPanel::runRequested);
    connect(m_stop, &QPushButton::clicked, this, &RunPanel::stopRequested);
    connect(m_baseline, &QCheckBox::toggled, m_steps, &QWidget::setDisabled);
    connect(m_device, &QComboBox::currentIndexChanged, this, &RunPanel::deviceOrDtypeChanged);
    connect(m_dtype, &QComboBox::currentTextChanged, this, &RunPanel::deviceOrDtypeChanged);
    connect(m_device, &QComboBox::activated, this, &RunPanel::deviceOrDtypeChosen);
    connect(m_dtype, &QComboBox::activated, this, &RunPanel::deviceOrDtypeChosen);
    setDevices({{QStringLiteral("cpu"), QStringLiteral("cpu")}});
    setOptions(invseg::SegmentOptions{});
}

invseg::SegmentOptions RunPanel::options() const
{
    invseg::SegmentOptions o = m_base;
    o.steps = m_baseline->isChecked() ? 0 : m_steps->value();
    o.learningRate = m_lr->value();
    o.timestep = m_timestep->value();
    o.views = m_views->value();
    o.entropyWeight = m_lambda->value();
    o.device = device().toStdString();
    o.dtype = dtype().toStdString();
    return o;
}

void RunPanel::setOptions(const invseg::SegmentOptions& options)
{
    m_base = options;
    m_baseline->setChecked(options.steps == 0);
    if (options.steps > 0)
        m_steps->setValue(options.steps);
    m_lr->setValue(options.learningRate);
    m_timestep->setValue(static_cast<int>(options.timestep));
    m_views->setValue(options.views);
    m_lambda->setValue(options.entropyWeight);
    setDevice(QString::fromStdString(options.device));
    setDtype(QString::fromStdString(options.dtype));
}

void RunPanel::setDevices(const QList<QPair<QString, QString>>& devices)
{
    const QString current = device();
    QSignalBlocker block(m_device);
    m_device->clear();
    for (const auto& [id, label] : devices)
        m_device->addItem(label, id);
    block.unblock();
    setDevice(current.isEmpty() && !devices.isEmpty() ? devices.first().first : current);
}

void RunPanel::setDeviceNote(const QString& note, const QString& detail)
{
    m_deviceNote->setText(note);
    m_deviceNote->setToolTip(detail);
    m_device->setToolTip(detail);
    m_deviceNote->setVisible(!note.isEmpty());
}

QString RunPanel::deviceNote() const
{
    return m_deviceNote->text();
}

QString RunPanel::device() const
{
    return m_device->currentData().toString();
}
QString RunPanel::dtype() const
{
    return m_dtype->currentText();
}
bool RunPanel::baselineOnly() const
{
    return m_baseline->isChecked();
}

void RunPanel::setDevice(const QString& device)
{
    QString d = device == QStringLiteral("cuda") ? QStringLiteral("cuda:0") : device;
    const int i = m_device->findData(d);
    m_device->setCurrentIndex(i >= 0 ? i : 0);
}

void RunPanel::setDtype(const QString& dtype)
{
    const int i = m_dtype->findText(dtype);
    m_dtype->setCurrentIndex(i >= 0 ? i : 0);
}

void RunPanel::setRunning(bool running)
{
    m_stop->setEnabled(running);
    if (running == m_running) {
        if (running)
            m_run->setEnabled(false);
        return;
    }
    m_running = running;
    m_run->setEnabled(!running);
    if (running) {
        m_progress->setRange(0, 0); // busy until the first step arrives
        m_stepLabel->clear();
        m_message->clear();
    } else if (m_progress->maximum() == 0) {
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
    }
}

void RunPanel::setRunEnabled(bool enabled)
{
    m_run->setEnabled(enabled && !m_running);
}

void RunPanel::showProgress(int step, int totalSteps, double stepMs, double elapsedMs)
{
    m_progress->setRange(0, std::max(1, totalSteps));
    m_progress->setValue(std::min(step, std::max(1, totalSteps)));
    const double eta = step > 0 ? (totalSteps - step) * (elapsedMs / step) / 1000.0 : 0.0;
    m_stepLabel->setText(tr("Step %1 / %2 · %3 ms/step · ETA %4 s")
                             .arg(step)
                             .arg(totalSteps)
                             .arg(stepMs, 0, 'f', 0)
                             .arg(eta, 0, 'f', 1));
}

void RunPanel::resetProgress()
{
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_stepLabel->clear();
}

int RunPanel::progressValue() const
{
    return m_progress->value();
}
int RunPanel::progressMaximum() const
{
    return m_progress->maximum();
}

void RunPanel::showMessage(const QString& text)
{
    m_message->setText(text);
}

} // namespace invseg::ui
