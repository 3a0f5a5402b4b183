#pragma once

#include "core/training/syntheticclipgenerator.h"

#include <cstdint>
#include <vector>

namespace saccade {

struct SyntheticSegment;

/// The shape of windows cut from a synthetic timeline.
struct TimelineWindowOptions {
    int frames = 8;
    int width = 64;
    int height = 64;
    /// Source frames between two samples of a window; a window spans frames * samplingRate frames.
    int samplingRate = 8;
    int fps = 30;
    /// How long the timeline's actions and the idle stretches between them last (wider than the demo
    /// video's, so the model does not learn one rhythm).
    double minActionSeconds = 1.2;
    double maxActionSeconds = 3.5;
    double minIdleSeconds = 0.5;
    double maxIdleSeconds = 3.5;
    int minDistractors = 1;
    int maxDistractors = 6;
    double maxNoise = 0.25;
    /// A window is labelled with the action that covers at least this share of its span, else it is
    /// background.
    double minOverlap = 0.5;
};

/// Which class a window gets: the action covering at least `minOverlap` of the half-open span
/// [windowStart, windowStart + span), or the background.
struct WindowLabel {
    bool background = true;
    /// The action covering most of the span (meaningful when `share` > 0).
    SyntheticAction action = SyntheticAction::MoveLeft;
    /// Share of the span that `action` covers.
    double share = 0.0;
};

/// Training clips that look like windows of the demo video: a short timeline of actions and idle
/// stretches (DemoVideoComposer at model resolution, the actor absent outside its actions) is cut at
/// a random window, labelled by overlap. These teach a background class on idle stretches and on
/// windows that only partly overlap an action, and show actions the way a sliding window meets them.
/// Deterministic in the seed; const methods are safe from several threads.
class SyntheticTimelineWindow {
public:
    explicit SyntheticTimelineWindow(const TimelineWindowOptions& options = TimelineWindowOptions());

    const TimelineWindowOptions& options() const { return m_options; }
    /// Source frames a window spans.
    int64_t spanFrames() const;

    SyntheticClip generate(uint64_t seed) const;

    static WindowLabel label(const std::vector<SyntheticSegment>& segments, int64_t windowStart, int64_t span,
                             double minOverlap);

private:
    TimelineWindowOptions m_options;
};

} // namespace saccade
