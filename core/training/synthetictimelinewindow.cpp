#include "core/training/synthetictimelinewindow.h"

#include "core/training/demovideocomposer.h"
#include "core/training/random.h"

#include <algorithm>

namespace saccade {

namespace {

constexpr uint64_t kWindowSalt = 0x77696e646f77;
// Timelines span this many windows, so a window can fall anywhere between and across actions.
constexpr double kTimelineWindows = 4.0;

} // namespace

SyntheticTimelineWindow::SyntheticTimelineWindow(const TimelineWindowOptions& options) : m_options(options) {
    m_options.frames = std::max(1, m_options.frames);
    m_options.samplingRate = std::max(1, m_options.samplingRate);
    m_options.fps = std::max(1, m_options.fps);
    m_options.minOverlap = std::clamp(m_options.minOverlap, 0.0, 1.0);
}

int64_t SyntheticTimelineWindow::spanFrames() const {
    return static_cast<int64_t>(m_options.frames) * m_options.samplingRate;
}

WindowLabel SyntheticTimelineWindow::label(const std::vector<SyntheticSegment>& segments, int64_t windowStart,
                                           int64_t span, double minOverlap) {
    WindowLabel label;
    if (span <= 0)
        return label;
    const int64_t windowEnd = windowStart + span;
    for (const SyntheticSegment& segment : segments) {
        const int64_t overlap =
            std::min(windowEnd, segment.endFrame) - std::max(windowStart, segment.startFrame);
        const double share = static_cast<double>(overlap) / static_cast<double>(span);
        if (overlap > 0 && share > label.share) {
            label.share = share;
            label.action = segment.action;
        }
    }
    label.background = label.share <= 0.0 || label.share < minOverlap;
    return label;
}

SyntheticClip SyntheticTimelineWindow::generate(uint64_t seed) const {
    const int64_t span = spanFrames();
    DemoVideoOptions timeline;
    timeline.seed = seed;
    timeline.width = m_options.width;
    timeline.height = m_options.height;
    timeline.fpsNumerator = m_options.fps;
    timeline.fpsDenominator = 1;
    timeline.durationSeconds = kTimelineWindows * static_cast<double>(span) / m_options.fps;
    timeline.minActionSeconds = m_options.minActionSeconds;
    timeline.maxActionSeconds = m_options.maxActionSeconds;
    timeline.minIdleSeconds = m_options.minIdleSeconds;
    timeline.maxIdleSeconds = m_options.maxIdleSeconds;
    timeline.minDistractors = m_options.minDistractors;
    timeline.maxDistractors = std::max(m_options.minDistractors, m_options.maxDistractors);
    timeline.maxNoise = m_options.maxNoise;
    timeline.animatedGrain = true;
    const DemoVideoComposer composer(timeline);

    Random random = Random::derived(seed, kWindowSalt);
    const int64_t lastStart = std::max<int64_t>(0, composer.frameCount() - span);
    const int64_t start =
        std::min<int64_t>(lastStart, static_cast<int64_t>(random.uniform() * (lastStart + 1)));
    const WindowLabel windowLabel = label(composer.segments(), start, span, m_options.minOverlap);

    SyntheticClip clip;
    clip.seed = seed;
    clip.action = windowLabel.action;
    clip.background = windowLabel.background;
    clip.actionShare = windowLabel.share;
    for (int i = 0; i < m_options.frames; ++i) {
        const int64_t frame =
            std::min(composer.frameCount() - 1, start + int64_t(i) * m_options.samplingRate);
        clip.frames.push_back(composer.renderFrame(frame));
        clip.actorBoxes.push_back(composer.actorBox(frame));
        clip.actorHeadings.push_back(composer.actorHeading(frame));
    }
    return clip;
}

} // namespace saccade
