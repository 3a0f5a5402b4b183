#pragma once

#include "core/annotation/labelset.h"

#include <QUndoCommand>

#include <utility>
#include <vector>

namespace saccade {

class ProjectDocument;

/// Replaces the label set and, for a rename or merge, relabels every segment and whole-video label
/// `from` as `to`. Undo restores both exactly. Holds the document, which owns the undo stack.
class LabelSetCommand : public QUndoCommand {
public:
    LabelSetCommand(ProjectDocument* document, LabelSet before, LabelSet after, QString from, QString to,
                    const QString& text);

    void redo() override;
    void undo() override;

private:
    struct Relabelled {
        QString videoId;
        QString segmentId;
    };

    ProjectDocument* m_document = nullptr;
    LabelSet m_before;
    LabelSet m_after;
    QString m_from;
    QString m_to;
    std::vector<Relabelled> m_segments;
    // Whole-video label lists as they were, restored verbatim by undo.
    std::vector<std::pair<QString, QStringList>> m_videoLabelsBefore;
};

} // namespace saccade
