#include "core/annotation/projectdata.h"

#include <QRegularExpression>

namespace saccade {

const VideoEntry* ProjectData::video(const QString& videoId) const {
    const int index = videoIndex(videoId);
    return index < 0 ? nullptr : &videos[static_cast<size_t>(index)];
}

int ProjectData::videoIndex(const QString& videoId) const {
    for (size_t i = 0; i < videos.size(); ++i) {
        if (videos[i].id == videoId)
            return static_cast<int>(i);
    }
    return -1;
}

QString ProjectData::uniqueVideoId(const QString& base) const {
    // Ids end up in CSV columns and clip file names: no spaces or commas.
    QString clean = base;
    clean.replace(QRegularExpression(QStringLiteral("[\\s,\"]")), QStringLiteral("_"));
    if (clean.isEmpty())
        clean = QStringLiteral("video");
    QString candidate = clean;
    for (int n = 2; videoIndex(candidate) >= 0; ++n)
        candidate = QStringLiteral("%1_%2").arg(clean).arg(n);
    return candidate;
}

} // namespace saccade
