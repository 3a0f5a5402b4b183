#include "core/annotation/segmentmetrics.h"

#include <QtTest>

using namespace saccade;

namespace {

// A per-frame labelling from runs (label, length); label 0 is no label.
std::vector<int> frames(const std::vector<std::pair<int, int>>& runs) {
    std::vector<int> labels;
    for (const auto& [label, length] : runs)
        labels.insert(labels.end(), size_t(length), label);
    return labels;
}

} // namespace

// Segment F1@k, edit score and boundary errors against values worked out by hand.
class TestSegmentMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void segmentsSkipTheBackground() {
        const auto runs = SegmentMetrics::segments(frames({{0, 3}, {1, 4}, {1, 0}, {2, 2}, {0, 1}, {2, 3}}));
        QCOMPARE(int(runs.size()), 3);
        QCOMPARE(runs[0].start, 3);
        QCOMPARE(runs[0].end, 7);
        QCOMPARE(runs[1].label, 2);
        QCOMPARE(runs[2].start, 10);
        QCOMPARE(runs[2].end, 13);
    }

    void iou() {
        QCOMPARE(SegmentMetrics::iou({1, 0, 10}, {1, 5, 15}), 5.0 / 15.0);
        QCOMPARE(SegmentMetrics::iou({1, 0, 10}, {1, 10, 20}), 0.0);
        QCOMPARE(SegmentMetrics::iou({1, 0, 10}, {1, 0, 10}), 1.0);
    }

    void f1AtEachThreshold() {
        // Truth: A [0,10), B [20,40), A [50,60).  Prediction: A [2,10) (IoU 0.8), B [20,28) (IoU 0.4),
        // B [30,40) (IoU 0.5, but B is already taken by the first), C [50,60) (wrong label).
        const std::vector<LabelRun> truth = {{1, 0, 10}, {2, 20, 40}, {1, 50, 60}};
        const std::vector<LabelRun> predicted = {{1, 2, 10}, {2, 20, 28}, {2, 30, 40}, {3, 50, 60}};
        const SegmentMatchCounts at10 = SegmentMetrics::match(truth, predicted, 0.10);
        QCOMPARE(at10.truePositives, 2);
        QCOMPARE(at10.falsePositives, 2);
        QCOMPARE(at10.falseNegatives, 1);
        QVERIFY(qFuzzyCompare(at10.f1(), 2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3)));
        // At 0.5 the first B prediction misses (0.4); the second takes the true B with 0.5.
        const SegmentMatchCounts at50 = SegmentMetrics::match(truth, predicted, 0.50);
        QCOMPARE(at50.truePositives, 2);
        QCOMPARE(at50.falsePositives, 2);
        // Greedy as in the literature: each prediction only tries its best-overlapping true segment.
        const SegmentMatchCounts at75 = SegmentMetrics::match(truth, predicted, 0.75);
        QCOMPARE(at75.truePositives, 1);
        QCOMPARE(at75.falseNegatives, 2);
    }

    void f1CornerCases() {
        QCOMPARE(SegmentMetrics::match({}, {}, 0.5).f1(), 1.0);
        const SegmentMatchCounts none = SegmentMetrics::match({{1, 0, 10}}, {}, 0.5);
        QCOMPARE(none.falseNegatives, 1);
        QCOMPARE(none.f1(), 0.0);
        const SegmentMatchCounts spurious = SegmentMetrics::match({}, {{1, 0, 10}}, 0.5);
        QCOMPARE(spurious.falsePositives, 1);
        QCOMPARE(spurious.f1(), 0.0);
        // Exactly at the threshold counts as a hit.
        QCOMPARE(SegmentMetrics::match({{1, 0, 10}}, {{1, 5, 15}}, 5.0 / 15.0).truePositives, 1);
        SegmentMatchCounts sum = SegmentMetrics::match({{1, 0, 10}}, {{1, 0, 10}}, 0.5);
        sum += none;
        QCOMPARE(sum.truePositives, 1);
        QCOMPARE(sum.falseNegatives, 1);
        QVERIFY(qFuzzyCompare(sum.f1(), 2.0 / 3.0));
    }

    void editScore() {
        // Sequences A B A and A A C: one substitution and one insertion would do it; the distance is 2.
        const std::vector<LabelRun> truth = {{1, 0, 1}, {2, 1, 2}, {1, 2, 3}};
        const std::vector<LabelRun> predicted = {{1, 0, 1}, {1, 1, 2}, {3, 2, 3}};
        QVERIFY(qFuzzyCompare(SegmentMetrics::editScore(truth, predicted), (1.0 - 2.0 / 3.0) * 100.0));
        QCOMPARE(SegmentMetrics::editScore(truth, truth), 100.0);
        QCOMPARE(SegmentMetrics::editScore({}, {}), 100.0);
        QCOMPARE(SegmentMetrics::editScore(truth, {}), 0.0);
    }

    void boundaryErrorsOfMatchedSegments() {
        const std::vector<LabelRun> truth = {{1, 10, 50}, {2, 100, 150}};
        const std::vector<LabelRun> predicted = {{1, 13, 48}, {2, 300, 320}, {2, 104, 151}};
        const std::vector<qint64> errors = SegmentMetrics::boundaryErrors(truth, predicted);
        QCOMPARE(errors, (std::vector<qint64>{3, 2, 4, 1}));
        QCOMPARE(SegmentMetrics::median(errors), 2.5);
        QCOMPARE(SegmentMetrics::median({7}), 7.0);
        QCOMPARE(SegmentMetrics::median({}), -1.0);
    }
};

QTEST_GUILESS_MAIN(TestSegmentMetrics)
#include "tst_segmentmetrics.moc"
