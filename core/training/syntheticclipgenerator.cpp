#include "core/training/syntheticclipgenerator.h"

#include "core/training/random.h"
#include "core/training/syntheticactor.h"
#include "core/training/syntheticscene.h"

#include <algorithm>

namespace saccade {

namespace {

constexpr uint64_t kSceneSalt = 0x7363656e65;
constexpr uint64_t kActorSalt = 0x6163746f72;
constexpr uint64_t kTimingSalt = 0x74696d65;
constexpr uint64_t kClassSalt = 0x636c617373;

} // namespace

SyntheticClipGenerator::SyntheticClipGenerator(const SyntheticClipOptions& options) : m_options(options) {
    m_options.frames = std::max(1, m_options.frames);
    m_options.width = std::max(1, m_options.width);
    m_options.height = std::max(1, m_options.height);
    m_options.minActionFraction = std::clamp(m_options.minActionFraction, 0.05, 1.0);
}

SyntheticAction SyntheticClipGenerator::actionForSeed(uint64_t seed) {
    Random random = Random::derived(seed, kClassSalt);
    return syntheticActionFromIndex(random.index(kSyntheticActionCount));
}

SyntheticClip SyntheticClipGenerator::generate(uint64_t seed) const {
    return generate(seed, actionForSeed(seed));
}

SyntheticClip SyntheticClipGenerator::generate(uint64_t seed, SyntheticAction action) const {
    const int frames = m_options.frames;
    SyntheticSceneOptions sceneOptions;
    sceneOptions.size = QSize(m_options.width, m_options.height);
    sceneOptions.minDistractors = m_options.minDistractors;
    sceneOptions.maxDistractors = m_options.maxDistractors;
    sceneOptions.maxNoise = m_options.maxNoise;
    sceneOptions.secondsPerFrame = m_options.clipSeconds / std::max(1, frames - 1);
    sceneOptions.background = m_options.background;
    // Scene, actor and timing each get their own stream, so the pair members share all three.
    const SyntheticScene scene(Random::mix(seed, kSceneSalt), sceneOptions);
    Random actorRandom = Random::derived(seed, kActorSalt);
    const SyntheticActor actor = SyntheticActor::random(actorRandom, action, scene.stage());
    Random timing = Random::derived(seed, kTimingSalt);
    const double span = timing.uniform(m_options.minActionFraction, 1.0);
    const double start = timing.uniform(0.0, 1.0 - span);

    SyntheticClip clip;
    clip.action = action;
    clip.seed = seed;
    clip.frames.reserve(frames);
    clip.actorBoxes.reserve(frames);
    clip.actorHeadings.reserve(frames);
    for (int i = 0; i < frames; ++i) {
        // The reversed member plays the forward timing backwards: frame i shows the forward clip's
        // frame (frames - 1 - i), which SyntheticActor::pose() turns into the reversed motion.
        const int forwardFrame = isReversedMember(action) ? frames - 1 - i : i;
        const double time = frames > 1 ? static_cast<double>(forwardFrame) / (frames - 1) : 0.0;
        double progress = std::clamp((time - start) / span, 0.0, 1.0);
        if (isReversedMember(action))
            progress = 1.0 - progress;
        const ActorPose pose = actor.pose(progress);
        clip.frames.push_back(scene.render(i, &actor, pose));
        clip.actorBoxes.push_back(actor.box(pose));
        clip.actorHeadings.push_back(actor.heading(pose));
    }
    return clip;
}

} // namespace saccade
