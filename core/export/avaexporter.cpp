#include "core/export/avaexporter.h"

#include "core/export/exportsupport.h"

#include <QSet>

#include <cmath>

namespace saccade {

QByteArray AvaExporter::labelMap(const LabelSet& labels) {
    QString text;
    int id = 1;
    for (const QString& name : labels.names()) {
        QString escaped = name;
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('"'), QStringLiteral("\\\""));
        text += QStringLiteral("item {\n  name: \"%1\"\n  id: %2\n}\n").arg(escaped).arg(id++);
    }
    return text.toUtf8();
}

Status AvaExporter::write(const ExportContext& context) {
    QString csv;
    const auto& videos = context.project.videos;
    for (size_t v = 0; v < videos.size(); ++v) {
        if (context.cancel.isCancelled())
            return Error::cancelled();
        const VideoEntry& video = videos[v];
        if (video.probe.fps <= 0)
            return Error::invalidData(video.path,
                                      QStringLiteral("video '%1' has no frame rate").arg(video.id));
        QSet<QString> seen;
        for (const Segment& segment : exportedSegments(video, context.options.includeProposals)) {
            const int actionId = context.project.labels.indexOf(segment.label) + 1;
            const auto first =
                static_cast<qint64>(std::ceil(video.secondsAtFrame(segment.startFrame) - 1e-9));
            bool keyframed = false;
            for (qint64 second = first;; ++second) {
                const auto frame =
                    static_cast<qint64>(std::llround(static_cast<double>(second) * video.probe.fps));
                if (frame >= segment.endFrame)
                    break;
                if (frame < segment.startFrame)
                    continue;
                keyframed = true;
                const QString row = QStringLiteral("%1,%2,0.000,0.000,1.000,1.000,%3,0\n")
                                        .arg(csvField(video.id))
                                        .arg(second)
                                        .arg(actionId);
                if (!seen.contains(row)) {
                    seen.insert(row);
                    csv += row;
                }
            }
            if (!keyframed)
                context.warn(
                    QStringLiteral("AVA: video '%1', segment '%2' at frames %3-%4 (%5-%6 s) holds no "
                                   "whole-second keyframe and has no row")
                        .arg(video.id, segment.label)
                        .arg(segment.startFrame)
                        .arg(segment.endFrame)
                        .arg(formatSeconds(video.secondsAtFrame(segment.startFrame)),
                             formatSeconds(video.secondsAtFrame(segment.endFrame))));
        }
        context.reportProgress(static_cast<double>(v + 1) / static_cast<double>(videos.size()));
    }
    Status written = context.output.writeFile(QStringLiteral("ava.csv"), csv.toUtf8());
    if (!written)
        return written;
    return context.output.writeFile(QStringLiteral("label_map.pbtxt"), labelMap(context.project.labels));
}

} // namespace saccade
