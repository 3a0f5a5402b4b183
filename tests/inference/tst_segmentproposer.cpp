#include "core/inference/segmentproposer.h"
#include "core/inference/shardplan.h"

#include <QSet>
#include <QTest>

using namespace saccade;

namespace {

// Non-overlapping 10-frame windows with the given classes and probabilities.
std::vector<WindowPrediction> sequence(const std::vector<int>& classes,
                                       const std::vector<double>& probabilities) {
    std::vector<WindowPrediction> windows;
    for (size_t i = 0; i < classes.size(); ++i)
        windows.push_back({qint64(i) * 10, qint64(i) * 10 + 9, classes[i], probabilities[i]});
    return windows;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<WindowPrediction>)

class TestSegmentProposer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void proposes_data() {
        QTest::addColumn<std::vector<WindowPrediction>>("windows");
        QTest::addColumn<double>("minConfidence");
        QTest::addColumn<qint64>("maxGap");
        QTest::addColumn<qint64>("minDuration");
        // Expected proposals as "class:start-end" strings.
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("two runs") << sequence({0, 0, 1, 1, 1}, {0.9, 0.7, 0.8, 0.8, 0.8}) << 0.5 << qint64(0)
                                  << qint64(1) << QStringList{"0:0-20", "1:20-50"};
        QTest::newRow("low confidence splits") << sequence({0, 0, 0}, {0.9, 0.3, 0.9}) << 0.5 << qint64(0)
                                               << qint64(1) << QStringList{"0:0-10", "0:20-30"};
        QTest::newRow("gap merged") << sequence({0, 0, 0}, {0.9, 0.3, 0.9}) << 0.5 << qint64(10) << qint64(1)
                                    << QStringList{"0:0-30"};
        QTest::newRow("other class inside gap absorbed")
            << sequence({2, 1, 2, 2}, {0.9, 0.9, 0.9, 0.9}) << 0.5 << qint64(10) << qint64(1)
            << QStringList{"2:0-40"};
        QTest::newRow("gap too wide") << sequence({2, 1, 1, 2}, {0.9, 0.9, 0.9, 0.9}) << 0.5 << qint64(10)
                                      << qint64(1) << QStringList{"2:0-10", "1:10-30", "2:30-40"};
        QTest::newRow("short dropped") << sequence({0, 1, 1, 1}, {0.9, 0.9, 0.9, 0.9}) << 0.5 << qint64(0)
                                       << qint64(15) << QStringList{"1:10-40"};
        QTest::newRow("nothing confident")
            << sequence({0, 1}, {0.2, 0.3}) << 0.5 << qint64(0) << qint64(1) << QStringList{};
        // Overlapping windows (span 10, stride 5) own the frames between their centres' midpoints.
        QTest::newRow("overlapping") << std::vector<WindowPrediction>{{0, 9, 0, 0.9},
                                                                      {5, 14, 0, 0.9},
                                                                      {10, 19, 1, 0.9}}
                                     << 0.5 << qint64(0) << qint64(1) << QStringList{"0:0-12", "1:12-20"};
    }
    void proposes() {
        QFETCH(std::vector<WindowPrediction>, windows);
        QFETCH(double, minConfidence);
        QFETCH(qint64, maxGap);
        QFETCH(qint64, minDuration);
        QFETCH(QStringList, expected);
        ProposalOptions options;
        options.minConfidence = minConfidence;
        options.maxGapFrames = maxGap;
        options.minDurationFrames = minDuration;
        QStringList actual;
        for (const SegmentProposal& proposal : SegmentProposer::propose(windows, options))
            actual << QStringLiteral("%1:%2-%3")
                          .arg(proposal.classIndex)
                          .arg(proposal.startFrame)
                          .arg(proposal.endFrame);
        QCOMPARE(actual, expected);
    }

    void reportsConfidenceAndWindows() {
        // Given out of order: indices refer to the input vector.
        std::vector<WindowPrediction> windows = {{20, 29, 1, 0.6}, {0, 9, 1, 0.9}, {10, 19, 1, 0.6}};
        const std::vector<SegmentProposal> proposals = SegmentProposer::propose(windows, {});
        QCOMPARE(proposals.size(), size_t(1));
        QCOMPARE(proposals[0].windows, (std::vector<int>{0, 1, 2}));
        QVERIFY(std::abs(proposals[0].confidence - 0.7) < 1e-9);
        QCOMPARE(proposals[0].startFrame, qint64(0));
        QCOMPARE(proposals[0].endFrame, qint64(30));
    }

    void shardsCoverEveryVideoOnce_data() {
        QTest::addColumn<int>("videos");
        QTest::addColumn<int>("shards");
        QTest::newRow("7 over 3") << 7 << 3;
        QTest::newRow("2 over 5") << 2 << 5;
        QTest::newRow("10 over 1") << 10 << 1;
    }
    void shardsCoverEveryVideoOnce() {
        QFETCH(int, videos);
        QFETCH(int, shards);
        QStringList list;
        for (int i = videos - 1; i >= 0; --i)
            list << QStringLiteral("/data/v%1.mp4").arg(i);
        list << list.first(); // a duplicate is taken once
        QStringList all;
        for (int k = 0; k < shards; ++k) {
            Result<Shard> shard = Shard::parse(QStringLiteral("%1/%2").arg(k).arg(shards));
            QVERIFY(shard.ok());
            const QStringList chosen = shard->select(list);
            QVERIFY(chosen.size() <= (videos + shards - 1) / shards);
            all += chosen;
        }
        QCOMPARE(all.size(), videos);
        QCOMPARE(QSet<QString>(all.begin(), all.end()).size(), videos);
    }

    void rejectsBadShards_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("k = n") << "3/3";
        QTest::newRow("negative") << "-1/3";
        QTest::newRow("no slash") << "2";
        QTest::newRow("zero shards") << "0/0";
        QTest::newRow("words") << "a/b";
    }
    void rejectsBadShards() {
        QFETCH(QString, text);
        QVERIFY(!Shard::parse(text).ok());
    }
};

QTEST_GUILESS_MAIN(TestSegmentProposer)
#include "tst_segmentproposer.moc"
