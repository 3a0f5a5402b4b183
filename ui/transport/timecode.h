#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>

namespace saccade {

/// A frame rate as an exact fraction (30000/1001 for 29.97 fps), so frame <-> time stays exact.
struct FrameRate {
    qint64 numerator = 0;
    qint64 denominator = 1;

    bool isValid() const { return numerator > 0 && denominator > 0; }
    /// The exact fraction behind a measured rate: NTSC rates (29.97, 59.94, 23.976) become n*1000/1001,
    /// others are kept to a thousandth of a frame per second.
    static FrameRate fromFramesPerSecond(double fps);
    double framesPerSecond() const { return isValid() ? double(numerator) / double(denominator) : 0.0; }
    bool operator==(const FrameRate& other) const {
        return numerator * other.denominator == other.numerator * denominator;
    }
};

/// Frame <-> time conversions and the `HH:MM:SS.mmm` text the transport shows and accepts.
/// A frame is shown for [start, start + duration); a time maps to the frame on screen at that time,
/// and a frame formats to the first whole millisecond inside its interval, so parsing the text of a
/// frame gives the same frame back at any rate below 1000 fps.
class Timecode {
public:
    /// First whole millisecond at which `frame` is on screen.
    static qint64 frameToMs(qint64 frame, FrameRate rate);
    /// The frame on screen at `timeMs` (frames start at 0).
    static qint64 msToFrame(qint64 timeMs, FrameRate rate);

    /// `HH:MM:SS.mmm` (hours grow past 99 when needed); negative times get a leading '-'.
    static QString formatMs(qint64 timeMs);
    static QString formatFrame(qint64 frame, FrameRate rate) { return formatMs(frameToMs(frame, rate)); }

    /// Accepts `HH:MM:SS.mmm`, `MM:SS.mmm`, `SS.mmm` and `SS`, with 0 to 3 fraction digits (more are
    /// truncated). Minutes and seconds after a colon must be below 60. Returns nullopt otherwise.
    static std::optional<qint64> parseMs(const QString& text);
};

} // namespace saccade
