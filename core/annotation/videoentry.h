#pragma once

#include "core/annotation/segment.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace saccade {

/// Which part of a dataset a video belongs to. A video is in exactly one split.
enum class Split { Unassigned = 1, Train, Val, Test };

/// "train", "val", "test" or "unassigned".
QString splitName(Split split);
std::optional<Split> splitFromName(const QString& name);

/// What probing a video file tells the project: filled from the media engine's probe.
struct VideoProbeInfo {
    int width = 0;
    int height = 0;
    double fps = 0.0;
    qint64 frameCount = 0;
    double durationSeconds = 0.0;

    bool operator==(const VideoProbeInfo& other) const;
};

/// One video of a project: where it is, what it is, and its annotations. `path` is absolute in memory
/// (the project file stores it relative to itself); `missing` is set when the file was not found on open.
struct VideoEntry {
    QString id;
    QString path;
    QString contentHash;
    qint64 sizeBytes = 0;
    VideoProbeInfo probe;
    Split split = Split::Unassigned;
    QStringList videoLabels;
    std::vector<Segment> segments;
    bool missing = false;

    /// Seconds at the start of `frame` (frame / fps; 0 when fps is unknown).
    double secondsAtFrame(qint64 frame) const;
    /// The frame starting nearest to `seconds`.
    qint64 frameAtSeconds(double seconds) const;
    const Segment* segment(const QString& segmentId) const;
    int segmentIndex(const QString& segmentId) const;

    bool operator==(const VideoEntry& other) const;
};

} // namespace saccade
