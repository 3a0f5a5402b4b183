#include "core/training/syntheticscene.h"

#include "core/training/random.h"

#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

constexpr int kGrainTileSide = 64;
constexpr int kGrainTiles = 4;
constexpr uint64_t kBackgroundSalt = 0x6261636b;
constexpr uint64_t kDistractorSalt = 0x64697374;
constexpr uint64_t kGrainSalt = 0x6772616e;

QColor mutedColour(Random& random) {
    return QColor::fromHsvF(random.uniform(), random.uniform(0.0, 0.5), random.uniform(0.25, 0.85));
}

} // namespace

SyntheticScene::SyntheticScene(uint64_t seed, const SyntheticSceneOptions& options)
    : m_options(options), m_seed(seed) {
    m_options.size = m_options.size.expandedTo(QSize(1, 1));
    if (!m_options.background)
        return;
    Random backgroundRandom = Random::derived(seed, kBackgroundSalt);
    paintBackground(backgroundRandom);

    Random distractorRandom = Random::derived(seed, kDistractorSalt);
    const QRectF frame(QPointF(0, 0), QSizeF(m_options.size));
    const double side = std::min(frame.width(), frame.height());
    const int count = distractorRandom.integer(m_options.minDistractors,
                                               std::max(m_options.minDistractors, m_options.maxDistractors));
    for (int i = 0; i < count; ++i) {
        Distractor distractor{SyntheticActor::randomLook(distractorRandom), {}, 0, 0, 0, 0};
        // Same size range as actors, so size tells nothing about which object acts.
        distractor.pose.radius = side * distractorRandom.uniform(0.09, 0.2);
        distractor.pose.angleDegrees = distractorRandom.uniform(0.0, 360.0);
        distractor.pose.centre = QPointF(distractorRandom.uniform(0.0, frame.width()),
                                         distractorRandom.uniform(0.0, frame.height()));
        distractor.jitterPixels = side * m_options.maxJitter * distractorRandom.uniform(0.2, 1.0);
        distractor.frequencyHz = distractorRandom.uniform(0.3, 1.2);
        distractor.phaseX = distractorRandom.uniform(0.0, 2.0 * M_PI);
        distractor.phaseY = distractorRandom.uniform(0.0, 2.0 * M_PI);
        m_distractors.push_back(distractor);
    }

    Random grainRandom = Random::derived(seed, kGrainSalt);
    makeGrain(grainRandom);
    if (!m_options.animatedGrain && !m_grainTiles.empty()) {
        QPainter painter(&m_background);
        for (int y = 0; y < m_background.height(); y += kGrainTileSide)
            for (int x = 0; x < m_background.width(); x += kGrainTileSide)
                painter.drawImage(
                    x, y, m_grainTiles[(x / kGrainTileSide + y / kGrainTileSide) % m_grainTiles.size()]);
        m_grainTiles.clear();
    }
}

QRectF SyntheticScene::stage() const {
    const double side = std::min(m_options.size.width(), m_options.size.height());
    return QRectF((m_options.size.width() - side) / 2.0, (m_options.size.height() - side) / 2.0, side, side);
}

