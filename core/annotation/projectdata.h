#pragma once

#include "core/annotation/labelset.h"
#include "core/annotation/videoentry.h"

#include <vector>

namespace saccade {

/// Everything a project holds, as a plain value: what the document edits, the project file stores,
/// and exporters read (a copy, so an export on a worker thread never touches the live document).
struct ProjectData {
    QString name;
    LabelSet labels;
    std::vector<VideoEntry> videos;

    const VideoEntry* video(const QString& videoId) const;
    int videoIndex(const QString& videoId) const;
    /// An id not used by any video yet, derived from `base` (a file stem): `base`, `base_2`, ...
    QString uniqueVideoId(const QString& base) const;

    bool operator==(const ProjectData& other) const {
        return name == other.name && labels == other.labels && videos == other.videos;
    }
};

} // namespace saccade
