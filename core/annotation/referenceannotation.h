#pragma once

#include "core/annotation/projectdata.h"
#include "core/util/result.h"

namespace saccade {

/// What an annotation is compared against: a Saccade project, or a truth file of the synthetic video
/// generator (JSON, format "saccade-synthetic-truth": video, fps, frame_count, labels, segments with
/// label, start_frame and end_frame exclusive), read as a project of one video whose segments are
/// accepted. Any thread.
class ReferenceAnnotation {
public:
    static constexpr char kTruthFormat[] = "saccade-synthetic-truth";

    static Result<ProjectData> load(const QString& path);
    /// The truth file's JSON as a project; `path` names the file in errors and locates the video.
    static Result<ProjectData> fromTruthJson(const QJsonObject& truth, const QString& path);
};

} // namespace saccade
