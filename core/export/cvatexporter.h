#pragma once

#include "core/export/datasetexporter.h"

namespace saccade {

/// CVAT for video 1.1 XML, one task file per video (CVAT imports one video per task), named after the
/// video's file stem (`cvat/{stem}.xml`, `{stem}_2` on a collision) because FiftyOne pairs
/// `labels/{stem}.xml` with the video `{stem}.*`. CVAT's video format has no temporal tag, so each
/// segment is a full-frame box track written as CVAT writes an interpolated track: a box on every frame
/// of the segment (keyframes at the first and last), then an `outside="1"` keyframe at the frame after
/// the last (left out when the segment runs to the end of the video). FiftyOne and datumaro read boxes as
/// they stand, without interpolating, so every frame must carry one. Person segments have source
/// "manual", model proposals "auto".
class CvatExporter : public DatasetExporter {
public:
    ExportFormat format() const override { return ExportFormat::Cvat; }
    QString formatVersion() const override { return QStringLiteral("1.1"); }
    Status write(const ExportContext& context) override;

    /// The XML file stem of each video, in order: its file stem, made unique.
    static QStringList fileStems(const std::vector<VideoEntry>& videos);
    static QByteArray taskXml(const VideoEntry& video, const LabelSet& labels,
                              const std::vector<Segment>& segments);
};

} // namespace saccade
