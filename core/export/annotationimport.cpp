#include "core/export/annotationimport.h"

#include "core/annotation/projectdocument.h"

namespace saccade {

Result<Segment> AnnotationImport::toSegment(const ImportedSegment& imported, const VideoEntry& video,
                                            const QString& path) {
    Segment segment;
    segment.id = Segment::newId();
    segment.label = imported.label;
    segment.state = imported.state;
    segment.source = imported.source;
    const QString where = QStringLiteral("%1 (video '%2')").arg(imported.location, video.id);
    if (imported.startFrame && imported.endFrame) {
        segment.startFrame = *imported.startFrame;
        segment.endFrame = *imported.endFrame;
    } else {
        if (video.probe.fps <= 0)
            return Error::invalidData(path,
                                      QStringLiteral("%1: the video's frame rate is unknown").arg(where));
        if (*imported.endSeconds < *imported.startSeconds)
            return Error::invalidData(path,
                                      QStringLiteral("%1: the segment ends (%2 s) before it starts (%3 s)")
                                          .arg(where)
                                          .arg(*imported.endSeconds)
                                          .arg(*imported.startSeconds));
        segment.startFrame = video.frameAtSeconds(*imported.startSeconds);
        segment.endFrame = video.frameAtSeconds(*imported.endSeconds);
    }
    if (segment.startFrame < 0 || segment.endFrame <= segment.startFrame)
        return Error::invalidData(
            path, QStringLiteral("%1: frames %2-%3 are not a valid range (end must be after start)")
                      .arg(where)
                      .arg(segment.startFrame)
                      .arg(segment.endFrame));
    if (video.probe.frameCount > 0 && segment.endFrame > video.probe.frameCount)
        return Error::invalidData(
            path, QStringLiteral("%1: the segment ends at frame %2, after the video's %3 frames")
                      .arg(where)
                      .arg(segment.endFrame)
                      .arg(video.probe.frameCount));
    return segment;
}

Result<ImportSummary> AnnotationImport::apply(const ImportedAnnotations& annotations,
                                              ProjectDocument& document, const ImportOptions& options) {
    const QString& path = annotations.sourcePath;
    ImportSummary summary;
    for (const QString& label : annotations.labels) {
        if (document.labels().contains(label))
            continue;
        if (!options.addUnknownLabels) {
            QString where;
            for (const ImportedVideo& video : annotations.videos) {
                for (const ImportedSegment& segment : video.segments) {
                    if (where.isEmpty() && segment.label == label)
                        where = segment.location + QStringLiteral(": ");
                }
            }
            return Error::invalidData(
                path, QStringLiteral("%1unknown label '%2' (the project has %3)")
                          .arg(where, label, document.labels().names().join(QStringLiteral(", "))));
        }
        summary.addedLabels << label;
    }
    std::vector<std::pair<QString, std::vector<Segment>>> converted;
    std::vector<std::vector<bool>> usedRecords;
    for (const ImportedVideo& imported : annotations.videos) {
        const VideoEntry* video = document.video(imported.id);
        if (!video)
            return Error::notFound(
                path, QStringLiteral("video '%1' is not in the project (add it, or name the folder "
                                     "holding it)")
                          .arg(imported.id));
        std::vector<Segment> segments;
        for (const ImportedSegment& segment : imported.segments) {
            auto made = toSegment(segment, *video, path);
            if (!made)
                return made.error();
            if (options.manifest && options.manifest->restore(imported.id, *made, usedRecords))
                ++summary.restored;
            segments.push_back(std::move(*made));
        }
        summary.segments += static_cast<int>(segments.size());
        converted.emplace_back(imported.id, std::move(segments));
    }

    QUndoStack* stack = document.undoStack();
    stack->beginMacro(QObject::tr("Import %1").arg(path));
    for (const QString& label : summary.addedLabels)
        (void)document.addLabel(label);
    for (const ImportedVideo& imported : annotations.videos) {
        if (imported.split)
            (void)document.setSplit(imported.id, *imported.split);
    }
    for (auto& [videoId, segments] : converted)
        (void)document.addSegments(videoId, std::move(segments));
    stack->endMacro();
    summary.videos = static_cast<int>(converted.size());
    return summary;
}

} // namespace saccade
