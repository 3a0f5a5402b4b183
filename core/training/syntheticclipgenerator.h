#pragma once

#include "core/training/syntheticaction.h"

#include <QImage>
#include <QPointF>
#include <QRectF>

#include <cstdint>
#include <vector>

namespace saccade {

/// The shape of generated training clips.
struct SyntheticClipOptions {
    int frames = 8;
    int width = 64;
    int height = 64;
    /// The action covers a random span of at least this share of the clip; before and after it the
    /// actor holds still in its first and last pose.
    double minActionFraction = 0.7;
    /// Seconds the clip spans (sets how far the distractors wobble between frames).
    double clipSeconds = 2.0;
    int minDistractors = 1;
    int maxDistractors = 4;
    double maxNoise = 0.25;
    /// false renders the actor alone on a transparent frame (for checking the boxes).
    bool background = true;
};

/// One generated clip: its frames and, in each, the actor's box (empty while the actor is invisible)
/// and heading (SyntheticActor::heading(), null while invisible).
struct SyntheticClip {
    SyntheticAction action = SyntheticAction::MoveLeft;
    /// True when the clip's class is the background: `action` then names the action that shows for
    /// part of the clip, if any (SyntheticTimelineWindow).
    bool background = false;
    /// Share of the clip's span that `action` covers (1 for clips of one action).
    double actionShare = 1.0;
    uint64_t seed = 0;
    std::vector<QImage> frames;
    std::vector<QRectF> actorBoxes;
    std::vector<QPointF> actorHeadings;

    /// The class index a model with a background class is trained on.
    int classIndex() const { return background ? kSyntheticBackgroundIndex : syntheticActionIndex(action); }
};

/// Renders synthetic action clips at model resolution. Deterministic: the same seed and action give
/// the same pixels. A clip of an action and the clip of its time reversal with the same seed show the
/// same scene and actor, with the actor's motion played in opposite directions. Const methods are safe
/// to call from several threads at once.
class SyntheticClipGenerator {
public:
    explicit SyntheticClipGenerator(const SyntheticClipOptions& options = SyntheticClipOptions());

    const SyntheticClipOptions& options() const { return m_options; }

    SyntheticClip generate(uint64_t seed, SyntheticAction action) const;
    /// The action is drawn uniformly from the seed.
    SyntheticClip generate(uint64_t seed) const;
    static SyntheticAction actionForSeed(uint64_t seed);

private:
    SyntheticClipOptions m_options;
};

} // namespace saccade
