#include "core/annotation/referenceannotation.h"

#include "core/annotation/projectfile.h"
#include "core/util/jsonfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace saccade {

Result<ProjectData> ReferenceAnnotation::load(const QString& path) {
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) {
        // A truth file is small; a project is recognised by ProjectFile itself.
        const QByteArray head = file.peek(4096);
        if (head.contains(kTruthFormat)) {
            Result<QJsonDocument> document = readJsonFile(path);
            if (!document.ok())
                return document.error();
            if (!document->isObject())
                return Error::invalidData(path, QStringLiteral("not a JSON object"));
            if (document->object().value(QLatin1String("format")).toString() == QLatin1String(kTruthFormat))
                return fromTruthJson(document->object(), path);
        }
    }
    return ProjectFile::load(path);
}

Result<ProjectData> ReferenceAnnotation::fromTruthJson(const QJsonObject& truth, const QString& path) {
    const QString videoName = truth.value(QLatin1String("video")).toString();
    const double fps = truth.value(QLatin1String("fps")).toDouble();
    const qint64 frameCount = truth.value(QLatin1String("frame_count")).toInteger(-1);
    if (videoName.isEmpty())
        return Error::invalidData(path, QStringLiteral("the truth file names no video ('video')"));
    if (!(fps > 0.0) || frameCount <= 0)
        return Error::invalidData(path, QStringLiteral("'fps' and 'frame_count' must be positive"));
    ProjectData project;
    project.name = QFileInfo(path).completeBaseName();
    for (const QJsonValue& label : truth.value(QLatin1String("labels")).toArray())
        if (!label.toString().isEmpty() && !project.labels.contains(label.toString()))
            if (Status added = project.labels.add(label.toString()); !added.ok())
                return Error::invalidData(path, added.error().message);
    VideoEntry video;
    video.id = QFileInfo(videoName).completeBaseName();
    video.path = QFileInfo(path).dir().filePath(videoName);
    video.probe.fps = fps;
    video.probe.frameCount = frameCount;
    video.probe.width = truth.value(QLatin1String("width")).toInt();
    video.probe.height = truth.value(QLatin1String("height")).toInt();
    const QJsonArray segments = truth.value(QLatin1String("segments")).toArray();
    for (int i = 0; i < segments.size(); ++i) {
        const QJsonObject entry = segments[i].toObject();
        Segment segment;
        segment.id = QStringLiteral("truth-%1").arg(i);
        segment.label = entry.value(QLatin1String("label")).toString();
        segment.startFrame = entry.value(QLatin1String("start_frame")).toInteger(-1);
        segment.endFrame = entry.value(QLatin1String("end_frame")).toInteger(-1);
        segment.state = SegmentState::Accepted;
        if (segment.label.isEmpty() || segment.startFrame < 0 || segment.endFrame <= segment.startFrame ||
            segment.endFrame > frameCount)
            return Error::invalidData(path, QStringLiteral("segment %1 needs a label and 0 <= start_frame < "
                                                           "end_frame <= frame_count (%2)")
                                                .arg(i)
                                                .arg(frameCount));
        if (!project.labels.contains(segment.label))
            if (Status added = project.labels.add(segment.label); !added.ok())
                return Error::invalidData(path, added.error().message);
        video.segments.push_back(segment);
    }
    project.videos.push_back(std::move(video));
    return project;
}

} // namespace saccade
