#include "core/annotation/segmentcommand.h"

#include "core/annotation/projectdocument.h"

#include <QCoreApplication>

namespace saccade {

namespace {

QString describe(const std::optional<Segment>& before, const std::optional<Segment>& after) {
    if (!before)
        return QCoreApplication::translate("SegmentCommand", "Add segment '%1'").arg(after->label);
    if (!after)
        return QCoreApplication::translate("SegmentCommand", "Delete segment '%1'").arg(before->label);
    if (before->state != after->state && after->state == SegmentState::Accepted)
        return QCoreApplication::translate("SegmentCommand", "Accept segment '%1'").arg(after->label);
    if (before->state != after->state && after->state == SegmentState::Rejected)
        return QCoreApplication::translate("SegmentCommand", "Reject segment '%1'").arg(after->label);
    if (before->label != after->label)
        return QCoreApplication::translate("SegmentCommand", "Relabel segment as '%1'").arg(after->label);
    return QCoreApplication::translate("SegmentCommand", "Edit segment '%1'").arg(after->label);
}

} // namespace

SegmentCommand::SegmentCommand(ProjectDocument* document, QString videoId, std::optional<Segment> before,
                               std::optional<Segment> after, bool mergeDrag)
    : QUndoCommand(describe(before, after)), m_document(document), m_videoId(std::move(videoId)),
      m_before(std::move(before)), m_after(std::move(after)), m_mergeDrag(mergeDrag && m_before && m_after) {}

void SegmentCommand::redo() {
    const VideoEntry* video = m_document->video(m_videoId);
    if (!video)
        return;
    if (!m_before) {
        m_row = m_row < 0 ? static_cast<int>(video->segments.size()) : m_row;
        m_document->insertSegmentAt(m_videoId, m_row, *m_after);
        return;
    }
    m_row = video->segmentIndex(m_before->id);
    if (m_row < 0)
        return;
    if (!m_after)
        m_document->removeSegmentAt(m_videoId, m_row);
    else
        m_document->replaceSegmentAt(m_videoId, m_row, *m_after);
}

void SegmentCommand::undo() {
    const VideoEntry* video = m_document->video(m_videoId);
    if (!video)
        return;
    if (!m_after) {
        m_document->insertSegmentAt(m_videoId, m_row, *m_before);
        return;
    }
    const int row = video->segmentIndex(m_after->id);
    if (row < 0)
        return;
    if (!m_before)
        m_document->removeSegmentAt(m_videoId, row);
    else
        m_document->replaceSegmentAt(m_videoId, row, *m_before);
}

bool SegmentCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = dynamic_cast<const SegmentCommand*>(other);
    if (!next || !m_mergeDrag || !next->m_mergeDrag || next->m_videoId != m_videoId ||
        next->m_before->id != m_after->id)
        return false;
    m_after = next->m_after;
    setText(describe(m_before, m_after));
    return true;
}

} // namespace saccade
