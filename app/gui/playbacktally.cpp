#include "playbacktally.h"

#include "core/util/percentile.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace saccade {

PlaybackTally::PlaybackTally(qint64 firstFrame, qint64 startNs, double framesPerSecond, double speed)
    : m_firstFrame(firstFrame), m_startNs(startNs), m_intervalNs(1e9 / (framesPerSecond * speed)) {}

qint64 PlaybackTally::dueNs(qint64 frame) const {
    return m_startNs + std::llround(double(frame - m_firstFrame) * m_intervalNs);
}

void PlaybackTally::delivered(qint64 frame) {
    m_delivered.insert(frame);
}

void PlaybackTally::painted(qint64 frame, qint64 nowNs) {
    if (!m_paintedNs.contains(frame))
        m_paintedNs.insert(frame, nowNs);
}

PlaybackFigures PlaybackTally::figures(qint64 endNs, qint64 droppedByWorker) const {
    PlaybackFigures figures;
    // The first frame was on screen before the clock started; its successors are the ones due.
    figures.due = std::max<qint64>(0, qint64(std::floor(double(endNs - m_startNs) / m_intervalNs)));
    const qint64 lastDue = m_firstFrame + figures.due;
    std::vector<double> latenessMs;
    std::vector<qint64> paintedNs{m_startNs};
    for (qint64 frame = m_firstFrame + 1; frame <= lastDue; ++frame) {
        if (m_delivered.contains(frame))
            ++figures.delivered;
        const auto painted = m_paintedNs.constFind(frame);
        if (painted == m_paintedNs.constEnd())
            continue;
        ++figures.shown;
        paintedNs.push_back(*painted);
        const double lateNs = double(*painted - dueNs(frame));
        if (lateNs > m_intervalNs)
            ++figures.late;
        latenessMs.push_back(lateNs / 1e6);
    }
    // A dropped frame was never emitted, so it cannot have been shown; any excess belongs to frames due
    // after the end.
    figures.droppedByWorker = std::min(droppedByWorker, figures.due - figures.shown);
    figures.missing = figures.due - figures.shown - figures.droppedByWorker;
    std::sort(paintedNs.begin(), paintedNs.end());
    for (size_t index = 1; index < paintedNs.size(); ++index)
        figures.longestGapMs =
            std::max(figures.longestGapMs, (paintedNs[index] - paintedNs[index - 1]) / 1e6);
    figures.latenessP50Ms = percentile(latenessMs, 0.50);
    figures.latenessP95Ms = percentile(latenessMs, 0.95);
    figures.latenessP99Ms = percentile(latenessMs, 0.99);
    return figures;
}

} // namespace saccade
