#pragma once

#include "core/export/importedannotations.h"
#include "core/util/result.h"

#include <optional>
#include <vector>

namespace saccade {

/// What an import needs from the `saccade-export.json` written beside an export (see ProvenanceManifest):
/// each video's original path, and each exported segment's frames, label, state and source, which the
/// dataset formats themselves cannot hold.
struct ExportManifest {
    struct SegmentRecord {
        QString label;
        qint64 startFrame = 0;
        qint64 endFrame = 0;
        SegmentState state = SegmentState::Accepted;
        SegmentSource source;
    };
    struct VideoRecord {
        QString id;
        QString path;
        std::vector<SegmentRecord> segments;
    };

    QString path;
    std::vector<VideoRecord> videos;

    /// The manifest in the folder of `annotationFile`, or nothing when there is none; an error when it
    /// exists but cannot be read.
    static Result<std::optional<ExportManifest>> readBeside(const QString& annotationFile);
    static Result<ExportManifest> parse(const QByteArray& json, const QString& path);

    const VideoRecord* video(const QString& id) const;
    /// Records each imported video's original file name and path (the export's ids may have been cleaned
    /// from the file names, so a video is looked up by its file name first).
    void annotate(ImportedAnnotations& annotations) const;
    /// Gives `segment` of video `videoId` the state and source the manifest records for the same label
    /// and frames, each record used once; false when there is none.
    bool restore(const QString& videoId, Segment& segment, std::vector<std::vector<bool>>& used) const;
};

} // namespace saccade
