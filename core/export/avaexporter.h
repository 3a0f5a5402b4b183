#pragma once

#include "core/export/datasetexporter.h"

namespace saccade {

/// AVA-style `ava.csv` (no header: video_id, timestamp, x1, y1, x2, y2, action_id, person_id) and
/// `label_map.pbtxt`. One row per whole second t whose frame round(t * fps) lies inside a segment; the box
/// is the full frame (0,0,1,1) since segments have none; action ids are 1-based label indices; person_id
/// is 0. Identical rows from overlapping segments of one label are written once. A segment holding no
/// whole-second keyframe (shorter than a second, between two) gets no row: each one is named in a warning.
class AvaExporter : public DatasetExporter {
public:
    ExportFormat format() const override { return ExportFormat::Ava; }
    QString formatVersion() const override { return QStringLiteral("ava-2.2-style"); }
    Status write(const ExportContext& context) override;

    static QByteArray labelMap(const LabelSet& labels);
};

} // namespace saccade
