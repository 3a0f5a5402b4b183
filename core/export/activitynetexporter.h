#pragma once

#include "core/export/datasetexporter.h"

namespace saccade {

/// `activitynet.json` in the ActivityNet 1.3 layout: `database` keyed by video id with subset
/// (training, validation, testing; "unassigned" when a video has no split), duration in seconds,
/// resolution "WxH", url "" and `annotations` of `{segment: [start, end] seconds, label}`.
class ActivityNetExporter : public DatasetExporter {
public:
    static inline const QString kFileName = QStringLiteral("activitynet.json");

    ExportFormat format() const override { return ExportFormat::ActivityNet; }
    QString formatVersion() const override { return QStringLiteral("VERSION 1.3"); }
    Status write(const ExportContext& context) override;

    /// The ActivityNet subset name of a split, and back.
    static QString subsetName(Split split);
    static std::optional<Split> splitFromSubset(const QString& subset);
};

} // namespace saccade
