#include "core/annotation/segment.h"

#include <QUuid>

namespace saccade {

QString segmentStateName(SegmentState state) {
    switch (state) {
    case SegmentState::Proposed:
        return QStringLiteral("proposed");
    case SegmentState::Accepted:
        return QStringLiteral("accepted");
    case SegmentState::Rejected:
        return QStringLiteral("rejected");
    case SegmentState::Edited:
        return QStringLiteral("edited");
    }
    return {};
}

std::optional<SegmentState> segmentStateFromName(const QString& name) {
    for (SegmentState state :
         {SegmentState::Proposed, SegmentState::Accepted, SegmentState::Rejected, SegmentState::Edited}) {
        if (segmentStateName(state) == name)
            return state;
    }
    return std::nullopt;
}

QString segmentOriginName(SegmentOrigin origin) {
    return origin == SegmentOrigin::Model ? QStringLiteral("model") : QStringLiteral("person");
}

std::optional<SegmentOrigin> segmentOriginFromName(const QString& name) {
    if (name == QLatin1String("model"))
        return SegmentOrigin::Model;
    if (name == QLatin1String("person"))
        return SegmentOrigin::Person;
    return std::nullopt;
}

bool SegmentSource::operator==(const SegmentSource& other) const {
    return origin == other.origin && modelHash == other.modelHash && confidence == other.confidence;
}

QString Segment::newId() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool Segment::operator==(const Segment& other) const {
    return id == other.id && startFrame == other.startFrame && endFrame == other.endFrame &&
           label == other.label && state == other.state && source == other.source && note == other.note;
}

} // namespace saccade
