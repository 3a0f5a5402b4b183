#pragma once

#include "core/training/syntheticactor.h"

#include <QImage>
#include <QSize>

#include <cstdint>
#include <vector>

namespace saccade {

/// What a synthetic scene contains besides the actor.
struct SyntheticSceneOptions {
    QSize size{64, 64};
    int minDistractors = 1;
    int maxDistractors = 4;
    /// Largest strength of the per-frame grain, 0..1 (each scene draws its own strength below it).
    double maxNoise = 0.25;
    /// true: the grain changes every frame; false: one grain pattern is part of the background (long
    /// videos stay small and quick to encode).
    bool animatedGrain = true;
    /// Largest wobble of a distractor, as a share of the stage side.
    double maxJitter = 0.02;
    /// Time between consecutive frames; the distractors wobble in seconds, not frames.
    double secondsPerFrame = 1.0 / 30.0;
    /// false: no background, distractors or grain; frames are transparent around the actor.
    bool background = true;
};

/// A fixed camera view: a textured background, static distractor objects that wobble slightly in
/// place, and per-frame grain. Any frame can be rendered in any order; the result depends only on the
/// seed, the options and the frame index. Plain value, any thread (rendering does not modify it).
class SyntheticScene {
public:
    SyntheticScene(uint64_t seed, const SyntheticSceneOptions& options);

    const SyntheticSceneOptions& options() const { return m_options; }
    /// The centred square where actions take place (the part a centre crop keeps).
    QRectF stage() const;

    /// Frame `frameIndex` with `actor` at `pose` on top (no actor when `actor` is null).
    /// RGB32, or ARGB32_Premultiplied without a background.
    QImage render(int64_t frameIndex, const SyntheticActor* actor, const ActorPose& pose) const;

private:
    struct Distractor {
        SyntheticActor look;
        ActorPose pose;
        double jitterPixels = 0.0;
        double frequencyHz = 0.0;
        double phaseX = 0.0;
        double phaseY = 0.0;
    };

    void paintBackground(Random& random);
    void makeGrain(Random& random);

    SyntheticSceneOptions m_options;
    uint64_t m_seed = 0;
    QImage m_background;
    std::vector<Distractor> m_distractors;
    std::vector<QImage> m_grainTiles;
};

} // namespace saccade
