#include "core/inference/temporaldecoder.h"

#include <QtTest>

using namespace saccade;

namespace {

// Frame scores from per-frame rows.
FrameScores scoresOf(const std::vector<std::vector<float>>& rows) {
    FrameScores scores;
    scores.frameCount = static_cast<qint64>(rows.size());
    scores.classCount = static_cast<int>(rows.front().size());
    for (const auto& row : rows)
        scores.values.insert(scores.values.end(), row.begin(), row.end());
    scores.covered.assign(rows.size(), true);
    return scores;
}

// `frames` frames that favour `classIndex` with probability `p` (the rest spread evenly).
void append(std::vector<std::vector<float>>& rows, int classes, int classIndex, float p, int frames) {
    for (int i = 0; i < frames; ++i) {
        std::vector<float> row(size_t(classes), (1.0f - p) / float(classes - 1));
        row[size_t(classIndex)] = p;
        rows.push_back(row);
    }
}

using Spans = std::vector<std::array<qint64, 3>>; // class, start, end

Spans spansOf(const std::vector<SegmentProposal>& proposals) {
    Spans spans;
    for (const SegmentProposal& proposal : proposals)
        spans.push_back({proposal.classIndex, proposal.startFrame, proposal.endFrame});
    return spans;
}

} // namespace

// The Viterbi decoding of per-frame scores: smoothing, background, minimum duration and confidence.
class TestTemporalDecoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void noisySequenceGivesTheExpectedSegments() {
        // Classes 0, 1 and background 2: 20 background, 30 of class 0 with two single-frame flips to
        // class 1, 10 background, 25 of class 1, 15 background.
        std::vector<std::vector<float>> rows;
        append(rows, 3, 2, 0.8f, 20);
        append(rows, 3, 0, 0.7f, 10);
        append(rows, 3, 1, 0.6f, 1);
        append(rows, 3, 0, 0.7f, 12);
        append(rows, 3, 1, 0.55f, 1);
        append(rows, 3, 0, 0.7f, 6);
        append(rows, 3, 2, 0.8f, 10);
        append(rows, 3, 1, 0.9f, 25);
        append(rows, 3, 2, 0.8f, 15);
        TemporalDecoderOptions options;
        options.backgroundClass = 2;
        options.switchPenalty = 4.0;
        const std::vector<SegmentProposal> segments = TemporalDecoder::decode(scoresOf(rows), options);
        QCOMPARE(spansOf(segments), (Spans{{0, 20, 50}, {1, 60, 85}}));
        // Confidence: the class's mean probability over the segment's frames.
        const double expected = (28 * 0.7 + 0.2 + 0.225) / 30.0;
        QVERIFY(qAbs(segments[0].confidence - expected) < 1e-6);
        QVERIFY(qAbs(segments[1].confidence - 0.9) < 1e-6);
        // Without smoothing the flips split the segment.
        options.switchPenalty = 0.0;
        QCOMPARE(int(TemporalDecoder::decode(scoresOf(rows), options).size()), 6);
    }

    void boundariesSitWhereTheEvidenceCrosses() {
        // Class 0 fades out while class 1 rises: p0 = 1 - i/20 for frames 0-19; the crossing is at 10.
        std::vector<std::vector<float>> rows;
        for (int i = 0; i < 20; ++i) {
            const float p1 = float(i) / 19.0f;
            rows.push_back({1.0f - p1, p1});
        }
        TemporalDecoderOptions options;
        options.actionnessThreshold = 0.0;
        options.switchPenalty = 3.0;
        QCOMPARE(spansOf(TemporalDecoder::decode(scoresOf(rows), options)), (Spans{{0, 0, 10}, {1, 10, 20}}));
    }

    void withoutBackgroundTheThresholdLeavesIdleStretchesUnlabelled() {
        // A model without a background class: idle stretches are spread over the classes (best 0.4).
        std::vector<std::vector<float>> rows;
        for (int i = 0; i < 15; ++i)
            rows.push_back({0.4f, 0.35f, 0.25f});
        append(rows, 3, 1, 0.85f, 20);
        for (int i = 0; i < 15; ++i)
            rows.push_back({0.25f, 0.35f, 0.4f});
        TemporalDecoderOptions options;
        options.actionnessThreshold = 0.5;
        options.switchPenalty = 2.0;
        QCOMPARE(spansOf(TemporalDecoder::decode(scoresOf(rows), options)), (Spans{{1, 15, 35}}));
        // A threshold of 0 labels everything with the best class.
        options.actionnessThreshold = 0.0;
        options.switchPenalty = 0.5;
        QCOMPARE(spansOf(TemporalDecoder::decode(scoresOf(rows), options)),
                 (Spans{{0, 0, 15}, {1, 15, 35}, {2, 35, 50}}));
    }

    void shortRunsAreAbsorbed() {
        // A 3-frame class-1 run between class 0 stretches, strong enough to survive the penalty.
        std::vector<std::vector<float>> rows;
        append(rows, 2, 0, 0.9f, 10);
        append(rows, 2, 1, 0.99f, 3);
        append(rows, 2, 0, 0.9f, 10);
        TemporalDecoderOptions options;
        options.actionnessThreshold = 0.0;
        options.switchPenalty = 1.0;
        QCOMPARE(int(TemporalDecoder::decode(scoresOf(rows), options).size()), 3);
        options.minDurationFrames = 5;
        QCOMPARE(spansOf(TemporalDecoder::decode(scoresOf(rows), options)), (Spans{{0, 0, 23}}));
    }

    void uncoveredFramesAreBackground() {
        FrameScores scores = scoresOf({{0.9f, 0.1f}, {0.9f, 0.1f}, {0.9f, 0.1f}, {0.9f, 0.1f}});
        scores.covered[2] = scores.covered[3] = false;
        TemporalDecoderOptions options;
        options.actionnessThreshold = 0.5;
        options.switchPenalty = 0.5;
        QCOMPARE(spansOf(TemporalDecoder::decode(scores, options)), (Spans{{0, 0, 2}}));
    }

    void findsTheBackgroundLabel() {
        QCOMPARE(TemporalDecoder::backgroundClassIndex({QStringLiteral("run"), QStringLiteral("Background")}),
                 1);
        QCOMPARE(TemporalDecoder::backgroundClassIndex({QStringLiteral("run"), QStringLiteral("walk")}), -1);
    }
};

QTEST_GUILESS_MAIN(TestTemporalDecoder)
#include "tst_temporaldecoder.moc"
