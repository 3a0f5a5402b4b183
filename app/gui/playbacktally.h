#pragma once

#include <QHash>
#include <QSet>
#include <QtGlobal>

namespace saccade {

/// What one stretch of playback showed, against what its clock asked for.
struct PlaybackFigures {
    /// Frames whose time came before the end of the stretch.
    qint64 due = 0;
    /// Due frames that reached the window.
    qint64 delivered = 0;
    /// Due frames painted at least once.
    qint64 shown = 0;
    /// Frames the decode worker skipped because the window had too many in flight.
    qint64 droppedByWorker = 0;
    /// Due frames neither painted nor skipped by the worker (delivered too late to be painted, or
    /// painted over by the next frame before a paint came).
    qint64 missing = 0;
    /// Shown frames painted more than one frame interval after their time.
    qint64 late = 0;
    /// Painted time minus due time over the shown frames, in milliseconds.
    double latenessP50Ms = 0.0;
    double latenessP95Ms = 0.0;
    double latenessP99Ms = 0.0;
    /// The longest time without a new frame on screen, from the start; long gaps mean a stalled thread.
    double longestGapMs = 0.0;

    /// Dropped and missing frames as a share of the due frames (0..1).
    double dropShare() const { return due > 0 ? double(droppedByWorker + missing) / double(due) : 0.0; }
};

/// Accounts for playback at a constant frame rate: playback starts at `startNs` (any monotonic clock in
/// nanoseconds) from `firstFrame`, which is on screen then, so frame firstFrame + k is due k frame
/// intervals later. Frames are reported as they reach the window and as they are painted; a frame
/// counts as shown at its first paint.
class PlaybackTally {
public:
    PlaybackTally(qint64 firstFrame, qint64 startNs, double framesPerSecond, double speed = 1.0);

    qint64 dueNs(qint64 frame) const;
    double frameIntervalNs() const { return m_intervalNs; }

    void delivered(qint64 frame);
    void painted(qint64 frame, qint64 nowNs);

    /// The stretch up to `endNs`, with `droppedByWorker` frames skipped by the worker meanwhile. Frames
    /// due after `endNs` are left out whenever they were painted.
    PlaybackFigures figures(qint64 endNs, qint64 droppedByWorker) const;

private:
    qint64 m_firstFrame = 0;
    qint64 m_startNs = 0;
    double m_intervalNs = 0.0;
    QSet<qint64> m_delivered;
    /// First paint time of each painted frame.
    QHash<qint64, qint64> m_paintedNs;
};

} // namespace saccade
