#pragma once

#include "core/annotation/segment.h"

#include <QUndoCommand>

#include <optional>

namespace saccade {

class ProjectDocument;

/// Adds (no `before`), removes (no `after`) or replaces one segment of one video. Holds the document,
/// which must outlive the undo stack it is pushed on (the document owns that stack).
class SegmentCommand : public QUndoCommand {
public:
    /// Undo id shared by the drag updates that merge into one step.
    static constexpr int kDragId = 0x5e61;

    SegmentCommand(ProjectDocument* document, QString videoId, std::optional<Segment> before,
                   std::optional<Segment> after, bool mergeDrag = false);

    void redo() override;
    void undo() override;
    int id() const override { return m_mergeDrag ? kDragId : -1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    ProjectDocument* m_document = nullptr;
    QString m_videoId;
    std::optional<Segment> m_before;
    std::optional<Segment> m_after;
    bool m_mergeDrag = false;
    // Where a removed segment stood, so undo puts it back in the same row.
    int m_row = -1;
};

} // namespace saccade
