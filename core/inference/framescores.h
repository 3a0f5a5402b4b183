#pragma once

#include <QtGlobal>

#include <vector>

namespace saccade {

/// One analysed window as the aggregation needs it: its span (inclusive) and class probabilities.
struct WindowScores {
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    std::vector<float> probabilities;
};

/// Every frame's class distribution: frameCount rows of classCount probabilities, row-major. Frames no
/// window covers have `covered` false and all-zero rows.
struct FrameScores {
    qint64 frameCount = 0;
    int classCount = 0;
    std::vector<float> values;
    std::vector<bool> covered;

    const float* row(qint64 frame) const { return values.data() + frame * classCount; }
    float at(qint64 frame, int classIndex) const { return values[size_t(frame * classCount + classIndex)]; }
};

/// Turns overlapping window predictions into per-frame distributions. A frame's distribution is the
/// weighted mean of the distributions of every window that covers it; a window's weight at a frame falls
/// linearly from 1 at its centre to kEdgeWeight at its ends, because a window speaks most surely of the
/// frames in its middle (a model trained on windows labelled by overlap answers for the centre).
/// Pure functions, any thread.
class FrameScoreAggregator {
public:
    /// A window's weight at its first and last frame (never 0, so a frame only the edge of one window
    /// covers still gets that window's scores).
    static constexpr double kEdgeWeight = 0.05;

    /// Weight of window [start, end] at `frame` (0 outside it).
    static double weight(qint64 start, qint64 end, qint64 frame);
    /// Windows in any order; rows of windows with another class count than the first are ignored.
    static FrameScores aggregate(const std::vector<WindowScores>& windows, qint64 frameCount);
};

} // namespace saccade
