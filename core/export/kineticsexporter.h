#pragma once

#include "core/export/datasetexporter.h"

namespace saccade {

/// `kinetics.csv` with the Kinetics header (label, youtube_id, time_start, time_end, split, is_cc): one
/// row per segment, the video id in the id column, times in seconds (start of the first frame, start of
/// the frame after the last), the project split ("unassigned" when none). With a clip mode, clips are cut
/// to `clips/{id}_{start:06d}_{end:06d}.mp4` (start and end frames).
class KineticsExporter : public DatasetExporter {
public:
    static inline const QString kFileName = QStringLiteral("kinetics.csv");
    static inline const QString kHeader = QStringLiteral("label,youtube_id,time_start,time_end,split,is_cc");

    ExportFormat format() const override { return ExportFormat::Kinetics; }
    QString formatVersion() const override { return QStringLiteral("kinetics-700-2020"); }
    Status write(const ExportContext& context) override;
};

} // namespace saccade
