#include "core/export/labelstudioexporter.h"

#include "core/export/exportsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
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

} // namespace

QByteArray LabelStudioExporter::labelingConfig(const LabelSet& labels, double fps) {
    QByteArray bytes;
    QXmlStreamWriter xml(&bytes);
    xml.setAutoFormatting(true);
    xml.writeStartElement(QStringLiteral("View"));
    xml.writeEmptyElement(QStringLiteral("Video"));
    xml.writeAttribute(QStringLiteral("name"), QStringLiteral("video"));
    xml.writeAttribute(QStringLiteral("value"), QStringLiteral("$video"));
    xml.writeAttribute(QStringLiteral("frameRate"), QString::number(fps, 'g', 10));
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
    QMap<double, int> fpsVotes;
    const auto& videos = context.project.videos;
    for (size_t v = 0; v < videos.size(); ++v) {
        if (context.cancel.isCancelled())
            return Error::cancelled();
        const VideoEntry& video = videos[v];
        fpsVotes[video.probe.fps] += 1;
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
        QJsonObject task{
            {QStringLiteral("data"),
             QJsonObject{{QStringLiteral("video"), video.path}, {QStringLiteral("video_id"), video.id}}},
            {QStringLiteral("annotations"),
             confirmed.isEmpty() ? QJsonArray()
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
    double fps = 0.0;
    int votes = 0;
    for (auto it = fpsVotes.cbegin(); it != fpsVotes.cend(); ++it) {
        if (it.value() > votes) {
            fps = it.key();
            votes = it.value();
        }
    }
    Status written =
        context.output.writeFile(kFileName, QJsonDocument(tasks).toJson(QJsonDocument::Indented));
    if (!written)
        return written;
    return context.output.writeFile(kConfigFileName,
                                    labelingConfig(context.project.labels, fps > 0 ? fps : 30.0));
}

} // namespace saccade
