#pragma once

#include <QtGlobal>

#include <vector>

namespace saccade {

/// Where the clip of temporal view i of n starts inside the slack delta = max(frameCount - span, 0).
enum class ClipStart {
    /// start = delta * i / n: the TimeSformer research code's test protocol (one view starts at 0).
    Research = 1,
    /// start = floor(delta / 2) for one view, else i * floor(delta / (n - 1)): later PySlowFast's
    /// offset sampling, which centres a single view and ends the last view at the end of the video.
    Offset,
};

/// One window of a sliding-window pass: its first and last source frame (inclusive) and the
/// frames sampled from it.
struct ClipWindow {
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    std::vector<qint64> frames;
};

/// Picks the source frames a clip model looks at. Pure functions of frame counts (no decoding),
/// usable from any thread.
class ClipSampler {
public:
    /// Number of source frames a clip of `numFrames` frames at `samplingRate` spans, relative to a
    /// `targetFps` timeline: samplingRate * numFrames / targetFps * fps.
    static double clipSpan(int numFrames, int samplingRate, double fps, double targetFps = 30.0);

    /// The test-protocol clip of temporal view `viewIndex` of `viewCount`: numFrames indices
    /// linspace(start, start + span - 1) rounded down and clamped to [0, frameCount - 1].
    static std::vector<qint64> temporalClip(qint64 frameCount, double fps, int numFrames, int samplingRate,
                                            int viewIndex, int viewCount,
                                            ClipStart start = ClipStart::Research, double targetFps = 30.0);

    /// `count` indices linspace(first, last) rounded down (first == last repeats it); empty when count <= 0.
    static std::vector<qint64> linspace(double first, double last, int count);
    /// `count` frames spread evenly over [firstFrame, lastFrame], both ends included.
    static std::vector<qint64> uniform(qint64 firstFrame, qint64 lastFrame, int count);

    /// Windows of `span` frames every `stride` frames covering all of [0, frameCount): the last one is
    /// moved back to end on the last frame; a video shorter than `span` gets one window with its
    /// samples clamped to the last frame. Each window samples numFrames frames over its span.
    static std::vector<ClipWindow> slidingWindows(qint64 frameCount, qint64 span, qint64 stride,
                                                  int numFrames);

    /// Dense windows whose samples lie on one grid of the video, so overlapping windows share frames:
    /// the grid step is span / numFrames, window k samples grid points k * strideSteps ... + numFrames - 1
    /// (floor of step times the point), and its span runs from its first sample to just before the
    /// grid point after its last. Windows are added while they fit inside the video; one more, moved back
    /// to end on the last frame, covers the rest (its samples are off the grid). A video shorter than the
    /// span gets one window with its samples clamped to the last frame.
    static std::vector<ClipWindow> gridWindows(qint64 frameCount, double span, int numFrames,
                                               int strideSteps);
};

} // namespace saccade
