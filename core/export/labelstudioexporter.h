#pragma once

#include "core/export/datasetexporter.h"

namespace saccade {

/// Label Studio tasks (`labelstudio.json`) with video `TimelineLabels`, frame ranges 1-based and
/// inclusive (a segment [s, e) becomes start s + 1, end e). Confirmed segments go under `annotations`
/// (origin "manual"); with proposals included, proposals go under `predictions` (model_version = model
/// hash, per-result score). `data.video` is the source path, `data.video_id` the project's id. The
/// labeling config (`labelstudio-config.xml`) is written beside it; its frameRate is the most common fps.
class LabelStudioExporter : public DatasetExporter {
public:
    static inline const QString kFileName = QStringLiteral("labelstudio.json");
    static inline const QString kConfigFileName = QStringLiteral("labelstudio-config.xml");

    ExportFormat format() const override { return ExportFormat::LabelStudio; }
    QString formatVersion() const override { return QStringLiteral("timelinelabels-1"); }
    Status write(const ExportContext& context) override;

    static QByteArray labelingConfig(const LabelSet& labels, double fps);
};

} // namespace saccade
