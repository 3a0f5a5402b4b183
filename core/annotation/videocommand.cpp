#include "core/annotation/videocommand.h"

#include "core/annotation/projectdocument.h"

namespace saccade {

VideoCommand::VideoCommand(ProjectDocument* document, std::optional<VideoEntry> before,
                           std::optional<VideoEntry> after, const QString& text)
    : QUndoCommand(text), m_document(document), m_before(std::move(before)), m_after(std::move(after)) {}

void VideoCommand::redo() {
    apply(m_before, m_after);
}

void VideoCommand::undo() {
    apply(m_after, m_before);
}

void VideoCommand::apply(const std::optional<VideoEntry>& from, const std::optional<VideoEntry>& to) {
    if (!from) {
        const int count = static_cast<int>(m_document->videos().size());
        m_row = (m_row < 0 || m_row > count) ? count : m_row;
        m_document->insertVideoAt(m_row, *to);
        return;
    }
    m_row = m_document->data().videoIndex(from->id);
    if (m_row < 0)
        return;
    if (!to)
        m_document->removeVideoAt(m_row);
    else
        m_document->replaceVideoAt(m_row, *to);
}

} // namespace saccade
