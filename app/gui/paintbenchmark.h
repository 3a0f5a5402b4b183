#pragma once

#include <QSize>

namespace saccade {

/// Measures how long VideoView takes to paint one frame with the attention overlay, crop box and HUD
/// (the per-frame cost during playback) and prints the figures. Returns the process exit code.
class PaintBenchmark {
public:
    int run(QSize frameSize, QSize viewSize, int iterations);
};

} // namespace saccade
