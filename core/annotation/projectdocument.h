#pragma once

#include "core/annotation/projectdata.h"
#include "core/util/result.h"

#include <QObject>
#include <QUndoStack>

#include <functional>
#include <optional>

namespace saccade {

class SegmentCommand;
class LabelSetCommand;
class VideoCommand;

/// The open project: videos, labels and segments, with an undo stack. Lives on the GUI (or main) thread;
/// every public edit validates its input and pushes a QUndoCommand, so Ctrl+Z undoes it. Views read the
/// data and follow the signals; exporters take a copy of data().
class ProjectDocument : public QObject {
    Q_OBJECT
public:
    explicit ProjectDocument(QObject* parent = nullptr);
    explicit ProjectDocument(ProjectData data, QObject* parent = nullptr);
    ~ProjectDocument() override;

    const ProjectData& data() const { return m_data; }
    const LabelSet& labels() const { return m_data.labels; }
    const std::vector<VideoEntry>& videos() const { return m_data.videos; }
    const VideoEntry* video(const QString& videoId) const { return m_data.video(videoId); }
    /// Owned by the document.
    QUndoStack* undoStack() { return &m_undoStack; }

    /// Replaces everything (open, recover) and clears the undo history.
    void reset(ProjectData data);

    // Videos.
    Status addVideo(VideoEntry video);
    Status removeVideo(const QString& videoId);
    Status setSplit(const QString& videoId, Split split);
    Status setVideoLabels(const QString& videoId, const QStringList& labels);
    /// Points a video at a new file (a moved or missing video). The file must have the same content hash
    /// unless `requireSameContent` is false.
    Status relinkVideo(const QString& videoId, const QString& path, bool requireSameContent = true);

    // Segments. Segments may overlap (see Segment). Labels must be in the label set; frames must lie in
    // [0, frame count] with end > start.
    Result<QString> addSegment(const QString& videoId, Segment segment);
    /// Adds many segments to one video as one undo step, all or none (an import): ids are checked with
    /// a set once rather than a scan of the video per segment.
    Status addSegments(const QString& videoId, std::vector<Segment> segments);
    /// Replaces the segment with the same id. With `mergeDrag`, consecutive updates of the same segment
    /// merge into one undo step (an edge being dragged).
    Status updateSegment(const QString& videoId, const Segment& segment, bool mergeDrag = false);
    Status removeSegment(const QString& videoId, const QString& segmentId);
    Status acceptSegment(const QString& videoId, const QString& segmentId);
    Status rejectSegment(const QString& videoId, const QString& segmentId);
    /// Relabels a segment; a model proposal becomes Edited.
    Status setSegmentLabel(const QString& videoId, const QString& segmentId, const QString& label);

    // Labels. Renames and merges carry every segment and whole-video label along.
    Status addLabel(const QString& name);
    Status renameLabel(const QString& from, const QString& to);
    Status mergeLabels(const QString& from, const QString& into);
    Status setLabelColor(const QString& name, const QColor& color);
    Status setLabelKey(const QString& name, int key);
    /// Replaces the label set (import of a label file); every label in use must still exist.
    Status setLabels(const LabelSet& labels);

    /// Checks a segment against the video and the label set.
    Status validateSegment(const VideoEntry& video, const Segment& segment) const;

Q_SIGNALS:
    void videoAboutToBeInserted(int row);
    void videoInserted(int row);
    void videoAboutToBeRemoved(int row);
    void videoRemoved(int row);
    void videoChanged(int row);
    void segmentAboutToBeInserted(const QString& videoId, int row);
    void segmentInserted(const QString& videoId, int row);
    void segmentAboutToBeRemoved(const QString& videoId, int row);
    void segmentRemoved(const QString& videoId, int row);
    void segmentChanged(const QString& videoId, int row);
    /// A video's whole segment list was replaced (undo of a video edit).
    void segmentsAboutToBeReplaced(const QString& videoId);
    void segmentsReplaced(const QString& videoId);
    void labelsChanged();
    /// Everything was replaced (reset()).
    void aboutToReset();
    void resetDone();
    /// Any change at all, including undo and redo: drives autosave.
    void modified();

private:
    friend class SegmentCommand;
    friend class LabelSetCommand;
    friend class VideoCommand;

    // Raw edits applied by the undo commands; they emit the signals and never touch the undo stack.
    void insertVideoAt(int row, VideoEntry video);
    void removeVideoAt(int row);
    void replaceVideoAt(int row, VideoEntry video);
    void insertSegmentAt(const QString& videoId, int row, Segment segment);
    void removeSegmentAt(const QString& videoId, int row);
    void replaceSegmentAt(const QString& videoId, int row, Segment segment);
    void replaceLabels(LabelSet labels);
    void setSegmentLabelRaw(const QString& videoId, const QString& segmentId, const QString& label);
    void setVideoLabelsRaw(const QString& videoId, const QStringList& labels);

    Result<int> findVideo(const QString& videoId) const;
    Status pushLabelChange(const LabelSet& after, const QString& from, const QString& to,
                           const QString& text);
    /// Applies `edit` to a copy of the labels and pushes the result as one undoable change, unless
    /// `edit` refuses it.
    Status editLabels(const std::function<Status(LabelSet&)>& edit, const QString& from, const QString& to,
                      const QString& text);

    ProjectData m_data;
    QUndoStack m_undoStack;
};

} // namespace saccade
