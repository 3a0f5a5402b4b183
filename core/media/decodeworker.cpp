#include "core/media/decodeworker.h"

#include <QMetaObject>
#include <QTimer>

#include <algorithm>

namespace saccade {

namespace {

constexpr double kMinSpeed = 0.1;
constexpr double kMaxSpeed = 16.0;
constexpr int kTickMs = 4;
constexpr int kIndexPollMs = 50;

} // namespace

DecodeWorker::DecodeWorker(QObject* parent)
    : QObject(parent), m_timer(new QTimer(this)), m_indexPoll(new QTimer(this)) {
    qRegisterMetaType<saccade::VideoFrame>();
    qRegisterMetaType<saccade::VideoInfo>();
    qRegisterMetaType<saccade::Error>();
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(kTickMs);
    connect(m_timer, &QTimer::timeout, this, &DecodeWorker::tick);
    m_indexPoll->setInterval(kIndexPollMs);
    connect(m_indexPoll, &QTimer::timeout, this, &DecodeWorker::pollIndex);
}

DecodeWorker::~DecodeWorker() {
    QMutexLocker lock(&m_mutex);
    m_cancel.cancel();
}

void DecodeWorker::open(const QString& path) {
    const quint64 generation = ++m_generation;
    {
        // Interrupt whatever the previous video is doing; the new one gets a fresh token.
        QMutexLocker lock(&m_mutex);
        m_cancel.cancel();
    }
    QMetaObject::invokeMethod(
        this, [this, path, generation] { doOpen(path, generation); }, Qt::QueuedConnection);
}

void DecodeWorker::play() {
    QMetaObject::invokeMethod(
        this, [this] { doPlay(); }, Qt::QueuedConnection);
}

void DecodeWorker::pause() {
    QMetaObject::invokeMethod(
        this, [this] { doPause(); }, Qt::QueuedConnection);
}

void DecodeWorker::seek(qint64 frameIndex) {
    const quint64 generation = ++m_generation;
    QMetaObject::invokeMethod(
        this, [this, frameIndex, generation] { doSeek(frameIndex, generation, true); }, Qt::QueuedConnection);
}

void DecodeWorker::step(int delta) {
    const quint64 generation = ++m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, delta, generation] {
            doPause();
            doSeek(m_currentIndex + delta, generation, false);
        },
        Qt::QueuedConnection);
}

void DecodeWorker::setSpeed(double speed) {
    m_speed.store(std::clamp(speed, kMinSpeed, kMaxSpeed));
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_playing)
                restartClock(m_pending ? m_pending->ptsSeconds : m_clockStartPts);
        },
        Qt::QueuedConnection);
}

void DecodeWorker::setTargetSize(QSize size) {
    QMutexLocker lock(&m_mutex);
    m_targetSize = size;
}

void DecodeWorker::frameConsumed() {
    int current = m_inFlight.load();
    while (current > 0 && !m_inFlight.compare_exchange_weak(current, current - 1)) {
    }
}

void DecodeWorker::doOpen(const QString& path, quint64 generation) {
    if (generation != m_generation.load())
        return;
    doPause();
    m_indexPoll->stop();
    m_decoder.reset();
    m_pending.reset();
    m_currentIndex = -1;
    m_currentPts = 0.0;
    m_frameCount = 0;
    m_frameCountSettled = false;
    VideoDecoder::Options options;
    options.startBeforeIndex = true;
    {
        QMutexLocker lock(&m_mutex);
        m_cancel = CancellationToken();
        options.cancel = m_cancel;
    }
    auto decoder = VideoDecoder::open(path, options);
    if (!decoder) {
        fail(decoder.error());
        return;
    }
    m_decoder = std::move(*decoder);
    m_frameCount = m_decoder->info().frameCount;
    Q_EMIT opened(m_decoder->info());
    showFirstFrame(generation);
    m_indexPoll->start();
}

void DecodeWorker::showFirstFrame(quint64 generation) {
    auto first = m_decoder->nextFrame();
    if (!first) {
        fail(first.error());
        return;
    }
    if (!first->has_value())
        return;
    VideoFrame frame = std::move(**first);
    m_currentIndex = frame.index;
    m_currentPts = frame.ptsSeconds;
    frame.generation = generation;
    emitFrame(std::move(frame), true);
}

