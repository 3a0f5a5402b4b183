#include "core/export/kineticsexporter.h"

#include "core/export/exportsupport.h"

namespace saccade {

Status KineticsExporter::write(const ExportContext& context) {
    QString csv = kHeader + QLatin1Char('\n');
    const auto& videos = context.project.videos;
    for (size_t v = 0; v < videos.size(); ++v) {
        if (context.cancel.isCancelled())
            return Error::cancelled();
        const VideoEntry& video = videos[v];
        for (const Segment& segment : exportedSegments(video, context.options.includeProposals)) {
            csv += QStringList{csvField(segment.label),
                               csvField(video.id),
                               formatSeconds(video.secondsAtFrame(segment.startFrame)),
                               formatSeconds(video.secondsAtFrame(segment.endFrame)),
                               splitName(video.split),
                               QStringLiteral("0")}
                       .join(QLatin1Char(','));
            csv += QLatin1Char('\n');
            if (context.options.clipMode != ClipMode::None) {
                Status cut = cutClip(context, video, segment,
                                     QStringLiteral("clips/") + clipFileName(video.id, segment));
                if (!cut)
                    return cut;
            }
        }
        context.reportProgress(static_cast<double>(v + 1) / static_cast<double>(videos.size()));
    }
    return context.output.writeFile(kFileName, csv.toUtf8());
}

} // namespace saccade
