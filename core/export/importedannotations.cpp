#include "core/export/importedannotations.h"

namespace saccade {

ImportedVideo& ImportedAnnotations::videoFor(const QString& videoId) {
    const auto found = m_videoPositions.constFind(videoId);
    if (found != m_videoPositions.constEnd())
        return videos[*found];
    m_videoPositions.insert(videoId, videos.size());
    videos.push_back(ImportedVideo{videoId, {}, {}, std::nullopt, {}});
    return videos.back();
}

void ImportedAnnotations::noteLabel(const QString& label) {
    if (m_labelSet.contains(label))
        return;
    m_labelSet.insert(label);
    labels << label;
}

} // namespace saccade
