#include "core/export/exportmanifest.h"

#include "core/export/provenancemanifest.h"
#include "core/util/filereading.h"
#include "core/util/jsonfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace saccade {

Result<std::optional<ExportManifest>> ExportManifest::readBeside(const QString& annotationFile) {
    const QString path = QFileInfo(annotationFile).dir().filePath(ProvenanceManifest::kFileName);
    if (!QFileInfo::exists(path))
        return std::optional<ExportManifest>();
    auto bytes = readWholeFile(path);
    if (!bytes)
        return bytes.error();
    auto manifest = parse(*bytes, path);
    if (!manifest)
        return manifest.error();
    return std::optional<ExportManifest>(std::move(*manifest));
}

Result<ExportManifest> ExportManifest::parse(const QByteArray& json, const QString& path) {
    auto document = parseJson(json, path);
    if (!document)
        return document.error();
    const QJsonObject root = document->object();
    if (!root.value(QStringLiteral("saccade_export_version")).isDouble())
        return Error::invalidData(path, QStringLiteral("no 'saccade_export_version' (not a Saccade export "
                                                       "manifest)"));
    ExportManifest manifest;
    manifest.path = path;
    const QJsonArray videos = root.value(QStringLiteral("videos")).toArray();
    for (qsizetype v = 0; v < videos.size(); ++v) {
        const QJsonObject object = videos[v].toObject();
        VideoRecord video{object.value(QStringLiteral("id")).toString(),
                          object.value(QStringLiteral("path")).toString(),
                          {}};
        const QJsonArray segments = object.value(QStringLiteral("segments")).toArray();
        for (qsizetype s = 0; s < segments.size(); ++s) {
            const QJsonObject item = segments[s].toObject();
            const QString where = QStringLiteral("video %1, segment %2").arg(v).arg(s);
            const auto state = segmentStateFromName(item.value(QStringLiteral("state")).toString());
            const auto origin = segmentOriginFromName(item.value(QStringLiteral("origin")).toString());
            if (!state || !origin || !item.value(QStringLiteral("start_frame")).isDouble() ||
                !item.value(QStringLiteral("end_frame")).isDouble())
                return Error::invalidData(
                    path,
                    QStringLiteral("%1: needs start_frame, end_frame, a known state and origin").arg(where));
            SegmentRecord record;
            record.label = item.value(QStringLiteral("label")).toString();
            record.startFrame = item.value(QStringLiteral("start_frame")).toInteger();
            record.endFrame = item.value(QStringLiteral("end_frame")).toInteger();
            record.state = *state;
            record.source.origin = *origin;
            record.source.modelHash = item.value(QStringLiteral("model_hash")).toString();
            const QJsonValue confidence = item.value(QStringLiteral("confidence"));
            if (confidence.isDouble())
                record.source.confidence = confidence.toDouble();
            video.segments.push_back(record);
        }
        manifest.videos.push_back(std::move(video));
    }
    return manifest;
}

const ExportManifest::VideoRecord* ExportManifest::video(const QString& id) const {
    for (const VideoRecord& record : videos) {
        if (record.id == id)
            return &record;
    }
    return nullptr;
}

void ExportManifest::annotate(ImportedAnnotations& annotations) const {
    for (ImportedVideo& imported : annotations.videos) {
        const VideoRecord* record = video(imported.id);
        if (!record || record->path.isEmpty())
            continue;
        imported.fileName = QFileInfo(record->path).fileName();
        if (imported.pathHint.isEmpty() || !QFileInfo(imported.pathHint).isFile())
            imported.pathHint = record->path;
    }
}

bool ExportManifest::restore(const QString& videoId, Segment& segment,
                             std::vector<std::vector<bool>>& used) const {
    used.resize(videos.size());
    for (size_t v = 0; v < videos.size(); ++v) {
        if (videos[v].id != videoId)
            continue;
        used[v].resize(videos[v].segments.size(), false);
        for (size_t s = 0; s < videos[v].segments.size(); ++s) {
            const SegmentRecord& record = videos[v].segments[s];
            if (used[v][s] || record.label != segment.label || record.startFrame != segment.startFrame ||
                record.endFrame != segment.endFrame)
                continue;
            used[v][s] = true;
            segment.state = record.state;
            segment.source = record.source;
            return true;
        }
    }
    return false;
}

} // namespace saccade
