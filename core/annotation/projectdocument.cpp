#include "core/annotation/projectdocument.h"

#include "core/annotation/labelsetcommand.h"
#include "core/annotation/segmentcommand.h"
#include "core/annotation/videocommand.h"
#include "core/util/filehash.h"

#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace saccade {

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent) {}

ProjectDocument::ProjectDocument(ProjectData data, QObject* parent)
    : QObject(parent), m_data(std::move(data)) {}

// Commands hold a pointer to this document; clear them while it is still whole.
ProjectDocument::~ProjectDocument() {
    m_undoStack.clear();
}

void ProjectDocument::reset(ProjectData data) {
    Q_EMIT aboutToReset();
    m_undoStack.clear();
    m_data = std::move(data);
    Q_EMIT resetDone();
    Q_EMIT labelsChanged();
    Q_EMIT modified();
}

Result<int> ProjectDocument::findVideo(const QString& videoId) const {
    const int row = m_data.videoIndex(videoId);
    if (row < 0)
        return Error::invalidArgument(QStringLiteral("no video '%1' in the project").arg(videoId));
    return row;
}

Status ProjectDocument::addVideo(VideoEntry video) {
    if (video.id.isEmpty())
        video.id = m_data.uniqueVideoId(QFileInfo(video.path).completeBaseName());
    if (m_data.videoIndex(video.id) >= 0)
        return Error::invalidArgument(
            QStringLiteral("a video with id '%1' is already in the project").arg(video.id));
    for (const Segment& segment : video.segments) {
        Status valid = validateSegment(video, segment);
        if (!valid)
            return valid;
    }
    const QString text = tr("Add video '%1'").arg(video.id);
    m_undoStack.push(new VideoCommand(this, std::nullopt, std::move(video), text));
    return {};
}

Status ProjectDocument::removeVideo(const QString& videoId) {
    auto row = findVideo(videoId);
    if (!row)
        return row.error();
    m_undoStack.push(new VideoCommand(this, m_data.videos[static_cast<size_t>(*row)], std::nullopt,
                                      tr("Remove video '%1'").arg(videoId)));
    return {};
}

Status ProjectDocument::setSplit(const QString& videoId, Split split) {
    auto row = findVideo(videoId);
    if (!row)
        return row.error();
    const VideoEntry& before = m_data.videos[static_cast<size_t>(*row)];
    if (before.split == split)
        return {};
    VideoEntry after = before;
    after.split = split;
    m_undoStack.push(new VideoCommand(this, before, std::move(after),
                                      tr("Move '%1' to %2").arg(videoId, splitName(split))));
    return {};
}

Status ProjectDocument::setVideoLabels(const QString& videoId, const QStringList& labels) {
    auto row = findVideo(videoId);
    if (!row)
        return row.error();
    for (const QString& label : labels) {
        if (!m_data.labels.contains(label))
            return Error::invalidArgument(QStringLiteral("unknown label '%1'").arg(label));
    }
    const VideoEntry& before = m_data.videos[static_cast<size_t>(*row)];
    VideoEntry after = before;
    after.videoLabels = labels;
    m_undoStack.push(new VideoCommand(this, before, std::move(after), tr("Label video '%1'").arg(videoId)));
    return {};
}

Status ProjectDocument::relinkVideo(const QString& videoId, const QString& path, bool requireSameContent) {
    auto row = findVideo(videoId);
    if (!row)
        return row.error();
    auto hash = sampledContentHash(path);
    if (!hash)
        return hash.error();
    const VideoEntry& before = m_data.videos[static_cast<size_t>(*row)];
    if (requireSameContent && !before.contentHash.isEmpty() && *hash != before.contentHash)
        return Error::invalidData(
            path, QStringLiteral("this file is not the video '%1' (content differs)").arg(videoId));
    VideoEntry after = before;
    after.path = QFileInfo(path).absoluteFilePath();
    after.contentHash = *hash;
    after.sizeBytes = QFileInfo(path).size();
    after.missing = false;
    m_undoStack.push(new VideoCommand(this, before, std::move(after), tr("Relink video '%1'").arg(videoId)));
    return {};
}

