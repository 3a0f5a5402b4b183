#pragma once

#include "core/export/datasetexporter.h"

namespace saccade {

/// CVAT for video 1.1 XML, one task file per video (`cvat/{id}.xml`; CVAT imports one video per task).
/// CVAT's video format has no temporal tag, so each segment is a full-frame box track: a keyframe at
/// the first frame and an `outside="1"` keyframe at the frame after the last (left out when the segment
/// runs to the end of the video). Person segments have source "manual", model proposals "auto".
class CvatExporter : public DatasetExporter {
public:
    ExportFormat format() const override { return ExportFormat::Cvat; }
    QString formatVersion() const override { return QStringLiteral("1.1"); }
    Status write(const ExportContext& context) override;

    static QByteArray taskXml(const VideoEntry& video, const LabelSet& labels,
                              const std::vector<Segment>& segments);
};

} // namespace saccade
