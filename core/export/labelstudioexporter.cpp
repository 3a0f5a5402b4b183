#include "core/export/labelstudioexporter.h"

#include "core/export/exportsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QUrl>
#include <QXmlStreamWriter>

namespace saccade {

namespace {

QJsonObject resultFor(const Segment& segment, bool prediction) {
    QJsonObject result{
        {QStringLiteral("id"), segment.id},
        {QStringLiteral("type"), QStringLiteral("timelinelabels")},
        {QStringLiteral("from_name"), QStringLiteral("timeline")},
        {QStringLiteral("to_name"), QStringLiteral("video")},
        {QStringLiteral("origin"), prediction ? QStringLiteral("prediction") : QStringLiteral("manual")},
        {QStringLiteral("value"),
         QJsonObject{{QStringLiteral("ranges"),
                      QJsonArray{QJsonObject{{QStringLiteral("start"), segment.startFrame + 1},
                                             {QStringLiteral("end"), segment.endFrame}}}},
                     {QStringLiteral("timelinelabels"), QJsonArray{segment.label}}}}};
    if (prediction && segment.source.confidence)
        result.insert(QStringLiteral("score"), *segment.source.confidence);
    return result;
}

// The deepest folder holding every video (the default local-files document root).
QString commonFolder(const std::vector<VideoEntry>& videos) {
    QStringList common;
    bool first = true;
    for (const VideoEntry& video : videos) {
        const QStringList parts = QFileInfo(video.path).absolutePath().split(QLatin1Char('/'));
        if (first) {
            common = parts;
            first = false;
            continue;
        }
        qsizetype n = 0;
        while (n < common.size() && n < parts.size() && common[n] == parts[n])
            ++n;
        common = common.mid(0, n);
    }
    const QString joined = common.join(QLatin1Char('/'));
    return joined.isEmpty() ? QStringLiteral("/") : joined;
}

} // namespace

Result<QString> LabelStudioExporter::mediaReference(const VideoEntry& video, const QString& mediaRoot,
                                                    const QString& mediaUrl) {
    const QString root = QDir::cleanPath(QFileInfo(mediaRoot).absoluteFilePath());
    const QString relative = QDir(root).relativeFilePath(QFileInfo(video.path).absoluteFilePath());
    if (relative.startsWith(QLatin1String("../")) || QDir::isAbsolutePath(relative))
        return Error::invalidArgument(
            QStringLiteral("video '%1' (%2) is not under the media root %3; choose a media root that holds "
                           "every video")
                .arg(video.id, video.path, root));
    const QByteArray encoded = QUrl::toPercentEncoding(relative, "/");
    if (!mediaUrl.isEmpty()) {
        QString base = mediaUrl;
        if (!base.endsWith(QLatin1Char('/')))
            base += QLatin1Char('/');
        return base + QString::fromLatin1(encoded);
    }
    return QStringLiteral("/data/local-files/?d=") + QString::fromLatin1(encoded);
}

QByteArray LabelStudioExporter::labelingConfig(const LabelSet& labels) {
    QByteArray bytes;
    QXmlStreamWriter xml(&bytes);
    xml.setAutoFormatting(true);
    xml.writeStartElement(QStringLiteral("View"));
    xml.writeEmptyElement(QStringLiteral("Video"));
    xml.writeAttribute(QStringLiteral("name"), QStringLiteral("video"));
    xml.writeAttribute(QStringLiteral("value"), QStringLiteral("$video"));
    // Each task carries its own rate: one number cannot serve videos at 25 and 29.97 fps.
    xml.writeAttribute(QStringLiteral("frameRate"), QStringLiteral("$fps"));
    xml.writeStartElement(QStringLiteral("TimelineLabels"));
    xml.writeAttribute(QStringLiteral("name"), QStringLiteral("timeline"));
    xml.writeAttribute(QStringLiteral("toName"), QStringLiteral("video"));
    for (const Label& label : labels.labels()) {
        xml.writeEmptyElement(QStringLiteral("Label"));
        xml.writeAttribute(QStringLiteral("value"), label.name);
        xml.writeAttribute(QStringLiteral("background"), label.color.name());
    }
    xml.writeEndElement();
    xml.writeEndElement();
    bytes.append('\n');
    return bytes;
}

Status LabelStudioExporter::write(const ExportContext& context) {
    QJsonArray tasks;
    const auto& videos = context.project.videos;
    const QString mediaRoot =
        context.options.mediaRoot.isEmpty() ? commonFolder(videos) : context.options.mediaRoot;
    for (size_t v = 0; v < videos.size(); ++v) {
        if (context.cancel.isCancelled())
            return Error::cancelled();
        const VideoEntry& video = videos[v];
        if (video.probe.fps <= 0)
            return Error::invalidData(video.path,
                                      QStringLiteral("video '%1' has no frame rate").arg(video.id));
        const Result<QString> reference = mediaReference(video, mediaRoot, context.options.mediaUrl);
        if (!reference)
            return reference.error();
        QJsonArray confirmed;
        QMap<QString, QJsonArray> predictionsByModel;
        QMap<QString, std::pair<double, int>> scoreByModel;
        for (const Segment& segment : exportedSegments(video, context.options.includeProposals)) {
            if (segment.state != SegmentState::Proposed) {
                confirmed.append(resultFor(segment, false));
                continue;
            }
            predictionsByModel[segment.source.modelHash].append(resultFor(segment, true));
            if (segment.source.confidence) {
                scoreByModel[segment.source.modelHash].first += *segment.source.confidence;
                scoreByModel[segment.source.modelHash].second += 1;
            }
        }
        QJsonObject task{{QStringLiteral("id"), static_cast<qint64>(v + 1)},
                         {QStringLiteral("data"), QJsonObject{{QStringLiteral("video"), *reference},
                                                              {QStringLiteral("video_id"), video.id},
                                                              {QStringLiteral("fps"), video.probe.fps}}},
                         {QStringLiteral("annotations"),
                          confirmed.isEmpty()
                              ? QJsonArray()
                              : QJsonArray{QJsonObject{{QStringLiteral("result"), confirmed}}}}};
        QJsonArray predictions;
        for (auto it = predictionsByModel.cbegin(); it != predictionsByModel.cend(); ++it) {
            QJsonObject prediction{{QStringLiteral("model_version"), it.key()},
                                   {QStringLiteral("result"), it.value()}};
            const auto [sum, count] = scoreByModel.value(it.key());
            if (count > 0)
                prediction.insert(QStringLiteral("score"), sum / count);
            predictions.append(prediction);
        }
        if (!predictions.isEmpty())
            task.insert(QStringLiteral("predictions"), predictions);
        tasks.append(task);
        context.reportProgress(static_cast<double>(v + 1) / static_cast<double>(videos.size()));
    }
    if (context.options.mediaUrl.isEmpty())
        context.note(QStringLiteral("Label Studio reads the videos as local files: start it with "
                                    "LOCAL_FILES_SERVING_ENABLED=true LOCAL_FILES_DOCUMENT_ROOT=%1")
                         .arg(QDir::cleanPath(QFileInfo(mediaRoot).absoluteFilePath())));
    Status written =
        context.output.writeFile(kFileName, QJsonDocument(tasks).toJson(QJsonDocument::Indented));
    if (!written)
        return written;
    return context.output.writeFile(kConfigFileName, labelingConfig(context.project.labels));
}

} // namespace saccade