void SyntheticScene::paintBackground(Random& random) {
    m_background = QImage(m_options.size, QImage::Format_RGB32);
    const double width = m_options.size.width();
    const double height = m_options.size.height();
    const double side = std::min(width, height);
    QPainter painter(&m_background);
    painter.setRenderHint(QPainter::Antialiasing, true);

    const double angle = random.uniform(0.0, 2.0 * M_PI);
    const QPointF centre(width / 2, height / 2);
    const QPointF reach(std::cos(angle) * width / 2, std::sin(angle) * height / 2);
    QLinearGradient gradient(centre - reach, centre + reach);
    gradient.setColorAt(0.0, mutedColour(random));
    gradient.setColorAt(1.0, mutedColour(random));
    painter.fillRect(m_background.rect(), gradient);
    painter.setPen(Qt::NoPen);

    // One to three faint textures: stripes, a checkerboard, soft blobs.
    const int textures = random.integer(1, 3);
    for (int texture = 0; texture < textures; ++texture) {
        QColor colour = mutedColour(random);
        colour.setAlphaF(random.uniform(0.1, 0.35));
        painter.setBrush(colour);
        switch (random.index(3)) {
        case 0: {
            const double period = side * random.uniform(0.06, 0.25);
            painter.save();
            painter.translate(centre);
            painter.rotate(random.uniform(0.0, 180.0));
            const double reachAll = std::hypot(width, height);
            for (double x = -reachAll; x < reachAll; x += period)
                painter.drawRect(QRectF(x, -reachAll, period / 2, 2 * reachAll));
            painter.restore();
            break;
        }
        case 1: {
            const double cell = side * random.uniform(0.05, 0.2);
            for (double y = 0; y < height; y += cell)
                for (double x = 0; x < width; x += cell)
                    if ((static_cast<int>(x / cell) + static_cast<int>(y / cell)) % 2 == 0)
                        painter.drawRect(QRectF(x, y, cell, cell));
            break;
        }
        default: {
            const int blobs = random.integer(4, 12);
            for (int i = 0; i < blobs; ++i) {
                QColor blob = mutedColour(random);
                blob.setAlphaF(random.uniform(0.1, 0.4));
                painter.setBrush(blob);
                const double rx = side * random.uniform(0.05, 0.3);
                const double ry = side * random.uniform(0.05, 0.3);
                painter.drawEllipse(QPointF(random.uniform(0.0, width), random.uniform(0.0, height)), rx, ry);
            }
            break;
        }
        }
    }
}

void SyntheticScene::makeGrain(Random& random) {
    const double strength = m_options.maxNoise * random.uniform();
    if (strength < 0.01)
        return;
    const int alpha = static_cast<int>(std::lround(strength * 255.0));
    for (int t = 0; t < kGrainTiles; ++t) {
        QImage tile(kGrainTileSide, kGrainTileSide, QImage::Format_ARGB32_Premultiplied);
        for (int y = 0; y < kGrainTileSide; ++y) {
            auto* line = reinterpret_cast<QRgb*>(tile.scanLine(y));
            for (int x = 0; x < kGrainTileSide; ++x) {
                const int grey = random.index(256) * alpha / 255; // premultiplied
                line[x] = qRgba(grey, grey, grey, alpha);
            }
        }
        m_grainTiles.push_back(tile);
    }
}

QImage SyntheticScene::render(int64_t frameIndex, const SyntheticActor* actor, const ActorPose& pose) const {
    QImage image;
    if (m_options.background) {
        image = m_background.copy();
    } else {
        image = QImage(m_options.size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
    }
    QPainter painter(&image);
    const double seconds = static_cast<double>(frameIndex) * m_options.secondsPerFrame;
    for (const Distractor& distractor : m_distractors) {
        ActorPose wobbled = distractor.pose;
        const double phase = 2.0 * M_PI * distractor.frequencyHz * seconds;
        wobbled.centre += QPointF(distractor.jitterPixels * std::sin(phase + distractor.phaseX),
                                  distractor.jitterPixels * std::sin(phase + distractor.phaseY));
        distractor.look.paint(painter, wobbled);
    }
    if (actor)
        actor->paint(painter, pose);
    if (!m_grainTiles.empty()) {
        // Grain differs per frame but is fixed by (seed, frame): pick a tile and an offset from a hash.
        const uint64_t hash = Random::mix(m_seed, static_cast<uint64_t>(frameIndex));
        const QImage& tile = m_grainTiles[hash % m_grainTiles.size()];
        const int offsetX = static_cast<int>((hash >> 16) % kGrainTileSide);
        const int offsetY = static_cast<int>((hash >> 32) % kGrainTileSide);
        for (int y = -offsetY; y < image.height(); y += kGrainTileSide)
            for (int x = -offsetX; x < image.width(); x += kGrainTileSide)
                painter.drawImage(x, y, tile);
    }
    painter.end();
    return image;
}

} // namespace saccade
