#include "core/export/provenancemanifest.h"

#include "core/export/exportsupport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace saccade {

QByteArray ProvenanceManifest::build(const ProjectData& project, const ExportOptions& options,
                                     const QString& formatVersion, const QStringList& files) {
    QJsonArray videos;
    QStringList modelHashes;
    for (const VideoEntry& video : project.videos) {
        QJsonArray segments;
        for (const Segment& segment : exportedSegments(video, options.includeProposals)) {
            QJsonObject object{
                {QStringLiteral("id"), segment.id},
                {QStringLiteral("label"), segment.label},
                {QStringLiteral("start_frame"), segment.startFrame},
                {QStringLiteral("end_frame"), segment.endFrame},
                {QStringLiteral("start_seconds"),
                 formatSeconds(video.secondsAtFrame(segment.startFrame)).toDouble()},
                {QStringLiteral("end_seconds"),
                 formatSeconds(video.secondsAtFrame(segment.endFrame)).toDouble()},
                {QStringLiteral("state"), segmentStateName(segment.state)},
                {QStringLiteral("origin"), segmentOriginName(segment.source.origin)},
                {QStringLiteral("confirmed_by_person"), segment.state != SegmentState::Proposed}};
            if (!segment.source.modelHash.isEmpty()) {
                object.insert(QStringLiteral("model_hash"), segment.source.modelHash);
                if (!modelHashes.contains(segment.source.modelHash))
                    modelHashes << segment.source.modelHash;
            }
            object.insert(QStringLiteral("confidence"),
                          segment.source.confidence ? QJsonValue(*segment.source.confidence) : QJsonValue());
            segments.append(object);
        }
        videos.append(QJsonObject{{QStringLiteral("id"), video.id},
                                  {QStringLiteral("path"), video.path},
                                  {QStringLiteral("content_hash"), video.contentHash},
                                  {QStringLiteral("fps"), video.probe.fps},
                                  {QStringLiteral("frame_count"), video.probe.frameCount},
                                  {QStringLiteral("split"), splitName(video.split)},
                                  {QStringLiteral("segments"), segments}});
    }
    const QJsonObject root{
        {QStringLiteral("saccade_export_version"), kManifestVersion},
        {QStringLiteral("generator"),
         QStringLiteral("Saccade %1").arg(QCoreApplication::applicationVersion())},
        {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("format"), exportFormatName(options.format)},
        {QStringLiteral("format_version"), formatVersion},
        {QStringLiteral("frame_convention"), QStringLiteral("0-based frames, end exclusive")},
        {QStringLiteral("include_proposals"), options.includeProposals},
        {QStringLiteral("clip_mode"), clipModeName(options.clipMode)},
        {QStringLiteral("label_map"), QJsonArray::fromStringList(project.labels.names())},
        {QStringLiteral("model_hashes"), QJsonArray::fromStringList(modelHashes)},
        {QStringLiteral("videos"), videos},
        {QStringLiteral("files"), QJsonArray::fromStringList(files)}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace saccade