Status ProjectDocument::validateSegment(const VideoEntry& video, const Segment& segment) const {
    if (!m_data.labels.contains(segment.label))
        return Error::invalidArgument(
            QStringLiteral("unknown label '%1' (video '%2')").arg(segment.label, video.id));
    if (segment.startFrame < 0)
        return Error::invalidArgument(QStringLiteral("segment starts before frame 0 (video '%1', frame %2)")
                                          .arg(video.id)
                                          .arg(segment.startFrame));
    if (segment.endFrame <= segment.startFrame)
        return Error::invalidArgument(
            QStringLiteral("segment ends before it starts (video '%1', frames %2-%3)")
                .arg(video.id)
                .arg(segment.startFrame)
                .arg(segment.endFrame));
    if (video.probe.frameCount > 0 && segment.endFrame > video.probe.frameCount)
        return Error::invalidArgument(
            QStringLiteral("segment ends after the video (video '%1' has %2 frames, "
                           "segment ends at %3)")
                .arg(video.id)
                .arg(video.probe.frameCount)
                .arg(segment.endFrame));
    if (segment.source.confidence && (*segment.source.confidence < 0.0 || *segment.source.confidence > 1.0))
        return Error::invalidArgument(QStringLiteral("confidence %1 is outside [0, 1] (video '%2')")
                                          .arg(*segment.source.confidence)
                                          .arg(video.id));
    return {};
}

Result<QString> ProjectDocument::addSegment(const QString& videoId, Segment segment) {
    auto row = findVideo(videoId);
    if (!row)
        return row.error();
    const VideoEntry& video = m_data.videos[static_cast<size_t>(*row)];
    if (segment.id.isEmpty())
        segment.id = Segment::newId();
    if (video.segment(segment.id))
        return Error::invalidArgument(QStringLiteral("segment id '%1' is already used").arg(segment.id));
    Status valid = validateSegment(video, segment);
    if (!valid)
        return valid.error();
    const QString id = segment.id;
    m_undoStack.push(new SegmentCommand(this, videoId, std::nullopt, std::move(segment)));
    return id;
}

Status ProjectDocument::addSegments(const QString& videoId, std::vector<Segment> segments) {
    auto row = findVideo(videoId);
    if (!row)
        return row.error();
    const VideoEntry& video = m_data.videos[static_cast<size_t>(*row)];
    QSet<QString> ids;
    ids.reserve(static_cast<qsizetype>(video.segments.size() + segments.size()));
    for (const Segment& existing : video.segments)
        ids.insert(existing.id);
    for (Segment& segment : segments) {
        if (segment.id.isEmpty())
            segment.id = Segment::newId();
        if (ids.contains(segment.id))
            return Error::invalidArgument(QStringLiteral("segment id '%1' is already used").arg(segment.id));
        ids.insert(segment.id);
        Status valid = validateSegment(video, segment);
        if (!valid)
            return valid;
    }
    m_undoStack.beginMacro(tr("Add %n segment(s) to '%1'", nullptr, int(segments.size())).arg(videoId));
    for (Segment& segment : segments)
        m_undoStack.push(new SegmentCommand(this, videoId, std::nullopt, std::move(segment)));
    m_undoStack.endMacro();
    return {};
}

Status ProjectDocument::updateSegment(const QString& videoId, const Segment& segment, bool mergeDrag) {
    auto row = findVideo(videoId);
    if (!row)
        return row.error();
    const VideoEntry& video = m_data.videos[static_cast<size_t>(*row)];
    const Segment* before = video.segment(segment.id);
    if (!before)
        return Error::invalidArgument(
            QStringLiteral("no segment '%1' in video '%2'").arg(segment.id, videoId));
    Status valid = validateSegment(video, segment);
    if (!valid)
        return valid;
    if (*before == segment)
        return {};
    m_undoStack.push(new SegmentCommand(this, videoId, *before, segment, mergeDrag));
    return {};
}

