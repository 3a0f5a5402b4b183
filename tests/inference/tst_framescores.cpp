#include "core/inference/framescores.h"

#include <QtTest>

using namespace saccade;

// Per-frame aggregation of overlapping windows, against numbers worked out by hand.
class TestFrameScores : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void weightFallsFromTheCentre() {
        // Window [0, 10]: centre 5, half span 5; weight 1 - 0.95 * distance / 5.
        QCOMPARE(FrameScoreAggregator::weight(0, 10, 5), 1.0);
        QVERIFY(qFuzzyCompare(FrameScoreAggregator::weight(0, 10, 0), 0.05));
        QVERIFY(qFuzzyCompare(FrameScoreAggregator::weight(0, 10, 10), 0.05));
        QVERIFY(qFuzzyCompare(FrameScoreAggregator::weight(0, 10, 8), 1.0 - 0.95 * 3 / 5));
        QCOMPARE(FrameScoreAggregator::weight(0, 10, 11), 0.0);
        QCOMPARE(FrameScoreAggregator::weight(3, 3, 3), 1.0);
    }

    void overlappingWindowsAreWeightedByPosition() {
        // A: frames 0-10 says class 0 (0.8/0.2); B: frames 5-15 says class 1 (0.2/0.8).
        const std::vector<WindowScores> windows = {{0, 10, {0.8f, 0.2f}}, {5, 15, {0.2f, 0.8f}}};
        const FrameScores scores = FrameScoreAggregator::aggregate(windows, 20);
        QCOMPARE(scores.classCount, 2);
        QCOMPARE(scores.frameCount, qint64(20));
        // Frame 2: only A covers it.
        QVERIFY(qFuzzyCompare(scores.at(2, 0), 0.8f));
        // Frame 6: A's weight 1 - 0.95/5 = 0.81, B's (distance 4) 1 - 0.95*4/5 = 0.24.
        const double wa = 0.81, wb = 0.24;
        QVERIFY(qAbs(scores.at(6, 0) - (wa * 0.8 + wb * 0.2) / (wa + wb)) < 1e-6);
        QVERIFY(qAbs(scores.at(6, 1) - (wa * 0.2 + wb * 0.8) / (wa + wb)) < 1e-6);
        // Frame 7.5 would be the tie; frame 8 leans to B (A distance 3, B distance 2).
        QVERIFY(scores.at(8, 1) > scores.at(8, 0));
        QVERIFY(scores.at(7, 0) > scores.at(7, 1));
        // Rows are distributions; frames 16-19 are covered by no window.
        QVERIFY(qAbs(scores.at(12, 0) + scores.at(12, 1) - 1.0f) < 1e-6);
        QVERIFY(scores.covered[15]);
        QVERIFY(!scores.covered[16]);
        QCOMPARE(scores.at(17, 0), 0.0f);
    }

    void mismatchedRowsAreIgnored() {
        const std::vector<WindowScores> windows = {{0, 4, {1.0f, 0.0f}}, {0, 4, {0.1f, 0.2f, 0.7f}}};
        const FrameScores scores = FrameScoreAggregator::aggregate(windows, 5);
        QCOMPARE(scores.at(2, 0), 1.0f);
        QVERIFY(FrameScoreAggregator::aggregate({}, 5).values.empty());
    }
};

QTEST_GUILESS_MAIN(TestFrameScores)
#include "tst_framescores.moc"
