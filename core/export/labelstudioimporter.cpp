#include "core/export/labelstudioimporter.h"

#include "core/util/filereading.h"
#include "core/util/jsonfile.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

namespace saccade {

namespace {

Status readResults(const QJsonArray& groups, bool predictions, ImportedVideo& video,
                   ImportedAnnotations& result, const QString& where, const QString& path) {
    for (qsizetype g = 0; g < groups.size(); ++g) {
        const QJsonObject group = groups[g].toObject();
        const QJsonArray results = group.value(QStringLiteral("result")).toArray();
        for (qsizetype r = 0; r < results.size(); ++r) {
            const QJsonObject item = results[r].toObject();
            const QString location =
                QStringLiteral("%1, %2 %3, result %4")
                    .arg(where, predictions ? QStringLiteral("prediction") : QStringLiteral("annotation"))
                    .arg(g)
                    .arg(r);
            if (item.value(QStringLiteral("type")).toString() != QLatin1String("timelinelabels"))
                continue;
            const QJsonObject value = item.value(QStringLiteral("value")).toObject();
            const QJsonArray labels = value.value(QStringLiteral("timelinelabels")).toArray();
            if (labels.size() != 1 || !labels[0].isString())
                return Error::invalidData(
                    path, QStringLiteral("%1: expected exactly one timeline label").arg(location));
            for (const QJsonValue& rangeValue : value.value(QStringLiteral("ranges")).toArray()) {
                const QJsonObject range = rangeValue.toObject();
                if (!range.value(QStringLiteral("start")).isDouble() ||
                    !range.value(QStringLiteral("end")).isDouble())
                    return Error::invalidData(
                        path, QStringLiteral("%1: ranges need numeric start and end").arg(location));
                ImportedSegment segment;
                segment.location = location;
                segment.label = labels[0].toString().trimmed();
                // 1-based inclusive [s, e] is 0-based half-open [s - 1, e).
                segment.startFrame = static_cast<qint64>(range.value(QStringLiteral("start")).toDouble()) - 1;
                segment.endFrame = static_cast<qint64>(range.value(QStringLiteral("end")).toDouble());
                if (predictions) {
                    segment.state = SegmentState::Proposed;
                    segment.source.origin = SegmentOrigin::Model;
                    segment.source.modelHash = group.value(QStringLiteral("model_version")).toString();
                    const QJsonValue score = item.contains(QStringLiteral("score"))
                                                 ? item.value(QStringLiteral("score"))
                                                 : group.value(QStringLiteral("score"));
                    if (score.isDouble())
                        segment.source.confidence = score.toDouble();
                }
                result.noteLabel(segment.label);
                video.segments.push_back(segment);
            }
        }
    }
    return {};
}

} // namespace

Result<ImportedAnnotations> LabelStudioImporter::read(const QString& path) {
    auto bytes = readWholeFile(path);
    if (!bytes)
        return bytes.error();
    return parse(*bytes, path);
}

Result<ImportedAnnotations> LabelStudioImporter::parse(const QByteArray& json, const QString& path) {
    auto document = parseJson(json, path);
    if (!document)
        return document.error();
    if (!document->isArray())
        return Error::invalidData(path, QStringLiteral("Label Studio exports are a JSON list of tasks"));
    ImportedAnnotations result;
    result.sourcePath = path;
    const QJsonArray tasks = document->array();
    for (qsizetype t = 0; t < tasks.size(); ++t) {
        const QJsonObject task = tasks[t].toObject();
        const QString where = QStringLiteral("task %1").arg(t);
        const QJsonObject data = task.value(QStringLiteral("data")).toObject();
        const QString videoPath = data.value(QStringLiteral("video")).toString();
        // Label Studio often stores URLs (/data/upload/1/abc-name.mp4, /data/local-files/?d=path); the file
        // name is what is left.
        const QUrl url(videoPath);
        const QString local = url.hasQuery()
                                  ? QUrl::fromPercentEncoding(
                                        url.query(QUrl::FullyEncoded).section(QLatin1Char('='), 1).toUtf8())
                                  : QUrl::fromPercentEncoding(url.path(QUrl::FullyEncoded).toUtf8());
        QString id = data.value(QStringLiteral("video_id")).toString();
        if (id.isEmpty())
            id = QFileInfo(local).completeBaseName();
        if (id.isEmpty())
            return Error::invalidData(path, QStringLiteral("%1: no data.video or data.video_id").arg(where));
        ImportedVideo& video = result.videoFor(id);
        video.pathHint = videoPath;
        video.fileName = QFileInfo(local).fileName();
        Status annotations = readResults(task.value(QStringLiteral("annotations")).toArray(), false, video,
                                         result, where, path);
        if (!annotations)
            return annotations.error();
        Status predictions = readResults(task.value(QStringLiteral("predictions")).toArray(), true, video,
                                         result, where, path);
        if (!predictions)
            return predictions.error();
    }
    return result;
}

} // namespace saccade
