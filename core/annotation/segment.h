#pragma once

#include <QString>

#include <optional>

namespace saccade {

/// Review state of a segment. Proposals come from the model; a person accepts, rejects or edits them.
enum class SegmentState { Proposed = 1, Accepted, Rejected, Edited };

/// Who produced a segment.
enum class SegmentOrigin { Person = 1, Model };

QString segmentStateName(SegmentState state);
std::optional<SegmentState> segmentStateFromName(const QString& name);
QString segmentOriginName(SegmentOrigin origin);
std::optional<SegmentOrigin> segmentOriginFromName(const QString& name);

/// Provenance of a segment: a person, or a model identified by its weights' hash with a confidence.
struct SegmentSource {
    SegmentOrigin origin = SegmentOrigin::Person;
    QString modelHash;
    std::optional<double> confidence;

    bool operator==(const SegmentSource& other) const;
    bool operator!=(const SegmentSource& other) const { return !(*this == other); }
};

/// A labelled interval of one video, in source-video frames: `startFrame` is the first frame in the
/// segment and `endFrame` the first frame after it (half-open [start, end), so the length is
/// end - start and adjacent segments share a boundary). Seconds are derived from the video's fps.
/// Segments may overlap; the document keeps them as they are and every exporter writes them as they are.
struct Segment {
    QString id;
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    QString label;
    SegmentState state = SegmentState::Accepted;
    SegmentSource source;
    QString note;

    qint64 frameCount() const { return endFrame - startFrame; }
    bool overlaps(const Segment& other) const {
        return startFrame < other.endFrame && other.startFrame < endFrame;
    }
    /// A new unique id (a UUID without braces).
    static QString newId();

    bool operator==(const Segment& other) const;
    bool operator!=(const Segment& other) const { return !(*this == other); }
};

} // namespace saccade
