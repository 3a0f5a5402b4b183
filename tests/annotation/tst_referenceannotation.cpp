#include "core/annotation/agreement.h"
#include "core/annotation/referenceannotation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;

namespace {

QJsonObject truth(const QJsonArray& segments) {
    return QJsonObject{
        {QStringLiteral("format"), QStringLiteral("saccade-synthetic-truth")},
        {QStringLiteral("version"), 1},
        {QStringLiteral("video"), QStringLiteral("demo.mp4")},
        {QStringLiteral("fps"), 30.0},
        {QStringLiteral("frame_count"), 100},
        {QStringLiteral("labels"), QJsonArray{QStringLiteral("grow"), QStringLiteral("shrink")}},
        {QStringLiteral("segments"), segments}};
}

QJsonObject segment(const QString& label, int start, int end) {
    return QJsonObject{{QStringLiteral("label"), label},
                       {QStringLiteral("start_frame"), start},
                       {QStringLiteral("end_frame"), end}};
}

} // namespace

// Truth files of the generator as references for `agreement`, and the segment metrics in the report.
class TestReferenceAnnotation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsATruthFileAsAProject() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("truth.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(truth({segment(QStringLiteral("grow"), 10, 40)})).toJson());
        file.close();
        Result<ProjectData> project = ReferenceAnnotation::load(path);
        QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : project.error().toString()));
        QCOMPARE(int(project->videos.size()), 1);
        const VideoEntry& video = project->videos.front();
        QCOMPARE(video.id, QStringLiteral("demo"));
        QCOMPARE(video.probe.frameCount, qint64(100));
        QCOMPARE(int(video.segments.size()), 1);
        QCOMPARE(video.segments.front().state, SegmentState::Accepted);
        QCOMPARE(video.segments.front().endFrame, qint64(40));
        QVERIFY(project->labels.contains(QStringLiteral("shrink")));
    }

    void refusesBadTruth() {
        const QString path = QStringLiteral("/somewhere/truth.json");
        QVERIFY(!ReferenceAnnotation::fromTruthJson(truth({segment(QStringLiteral("grow"), 90, 120)}), path)
                     .ok());
        QVERIFY(
            !ReferenceAnnotation::fromTruthJson(truth({segment(QStringLiteral("grow"), 30, 30)}), path).ok());
        QJsonObject noFps = truth({});
        noFps.insert(QStringLiteral("fps"), 0);
        const Result<ProjectData> refused = ReferenceAnnotation::fromTruthJson(noFps, path);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().toString().contains(QStringLiteral("truth.json")));
    }

    void agreementAgainstTruthHasSegmentMetrics() {
        Result<ProjectData> reference = ReferenceAnnotation::fromTruthJson(
            truth({segment(QStringLiteral("grow"), 10, 40), segment(QStringLiteral("shrink"), 60, 90)}),
            QStringLiteral("/data/truth.json"));
        QVERIFY(reference.ok());
        // The prediction: its project names the same file, with its own hash; grow 4 frames late,
        // shrink missed, and a spurious grow.
        ProjectData predicted;
        QVERIFY(predicted.labels.add(QStringLiteral("grow")).ok());
        VideoEntry video;
        video.id = QStringLiteral("demo-1");
        video.path = QStringLiteral("/elsewhere/demo.mp4");
        video.contentHash = QStringLiteral("sha256:abc");
        video.probe.frameCount = 100;
        Segment grow;
        grow.label = QStringLiteral("grow");
        grow.startFrame = 14;
        grow.endFrame = 40;
        video.segments.push_back(grow);
        grow.startFrame = 92;
        grow.endFrame = 98;
        video.segments.push_back(grow);
        predicted.videos.push_back(video);
        Result<AgreementReport> report = Agreement::compare(*reference, predicted);
        QVERIFY(report.ok());
        QCOMPARE(report->videosCompared, 1);
        // Frames: 100; wrong: 10-13 (4), 60-89 (30), 92-97 (6) -> 60 right.
        QVERIFY(qFuzzyCompare(report->frameAccuracy(), 0.60));
        QCOMPARE(report->segmentMatches[2].truePositives, 1);
        QCOMPARE(report->segmentMatches[2].falsePositives, 1);
        QCOMPARE(report->segmentMatches[2].falseNegatives, 1);
        QCOMPARE(report->medianBoundaryError, 2.0);
        QCOMPARE(report->segmentsA, 2);
        QCOMPARE(report->segmentsB, 2);
        QVERIFY(qFuzzyCompare(report->editScore, 50.0));
    }
};

QTEST_GUILESS_MAIN(TestReferenceAnnotation)
#include "tst_referenceannotation.moc"
