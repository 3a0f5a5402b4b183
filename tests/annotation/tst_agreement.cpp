#include "core/annotation/agreement.h"

#include <QtTest>

using namespace saccade;

namespace {

Segment segment(qint64 start, qint64 end, const QString& label, SegmentState state = SegmentState::Accepted) {
    Segment s;
    s.id = Segment::newId();
    s.startFrame = start;
    s.endFrame = end;
    s.label = label;
    s.state = state;
    return s;
}

ProjectData rater(std::vector<Segment> segments, const QString& hash = QStringLiteral("sha256-sampled:1")) {
    ProjectData data;
    data.labels = LabelSet::fromNames({QStringLiteral("a"), QStringLiteral("b")}).value();
    VideoEntry video;
    video.id = QStringLiteral("v");
    video.contentHash = hash;
    video.probe.fps = 10;
    video.probe.frameCount = 100;
    video.segments = std::move(segments);
    data.videos.push_back(video);
    return data;
}

} // namespace

class TestAgreement : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void kappaOfKnownMatrices_data() {
        QTest::addColumn<QVector<qint64>>("cells");
        QTest::addColumn<double>("kappa");
        // Classic textbook table: po = 0.7, pe = 0.5, kappa = 0.4.
        QTest::newRow("textbook") << QVector<qint64>{20, 5, 10, 15} << 0.4;
        QTest::newRow("perfect") << QVector<qint64>{7, 0, 0, 3} << 1.0;
        QTest::newRow("chance") << QVector<qint64>{25, 25, 25, 25} << 0.0;
        QTest::newRow("one class") << QVector<qint64>{10, 0, 0, 0} << 1.0;
    }

    void kappaOfKnownMatrices() {
        QFETCH(QVector<qint64>, cells);
        QFETCH(double, kappa);
        const std::vector<std::vector<qint64>> matrix{{cells[0], cells[1]}, {cells[2], cells[3]}};
        QVERIFY(std::abs(Agreement::cohensKappa(matrix) - kappa) < 1e-12);
    }

    void identicalAnnotationsAgree() {
        const ProjectData a =
            rater({segment(10, 40, QStringLiteral("a")), segment(50, 90, QStringLiteral("b"))});
        auto report = Agreement::compare(a, a);
        QVERIFY(report.ok());
        QCOMPARE(report->kappa, 1.0);
        QCOMPARE(report->frames, qint64(100));
        QCOMPARE(report->perLabel.size(), size_t(2));
        QCOMPARE(report->perLabel[0].kappa, 1.0);
        QCOMPARE(report->perLabel[0].framesA, qint64(30));
    }

    void partialOverlapMatchesHandComputation() {
        // Frames 0-49 "a" for A; B labels 0-24 "a" and 25-49 nothing. 50 background frames agree.
        const ProjectData a = rater({segment(0, 50, QStringLiteral("a"))});
        const ProjectData b = rater({segment(0, 25, QStringLiteral("a"))});
        auto report = Agreement::compare(a, b);
        QVERIFY(report.ok());
        QCOMPARE(report->observedAgreement, 0.75);
        // po = 0.75; pA(a) = .5, pB(a) = .25; pe = .5*.25 + .5*.75 = .5; kappa = .5.
        QVERIFY(std::abs(report->kappa - 0.5) < 1e-12);
        QVERIFY(std::abs(report->perLabel[0].kappa - 0.5) < 1e-12);
        QCOMPARE(report->perLabel[1].framesA, qint64(0));
    }

    void segmentMatchesAreCountedPerLabel() {
        // Truth: a at 0-20 and 40-60, b at 70-90. Prediction: a at 0-20, b at 40-60 and 70-85.
        const ProjectData a =
            rater({segment(0, 20, QStringLiteral("a")), segment(40, 60, QStringLiteral("a")),
                   segment(70, 90, QStringLiteral("b"))});
        const ProjectData b =
            rater({segment(0, 20, QStringLiteral("a")), segment(40, 60, QStringLiteral("b")),
                   segment(70, 85, QStringLiteral("b"))});
        auto report = Agreement::compare(a, b);
        QVERIFY(report.ok());
        const SegmentMatchCounts& labelA = report->perLabel[0].segmentMatches[2]; // IoU 0.50
        QCOMPARE(labelA.truePositives, qint64(1));
        QCOMPARE(labelA.falseNegatives, qint64(1));
        QCOMPARE(labelA.falsePositives, qint64(0));
        QCOMPARE(labelA.recall(), 0.5);
        // b: 70-85 against 70-90 has IoU 0.75, a hit; 40-60 is a false positive.
        const SegmentMatchCounts& labelB = report->perLabel[1].segmentMatches[2];
        QCOMPARE(labelB.truePositives, qint64(1));
        QCOMPARE(labelB.falsePositives, qint64(1));
        QCOMPARE(labelB.falseNegatives, qint64(0));
        // The per-label counts add up to the overall ones.
        QCOMPARE(labelA.truePositives + labelB.truePositives, report->segmentMatches[2].truePositives);
        QCOMPARE(labelA.falsePositives + labelB.falsePositives, report->segmentMatches[2].falsePositives);

        // Only label a: b's segments read as no label, so the false positive 40-60 is gone.
        auto onlyA = Agreement::compare(a, b, false, {QStringLiteral("a")});
        QVERIFY(onlyA.ok());
        QCOMPARE(onlyA->perLabel.size(), size_t(1));
        QCOMPARE(onlyA->segmentMatches[2].truePositives, qint64(1));
        QCOMPARE(onlyA->segmentMatches[2].falsePositives, qint64(0));
        QCOMPARE(onlyA->segmentMatches[2].falseNegatives, qint64(1));
        QCOMPARE(onlyA->observedAgreement, 0.8); // frames 40-60 disagree (a against none)
        QVERIFY(!Agreement::compare(a, b, false, {QStringLiteral("zebra")}).ok());
    }

    void proposalsAndRejectionsAreLeftOutByDefault() {
        const ProjectData a = rater({segment(0, 50, QStringLiteral("a"))});
        const ProjectData b = rater({segment(0, 50, QStringLiteral("a"), SegmentState::Proposed),
                                     segment(0, 50, QStringLiteral("b"), SegmentState::Rejected)});
        QVERIFY(Agreement::compare(a, b)->kappa < 0.01);
        QCOMPARE(Agreement::compare(a, b, true)->kappa, 1.0);
    }

    void videosMatchByHashNotId() {
        ProjectData a = rater({segment(0, 50, QStringLiteral("a"))});
        ProjectData b = rater({segment(0, 50, QStringLiteral("a"))});
        b.videos[0].id = QStringLiteral("renamed");
        QCOMPARE(Agreement::compare(a, b)->videosCompared, 1);
        // Two videos with the same content pair up by id, not both with the first.
        ProjectData twins = rater({segment(0, 50, QStringLiteral("a"))});
        VideoEntry twin = twins.videos[0];
        twin.id = QStringLiteral("w");
        twin.segments = {segment(50, 100, QStringLiteral("b"))};
        twins.videos.push_back(twin);
        auto self = Agreement::compare(twins, twins);
        QCOMPARE(self->videosCompared, 2);
        QCOMPARE(self->kappa, 1.0);
        ProjectData c = rater({}, QStringLiteral("sha256-sampled:other"));
        auto none = Agreement::compare(a, c);
        QVERIFY(!none.ok());
        QVERIFY(none.error().message.contains(QStringLiteral("no video in common")));
    }
};

QTEST_GUILESS_MAIN(TestAgreement)
#include "tst_agreement.moc"
