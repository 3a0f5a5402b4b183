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
    // The videos and their segments are written one object at a time: one QJsonObject tree holding
    // 200,000 segments costs more than linear time and several times the memory.
    QByteArray videos = "[";
    QStringList modelHashes;
    for (const VideoEntry& video : project.videos) {
        QJsonObject entry{{QStringLiteral("id"), video.id},
                          {QStringLiteral("path"), video.path},
                          {QStringLiteral("content_hash"), video.contentHash},
                          {QStringLiteral("fps"), video.probe.fps},
                          {QStringLiteral("frame_count"), video.probe.frameCount},
                          {QStringLiteral("split"), splitName(video.split)},
                          {QStringLiteral("segments"), QJsonArray()}};
        QByteArray entryText = QJsonDocument(entry).toJson(QJsonDocument::Compact);
        const QByteArray emptySegments = "\"segments\":[]";
        const qsizetype at = entryText.indexOf(emptySegments);
        QByteArray segments = "\"segments\":[";
        bool first = true;
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
            segments += first ? "\n" : ",\n";
            segments += QJsonDocument(object).toJson(QJsonDocument::Compact);
            first = false;
        }
        segments += "]";
        entryText.replace(at, emptySegments.size(), segments);
        videos += videos.size() > 1 ? ",\n" : "\n";
        videos += entryText;
    }
    videos += "\n]";
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
        {QStringLiteral("videos"), QJsonArray()},
        {QStringLiteral("files"), QJsonArray::fromStringList(files)}};
    QByteArray text = QJsonDocument(root).toJson(QJsonDocument::Indented);
    const QByteArray emptyVideos = "\"videos\": [\n    ]";
    const qsizetype at = text.indexOf(emptyVideos);
    if (at >= 0)
        text.replace(at, emptyVideos.size(), "\"videos\": " + videos);
    return text;
}

} // namespace saccade
