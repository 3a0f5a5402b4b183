#include "core/media/frameindex.h"

#include <algorithm>

namespace saccade {

FrameIndex FrameIndex::build(const std::vector<Packet>& packets) {
    FrameIndex index;
    index.m_frameCount = qint64(packets.size());
    index.m_entries.reserve(packets.size());
    for (const Packet& packet : packets) {
        // Without a pts the presentation order is unknown (dts follows decode order, and frame
        // reordering shifts decoder output against it), so such streams can only be counted.
        if (packet.pts == kNoTimestamp) {
            index.m_entries.clear();
            return index;
        }
        const qint64 seek = packet.dts != kNoTimestamp ? std::min(packet.dts, packet.pts) : packet.pts;
        index.m_entries.push_back({packet.pts, seek, packet.keyFrame});
    }
    std::stable_sort(index.m_entries.begin(), index.m_entries.end(),
                     [](const Entry& a, const Entry& b) { return a.timestamp < b.timestamp; });
    const auto duplicate =
        std::adjacent_find(index.m_entries.begin(), index.m_entries.end(),
                           [](const Entry& a, const Entry& b) { return a.timestamp == b.timestamp; });
    if (duplicate != index.m_entries.end()) {
        index.m_entries.clear();
        return index;
    }
    index.m_timed = true;
    index.m_gapFrames = index.countGapFrames();
    for (qint64 frame = 0; frame < index.m_frameCount; ++frame) {
        if (index.m_entries[size_t(frame)].keyFrame)
            index.m_keyFrames.push_back(frame);
    }
    return index;
}

qint64 FrameIndex::countGapFrames() const {
    if (m_entries.size() < 3)
        return 0;
    std::vector<qint64> intervals;
    intervals.reserve(m_entries.size() - 1);
    for (size_t i = 1; i < m_entries.size(); ++i)
        intervals.push_back(m_entries[i].timestamp - m_entries[i - 1].timestamp);
    std::vector<qint64> sorted = intervals;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const qint64 median = sorted[sorted.size() / 2];
    if (median <= 0)
        return 0;
    qint64 missing = 0;
    for (qint64 interval : intervals) {
        if (interval >= 2 * median)
            missing += (interval + median / 2) / median - 1;
    }
    return missing;
}

qint64 FrameIndex::timestampOf(qint64 frame) const {
    if (!m_timed || frame < 0 || frame >= m_frameCount)
        return kNoTimestamp;
    return m_entries[size_t(frame)].timestamp;
}

qint64 FrameIndex::frameAt(qint64 timestamp) const {
    if (!m_timed || timestamp == kNoTimestamp)
        return -1;
    const auto found =
        std::lower_bound(m_entries.begin(), m_entries.end(), timestamp,
                         [](const Entry& entry, qint64 value) { return entry.timestamp < value; });
    if (found == m_entries.end() || found->timestamp != timestamp)
        return -1;
    return qint64(found - m_entries.begin());
}

qint64 FrameIndex::keyFrameAtOrBefore(qint64 frame) const {
    const auto after = std::upper_bound(m_keyFrames.begin(), m_keyFrames.end(), frame);
    return after == m_keyFrames.begin() ? 0 : *(after - 1);
}

qint64 FrameIndex::keyFrameBefore(qint64 keyFrame) const {
    const auto at = std::lower_bound(m_keyFrames.begin(), m_keyFrames.end(), keyFrame);
    return at == m_keyFrames.begin() ? -1 : *(at - 1);
}

qint64 FrameIndex::seekTimestampOf(qint64 keyFrame) const {
    if (!m_timed || keyFrame < 0 || keyFrame >= m_frameCount)
        return kNoTimestamp;
    return m_entries[size_t(keyFrame)].seekTimestamp;
}

qint64 FrameIndex::longestGop() const {
    if (m_keyFrames.empty())
        return m_frameCount;
    qint64 longest = 0;
    for (size_t i = 0; i < m_keyFrames.size(); ++i) {
        const qint64 next = i + 1 < m_keyFrames.size() ? m_keyFrames[i + 1] : m_frameCount;
        longest = std::max(longest, next - m_keyFrames[i]);
    }
    return longest;
}

} // namespace saccade
