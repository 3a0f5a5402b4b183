#pragma once

#include <QIcon>

namespace saccade {

/// Saccade's icon (the design of resources/icons/saccade.svg: a film frame, an eye, a heat-map iris)
/// painted at the sizes window managers ask for, so that the program needs no SVG plugin.
QIcon appIcon();

} // namespace saccade
