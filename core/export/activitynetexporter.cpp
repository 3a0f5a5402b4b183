#include "core/export/activitynetexporter.h"

#include "core/export/exportsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace saccade {

namespace {

double millis(double seconds) {
    return std::round(seconds * 1000.0) / 1000.0;
}

} // namespace

QString ActivityNetExporter::subsetName(Split split) {
    switch (split) {
    case Split::Train:
        return QStringLiteral("training");
    case Split::Val:
        return QStringLiteral("validation");
    case Split::Test:
        return QStringLiteral("testing");
    case Split::Unassigned:
        return QStringLiteral("unassigned");
    }
    return {};
}

std::optional<Split> ActivityNetExporter::splitFromSubset(const QString& subset) {
    for (Split split : {Split::Train, Split::Val, Split::Test, Split::Unassigned}) {
        if (subsetName(split) == subset)
            return split;
    }
    return std::nullopt;
}

Status ActivityNetExporter::write(const ExportContext& context) {
    QJsonObject database;
    const auto& videos = context.project.videos;
    for (size_t v = 0; v < videos.size(); ++v) {
        if (context.cancel.isCancelled())
            return Error::cancelled();
        const VideoEntry& video = videos[v];
        QJsonArray annotations;
        for (const Segment& segment : exportedSegments(video, context.options.includeProposals)) {
            annotations.append(QJsonObject{
                {QStringLiteral("segment"), QJsonArray{millis(video.secondsAtFrame(segment.startFrame)),
                                                       millis(video.secondsAtFrame(segment.endFrame))}},
                {QStringLiteral("label"), segment.label}});
        }
        database.insert(video.id,
                        QJsonObject{{QStringLiteral("subset"), subsetName(video.split)},
                                    {QStringLiteral("duration"), millis(video.probe.durationSeconds)},
                                    {QStringLiteral("resolution"),
                                     QStringLiteral("%1x%2").arg(video.probe.width).arg(video.probe.height)},
                                    {QStringLiteral("url"), QString()},
                                    {QStringLiteral("annotations"), annotations}});
        context.reportProgress(static_cast<double>(v + 1) / static_cast<double>(videos.size()));
    }
    const QJsonObject root{{QStringLiteral("version"), formatVersion()},
                           {QStringLiteral("taxonomy"), QJsonArray()},
                           {QStringLiteral("database"), database}};
    return context.output.writeFile(kFileName, QJsonDocument(root).toJson(QJsonDocument::Indented));
}

} // namespace saccade
