#include "core/inference/reviewqueue.h"

#include <QTest>

#include <cmath>

using namespace saccade;

namespace {

const QStringList kLabels = {QStringLiteral("grow"), QStringLiteral("shrink"), QStringLiteral("appear")};

// A window over frames [start, start + 59] whose softmax is `probabilities` (given as logs).
WindowResult window(int index, qint64 start, std::vector<float> probabilities) {
    WindowResult result;
    result.windowIndex = index;
    result.startFrame = start;
    result.endFrame = start + 59;
    std::vector<float> logits;
    for (float p : probabilities)
        logits.push_back(std::log(p));
    result.setLogits(std::move(logits), kLabels, 3);
    return result;
}

// Six windows every 60 frames; centres 29, 89, 149, 209, 269, 329.
std::map<int, WindowResult> sixWindows() {
    std::map<int, WindowResult> windows;
    windows[0] = window(0, 0, {0.90f, 0.05f, 0.05f});   // confident grow
    windows[1] = window(1, 60, {0.45f, 0.43f, 0.12f});  // margin 0.02
    windows[2] = window(2, 120, {0.34f, 0.33f, 0.33f}); // margin 0.01, entropy ~1
    windows[3] = window(3, 180, {0.10f, 0.80f, 0.10f}); // confident shrink
    windows[4] = window(4, 240, {0.50f, 0.35f, 0.15f}); // margin 0.15
    windows[5] = window(5, 300, {0.05f, 0.05f, 0.90f}); // confident appear
    return windows;
}

std::vector<int> windowIndices(const ReviewQueue& queue) {
    std::vector<int> indices;
    for (const ReviewItem& item : queue.items())
        indices.push_back(item.windowIndex);
    return indices;
}

} // namespace

class TestReviewQueue : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void marginAndEntropy() {
        const WindowResult sure = window(0, 0, {0.90f, 0.05f, 0.05f});
        QVERIFY(std::abs(ReviewQueue::margin(sure) - 0.85) < 1e-5);
        const WindowResult even = window(0, 0, {1.0f / 3, 1.0f / 3, 1.0f / 3});
        QVERIFY(std::abs(ReviewQueue::normalisedEntropy(even) - 1.0) < 1e-5);
        QVERIFY(ReviewQueue::normalisedEntropy(sure) < 0.4);
        QCOMPARE(ReviewQueue::margin(WindowResult{}), 0.0);
    }

    void lowMarginListsWindowsBelowThresholdInFrameOrder() {
        const ReviewQueue queue(sixWindows(), {}, {ReviewCriterion::LowMargin, 0.2});
        QCOMPARE(windowIndices(queue), (std::vector<int>{1, 2, 4}));
        QCOMPARE(queue.items()[0].frame, qint64(89));
        QVERIFY2(queue.items()[0].reason.startsWith(QStringLiteral("low confidence: margin 0.02")),
                 qPrintable(queue.items()[0].reason));
        QVERIFY(queue.items()[0].reason.contains(QStringLiteral("grow 0.45, shrink 0.43")));
        // A stricter threshold keeps only the closest calls.
        const ReviewQueue strict(sixWindows(), {}, {ReviewCriterion::LowMargin, 0.05});
        QCOMPARE(windowIndices(strict), (std::vector<int>{1, 2}));
    }

    void highEntropyListsUncertainWindows() {
        const ReviewQueue queue(sixWindows(), {}, {ReviewCriterion::HighEntropy, 0.85});
        QCOMPARE(windowIndices(queue), (std::vector<int>{1, 2, 4}));
        const ReviewQueue strict(sixWindows(), {}, {ReviewCriterion::HighEntropy, 0.99});
        QCOMPARE(windowIndices(strict), (std::vector<int>{2}));
        QVERIFY(strict.items()[0].reason.startsWith(QStringLiteral("low confidence: entropy 1.00")));
    }

    void nextAndPreviousStepFromThePlayheadAndWrap() {
        const ReviewQueue queue(sixWindows(), {}, {ReviewCriterion::LowMargin, 0.2});
        bool wrapped = true;
        // Visits 1, 2, 4 in order starting from frame 0, then wraps to 1.
        qint64 playhead = 0;
        std::vector<int> visited;
        for (int step = 0; step < 4; ++step) {
            const std::optional<ReviewItem> item = queue.next(playhead, &wrapped);
            QVERIFY(item);
            QCOMPARE(wrapped, step == 3);
            visited.push_back(item->windowIndex);
            playhead = item->frame;
        }
        QCOMPARE(visited, (std::vector<int>{1, 2, 4, 1}));
        // Previous goes back the other way and wraps to the last.
        QCOMPARE(queue.previous(269, &wrapped)->windowIndex, 2);
        QVERIFY(!wrapped);
        QCOMPARE(queue.previous(149)->windowIndex, 1);
        QCOMPARE(queue.previous(89, &wrapped)->windowIndex, 4);
        QVERIFY(wrapped);
        // Sitting on an item, next moves past it.
        QCOMPARE(queue.next(149)->windowIndex, 4);
    }

    void disagreementComparesWithAcceptedLabelsAtTheWindowCentre() {
        const std::vector<LabelSpan> labels = {
            {0, 60, QStringLiteral("grow")},      // window 0 says grow: agrees
            {180, 240, QStringLiteral("grow")},   // window 3 says shrink: disagrees
            {250, 400, QStringLiteral("shrink")}, // covers centres 269 (grow) and 329 (appear)
            {300, 360, QStringLiteral("appear")}, // ... but window 5's appear is among the labels there
        };
        const ReviewQueue queue(sixWindows(), labels, {ReviewCriterion::Disagreement, 0.0});
        QCOMPARE(windowIndices(queue), (std::vector<int>{3, 4}));
        QCOMPARE(queue.items()[0].reason, QStringLiteral("model says shrink (0.80), label says grow"));
        QVERIFY(
            queue.items()[1].reason.startsWith(QStringLiteral("model says grow (0.50), label says shrink")));
        // Windows over unlabelled stretches (1, 2) are not disagreements.
        QCOMPARE(ReviewQueue::labelsAt(labels, 329),
                 (QStringList{QStringLiteral("appear"), QStringLiteral("shrink")}));
        QVERIFY(ReviewQueue::labelsAt(labels, 100).isEmpty());
        // End frames are exclusive.
        QVERIFY(ReviewQueue::labelsAt(labels, 60).isEmpty());
    }

    void missingWindowsAndEmptyQueues() {
        std::map<int, WindowResult> windows = sixWindows();
        windows.erase(2);
        const ReviewQueue queue(windows, {}, {ReviewCriterion::LowMargin, 0.2});
        QCOMPARE(windowIndices(queue), (std::vector<int>{1, 4}));
        const ReviewQueue none(windows, {}, {ReviewCriterion::LowMargin, 0.0});
        QVERIFY(none.isEmpty());
        bool wrapped = true;
        QVERIFY(!none.next(0, &wrapped));
        QVERIFY(!wrapped);
        QVERIFY(!none.previous(0));
    }
};

QTEST_GUILESS_MAIN(TestReviewQueue)
#include "tst_reviewqueue.moc"
