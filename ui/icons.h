// Tool-bar icons: the SVGs in resources/icons when this Qt can render SVG, else the same shapes painted in code.
#pragma once

#include <QIcon>
#include <QString>

namespace invseg::ui {

/// name: "run", "stop", "view", "brush", "eraser", "fill", "open", "invseg-studio".
QIcon appIcon(const QString& name);

} // namespace invseg::ui
