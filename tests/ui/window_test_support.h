// Helpers of the tests that drive the whole MainWindow: loading the test model, setting the run's step count.
#pragma once

#include "ui_test_support.h"

#include "main_window.h"
#include "widgets/run_panel.h"

#include <QSignalSpy>

#include <gtest/gtest.h>

namespace invseg::ui::test {

/// Loads the repository's tiny model into `window` and waits (up to a minute) until it reports success.
inline void loadModelAndWait(MainWindow& window)
{
    QSignalSpy ready(&window, &MainWindow::modelReady);
    window.loadModel(goldenModelPath());
    for (int i = 0; i < 600 && ready.isEmpty(); ++i)
        ready.wait(100);
    ASSERT_EQ(ready.size(), 1);
    ASSERT_TRUE(ready[0][0].toBool());
}

/// Sets the run panel's optimisation steps, keeping its other options.
inline void setRunSteps(MainWindow& window, int steps)
{
    auto options = window.runPanel()->options();
    options.steps = steps;
    window.runPanel()->setOptions(options);
}

} // namespace invseg::ui::test
