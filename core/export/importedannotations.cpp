#include "core/export/importedannotations.h"

namespace saccade {

ImportedVideo& ImportedAnnotations::videoFor(const QString& videoId) {
    for (ImportedVideo& video : videos) {
        if (video.id == videoId)
            return video;
    }
    videos.push_back(ImportedVideo{videoId, {}, {}, std::nullopt, {}});
    return videos.back();
}

void ImportedAnnotations::noteLabel(const QString& label) {
    if (!labels.contains(label))
        labels << label;
}

} // namespace saccade
