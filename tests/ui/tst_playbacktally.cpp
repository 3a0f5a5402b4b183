#include "app/gui/playbacktally.h"

#include <QTest>

using saccade::PlaybackFigures;
using saccade::PlaybackTally;

namespace {

constexpr qint64 kMs = 1000000;
// 25 fps: a frame every 40 ms; playback starts one second in, from frame 10.
constexpr qint64 kStartNs = 1000 * kMs;
constexpr qint64 kFirstFrame = 10;

} // namespace

class PlaybackTallyTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void framesFallDueAtTheirInterval() {
        const PlaybackTally tally(kFirstFrame, kStartNs, 25.0);
        QCOMPARE(tally.dueNs(kFirstFrame), kStartNs);
        QCOMPARE(tally.dueNs(kFirstFrame + 1), kStartNs + 40 * kMs);
        QCOMPARE(tally.dueNs(kFirstFrame + 25), kStartNs + 1000 * kMs);
        const PlaybackTally doubleSpeed(kFirstFrame, kStartNs, 25.0, 2.0);
        QCOMPARE(doubleSpeed.dueNs(kFirstFrame + 1), kStartNs + 20 * kMs);
    }

    void everyFramePaintedOnTime() {
        PlaybackTally tally(kFirstFrame, kStartNs, 25.0);
        for (qint64 frame = kFirstFrame + 1; frame <= kFirstFrame + 10; ++frame) {
            tally.delivered(frame);
            tally.painted(frame, tally.dueNs(frame) + 5 * kMs);
        }
        const PlaybackFigures figures = tally.figures(kStartNs + 400 * kMs, 0);
        QCOMPARE(figures.due, qint64(10));
        QCOMPARE(figures.delivered, qint64(10));
        QCOMPARE(figures.shown, qint64(10));
        QCOMPARE(figures.droppedByWorker, qint64(0));
        QCOMPARE(figures.missing, qint64(0));
        QCOMPARE(figures.late, qint64(0));
        QCOMPARE(figures.dropShare(), 0.0);
        QCOMPARE(figures.latenessP50Ms, 5.0);
        QCOMPARE(figures.latenessP99Ms, 5.0);
    }

    void droppedMissingAndLateFramesAreTold() {
        PlaybackTally tally(kFirstFrame, kStartNs, 25.0);
        for (qint64 frame = kFirstFrame + 1; frame <= kFirstFrame + 10; ++frame) {
            // The worker skipped 13 and 14; 16 reached the window but 17 replaced it before a paint.
            if (frame == 13 || frame == 14)
                continue;
            tally.delivered(frame);
            if (frame == 16)
                continue;
            // 18 is painted more than a frame interval late; 19 is painted twice, the first paint counts.
            tally.painted(frame, tally.dueNs(frame) + (frame == 18 ? 50 : 2) * kMs);
            if (frame == 19)
                tally.painted(frame, tally.dueNs(frame) + 90 * kMs);
        }
        const PlaybackFigures figures = tally.figures(kStartNs + 410 * kMs, 2);
        QCOMPARE(figures.due, qint64(10));
        QCOMPARE(figures.delivered, qint64(8));
        QCOMPARE(figures.shown, qint64(7));
        QCOMPARE(figures.droppedByWorker, qint64(2));
        QCOMPARE(figures.missing, qint64(1));
        QCOMPARE(figures.late, qint64(1));
        QCOMPARE(figures.dropShare(), 0.3);
        QCOMPARE(figures.latenessP50Ms, 2.0);
        QCOMPARE(figures.latenessP99Ms, 50.0);
    }

    void framesDueAfterTheEndAreLeftOut() {
        PlaybackTally tally(kFirstFrame, kStartNs, 25.0);
        // Frame 10 was on screen before the clock started; 16 and 17 fall due after the end.
        for (qint64 frame = kFirstFrame; frame <= kFirstFrame + 7; ++frame) {
            tally.delivered(frame);
            tally.painted(frame, tally.dueNs(frame) + kMs);
        }
        // The worker's drop of a frame due after the end must not count against this stretch.
        const PlaybackFigures figures = tally.figures(kStartNs + 230 * kMs, 1);
        QCOMPARE(figures.due, qint64(5));
        QCOMPARE(figures.delivered, qint64(5));
        QCOMPARE(figures.shown, qint64(5));
        QCOMPARE(figures.droppedByWorker, qint64(0));
        QCOMPARE(figures.missing, qint64(0));
        QCOMPARE(figures.dropShare(), 0.0);
    }

    void nothingPaintedIsAllMissing() {
        PlaybackTally tally(kFirstFrame, kStartNs, 25.0);
        const PlaybackFigures figures = tally.figures(kStartNs + 1000 * kMs, 0);
        QCOMPARE(figures.due, qint64(25));
        QCOMPARE(figures.shown, qint64(0));
        QCOMPARE(figures.missing, qint64(25));
        QCOMPARE(figures.dropShare(), 1.0);
        QCOMPARE(figures.latenessP50Ms, 0.0);
    }

    void longestGapBetweenNewFramesIsTold() {
        PlaybackTally tally(0, 0, 10.0);
        // 100 ms a frame; frame 3 never shows and frame 4 comes 450 ms after frame 2.
        tally.painted(1, 100 * kMs);
        tally.painted(2, 200 * kMs);
        tally.painted(4, 650 * kMs);
        tally.painted(5, 700 * kMs);
        const PlaybackFigures figures = tally.figures(500 * kMs, 0);
        QCOMPARE(figures.due, qint64(5));
        QCOMPARE(figures.shown, qint64(4));
        QCOMPARE(figures.longestGapMs, 450.0);
        QCOMPARE(tally.figures(250 * kMs, 0).longestGapMs, 100.0);
    }

    void latenessPercentilesAreNearestRank() {
        PlaybackTally tally(0, 0, 10.0);
        // Frame k is painted k ms late, k = 1..100.
        for (qint64 frame = 1; frame <= 100; ++frame)
            tally.painted(frame, tally.dueNs(frame) + frame * kMs);
        const PlaybackFigures figures = tally.figures(10000 * kMs, 0);
        QCOMPARE(figures.due, qint64(100));
        QCOMPARE(figures.shown, qint64(100));
        QCOMPARE(figures.late, qint64(0));
        QCOMPARE(figures.latenessP50Ms, 50.0);
        QCOMPARE(figures.latenessP95Ms, 95.0);
        QCOMPARE(figures.latenessP99Ms, 99.0);
    }
};

QTEST_GUILESS_MAIN(PlaybackTallyTest)
#include "tst_playbacktally.moc"
