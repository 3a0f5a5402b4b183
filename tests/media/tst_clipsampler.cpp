#include "core/media/clipsampler.h"

#include <QtTest>

using namespace saccade;

using Frames = std::vector<qint64>;
Q_DECLARE_METATYPE(Frames)

// The research test protocol's clip sampling and the sliding windows, against hand-computed indices.
class TestClipSampler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void span() {
        QCOMPARE(ClipSampler::clipSpan(8, 32, 30.0), 256.0);
        QCOMPARE(ClipSampler::clipSpan(8, 32, 25.0), 8 * 32 / 30.0 * 25.0);
        QCOMPARE(ClipSampler::clipSpan(96, 4, 60.0), 768.0);
    }

    void linspace() {
        QCOMPARE(ClipSampler::linspace(0, 255, 8), (Frames{0, 36, 72, 109, 145, 182, 218, 255}));
        QCOMPARE(ClipSampler::linspace(2.5, 2.5, 3), (Frames{2, 2, 2}));
        QCOMPARE(ClipSampler::linspace(4, 9, 1), (Frames{4}));
        QVERIFY(ClipSampler::linspace(0, 9, 0).empty());
    }

    void temporalClip_data() {
        QTest::addColumn<qint64>("frameCount");
        QTest::addColumn<double>("fps");
        QTest::addColumn<int>("view");
        QTest::addColumn<int>("views");
        QTest::addColumn<int>("start");
        QTest::addColumn<Frames>("expected");
        // 8 frames at rate 32 on a 30 fps video span 256 frames.
        QTest::newRow("one research view starts at 0")
            << qint64(300) << 30.0 << 0 << 1 << int(ClipStart::Research)
            << Frames{0, 36, 72, 109, 145, 182, 218, 255};
        QTest::newRow("one offset view is centred") << qint64(300) << 30.0 << 0 << 1 << int(ClipStart::Offset)
                                                    << Frames{22, 58, 94, 131, 167, 204, 240, 277};
        // delta = 44; research view 1 of 2 starts at 22, offset view 1 of 2 at 44 (ends on the last frame).
        QTest::newRow("research view 1 of 2") << qint64(300) << 30.0 << 1 << 2 << int(ClipStart::Research)
                                              << Frames{22, 58, 94, 131, 167, 204, 240, 277};
        QTest::newRow("offset view 1 of 2") << qint64(300) << 30.0 << 1 << 2 << int(ClipStart::Offset)
                                            << Frames{44, 80, 116, 153, 189, 226, 262, 299};
        // Short video: the span runs past the end and the indices are clamped to the last frame.
        QTest::newRow("short video clamps") << qint64(100) << 30.0 << 0 << 1 << int(ClipStart::Research)
                                            << Frames{0, 36, 72, 99, 99, 99, 99, 99};
        // 60 fps doubles the span (512 frames): start = (1000 - 512) * 2 / 3 = 325.33.
        QTest::newRow("60 fps view 2 of 3") << qint64(1000) << 60.0 << 2 << 3 << int(ClipStart::Research)
                                            << Frames{325, 398, 471, 544, 617, 690, 763, 836};
    }

    void temporalClip() {
        QFETCH(qint64, frameCount);
        QFETCH(double, fps);
        QFETCH(int, view);
        QFETCH(int, views);
        QFETCH(int, start);
        QFETCH(Frames, expected);
        QCOMPARE(ClipSampler::temporalClip(frameCount, fps, 8, 32, view, views, ClipStart(start)), expected);
    }

    void uniform() {
        QCOMPARE(ClipSampler::uniform(10, 17, 8), (Frames{10, 11, 12, 13, 14, 15, 16, 17}));
        QCOMPARE(ClipSampler::uniform(0, 9, 4), (Frames{0, 3, 6, 9}));
        QCOMPARE(ClipSampler::uniform(5, 5, 2), (Frames{5, 5}));
    }

    void slidingWindowsCoverTheVideo() {
        const auto windows = ClipSampler::slidingWindows(100, 32, 16, 8);
        // Starts every 16 frames while a window ends before frame 99, then one moved back to end on it.
        QCOMPARE(windows.size(), size_t(6));
        const Frames starts = {0, 16, 32, 48, 64, 68};
        for (size_t i = 0; i < windows.size(); ++i) {
            QCOMPARE(windows[i].startFrame, starts[i]);
            QCOMPARE(windows[i].endFrame, starts[i] + 31);
            QCOMPARE(windows[i].frames.size(), size_t(8));
            QCOMPARE(windows[i].frames.front(), starts[i]);
            QCOMPARE(windows[i].frames.back(), starts[i] + 31);
        }
        QCOMPARE(windows[1].frames, (Frames{16, 20, 24, 29, 33, 38, 42, 47}));
        QCOMPARE(windows.back().endFrame, qint64(99));
    }

    void slidingWindowsExactFit() {
        // 64 frames, span 32, stride 32: two windows, no extra one.
        const auto windows = ClipSampler::slidingWindows(64, 32, 32, 4);
        QCOMPARE(windows.size(), size_t(2));
        QCOMPARE(windows[0].startFrame, qint64(0));
        QCOMPARE(windows[1].startFrame, qint64(32));
        QCOMPARE(windows[1].endFrame, qint64(63));
    }

    void slidingWindowsShortVideo() {
        const auto windows = ClipSampler::slidingWindows(10, 32, 16, 8);
        QCOMPARE(windows.size(), size_t(1));
        QCOMPARE(windows[0].startFrame, qint64(0));
        QCOMPARE(windows[0].endFrame, qint64(9));
        QCOMPARE(windows[0].frames, (Frames{0, 4, 8, 9, 9, 9, 9, 9}));
    }

    void degenerateInputs() {
        QVERIFY(ClipSampler::temporalClip(0, 30.0, 8, 32, 0, 1).empty());
        QVERIFY(ClipSampler::slidingWindows(0, 32, 16, 8).empty());
        QVERIFY(ClipSampler::slidingWindows(100, 32, 0, 8).empty());
    }

    void gridWindowsShareFrames() {
        // Span 64, 8 samples: a grid step of 8 frames; a stride of 2 steps is 16 frames.
        const auto windows = ClipSampler::gridWindows(100, 64.0, 8, 2);
        QCOMPARE(int(windows.size()), 4);
        QCOMPARE(windows[0].frames, (Frames{0, 8, 16, 24, 32, 40, 48, 56}));
        QCOMPARE(windows[0].startFrame, 0);
        QCOMPARE(windows[0].endFrame, 63);
        QCOMPARE(windows[1].frames, (Frames{16, 24, 32, 40, 48, 56, 64, 72}));
        QCOMPARE(windows[2].frames, (Frames{32, 40, 48, 56, 64, 72, 80, 88}));
        QCOMPARE(windows[2].endFrame, 95);
        // The tail window ends on the last frame, off the grid.
        QCOMPARE(windows[3].startFrame, 36);
        QCOMPARE(windows[3].endFrame, 99);
        QCOMPARE(windows[3].frames, (Frames{36, 44, 52, 60, 68, 76, 84, 92}));
    }

    void gridWindowsExactFitAndFractionalStep() {
        const auto exact = ClipSampler::gridWindows(96, 64.0, 8, 4);
        QCOMPARE(int(exact.size()), 2);
        QCOMPARE(exact[1].startFrame, 32);
        QCOMPARE(exact[1].endFrame, 95);
        // 25 fps: span 53.33, a step of 6.67 frames; samples are the floor of the grid points.
        const auto windows = ClipSampler::gridWindows(200, 8 * 8 / 30.0 * 25.0, 8, 1);
        QCOMPARE(windows[0].frames, (Frames{0, 6, 13, 20, 26, 33, 40, 46}));
        QCOMPARE(windows[1].frames, (Frames{6, 13, 20, 26, 33, 40, 46, 53}));
        QCOMPARE(windows[1].endFrame, 59);
    }

    void gridWindowsShortVideoAndBadInput() {
        const auto windows = ClipSampler::gridWindows(10, 64.0, 8, 2);
        QCOMPARE(int(windows.size()), 1);
        QCOMPARE(windows[0].startFrame, 0);
        QCOMPARE(windows[0].endFrame, 9);
        QCOMPARE(windows[0].frames, (Frames{0, 8, 9, 9, 9, 9, 9, 9}));
        QVERIFY(ClipSampler::gridWindows(0, 64.0, 8, 2).empty());
        QVERIFY(ClipSampler::gridWindows(100, 64.0, 8, 0).empty());
        QVERIFY(ClipSampler::gridWindows(100, 0.0, 8, 1).empty());
    }
};

QTEST_GUILESS_MAIN(TestClipSampler)
#include "tst_clipsampler.moc"
