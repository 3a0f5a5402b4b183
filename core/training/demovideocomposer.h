#pragma once

#include "core/media/videoencoder.h"
#include "core/training/syntheticaction.h"
#include "core/training/syntheticactor.h"
#include "core/training/syntheticscene.h"
#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <QImage>
#include <QJsonObject>
#include <QRectF>

#include <cstdint>
#include <functional>
#include <vector>

namespace saccade {

/// The long demo video: size, rate, length and how long actions and the idle stretches between them last.
struct DemoVideoOptions {
    uint64_t seed = 1;
    int width = 640;
    int height = 360;
    int fpsNumerator = 30;
    int fpsDenominator = 1;
    double durationSeconds = 120.0;
    double minActionSeconds = 1.8;
    double maxActionSeconds = 3.0;
    double minIdleSeconds = 1.0;
    double maxIdleSeconds = 3.0;
    /// The scene: distractor count, grain strength and whether the grain changes every frame (a static
    /// grain keeps long videos small and quick to encode).
    int minDistractors = 3;
    int maxDistractors = 6;
    double maxNoise = 0.08;
    bool animatedGrain = false;
    /// Share of the actions that are kNovelSyntheticAction, a class the demo model never saw; 0 leaves
    /// it out. The others cycle through the base classes as usual.
    double novelShare = 0.0;
};

/// One action of the demo video: frames [startFrame, endFrame) show `action`.
struct SyntheticSegment {
    SyntheticAction action = SyntheticAction::MoveLeft;
    int64_t startFrame = 0;
    int64_t endFrame = 0;
};

/// Composes a long video from synthetic actions separated by idle stretches in which only the
/// distractors move, and knows the true segments and the actor's box in every frame. Frames are
/// rendered on demand in any order (the video is never held in memory). Const methods are safe to call
/// from several threads at once.
class DemoVideoComposer {
public:
    explicit DemoVideoComposer(const DemoVideoOptions& options = DemoVideoOptions());

    /// Changes whenever the generator draws scenes or actors differently.
    static constexpr int kLookVersion = 2;
    /// The default demo video in the user's cache, shared by the app and `saccade-cli demo-video
    /// --cached`. Its folder carries kLookVersion, so a video cached by a build that drew differently is
    /// rendered again instead of reused.
    static QString cachedVideoPath();

    const DemoVideoOptions& options() const { return m_options; }
    double fps() const;
    int64_t frameCount() const { return m_frameCount; }
    /// Non-overlapping, ordered by start, all inside [0, frameCount()).
    const std::vector<SyntheticSegment>& segments() const { return m_segments; }
    /// The class names the video's truth uses: the base actions, then the novel one when it is mixed in.
    QStringList labelNames() const;
    /// Index into segments() of the segment showing `frame`, or -1 in an idle stretch.
    int segmentAt(int64_t frame) const;

    /// RGB32 frame of the video's size.
    QImage renderFrame(int64_t frame) const;
    /// The actor's box in `frame`; empty when no actor is visible.
    QRectF actorBox(int64_t frame) const;
    /// The actor's heading in `frame` (SyntheticActor::heading()); null when no actor is visible.
    QPointF actorHeading(int64_t frame) const;

    /// Renders and encodes the whole video to `path` (the options' size and rate override those in
    /// `encoderOptions`). `progress` gets the finished share in [0, 1] at most every 1%; it is called
    /// on the calling thread, which this blocks.
    Status encode(const QString& path, VideoEncoderOptions encoderOptions, const CancellationToken& cancel,
                  const std::function<void(double)>& progress = {}) const;

    /// The true segments as JSON (format "saccade-synthetic-truth", version 1): video file name, fps,
    /// frame_count, width, height, seed, labels (class names in id order) and segments, each with
    /// label, label_index, start_frame, end_frame (exclusive), start_seconds, end_seconds.
    QJsonObject truthJson(const QString& videoFileName) const;
    /// Writes truthJson() to `path` atomically.
    Status writeTruth(const QString& path, const QString& videoFileName) const;

private:
    ActorPose poseAt(int64_t frame, int segment) const;

    DemoVideoOptions m_options;
    SyntheticScene m_scene;
    int64_t m_frameCount = 0;
    std::vector<SyntheticSegment> m_segments;
    std::vector<SyntheticActor> m_actors; // one per segment
};

} // namespace saccade
