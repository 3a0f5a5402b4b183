#include "core/annotation/projectmerge.h"

#include <QFileInfo>

namespace saccade {

void ProjectMerge::add(const ProjectData& project, const QString& sourceName) {
    if (m_merged.name.isEmpty())
        m_merged.name = project.name;
    mergeLabels(project.labels, sourceName);
    for (const VideoEntry& video : project.videos)
        mergeVideo(video, sourceName);
}

bool ProjectMerge::hasBlockingConflicts() const {
    for (const MergeConflict& conflict : m_conflicts)
        if (conflict.blocking)
            return true;
    return false;
}

QString ProjectMerge::mergedVideoId(const QString& sourceName, const QString& videoId) const {
    const auto found = m_idMap.find({sourceName, videoId});
    return found == m_idMap.end() ? QString() : found->second;
}

QStringList ProjectMerge::missingVideos(const QStringList& expectedPaths) const {
    QStringList missing;
    for (const QString& path : expectedPaths)
        if (!m_seenPaths.contains(QFileInfo(path).absoluteFilePath()))
            missing << path;
    return missing;
}

void ProjectMerge::report(bool blocking, const QString& message) {
    m_conflicts.push_back({blocking, message});
}

void ProjectMerge::mergeLabels(const LabelSet& labels, const QString& sourceName) {
    LabelSet& merged = m_merged.labels;
    for (const Label& label : labels.labels()) {
        if (const Label* existing = merged.label(label.name)) {
            if (existing->color != label.color)
                report(false, QStringLiteral("label '%1' is %2 in %3 but %4 before; kept %4")
                                  .arg(label.name, label.color.name(), sourceName, existing->color.name()));
            if (existing->key != label.key)
                report(false, QStringLiteral("label '%1' has key %2 in %3 but %4 before; kept %4")
                                  .arg(label.name)
                                  .arg(label.key)
                                  .arg(sourceName)
                                  .arg(existing->key));
            continue;
        }
        // The name comes from a valid label set, so adding it cannot fail.
        (void)merged.add(label.name);
        (void)merged.setColor(label.name, label.color);
        const QString holder = label.key >= 0 ? merged.nameForKey(label.key) : QString();
        if (!holder.isEmpty() && holder != label.name) {
            (void)merged.setKey(label.name, -1);
            report(false, QStringLiteral("label '%1' of %2 has key %3, which is '%4''s; '%1' has no key")
                              .arg(label.name, sourceName)
                              .arg(label.key)
                              .arg(holder));
        } else {
            (void)merged.setKey(label.name, label.key);
        }
    }
}

void ProjectMerge::mergeVideo(const VideoEntry& video, const QString& sourceName) {
    const QString path = QFileInfo(video.path).absoluteFilePath();
    int index = -1;
    for (size_t i = 0; i < m_merged.videos.size(); ++i) {
        const VideoEntry& known = m_merged.videos[i];
        if (!video.contentHash.isEmpty() && known.contentHash == video.contentHash)
            index = static_cast<int>(i);
        else if (known.path == path && known.contentHash != video.contentHash)
            report(true, QStringLiteral("%1 has content %2 in %3 but %4 in %5: the file changed between "
                                        "the two, so their frames cannot be matched")
                             .arg(path, video.contentHash, sourceName, known.contentHash, m_firstSource[i]));
    }
    if (!m_seenPaths.contains(path))
        m_seenPaths << path;
    if (index < 0) {
        VideoEntry entry = video;
        entry.path = path;
        entry.id = m_merged.uniqueVideoId(video.id);
        entry.segments.clear();
        mergeSegments(entry, video, sourceName);
        m_idMap[{sourceName, video.id}] = entry.id;
        m_merged.videos.push_back(std::move(entry));
        m_firstSource.push_back(sourceName);
        return;
    }
    VideoEntry& into = m_merged.videos[size_t(index)];
    m_idMap[{sourceName, video.id}] = into.id;
    // Segments are frame numbers: one content decoded to different frame counts cannot be merged.
    if (video.probe.frameCount != into.probe.frameCount || video.probe.fps != into.probe.fps) {
        report(true, QStringLiteral("video '%1' has %2 frames at %3 fps in %4 but %5 at %6 fps in %7")
                         .arg(into.id)
                         .arg(video.probe.frameCount)
                         .arg(video.probe.fps)
                         .arg(sourceName)
                         .arg(into.probe.frameCount)
                         .arg(into.probe.fps)
                         .arg(m_firstSource[size_t(index)]));
        return;
    }
    if (into.missing && !video.missing) {
        into.path = path;
        into.missing = false;
    }
    if (into.split == Split::Unassigned) {
        into.split = video.split;
    } else if (video.split != Split::Unassigned && video.split != into.split) {
        report(false, QStringLiteral("video '%1' is in split %2 in %3 but %4 before; kept %4")
                          .arg(into.id, splitName(video.split), sourceName, splitName(into.split)));
    }
    for (const QString& label : video.videoLabels)
        if (!into.videoLabels.contains(label))
            into.videoLabels << label;
    mergeSegments(into, video, sourceName);
}

void ProjectMerge::mergeSegments(VideoEntry& into, const VideoEntry& from, const QString& sourceName) {
    for (const Segment& segment : from.segments) {
        const Segment* same = into.segment(segment.id);
        if (same && *same == segment)
            continue;
        Segment copy = segment;
        if (same) {
            copy.id = Segment::newId();
            report(false,
                   QStringLiteral("video '%1': segment %2 differs in %3 ([%4, %5) %6, %7) from the one "
                                  "merged before ([%8, %9) %10, %11); both kept, the later as %12")
                       .arg(into.id, segment.id, sourceName)
                       .arg(segment.startFrame)
                       .arg(segment.endFrame)
                       .arg(segment.label, segmentStateName(segment.state))
                       .arg(same->startFrame)
                       .arg(same->endFrame)
                       .arg(same->label, segmentStateName(same->state), copy.id));
        }
        into.segments.push_back(std::move(copy));
    }
}

} // namespace saccade
