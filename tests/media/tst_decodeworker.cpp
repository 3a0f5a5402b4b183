#include "core/media/decodeworker.h"

#include "mediafixtures.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace saccade;
using namespace saccade::test;

// The playback worker on its own thread: open, seek, step, play, flow control and errors.
class TestDecodeWorker : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_video;
    QThread* m_thread = nullptr;
    DecodeWorker* m_worker = nullptr;

    static VideoFrame frameAt(const QSignalSpy& spy, int i) { return spy.at(i).at(0).value<VideoFrame>(); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(!ffmpegProgram().isEmpty());
        m_video =
            makeBarCodeVideo(QDir(m_dir.path()), QStringLiteral("worker.mp4"),
                             {"-c:v", "libx264", "-bf", "3", "-g", "24"}, QStringLiteral("format=yuv420p"));
        QVERIFY(!m_video.isEmpty());
    }

    void init() {
        m_thread = new QThread;
        m_worker = new DecodeWorker;
        m_worker->moveToThread(m_thread);
        connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
        m_thread->start();
    }

    void cleanup() {
        m_thread->quit();
        QVERIFY(m_thread->wait(10000));
        delete m_thread;
        m_thread = nullptr;
        m_worker = nullptr;
    }

    void openShowsFirstFrame() {
        QSignalSpy opened(m_worker, &DecodeWorker::opened);
        QSignalSpy settled(m_worker, &DecodeWorker::frameCountSettled);
        QSignalSpy frames(m_worker, &DecodeWorker::frameReady);
        m_worker->setTargetSize(QSize(64, 64));
        m_worker->open(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 1, 10000);
        QCOMPARE(opened.count(), 1);
        // The exact count follows from the background index scan, once.
        QTRY_COMPARE_WITH_TIMEOUT(settled.count(), 1, 10000);
        QCOMPARE(settled.at(0).at(0).value<qint64>(), qint64(kFixtureFrames));
        const VideoFrame frame = frameAt(frames, 0);
        QCOMPARE(frame.index, qint64(0));
        // Scaled to fit 64x64 with the 4:3 aspect kept, already converted, decoder buffers released.
        QCOMPARE(frame.image.size(), QSize(64, 48));
        QVERIFY(!frame.planes);
        QCOMPARE(frame.generation, m_worker->generation());
    }

    void seekAndStepAreFrameExact() {
        QSignalSpy frames(m_worker, &DecodeWorker::frameReady);
        auto consume = connect(
            m_worker, &DecodeWorker::frameReady, m_worker, [this] { m_worker->frameConsumed(); },
            Qt::DirectConnection);
        m_worker->open(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 1, 10000);
        m_worker->seek(57);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 2, 10000);
        QCOMPARE(frameAt(frames, 1).index, qint64(57));
        QCOMPARE(readBarCode(frameAt(frames, 1).image), 57);
        m_worker->step(1);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 3, 10000);
        QCOMPARE(readBarCode(frameAt(frames, 2).image), 58);
        m_worker->step(-2);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 4, 10000);
        QCOMPARE(frameAt(frames, 3).index, qint64(56));
        QCOMPARE(readBarCode(frameAt(frames, 3).image), 56);
        // Seeks are clamped to the video.
        m_worker->seek(100000);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 5, 10000);
        QCOMPARE(frameAt(frames, 4).index, qint64(kFixtureFrames - 1));
        disconnect(consume);
    }

    void laterSeeksSupersedeEarlierOnes() {
        QSignalSpy frames(m_worker, &DecodeWorker::frameReady);
        m_worker->open(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 1, 10000);
        for (qint64 target : {5, 80, 33, 71, 12, 64})
            m_worker->seek(target);
        const quint64 latest = m_worker->generation();
        QTRY_VERIFY_WITH_TIMEOUT(
            frames.count() >= 2 && frameAt(frames, frames.count() - 1).generation == latest, 10000);
        const VideoFrame last = frameAt(frames, frames.count() - 1);
        QCOMPARE(last.index, qint64(64));
        QCOMPARE(readBarCode(last.image), 64);
        // Superseded requests still queued when a later one arrived were skipped, not decoded.
        QVERIFY(frames.count() <= 1 + 6);
        for (int i = 1; i < frames.count(); ++i)
            QVERIFY(frameAt(frames, i).generation <= latest);
    }

    void playbackRunsInOrderToTheEnd() {
        QSignalSpy frames(m_worker, &DecodeWorker::frameReady);
        QSignalSpy ended(m_worker, &DecodeWorker::endReached);
        QSignalSpy playing(m_worker, &DecodeWorker::playingChanged);
        connect(
            m_worker, &DecodeWorker::frameReady, m_worker, [this] { m_worker->frameConsumed(); },
            Qt::DirectConnection);
        m_worker->open(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 1, 10000);
        m_worker->setSpeed(8.0);
        m_worker->play();
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 20000);
        QCOMPARE(playing.count(), 2);
        QCOMPARE(playing.at(0).at(0).toBool(), true);
        QCOMPARE(playing.at(1).at(0).toBool(), false);
        qint64 previous = -1;
        for (int i = 0; i < frames.count(); ++i) {
            const VideoFrame frame = frameAt(frames, i);
            QVERIFY(frame.index > previous);
            QCOMPARE(readBarCode(frame.image), int(frame.index));
            previous = frame.index;
        }
        QCOMPARE(previous, qint64(kFixtureFrames - 1));
    }

    void resumingAfterAPauseSkipsNoFrame() {
        QSignalSpy frames(m_worker, &DecodeWorker::frameReady);
        QSignalSpy playing(m_worker, &DecodeWorker::playingChanged);
        connect(
            m_worker, &DecodeWorker::frameReady, m_worker, [this] { m_worker->frameConsumed(); },
            Qt::DirectConnection);
        m_worker->open(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 1, 10000);
        m_worker->play();
        QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 5, 10000);
        m_worker->pause();
        QTRY_COMPARE_WITH_TIMEOUT(playing.count(), 2, 10000);
        const int beforeResume = frames.count();
        m_worker->play();
        QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= beforeResume + 3, 10000);
        // Every frame once and in order, across the pause.
        for (int i = 0; i < frames.count(); ++i)
            QCOMPARE(frameAt(frames, i).index, qint64(i));
    }

    void playbackDropsFramesTheViewHasNotTaken() {
        QSignalSpy frames(m_worker, &DecodeWorker::frameReady);
        QSignalSpy ended(m_worker, &DecodeWorker::endReached);
        m_worker->open(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 1, 10000);
        // Nobody acknowledges frames: after the bound, playback drops instead of queueing.
        m_worker->setSpeed(16.0);
        m_worker->play();
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 20000);
        QCOMPARE(frames.count(), m_worker->maxFramesInFlight());
        QCOMPARE(m_worker->framesInFlight(), m_worker->maxFramesInFlight());
        QCOMPARE(m_worker->droppedFrameCount(), qint64(kFixtureFrames - m_worker->maxFramesInFlight()));
        // Once the view catches up, frames flow again.
        for (int i = 0; i < m_worker->maxFramesInFlight(); ++i)
            m_worker->frameConsumed();
        QCOMPARE(m_worker->framesInFlight(), 0);
        m_worker->seek(10);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), m_worker->maxFramesInFlight() + 1, 10000);
        QCOMPARE(frameAt(frames, frames.count() - 1).index, qint64(10));
    }

    void errorsArriveAsValues() {
        QSignalSpy errors(m_worker, &DecodeWorker::errorOccurred);
        QSignalSpy frames(m_worker, &DecodeWorker::frameReady);
        const QString missing = QDir(m_dir.path()).filePath(QStringLiteral("missing.mp4"));
        m_worker->open(missing);
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10000);
        const auto error = errors.at(0).at(0).value<Error>();
        QCOMPARE(error.category, ErrorCategory::NotFound);
        QCOMPARE(error.path, missing);
        QCOMPARE(frames.count(), 0);
        // Requests without a video do nothing.
        m_worker->seek(3);
        m_worker->play();
        m_worker->open(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(frames.count(), 1, 10000);
        QCOMPARE(errors.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDecodeWorker)
#include "tst_decodeworker.moc"
