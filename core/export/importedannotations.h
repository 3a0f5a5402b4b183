#pragma once

#include "core/annotation/segment.h"
#include "core/annotation/videoentry.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <optional>
#include <vector>

namespace saccade {

/// One segment as a dataset file states it: in seconds, or in frames (already converted to 0-based,
/// end exclusive). `location` says where in the file it came from ("line 4", "task 2, result 1").
struct ImportedSegment {
    std::optional<double> startSeconds;
    std::optional<double> endSeconds;
    std::optional<qint64> startFrame;
    std::optional<qint64> endFrame;
    QString label;
    SegmentState state = SegmentState::Accepted;
    SegmentSource source;
    QString location;
};

/// One video of an imported file: its id (file stem), a path if the file names one, a split if it
/// names one, and its segments.
struct ImportedVideo {
    QString id;
    QString pathHint;
    /// The video's original file name when the file or the export's manifest records it (ids may have
    /// been cleaned from file names: "demo_action" for "demo action.mp4").
    QString fileName;
    std::optional<Split> split;
    std::vector<ImportedSegment> segments;
};

/// What an importer read: the labels in order of first appearance and the videos in file order.
struct ImportedAnnotations {
    QString sourcePath;
    QStringList labels;
    std::vector<ImportedVideo> videos;

    /// The entry for `videoId`, appended if new.
    ImportedVideo& videoFor(const QString& videoId);
    void noteLabel(const QString& label);

private:
    // Lookups for videoFor() and noteLabel(), so that a million rows over thousands of videos and
    // labels stay linear.
    QHash<QString, size_t> m_videoPositions;
    QSet<QString> m_labelSet;
};

} // namespace saccade
