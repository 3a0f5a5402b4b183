#include "core/export/activitynetimporter.h"

#include "core/util/filereading.h"
#include "core/export/activitynetexporter.h"
#include "core/util/jsonfile.h"

#include <QJsonArray>
#include <QJsonObject>

namespace saccade {

Result<ImportedAnnotations> ActivityNetImporter::read(const QString& path) {
    auto bytes = readWholeFile(path);
    if (!bytes)
        return bytes.error();
    return parse(*bytes, path);
}

Result<ImportedAnnotations> ActivityNetImporter::parse(const QByteArray& json, const QString& path) {
    auto document = parseJson(json, path);
    if (!document)
        return document.error();
    const QJsonValue database = document->object().value(QStringLiteral("database"));
    if (!database.isObject())
        return Error::invalidData(path, QStringLiteral("no 'database' object (not an ActivityNet file)"));
    ImportedAnnotations result;
    result.sourcePath = path;
    const QJsonObject videos = database.toObject();
    for (auto it = videos.begin(); it != videos.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        ImportedVideo& video = result.videoFor(it.key());
        const QString subset = entry.value(QStringLiteral("subset")).toString();
        if (!subset.isEmpty()) {
            video.split = ActivityNetExporter::splitFromSubset(subset);
            if (!video.split)
                return Error::invalidData(
                    path, QStringLiteral("video '%1': unknown subset '%2'").arg(it.key(), subset));
        }
        const QJsonArray annotations = entry.value(QStringLiteral("annotations")).toArray();
        for (qsizetype i = 0; i < annotations.size(); ++i) {
            const QJsonObject annotation = annotations[i].toObject();
            const QString where = QStringLiteral("video '%1', annotation %2").arg(it.key()).arg(i);
            const QJsonArray range = annotation.value(QStringLiteral("segment")).toArray();
            if (range.size() != 2 || !range[0].isDouble() || !range[1].isDouble())
                return Error::invalidData(
                    path, QStringLiteral("%1: 'segment' must be [start, end] in seconds").arg(where));
            const QJsonValue label = annotation.value(QStringLiteral("label"));
            if (!label.isString() || label.toString().trimmed().isEmpty())
                return Error::invalidData(
                    path, QStringLiteral("%1: 'label' must be a non-empty string").arg(where));
            ImportedSegment segment;
            segment.location = where;
            segment.startSeconds = range[0].toDouble();
            segment.endSeconds = range[1].toDouble();
            segment.label = label.toString().trimmed();
            result.noteLabel(segment.label);
            video.segments.push_back(segment);
        }
    }
    return result;
}

} // namespace saccade
