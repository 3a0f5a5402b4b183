#pragma once

#include <QtGlobal>

#include <limits>
#include <vector>

namespace saccade {

/// Maps frame numbers (0-based, presentation order) to stream timestamps and back, built from one
/// demux-only pass over the packets of a video stream. Pure value type without libav; any thread.
///
/// Frame k is the packet with the k-th smallest presentation timestamp (pts). When any pts is
/// missing (raw elementary streams; AVI with B-frames, whose dts-derived times are shifted by the
/// decoder's reordering delay) or repeated, the index cannot place frames by time; it is then
/// "untimed" and frames are counted in decoder output order from the start of the stream.
class FrameIndex {
public:
    static constexpr qint64 kNoTimestamp = std::numeric_limits<qint64>::min();

    /// One packet of the video stream, in the order the demuxer returned it.
    struct Packet {
        qint64 pts = kNoTimestamp;
        qint64 dts = kNoTimestamp;
        bool keyFrame = false;
    };

    FrameIndex() = default;
    /// Sorts the packets into presentation order. Packets the demuxer marked as discarded must be
    /// left out by the caller.
    static FrameIndex build(const std::vector<Packet>& packets);

    qint64 frameCount() const { return m_frameCount; }
    /// True when every frame has a unique timestamp, so frames can be found by seeking.
    bool isTimed() const { return m_timed; }

    /// Timestamp (stream time base) of frame `frame`; kNoTimestamp when untimed or out of range.
    qint64 timestampOf(qint64 frame) const;
    /// Frame whose timestamp equals `timestamp`, or -1.
    qint64 frameAt(qint64 timestamp) const;
    /// The key frame at or before `frame` in presentation order (0 when there is none).
    qint64 keyFrameAtOrBefore(qint64 frame) const;
    /// The key frame before `keyFrame`, or -1 when `keyFrame` is the first one.
    qint64 keyFrameBefore(qint64 keyFrame) const;
    /// Timestamp to hand to a backward seek so that the demuxer lands on key frame `keyFrame`:
    /// the smaller of its pts and dts, because demuxers index by either.
    qint64 seekTimestampOf(qint64 keyFrame) const;
    /// Largest distance in frames between consecutive key frames (the longest GOP).
    qint64 longestGop() const;
    /// Estimate of frames missing from the stream itself (packets lost before demuxing, e.g. damaged
    /// transport packets): timestamp gaps of at least twice the median frame interval, counted in
    /// median intervals. 0 for untimed indexes.
    qint64 gapFrameCount() const { return m_gapFrames; }

private:
    qint64 countGapFrames() const;

    struct Entry {
        qint64 timestamp = kNoTimestamp;
        qint64 seekTimestamp = kNoTimestamp;
        bool keyFrame = false;
    };
    std::vector<Entry> m_entries;
    std::vector<qint64> m_keyFrames;
    qint64 m_frameCount = 0;
    qint64 m_gapFrames = 0;
    bool m_timed = false;
};

} // namespace saccade
