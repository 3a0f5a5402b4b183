#pragma once

#include "core/media/frameconverter.h"
#include "core/media/videodecoder.h"
#include "core/media/videoframe.h"
#include "core/media/videoinfo.h"
#include "core/util/error.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QSize>

#include <atomic>
#include <memory>

class QTimer;

namespace saccade {

/// Decodes for playback on its own thread and emits upright frames already scaled for the view.
///
/// Threads: create it without a parent, moveToThread() onto a dedicated QThread, and delete it with
/// deleteLater once that thread has finished (connect QThread::finished to deleteLater). The public
/// request functions are thread-safe: they queue the work onto the worker's thread and return at once.
/// Signals are emitted on the worker's thread; connect them queued to the UI.
///
/// Flow control: at most maxFramesInFlight() emitted frames may be unacknowledged; the receiver calls
/// frameConsumed() once per frameReady it has drawn or dropped. During playback, frames that would
/// exceed the bound are dropped rather than queued. Each open/seek/step bumps the generation; frames
/// carry the generation they answer, so the receiver can ignore frames of superseded requests, and
/// superseded seeks still waiting in the queue are skipped.
class DecodeWorker : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultFramesInFlight = 3;

    explicit DecodeWorker(QObject* parent = nullptr);
    ~DecodeWorker() override;

    /// Opens `path` (closing the current video), then emits opened() and frame 0, or errorOccurred().
    /// opened() carries the container's frame count; frameCountSettled() follows with the exact one
    /// once the frame index is scanned in the background (seconds for a long video). Playing from
    /// the start does not wait for it; seeking does.
    void open(const QString& path);
    void play();
    void pause();
    /// Shows frame `frameIndex` (clamped to the video); playback, if running, continues from there.
    void seek(qint64 frameIndex);
    /// Moves by `delta` frames from the frame shown last and pauses.
    void step(int delta);
    /// Playback speed factor (1 = real time), clamped to [0.1, 16].
    void setSpeed(double speed);
    /// Size the emitted images must fit inside (aspect ratio kept); empty means the display size.
    void setTargetSize(QSize size);

    /// Thread-safe: the receiver is done with one emitted frame.
    void frameConsumed();
    int framesInFlight() const { return m_inFlight.load(); }
    int maxFramesInFlight() const { return m_maxInFlight; }
    /// Generation of the latest request; frames with an older generation are stale.
    quint64 generation() const { return m_generation.load(); }
    /// Frames playback skipped because the receiver had too many in flight.
    qint64 droppedFrameCount() const { return m_dropped.load(); }

Q_SIGNALS:
    void opened(const saccade::VideoInfo& info);
    void frameCountSettled(qint64 frameCount);
    void frameReady(const saccade::VideoFrame& frame);
    void playingChanged(bool playing);
    void endReached();
    void errorOccurred(const saccade::Error& error);

private:
    void doOpen(const QString& path, quint64 generation);
    void showFirstFrame(quint64 generation);
    /// Takes the exact frame count from the decoder's index (waiting for it) and reports it once.
    bool settleFrameCount();
    void pollIndex();
    void doSeek(qint64 frameIndex, quint64 generation, bool keepPlaying);
    void doPlay();
    void doPause();
    void tick();
    void restartClock(double ptsSeconds);
    bool emitFrame(VideoFrame frame, bool force);
    void fail(const Error& error);

    // Worker-thread state.
    std::unique_ptr<VideoDecoder> m_decoder;
    FrameConverter m_converter;
    QTimer* m_timer = nullptr;
    QTimer* m_indexPoll = nullptr;
    QElapsedTimer m_clock;
    double m_clockStartPts = 0.0;
    std::optional<VideoFrame> m_pending;
    qint64 m_currentIndex = -1;
    double m_currentPts = 0.0;
    qint64 m_frameCount = 0;
    bool m_frameCountSettled = false;
    bool m_playing = false;

    // Shared with requesting threads.
    std::atomic<quint64> m_generation{0};
    std::atomic<int> m_inFlight{0};
    std::atomic<qint64> m_dropped{0};
    std::atomic<double> m_speed{1.0};
    int m_maxInFlight = kDefaultFramesInFlight;
    mutable QMutex m_mutex;
    QSize m_targetSize;
    CancellationToken m_cancel;
};

} // namespace saccade
