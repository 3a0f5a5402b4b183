#include "core/annotation/labelsetcommand.h"

#include "core/annotation/projectdocument.h"

namespace saccade {

LabelSetCommand::LabelSetCommand(ProjectDocument* document, LabelSet before, LabelSet after, QString from,
                                 QString to, const QString& text)
    : QUndoCommand(text), m_document(document), m_before(std::move(before)), m_after(std::move(after)),
      m_from(std::move(from)), m_to(std::move(to)) {}

void LabelSetCommand::redo() {
    m_segments.clear();
    m_videoLabelsBefore.clear();
    if (!m_from.isEmpty()) {
        for (const VideoEntry& video : m_document->videos()) {
            for (const Segment& segment : video.segments) {
                if (segment.label == m_from)
                    m_segments.push_back({video.id, segment.id});
            }
            if (video.videoLabels.contains(m_from))
                m_videoLabelsBefore.emplace_back(video.id, video.videoLabels);
        }
        for (const Relabelled& item : m_segments)
            m_document->setSegmentLabelRaw(item.videoId, item.segmentId, m_to);
        for (const auto& [videoId, before] : m_videoLabelsBefore) {
            QStringList labels;
            for (const QString& label : before)
                labels << (label == m_from ? m_to : label);
            labels.removeDuplicates();
            m_document->setVideoLabelsRaw(videoId, labels);
        }
    }
    m_document->replaceLabels(m_after);
}

void LabelSetCommand::undo() {
    m_document->replaceLabels(m_before);
    for (const Relabelled& item : m_segments)
        m_document->setSegmentLabelRaw(item.videoId, item.segmentId, m_from);
    for (const auto& [videoId, before] : m_videoLabelsBefore)
        m_document->setVideoLabelsRaw(videoId, before);
}

} // namespace saccade
