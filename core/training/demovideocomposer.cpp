#include "core/training/demovideocomposer.h"

#include "core/training/random.h"
#include "core/util/datapaths.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

constexpr uint64_t kSceneSalt = 0x64656d6f;
constexpr uint64_t kScheduleSalt = 0x73636864;
constexpr uint64_t kActorSalt = 0x61637472;
constexpr uint64_t kNovelSalt = 0x6e6f76;

SyntheticSceneOptions sceneOptions(const DemoVideoOptions& options) {
    SyntheticSceneOptions scene;
    scene.size = QSize(std::max(2, options.width), std::max(2, options.height));
    scene.minDistractors = options.minDistractors;
    scene.maxDistractors = options.maxDistractors;
    scene.maxNoise = options.maxNoise;
    scene.animatedGrain = options.animatedGrain;
    scene.maxJitter = 0.02;
    scene.secondsPerFrame = static_cast<double>(std::max(1, options.fpsDenominator)) /
                            static_cast<double>(std::max(1, options.fpsNumerator));
    return scene;
}

} // namespace

DemoVideoComposer::DemoVideoComposer(const DemoVideoOptions& options)
    : m_options(options), m_scene(Random::mix(options.seed, kSceneSalt), sceneOptions(options)) {
    const double rate = fps();
    m_frameCount = std::max<int64_t>(1, std::llround(std::max(0.0, m_options.durationSeconds) * rate));
    const auto frames = [rate](double seconds) {
        return std::max<int64_t>(1, std::llround(seconds * rate));
    };

    Random schedule = Random::derived(m_options.seed, kScheduleSalt);
    Random novelDraw = Random::derived(m_options.seed, kNovelSalt);
    // Classes come in shuffled rounds so every class appears about equally often.
    std::vector<int> order;
    int64_t cursor = frames(schedule.uniform(m_options.minIdleSeconds, m_options.maxIdleSeconds));
    for (;;) {
        if (order.empty()) {
            for (int i = 0; i < kSyntheticActionCount; ++i)
                order.push_back(i);
            for (int i = kSyntheticActionCount - 1; i > 0; --i)
                std::swap(order[i], order[schedule.index(i + 1)]);
        }
        const int64_t length =
            frames(schedule.uniform(m_options.minActionSeconds, m_options.maxActionSeconds));
        if (cursor + length > m_frameCount)
            break;
        // Drawn from its own stream so a video without the novel action keeps its schedule.
        const bool novel = m_options.novelShare > 0.0 && novelDraw.uniform() < m_options.novelShare;
        const SyntheticAction action = novel ? kNovelSyntheticAction : syntheticActionFromIndex(order.back());
        if (!novel)
            order.pop_back();
        m_segments.push_back({action, cursor, cursor + length});
        Random actorRandom = Random::derived(m_options.seed, kActorSalt + m_segments.size());
        m_actors.push_back(SyntheticActor::random(actorRandom, action, m_scene.stage()));
        cursor += length + frames(schedule.uniform(m_options.minIdleSeconds, m_options.maxIdleSeconds));
    }
}

double DemoVideoComposer::fps() const {
    return static_cast<double>(std::max(1, m_options.fpsNumerator)) / std::max(1, m_options.fpsDenominator);
}

int DemoVideoComposer::segmentAt(int64_t frame) const {
    const auto after =
        std::upper_bound(m_segments.begin(), m_segments.end(), frame,
                         [](int64_t f, const SyntheticSegment& s) { return f < s.startFrame; });
    if (after == m_segments.begin())
        return -1;
    const auto candidate = after - 1;
    return frame < candidate->endFrame ? static_cast<int>(candidate - m_segments.begin()) : -1;
}

ActorPose DemoVideoComposer::poseAt(int64_t frame, int segment) const {
    const SyntheticSegment& s = m_segments[segment];
    const double progress = static_cast<double>(frame - s.startFrame) /
                            static_cast<double>(std::max<int64_t>(1, s.endFrame - s.startFrame - 1));
    return m_actors[segment].pose(progress);
}

