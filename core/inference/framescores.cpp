#include "core/inference/framescores.h"

#include <algorithm>
#include <cmath>

namespace saccade {

double FrameScoreAggregator::weight(qint64 start, qint64 end, qint64 frame) {
    if (frame < start || frame > end)
        return 0.0;
    const double halfSpan = 0.5 * static_cast<double>(end - start);
    if (halfSpan <= 0.0)
        return 1.0;
    const double centre = 0.5 * static_cast<double>(start + end);
    const double distance = std::abs(static_cast<double>(frame) - centre) / halfSpan;
    return 1.0 - (1.0 - kEdgeWeight) * std::min(1.0, distance);
}

FrameScores FrameScoreAggregator::aggregate(const std::vector<WindowScores>& windows, qint64 frameCount) {
    FrameScores scores;
    scores.frameCount = std::max<qint64>(0, frameCount);
    if (windows.empty() || scores.frameCount == 0)
        return scores;
    scores.classCount = static_cast<int>(windows.front().probabilities.size());
    const int classes = scores.classCount;
    scores.values.assign(static_cast<size_t>(scores.frameCount * classes), 0.0f);
    scores.covered.assign(static_cast<size_t>(scores.frameCount), false);
    std::vector<double> sums(scores.values.size(), 0.0);
    std::vector<double> weights(static_cast<size_t>(scores.frameCount), 0.0);
    for (const WindowScores& window : windows) {
        if (static_cast<int>(window.probabilities.size()) != classes)
            continue;
        const qint64 first = std::max<qint64>(0, window.startFrame);
        const qint64 last = std::min(scores.frameCount - 1, window.endFrame);
        for (qint64 frame = first; frame <= last; ++frame) {
            const double w = weight(window.startFrame, window.endFrame, frame);
            weights[size_t(frame)] += w;
            double* row = sums.data() + frame * classes;
            for (int c = 0; c < classes; ++c)
                row[c] += w * window.probabilities[size_t(c)];
        }
    }
    for (qint64 frame = 0; frame < scores.frameCount; ++frame) {
        const double total = weights[size_t(frame)];
        if (total <= 0.0)
            continue;
        scores.covered[size_t(frame)] = true;
        for (int c = 0; c < classes; ++c)
            scores.values[size_t(frame * classes + c)] =
                static_cast<float>(sums[size_t(frame * classes + c)] / total);
    }
    return scores;
}

} // namespace saccade