void DecodeWorker::pollIndex() {
    if (!m_decoder) {
        m_indexPoll->stop();
        return;
    }
    if (m_decoder->isIndexReady())
        settleFrameCount();
}

bool DecodeWorker::settleFrameCount() {
    if (m_frameCountSettled)
        return true;
    m_indexPoll->stop();
    auto count = m_decoder->frameCount();
    if (!count) {
        fail(count.error());
        return false;
    }
    m_frameCount = *count;
    m_frameCountSettled = true;
    Q_EMIT frameCountSettled(m_frameCount);
    return true;
}

void DecodeWorker::doSeek(qint64 frameIndex, quint64 generation, bool keepPlaying) {
    // A later request supersedes this one: skip the work.
    if (generation != m_generation.load() || !m_decoder || !settleFrameCount() || m_frameCount <= 0)
        return;
    const qint64 target = std::clamp<qint64>(frameIndex, 0, m_frameCount - 1);
    auto frame = m_decoder->frameAt(target);
    if (!frame) {
        fail(frame.error());
        return;
    }
    m_pending.reset();
    m_currentIndex = target;
    m_currentPts = frame->ptsSeconds;
    frame->generation = generation;
    if (keepPlaying && m_playing)
        restartClock(frame->ptsSeconds);
    emitFrame(std::move(*frame), true);
}

void DecodeWorker::doPlay() {
    if (m_playing || !m_decoder)
        return;
    if (m_frameCountSettled && m_currentIndex >= m_frameCount - 1) {
        Q_EMIT endReached();
        return;
    }
    m_playing = true;
    // The frame on screen sets the clock, so the next one (already decoded when playback was paused
    // before it was due) follows on time.
    restartClock(m_currentPts);
    m_timer->start();
    Q_EMIT playingChanged(true);
}

void DecodeWorker::doPause() {
    if (!m_playing)
        return;
    m_playing = false;
    m_timer->stop();
    // A frame decoded but not yet due stays pending: the decoder has moved past it, so dropping it
    // here would skip it when playback resumes. Seeks and opens discard it.
    Q_EMIT playingChanged(false);
}

void DecodeWorker::restartClock(double ptsSeconds) {
    m_clockStartPts = ptsSeconds;
    m_clock.start();
}

void DecodeWorker::tick() {
    if (!m_playing || !m_decoder)
        return;
    const double now = m_clockStartPts + m_clock.nsecsElapsed() / 1e9 * m_speed.load();
    for (;;) {
        if (!m_pending) {
            auto next = m_decoder->nextFrame();
            if (!next) {
                fail(next.error());
                return;
            }
            if (!next->has_value()) {
                doPause();
                Q_EMIT endReached();
                return;
            }
            m_pending = std::move(**next);
        }
        if (m_pending->ptsSeconds > now)
            return;
        VideoFrame frame = std::move(*m_pending);
        m_pending.reset();
        m_currentIndex = frame.index;
        m_currentPts = frame.ptsSeconds;
        frame.generation = m_generation.load();
        if (emitFrame(std::move(frame), false))
            return;
    }
}

bool DecodeWorker::emitFrame(VideoFrame frame, bool force) {
    if (!force && m_inFlight.load() >= m_maxInFlight) {
        ++m_dropped;
        return false;
    }
    QSize target;
    {
        QMutexLocker lock(&m_mutex);
        target = m_targetSize;
    }
    auto image = m_converter.toImage(frame, target);
    if (!image) {
        fail(image.error());
        return false;
    }
    frame.image = std::move(*image);
    frame.rotationDegrees = 0;
    // The view needs only the image; release the decoder's buffers now.
    frame.planes.reset();
    ++m_inFlight;
    Q_EMIT frameReady(frame);
    return true;
}

void DecodeWorker::fail(const Error& error) {
    doPause();
    Q_EMIT errorOccurred(error);
}

} // namespace saccade
