#pragma once

#include <QColor>
#include <QString>
#include <QVector>
#include <QtGlobal>

namespace saccade {

/// How a segment came to be, which decides how the timeline draws it.
enum class TimelineSegmentState {
    Manual = 1,
    Proposed,
    Accepted,
    Rejected,
    Edited,
};

/// One segment as the timeline shows it: frames [startFrame, endFrame), a label and its colour.
struct TimelineSegment {
    QString id;
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    QString label;
    QColor color;
    TimelineSegmentState state = TimelineSegmentState::Manual;
    /// Model confidence in [0, 1] for proposals; negative when there is none.
    double confidence = -1.0;
};

/// Frames [start, end).
struct FrameRange {
    qint64 start = 0;
    qint64 end = 0;
};

/// Which edge of a segment is being dragged.
enum class SegmentEdge {
    Start = 1,
    End,
};

} // namespace saccade
