#pragma once

#include "core/annotation/videoentry.h"

#include <QUndoCommand>

#include <optional>

namespace saccade {

class ProjectDocument;

/// Adds (no `before`), removes (no `after`) or replaces a whole video entry (split, whole-video labels,
/// relinked path). Holds the document, which owns the undo stack.
class VideoCommand : public QUndoCommand {
public:
    VideoCommand(ProjectDocument* document, std::optional<VideoEntry> before, std::optional<VideoEntry> after,
                 const QString& text);

    void redo() override;
    void undo() override;

private:
    void apply(const std::optional<VideoEntry>& from, const std::optional<VideoEntry>& to);

    ProjectDocument* m_document = nullptr;
    std::optional<VideoEntry> m_before;
    std::optional<VideoEntry> m_after;
    int m_row = -1;
};

} // namespace saccade
