#pragma once

#include "core/annotation/projectdata.h"

#include <QStringList>

#include <map>
#include <vector>

namespace saccade {

/// Something the merge had to decide or could not: which inputs, and what.
struct MergeConflict {
    /// A blocking conflict leaves the merge unusable (the same file with different content, or one
    /// content with different frame counts); the others are resolved (first input wins) and reported.
    bool blocking = false;
    QString message;
};

/// Merges projects into one: shard projects of a batch run, or two annotators' projects of the same
/// videos. Labels are united by name (the first input's colour and key win); videos are matched by
/// content hash, so a video annotated under different paths or ids is one video; segments keep their
/// state and source (person, or model hash and confidence). A segment present in two inputs with the
/// same id and the same content is kept once; the same id with different content keeps both (the later
/// one gets a new id) and is reported. A plain value; any thread.
class ProjectMerge {
public:
    /// Adds `project`; `sourceName` (its file) names it in conflicts.
    void add(const ProjectData& project, const QString& sourceName);

    const ProjectData& merged() const { return m_merged; }
    const std::vector<MergeConflict>& conflicts() const { return m_conflicts; }
    bool hasBlockingConflicts() const;
    /// The id `videoId` of input `sourceName` has in the merged project (empty when unknown).
    QString mergedVideoId(const QString& sourceName, const QString& videoId) const;
    /// Of `expectedPaths` (absolute), those no input holds: a shard that has not finished them.
    QStringList missingVideos(const QStringList& expectedPaths) const;

private:
    void mergeLabels(const LabelSet& labels, const QString& sourceName);
    void mergeVideo(const VideoEntry& video, const QString& sourceName);
    void mergeSegments(VideoEntry& into, const VideoEntry& from, const QString& sourceName);
    void report(bool blocking, const QString& message);

    ProjectData m_merged;
    std::vector<MergeConflict> m_conflicts;
    /// Where each video came from: every path it was seen under, and which input named it what.
    QStringList m_seenPaths;
    std::map<std::pair<QString, QString>, QString> m_idMap;
    /// The input each merged video came from first (by merged index), for messages.
    std::vector<QString> m_firstSource;
};

} // namespace saccade
