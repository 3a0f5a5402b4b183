#pragma once

#include "core/export/datasetexporter.h"

namespace saccade {

/// Label Studio tasks (`labelstudio.json`) with video `TimelineLabels`, frame ranges 1-based and
/// inclusive (a segment [s, e) becomes start s + 1, end e). Each task has an `id` (1, 2, ...; Label
/// Studio's converter needs one). Confirmed segments go under `annotations` (origin "manual"); with
/// proposals included, proposals go under `predictions` (model_version = model hash, per-result score).
/// `data.video` is a local-files URL (`/data/local-files/?d=PATH`, PATH relative to the media root) or,
/// with a media URL, that URL + PATH; `data.video_id` is the project's id and `data.fps` the video's
/// frame rate, which the labeling config (`labelstudio-config.xml`, beside it) reads as `$fps`.
class LabelStudioExporter : public DatasetExporter {
public:
    static inline const QString kFileName = QStringLiteral("labelstudio.json");
    static inline const QString kConfigFileName = QStringLiteral("labelstudio-config.xml");

    ExportFormat format() const override { return ExportFormat::LabelStudio; }
    QString formatVersion() const override { return QStringLiteral("timelinelabels-1"); }
    Status write(const ExportContext& context) override;

    static QByteArray labelingConfig(const LabelSet& labels);
    /// Where Label Studio finds `video` (see above); an error when it is not under `mediaRoot`.
    static Result<QString> mediaReference(const VideoEntry& video, const QString& mediaRoot,
                                          const QString& mediaUrl);
};

} // namespace saccade
