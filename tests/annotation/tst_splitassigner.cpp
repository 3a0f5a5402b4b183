#include "core/annotation/splitassigner.h"

#include <QtTest>

using namespace saccade;

namespace {

ProjectData projectWith(int perLabel, const QStringList& labels) {
    ProjectData data;
    data.labels = LabelSet::fromNames(labels).value();
    for (const QString& label : labels) {
        for (int i = 0; i < perLabel; ++i) {
            VideoEntry video;
            video.id = QStringLiteral("%1_%2").arg(label).arg(i);
            video.probe.fps = 30;
            video.probe.frameCount = 100;
            Segment main;
            main.id = QStringLiteral("m");
            main.startFrame = 0;
            main.endFrame = 60;
            main.label = label;
            Segment minor = main;
            minor.id = QStringLiteral("n");
            minor.startFrame = 60;
            minor.endFrame = 70;
            minor.label = labels.first() == label ? labels.last() : labels.first();
            video.segments = {main, minor};
            data.videos.push_back(video);
        }
    }
    return data;
}

} // namespace

class TestSplitAssigner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesRatios() {
        auto ratios = SplitRatios::parse(QStringLiteral("train=0.7, val=0.2,test=0.1"));
        QVERIFY(ratios.ok());
        QCOMPARE(ratios->train, 0.7);
        QCOMPARE(ratios->val, 0.2);
        QVERIFY(!SplitRatios::parse(QStringLiteral("train=0.7,val=0.2")).ok());
        QVERIFY(!SplitRatios::parse(QStringLiteral("train=0.9,dev=0.1")).ok());
        QVERIFY(!SplitRatios::parse(QStringLiteral("train=1.2,val=-0.2")).ok());
        QVERIFY(!SplitRatios::parse(QStringLiteral("train")).ok());
    }

    void stratifiedGroupedAndReproducible() {
        const ProjectData data =
            projectWith(10, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        const SplitRatios ratios{0.6, 0.2, 0.2};
        auto first = SplitAssigner::assign(data, ratios, 42);
        QVERIFY(first.ok());
        QCOMPARE(first->size(), 30);
        // Each label's ten videos split 6/2/2: stratified by main label.
        for (const QString& label : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}) {
            QMap<Split, int> counts;
            for (auto it = first->cbegin(); it != first->cend(); ++it) {
                if (it.key().startsWith(label + QLatin1Char('_')))
                    counts[it.value()] += 1;
            }
            QCOMPARE(counts.value(Split::Train), 6);
            QCOMPARE(counts.value(Split::Val), 2);
            QCOMPARE(counts.value(Split::Test), 2);
        }
        QCOMPARE(*SplitAssigner::assign(data, ratios, 42), *first);
        bool differs = false;
        for (quint64 seed = 1; seed < 5 && !differs; ++seed)
            differs = *SplitAssigner::assign(data, ratios, seed) != *first;
        QVERIFY(differs);
    }

    void mainLabelCoversMostFrames() {
        const ProjectData data = projectWith(1, {QStringLiteral("a"), QStringLiteral("b")});
        QCOMPARE(SplitAssigner::mainLabel(data.videos[0]), QStringLiteral("a"));
        QCOMPARE(SplitAssigner::mainLabel(data.videos[1]), QStringLiteral("b"));
        VideoEntry plain;
        plain.videoLabels = QStringList{QStringLiteral("whole")};
        QCOMPARE(SplitAssigner::mainLabel(plain), QStringLiteral("whole"));
    }

    void smallStrataFollowLargestRemainder() {
        const ProjectData data = projectWith(3, {QStringLiteral("a")});
        // 2.4 / 0.6 / 0: the larger remainder (val's) takes the third video.
        auto splits = SplitAssigner::assign(data, SplitRatios{0.8, 0.2, 0.0}, 7);
        QVERIFY(splits.ok());
        QCOMPARE(std::count(splits->cbegin(), splits->cend(), Split::Train), 2);
        QCOMPARE(std::count(splits->cbegin(), splits->cend(), Split::Val), 1);
        // 0.8 / 0.1 / 0.1 rounds to 3 / 0 / 0, but val and test each need a video.
        splits = SplitAssigner::assign(data, SplitRatios{0.8, 0.1, 0.1}, 7);
        QVERIFY(splits.ok());
        QCOMPARE(std::count(splits->cbegin(), splits->cend(), Split::Train), 1);
        QCOMPARE(std::count(splits->cbegin(), splits->cend(), Split::Test), 1);
    }

    void noSplitWithAShareIsLeftEmpty() {
        // Five videos, each its own label (the case that left test empty for every seed).
        const ProjectData data =
            projectWith(1, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                            QStringLiteral("d"), QStringLiteral("e")});
        for (quint64 seed = 0; seed < 8; ++seed) {
            auto splits = SplitAssigner::assign(data, SplitRatios{0.6, 0.2, 0.2}, seed);
            QVERIFY(splits.ok());
            QCOMPARE(splits->size(), 5);
            QCOMPARE(std::count(splits->cbegin(), splits->cend(), Split::Train), 3);
            QCOMPARE(std::count(splits->cbegin(), splits->cend(), Split::Val), 1);
            QCOMPARE(std::count(splits->cbegin(), splits->cend(), Split::Test), 1);
        }
        // A zero share stays empty.
        auto two = SplitAssigner::assign(data, SplitRatios{0.9, 0.1, 0.0}, 3);
        QVERIFY(two.ok());
        QCOMPARE(std::count(two->cbegin(), two->cend(), Split::Val), 1);
        QCOMPARE(std::count(two->cbegin(), two->cend(), Split::Test), 0);
    }

    void tooFewVideosForTheSplitsIsAnError() {
        const ProjectData data = projectWith(1, {QStringLiteral("a"), QStringLiteral("b")});
        auto splits = SplitAssigner::assign(data, SplitRatios{0.6, 0.2, 0.2}, 0);
        QVERIFY(!splits.ok());
        QVERIFY2(splits.error().message.contains(QStringLiteral("3 splits")),
                 qPrintable(splits.error().message));
        QVERIFY(splits.error().message.contains(QStringLiteral("only 2 video")));
        QVERIFY(SplitAssigner::assign(data, SplitRatios{0.5, 0.5, 0.0}, 0).ok());
    }
};

QTEST_GUILESS_MAIN(TestSplitAssigner)
#include "tst_splitassigner.moc"
