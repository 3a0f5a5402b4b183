#include "core/export/cvatexporter.h"

#include "core/export/exportsupport.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSet>
#include <QXmlStreamWriter>

#include <algorithm>

namespace saccade {

namespace {

void writeBox(QXmlStreamWriter& xml, qint64 frame, bool keyframe, bool outside, const VideoProbeInfo& probe) {
    xml.writeEmptyElement(QStringLiteral("box"));
    xml.writeAttribute(QStringLiteral("frame"), QString::number(frame));
    xml.writeAttribute(QStringLiteral("keyframe"), keyframe ? QStringLiteral("1") : QStringLiteral("0"));
    xml.writeAttribute(QStringLiteral("outside"), outside ? QStringLiteral("1") : QStringLiteral("0"));
    xml.writeAttribute(QStringLiteral("occluded"), QStringLiteral("0"));
    xml.writeAttribute(QStringLiteral("xtl"), QStringLiteral("0"));
    xml.writeAttribute(QStringLiteral("ytl"), QStringLiteral("0"));
    xml.writeAttribute(QStringLiteral("xbr"), QString::number(probe.width));
    xml.writeAttribute(QStringLiteral("ybr"), QString::number(probe.height));
    xml.writeAttribute(QStringLiteral("z_order"), QStringLiteral("0"));
}

} // namespace

QByteArray CvatExporter::taskXml(const VideoEntry& video, const LabelSet& labels,
                                 const std::vector<Segment>& segments) {
    QByteArray bytes;
    QXmlStreamWriter xml(&bytes);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(QStringLiteral("annotations"));
    xml.writeTextElement(QStringLiteral("version"), QStringLiteral("1.1"));
    xml.writeStartElement(QStringLiteral("meta"));
    xml.writeStartElement(QStringLiteral("task"));
    xml.writeTextElement(QStringLiteral("id"), QStringLiteral("0"));
    xml.writeTextElement(QStringLiteral("name"), QFileInfo(video.path).fileName());
    xml.writeTextElement(QStringLiteral("size"), QString::number(video.probe.frameCount));
    xml.writeTextElement(QStringLiteral("mode"), QStringLiteral("interpolation"));
    xml.writeTextElement(QStringLiteral("overlap"), QStringLiteral("0"));
    xml.writeTextElement(QStringLiteral("start_frame"), QStringLiteral("0"));
    xml.writeTextElement(QStringLiteral("stop_frame"),
                         QString::number(std::max<qint64>(0, video.probe.frameCount - 1)));
    xml.writeStartElement(QStringLiteral("labels"));
    for (const Label& label : labels.labels()) {
        xml.writeStartElement(QStringLiteral("label"));
        xml.writeTextElement(QStringLiteral("name"), label.name);
        xml.writeTextElement(QStringLiteral("color"), label.color.name());
        xml.writeTextElement(QStringLiteral("type"), QStringLiteral("rectangle"));
        xml.writeEmptyElement(QStringLiteral("attributes"));
        xml.writeEndElement();
    }
    xml.writeEndElement(); // labels
    xml.writeStartElement(QStringLiteral("original_size"));
    xml.writeTextElement(QStringLiteral("width"), QString::number(video.probe.width));
    xml.writeTextElement(QStringLiteral("height"), QString::number(video.probe.height));
    xml.writeEndElement();
    xml.writeTextElement(QStringLiteral("source"), QFileInfo(video.path).fileName());
    xml.writeEndElement(); // task
    xml.writeTextElement(QStringLiteral("dumped"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    xml.writeEndElement(); // meta
    int trackId = 0;
    for (const Segment& segment : segments) {
        xml.writeStartElement(QStringLiteral("track"));
        xml.writeAttribute(QStringLiteral("id"), QString::number(trackId++));
        xml.writeAttribute(QStringLiteral("label"), segment.label);
        xml.writeAttribute(QStringLiteral("source"), segment.source.origin == SegmentOrigin::Model
                                                         ? QStringLiteral("auto")
                                                         : QStringLiteral("manual"));
        // Every frame gets its box, as CVAT writes an interpolated track: readers that take the boxes as
        // they stand (FiftyOne, datumaro) see the label on every frame of the segment.
        for (qint64 frame = segment.startFrame; frame < segment.endFrame; ++frame)
            writeBox(xml, frame, frame == segment.startFrame || frame == segment.endFrame - 1, false,
                     video.probe);
        if (video.probe.frameCount <= 0 || segment.endFrame < video.probe.frameCount)
            writeBox(xml, segment.endFrame, true, true, video.probe);
        xml.writeEndElement();
    }
    xml.writeEndElement(); // annotations
    xml.writeEndDocument();
    return bytes;
}

QStringList CvatExporter::fileStems(const std::vector<VideoEntry>& videos) {
    QStringList stems;
    QSet<QString> taken;
    for (const VideoEntry& video : videos) {
        const QString stem = QFileInfo(video.path).completeBaseName();
        QString unique = stem.isEmpty() ? video.id : stem;
        // Lower case: the export may land on a case-insensitive file system.
        for (int n = 2; taken.contains(unique.toLower()); ++n)
            unique = QStringLiteral("%1_%2").arg(stem.isEmpty() ? video.id : stem).arg(n);
        taken.insert(unique.toLower());
        stems << unique;
    }
    return stems;
}

Status CvatExporter::write(const ExportContext& context) {
    const auto& videos = context.project.videos;
    const QStringList stems = fileStems(videos);
    for (size_t v = 0; v < videos.size(); ++v) {
        if (context.cancel.isCancelled())
            return Error::cancelled();
        const VideoEntry& video = videos[v];
        Status written =
            context.output.writeFile(QStringLiteral("cvat/%1.xml").arg(stems[static_cast<qsizetype>(v)]),
                                     taskXml(video, context.project.labels,
                                             exportedSegments(video, context.options.includeProposals)));
        if (!written)
            return written;
        context.reportProgress(static_cast<double>(v + 1) / static_cast<double>(videos.size()));
    }
    return {};
}

} // namespace saccade
