#include "core/annotation/videoentry.h"

#include <cmath>

namespace saccade {

QString splitName(Split split) {
    switch (split) {
    case Split::Train:
        return QStringLiteral("train");
    case Split::Val:
        return QStringLiteral("val");
    case Split::Test:
        return QStringLiteral("test");
    case Split::Unassigned:
        return QStringLiteral("unassigned");
    }
    return {};
}

std::optional<Split> splitFromName(const QString& name) {
    for (Split split : {Split::Unassigned, Split::Train, Split::Val, Split::Test}) {
        if (splitName(split) == name)
            return split;
    }
    return std::nullopt;
}

bool VideoProbeInfo::operator==(const VideoProbeInfo& other) const {
    return width == other.width && height == other.height && fps == other.fps &&
           frameCount == other.frameCount && durationSeconds == other.durationSeconds;
}

double VideoEntry::secondsAtFrame(qint64 frame) const {
    return probe.fps > 0 ? static_cast<double>(frame) / probe.fps : 0.0;
}

qint64 VideoEntry::frameAtSeconds(double seconds) const {
    return probe.fps > 0 ? static_cast<qint64>(std::llround(seconds * probe.fps)) : 0;
}

const Segment* VideoEntry::segment(const QString& segmentId) const {
    const int index = segmentIndex(segmentId);
    return index < 0 ? nullptr : &segments[static_cast<size_t>(index)];
}

int VideoEntry::segmentIndex(const QString& segmentId) const {
    for (size_t i = 0; i < segments.size(); ++i) {
        if (segments[i].id == segmentId)
            return static_cast<int>(i);
    }
    return -1;
}

bool VideoEntry::operator==(const VideoEntry& other) const {
    return id == other.id && path == other.path && contentHash == other.contentHash &&
           sizeBytes == other.sizeBytes && probe == other.probe && split == other.split &&
           videoLabels == other.videoLabels && segments == other.segments && missing == other.missing;
}

} // namespace saccade
