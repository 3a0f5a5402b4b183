#pragma once

#include "core/export/importedannotations.h"
#include "core/util/result.h"

namespace saccade {

/// Reads Label Studio JSON tasks with video `timelinelabels` results (ranges 1-based, inclusive).
/// Results under `annotations` become accepted segments, under `predictions` proposals (with the
/// result's or prediction's score as confidence and model_version as model hash). The video id is
/// `data.video_id`, else the file stem of `data.video`. Any thread.
class LabelStudioImporter {
public:
    static Result<ImportedAnnotations> read(const QString& path);
    static Result<ImportedAnnotations> parse(const QByteArray& json, const QString& path);
};

} // namespace saccade
