#include "core/media/frameindex.h"

#include <QtTest>

using namespace saccade;

using Packet = FrameIndex::Packet;

// Presentation order, key frames and gaps from packet timestamps, without any file.
class TestFrameIndex : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reorderedPacketsSortByPts() {
        // Decode order I0 P3 B1 B2 I4 B5 (pts in units of 10, dts increasing).
        const FrameIndex index = FrameIndex::build({{0, -20, true},
                                                    {30, -10, false},
                                                    {10, 0, false},
                                                    {20, 10, false},
                                                    {40, 20, true},
                                                    {50, 30, false}});
        QVERIFY(index.isTimed());
        QCOMPARE(index.frameCount(), qint64(6));
        for (qint64 k = 0; k < 6; ++k) {
            QCOMPARE(index.timestampOf(k), k * 10);
            QCOMPARE(index.frameAt(k * 10), k);
        }
        QCOMPARE(index.frameAt(15), qint64(-1));
        QCOMPARE(index.timestampOf(6), FrameIndex::kNoTimestamp);
        QCOMPARE(index.keyFrameAtOrBefore(3), qint64(0));
        QCOMPARE(index.keyFrameAtOrBefore(4), qint64(4));
        QCOMPARE(index.keyFrameAtOrBefore(5), qint64(4));
        QCOMPARE(index.keyFrameBefore(4), qint64(0));
        QCOMPARE(index.keyFrameBefore(0), qint64(-1));
        // A key frame's seek time is the earlier of its dts and pts.
        QCOMPARE(index.seekTimestampOf(0), qint64(-20));
        QCOMPARE(index.seekTimestampOf(4), qint64(20));
        QCOMPARE(index.longestGop(), qint64(4));
        QCOMPARE(index.gapFrameCount(), qint64(0));
    }

    void nonMonotonicTimestampsStillSort() {
        const FrameIndex index =
            FrameIndex::build({{5, 5, true}, {3, 3, false}, {9, 9, false}, {4, 4, false}});
        QVERIFY(index.isTimed());
        QCOMPARE(index.timestampOf(0), qint64(3));
        QCOMPARE(index.timestampOf(3), qint64(9));
    }

    void missingPtsMakesTheIndexUntimed() {
        const FrameIndex index =
            FrameIndex::build({{0, 0, true}, {FrameIndex::kNoTimestamp, 1, false}, {2, 2, false}});
        QVERIFY(!index.isTimed());
        QCOMPARE(index.frameCount(), qint64(3));
        QCOMPARE(index.frameAt(0), qint64(-1));
        QCOMPARE(index.timestampOf(0), FrameIndex::kNoTimestamp);
    }

    void repeatedPtsMakesTheIndexUntimed() {
        const FrameIndex index = FrameIndex::build({{0, 0, true}, {1, 1, false}, {1, 2, false}});
        QVERIFY(!index.isTimed());
        QCOMPARE(index.frameCount(), qint64(3));
    }

    void gapsCountMissingFrames() {
        // Frames every 100 ticks; 300 and 400 are missing (one gap of 3 intervals), 800 too.
        std::vector<Packet> packets;
        for (qint64 pts : {0, 100, 200, 500, 600, 700, 900, 1000})
            packets.push_back({pts, pts, pts == 0});
        const FrameIndex index = FrameIndex::build(packets);
        QVERIFY(index.isTimed());
        QCOMPARE(index.gapFrameCount(), qint64(3));
    }

    void variableRateIsNotAGap() {
        // Intervals 140, 140, 20 repeating: none reaches twice the median.
        std::vector<Packet> packets;
        qint64 pts = 0;
        for (int i = 0; i < 30; ++i) {
            packets.push_back({pts, pts, i == 0});
            pts += i % 3 == 2 ? 20 : 140;
        }
        QCOMPARE(FrameIndex::build(packets).gapFrameCount(), qint64(0));
    }

    void empty() {
        const FrameIndex index = FrameIndex::build({});
        QCOMPARE(index.frameCount(), qint64(0));
        QCOMPARE(index.keyFrameAtOrBefore(0), qint64(0));
        QCOMPARE(index.frameAt(0), qint64(-1));
    }
};

QTEST_GUILESS_MAIN(TestFrameIndex)
#include "tst_frameindex.moc"
