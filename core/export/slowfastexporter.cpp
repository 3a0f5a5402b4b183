#include "core/export/slowfastexporter.h"

#include "core/export/exportsupport.h"

#include <QMap>

#include <algorithm>

namespace saccade {

Status SlowFastExporter::write(const ExportContext& context) {
    const auto& videos = context.project.videos;
    const bool anyAssigned = std::any_of(videos.begin(), videos.end(), [](const VideoEntry& video) {
        return video.split != Split::Unassigned;
    });
    if (!anyAssigned)
        return Error::invalidArgument(QStringLiteral(
            "no video is in a split; assign splits first (for example --split train=0.8,val=0.1,test=0.1)"));
    QMap<Split, QString> lists{{Split::Train, {}}, {Split::Val, {}}, {Split::Test, {}}};
    for (size_t v = 0; v < videos.size(); ++v) {
        if (context.cancel.isCancelled())
            return Error::cancelled();
        const VideoEntry& video = videos[v];
        if (video.split == Split::Unassigned)
            continue;
        for (const Segment& segment : exportedSegments(video, context.options.includeProposals)) {
            const QString clip = QStringLiteral("clips/") + clipFileName(video.id, segment);
            Status cut = cutClip(context, video, segment, clip);
            if (!cut)
                return cut;
            lists[video.split] +=
                QStringLiteral("%1 %2\n").arg(clip).arg(context.project.labels.indexOf(segment.label));
        }
        context.reportProgress(static_cast<double>(v + 1) / static_cast<double>(videos.size()));
    }
    for (auto it = lists.cbegin(); it != lists.cend(); ++it) {
        Status written =
            context.output.writeFile(splitName(it.key()) + QStringLiteral(".csv"), it.value().toUtf8());
        if (!written)
            return written;
    }
    return context.output.writeFile(
        QStringLiteral("labels.txt"),
        (context.project.labels.names().join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
}

} // namespace saccade