Status ProjectDocument::removeSegment(const QString& videoId, const QString& segmentId) {
    auto row = findVideo(videoId);
    if (!row)
        return row.error();
    const Segment* before = m_data.videos[static_cast<size_t>(*row)].segment(segmentId);
    if (!before)
        return Error::invalidArgument(
            QStringLiteral("no segment '%1' in video '%2'").arg(segmentId, videoId));
    m_undoStack.push(new SegmentCommand(this, videoId, *before, std::nullopt));
    return {};
}

Status ProjectDocument::acceptSegment(const QString& videoId, const QString& segmentId) {
    const VideoEntry* entry = video(videoId);
    const Segment* before = entry ? entry->segment(segmentId) : nullptr;
    if (!before)
        return Error::invalidArgument(
            QStringLiteral("no segment '%1' in video '%2'").arg(segmentId, videoId));
    Segment after = *before;
    // A relabelled proposal stays Edited: the person changed what the model said.
    if (after.state != SegmentState::Edited)
        after.state = SegmentState::Accepted;
    return updateSegment(videoId, after);
}

Status ProjectDocument::rejectSegment(const QString& videoId, const QString& segmentId) {
    const VideoEntry* entry = video(videoId);
    const Segment* before = entry ? entry->segment(segmentId) : nullptr;
    if (!before)
        return Error::invalidArgument(
            QStringLiteral("no segment '%1' in video '%2'").arg(segmentId, videoId));
    Segment after = *before;
    after.state = SegmentState::Rejected;
    return updateSegment(videoId, after);
}

Status ProjectDocument::setSegmentLabel(const QString& videoId, const QString& segmentId,
                                        const QString& label) {
    const VideoEntry* entry = video(videoId);
    const Segment* before = entry ? entry->segment(segmentId) : nullptr;
    if (!before)
        return Error::invalidArgument(
            QStringLiteral("no segment '%1' in video '%2'").arg(segmentId, videoId));
    Segment after = *before;
    after.label = label;
    if (before->source.origin == SegmentOrigin::Model && before->label != label)
        after.state = SegmentState::Edited;
    return updateSegment(videoId, after);
}

Status ProjectDocument::pushLabelChange(const LabelSet& after, const QString& from, const QString& to,
                                        const QString& text) {
    m_undoStack.push(new LabelSetCommand(this, m_data.labels, after, from, to, text));
    return {};
}

Status ProjectDocument::editLabels(const std::function<Status(LabelSet&)>& edit, const QString& from,
                                   const QString& to, const QString& text) {
    LabelSet after = m_data.labels;
    const Status changed = edit(after);
    if (!changed)
        return changed;
    return pushLabelChange(after, from, to, text);
}

Status ProjectDocument::addLabel(const QString& name) {
    return editLabels([&](LabelSet& labels) { return labels.add(name); }, {}, {},
                      tr("Add label '%1'").arg(name));
}

Status ProjectDocument::renameLabel(const QString& from, const QString& to) {
    return editLabels([&](LabelSet& labels) { return labels.rename(from, to); }, from, to,
                      tr("Rename label '%1' to '%2'").arg(from, to));
}

Status ProjectDocument::mergeLabels(const QString& from, const QString& into) {
    return editLabels([&](LabelSet& labels) { return labels.merge(from, into); }, from, into,
                      tr("Merge label '%1' into '%2'").arg(from, into));
}

Status ProjectDocument::setLabelColor(const QString& name, const QColor& color) {
    return editLabels([&](LabelSet& labels) { return labels.setColor(name, color); }, {}, {},
                      tr("Change colour of '%1'").arg(name));
}

Status ProjectDocument::setLabelKey(const QString& name, int key) {
    return editLabels([&](LabelSet& labels) { return labels.setKey(name, key); }, {}, {},
                      tr("Bind key %1 to '%2'").arg(key).arg(name));
}