QImage DemoVideoComposer::renderFrame(int64_t frame) const {
    const int segment = segmentAt(frame);
    if (segment < 0)
        return m_scene.render(frame, nullptr, ActorPose());
    return m_scene.render(frame, &m_actors[segment], poseAt(frame, segment));
}

QRectF DemoVideoComposer::actorBox(int64_t frame) const {
    const int segment = segmentAt(frame);
    return segment < 0 ? QRectF() : m_actors[segment].box(poseAt(frame, segment));
}

QPointF DemoVideoComposer::actorHeading(int64_t frame) const {
    const int segment = segmentAt(frame);
    return segment < 0 ? QPointF() : m_actors[segment].heading(poseAt(frame, segment));
}

QStringList DemoVideoComposer::labelNames() const {
    QStringList names = syntheticActionNames();
    if (m_options.novelShare > 0.0)
        names << syntheticActionName(kNovelSyntheticAction);
    return names;
}

QString DemoVideoComposer::cachedVideoPath() {
    return QDir(cacheDirectory(QStringLiteral("demo/look%1").arg(kLookVersion)))
        .filePath(QStringLiteral("demo.mp4"));
}

Status DemoVideoComposer::encode(const QString& path, VideoEncoderOptions encoderOptions,
                                 const CancellationToken& cancel,
                                 const std::function<void(double)>& progress) const {
    encoderOptions.width = m_scene.options().size.width();
    encoderOptions.height = m_scene.options().size.height();
    encoderOptions.fpsNumerator = m_options.fpsNumerator;
    encoderOptions.fpsDenominator = m_options.fpsDenominator;
    VideoEncoder encoder;
    Status opened = encoder.open(path, encoderOptions, cancel);
    if (!opened)
        return opened;
    int lastPercent = -1;
    for (int64_t frame = 0; frame < m_frameCount; ++frame) {
        Status written = encoder.writeFrame(renderFrame(frame));
        if (!written)
            return written;
        const int percent = static_cast<int>(100 * (frame + 1) / m_frameCount);
        if (progress && percent != lastPercent) {
            lastPercent = percent;
            progress(static_cast<double>(frame + 1) / static_cast<double>(m_frameCount));
        }
    }
    return encoder.finish();
}

QJsonObject DemoVideoComposer::truthJson(const QString& videoFileName) const {
    const double rate = fps();
    QJsonArray segments;
    for (const SyntheticSegment& segment : m_segments) {
        segments.append(QJsonObject{
            {QStringLiteral("label"), syntheticActionName(segment.action)},
            {QStringLiteral("label_index"), syntheticActionIndex(segment.action)},
            {QStringLiteral("start_frame"), static_cast<qint64>(segment.startFrame)},
            {QStringLiteral("end_frame"), static_cast<qint64>(segment.endFrame)},
            {QStringLiteral("start_seconds"), std::round(segment.startFrame / rate * 1000.0) / 1000.0},
            {QStringLiteral("end_seconds"), std::round(segment.endFrame / rate * 1000.0) / 1000.0},
        });
    }
    return QJsonObject{
        {QStringLiteral("format"), QStringLiteral("saccade-synthetic-truth")},
        {QStringLiteral("version"), 1},
        {QStringLiteral("video"), videoFileName},
        {QStringLiteral("fps"), rate},
        {QStringLiteral("frame_count"), static_cast<qint64>(m_frameCount)},
        {QStringLiteral("width"), m_scene.options().size.width()},
        {QStringLiteral("height"), m_scene.options().size.height()},
        // A string: JSON numbers lose 64-bit seeds.
        {QStringLiteral("seed"), QString::number(m_options.seed)},
        {QStringLiteral("labels"), QJsonArray::fromStringList(labelNames())},
        {QStringLiteral("segments"), segments},
    };
}

Status DemoVideoComposer::writeTruth(const QString& path, const QString& videoFileName) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::io(path, QStringLiteral("cannot create the file: ") + file.errorString());
    file.write(QJsonDocument(truthJson(videoFileName)).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error::io(path, QStringLiteral("cannot write the file: ") + file.errorString());
    return {};
}

} // namespace saccade
