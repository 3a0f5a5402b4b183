#pragma once

#include "core/util/result.h"

#include <QString>

#include <vector>

namespace saccade {

/// One measured (or out-of-memory) configuration of `saccade-cli bench scaling`.
struct ScalingPoint {
    QString attention;
    int frames = 0;
    int size = 0;
    double msPerView = 0;
    double memoryMb = 0;
    bool outOfMemory = false;
};

/// Renders the paper's Fig. 3 layout to a PNG with QCustomPlot: time and memory against frames (at
/// 224 px) and against size (at 8 frames), one line per attention type, OOM points marked on the top
/// edge. Needs a QApplication (offscreen is enough); GUI thread only.
Status saveScalingPlot(const QString& path, const std::vector<ScalingPoint>& points);

} // namespace saccade
