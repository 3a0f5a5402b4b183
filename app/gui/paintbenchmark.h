#pragma once

#include <QSize>

class QTextStream;

namespace saccade {

/// Measures how long VideoView takes to paint one frame with the attention overlay, crop box and HUD
/// (the per-frame cost during playback), how long a changed layer, head, fusion or colormap takes to
/// reach the screen, and how long the layers x heads grid takes; prints the figures. Returns the
/// process exit code.
class PaintBenchmark {
public:
    int run(QSize frameSize, QSize viewSize, int iterations);

private:
    void runExplorer(QSize frameSize, QSize viewSize, int iterations, QTextStream& out);
};

} // namespace saccade