Status ProjectDocument::setLabels(const LabelSet& labels) {
    for (const VideoEntry& video : m_data.videos) {
        for (const Segment& segment : video.segments) {
            if (!labels.contains(segment.label))
                return Error::invalidArgument(
                    QStringLiteral("label '%1' is still used by video '%2'").arg(segment.label, video.id));
        }
    }
    return pushLabelChange(labels, {}, {}, tr("Replace labels"));
}

void ProjectDocument::insertVideoAt(int row, VideoEntry video) {
    Q_EMIT videoAboutToBeInserted(row);
    m_data.videos.insert(m_data.videos.begin() + row, std::move(video));
    Q_EMIT videoInserted(row);
    Q_EMIT modified();
}

void ProjectDocument::removeVideoAt(int row) {
    Q_EMIT videoAboutToBeRemoved(row);
    m_data.videos.erase(m_data.videos.begin() + row);
    Q_EMIT videoRemoved(row);
    Q_EMIT modified();
}

void ProjectDocument::replaceVideoAt(int row, VideoEntry video) {
    // Views of this video's segments reset: the list may differ entirely.
    const QString videoId = video.id;
    Q_EMIT segmentsAboutToBeReplaced(videoId);
    m_data.videos[static_cast<size_t>(row)] = std::move(video);
    Q_EMIT segmentsReplaced(videoId);
    Q_EMIT videoChanged(row);
    Q_EMIT modified();
}

void ProjectDocument::insertSegmentAt(const QString& videoId, int row, Segment segment) {
    const int videoRow = m_data.videoIndex(videoId);
    auto& segments = m_data.videos[static_cast<size_t>(videoRow)].segments;
    row = std::clamp(row, 0, static_cast<int>(segments.size()));
    Q_EMIT segmentAboutToBeInserted(videoId, row);
    segments.insert(segments.begin() + row, std::move(segment));
    Q_EMIT segmentInserted(videoId, row);
    Q_EMIT videoChanged(videoRow);
    Q_EMIT modified();
}

void ProjectDocument::removeSegmentAt(const QString& videoId, int row) {
    const int videoRow = m_data.videoIndex(videoId);
    auto& segments = m_data.videos[static_cast<size_t>(videoRow)].segments;
    Q_EMIT segmentAboutToBeRemoved(videoId, row);
    segments.erase(segments.begin() + row);
    Q_EMIT segmentRemoved(videoId, row);
    Q_EMIT videoChanged(videoRow);
    Q_EMIT modified();
}

void ProjectDocument::replaceSegmentAt(const QString& videoId, int row, Segment segment) {
    const int videoRow = m_data.videoIndex(videoId);
    m_data.videos[static_cast<size_t>(videoRow)].segments[static_cast<size_t>(row)] = std::move(segment);
    Q_EMIT segmentChanged(videoId, row);
    Q_EMIT modified();
}

void ProjectDocument::replaceLabels(LabelSet labels) {
    m_data.labels = std::move(labels);
    Q_EMIT labelsChanged();
    Q_EMIT modified();
}

void ProjectDocument::setSegmentLabelRaw(const QString& videoId, const QString& segmentId,
                                         const QString& label) {
    const int videoRow = m_data.videoIndex(videoId);
    if (videoRow < 0)
        return;
    VideoEntry& video = m_data.videos[static_cast<size_t>(videoRow)];
    const int row = video.segmentIndex(segmentId);
    if (row < 0)
        return;
    video.segments[static_cast<size_t>(row)].label = label;
    Q_EMIT segmentChanged(videoId, row);
    Q_EMIT modified();
}

void ProjectDocument::setVideoLabelsRaw(const QString& videoId, const QStringList& labels) {
    const int videoRow = m_data.videoIndex(videoId);
    if (videoRow < 0)
        return;
    m_data.videos[static_cast<size_t>(videoRow)].videoLabels = labels;
    Q_EMIT videoChanged(videoRow);
    Q_EMIT modified();
}

} // namespace saccade
