#include "core/annotation/labellistmodel.h"
#include "core/annotation/projectdocument.h"
#include "core/annotation/segmenttablemodel.h"
#include "core/annotation/videolistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace saccade;

namespace {

VideoEntry makeVideo(const QString& id, qint64 frames = 300) {
    VideoEntry video;
    video.id = id;
    video.path = QStringLiteral("/videos/%1.mp4").arg(id);
    video.probe = {320, 240, 30.0, frames, static_cast<double>(frames) / 30.0};
    return video;
}

Segment makeSegment(qint64 start, qint64 end, const QString& label) {
    Segment segment;
    segment.startFrame = start;
    segment.endFrame = end;
    segment.label = label;
    return segment;
}

ProjectData makeProject() {
    ProjectData data;
    data.labels =
        LabelSet::fromNames({QStringLiteral("run"), QStringLiteral("jump"), QStringLiteral("walk")}).value();
    data.videos.push_back(makeVideo(QStringLiteral("a")));
    data.videos.push_back(makeVideo(QStringLiteral("b")));
    return data;
}

} // namespace

class TestProjectDocument : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void addUndoRedoSegment() {
        ProjectDocument document(makeProject());
        QSignalSpy modified(&document, &ProjectDocument::modified);
        auto id = document.addSegment(QStringLiteral("a"), makeSegment(10, 20, QStringLiteral("run")));
        QVERIFY(id.ok());
        QCOMPARE(document.video(QStringLiteral("a"))->segments.size(), size_t(1));
        QCOMPARE(modified.count(), 1);
        document.undoStack()->undo();
        QVERIFY(document.video(QStringLiteral("a"))->segments.empty());
        document.undoStack()->redo();
        QCOMPARE(document.video(QStringLiteral("a"))->segments.front().id, *id);
        QCOMPARE(document.video(QStringLiteral("a"))->segments.front().endFrame, qint64(20));
    }

    void removeUndoRestoresRow() {
        ProjectDocument document(makeProject());
        const QString first =
            document.addSegment(QStringLiteral("a"), makeSegment(0, 5, QStringLiteral("run"))).value();
        const QString second =
            document.addSegment(QStringLiteral("a"), makeSegment(5, 9, QStringLiteral("jump"))).value();
        const QString third =
            document.addSegment(QStringLiteral("a"), makeSegment(9, 12, QStringLiteral("walk"))).value();
        QVERIFY(document.removeSegment(QStringLiteral("a"), second).ok());
        QCOMPARE(document.video(QStringLiteral("a"))->segments.size(), size_t(2));
        document.undoStack()->undo();
        const auto& segments = document.video(QStringLiteral("a"))->segments;
        QCOMPARE(segments[0].id, first);
        QCOMPARE(segments[1].id, second);
        QCOMPARE(segments[2].id, third);
    }

    void edgeDragsMergeIntoOneStep() {
        ProjectDocument document(makeProject());
        const QString id =
            document.addSegment(QStringLiteral("a"), makeSegment(10, 20, QStringLiteral("run"))).value();
        QCOMPARE(document.undoStack()->count(), 1);
        for (qint64 end = 21; end <= 30; ++end) {
            Segment segment = *document.video(QStringLiteral("a"))->segment(id);
            segment.endFrame = end;
            QVERIFY(document.updateSegment(QStringLiteral("a"), segment, true).ok());
        }
        QCOMPARE(document.undoStack()->count(), 2);
        QCOMPARE(document.video(QStringLiteral("a"))->segment(id)->endFrame, qint64(30));
        document.undoStack()->undo();
        QCOMPARE(document.video(QStringLiteral("a"))->segment(id)->endFrame, qint64(20));
        document.undoStack()->redo();
        QCOMPARE(document.video(QStringLiteral("a"))->segment(id)->endFrame, qint64(30));

        // A drag of another segment, or a non-drag edit, is a step of its own.
        Segment segment = *document.video(QStringLiteral("a"))->segment(id);
        segment.note = QStringLiteral("checked");
        QVERIFY(document.updateSegment(QStringLiteral("a"), segment).ok());
        QCOMPARE(document.undoStack()->count(), 3);
    }

    void invalidSegmentsAreRefused_data() {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown label")
            << qint64(0) << qint64(10) << QStringLiteral("swim") << QStringLiteral("unknown label 'swim'");
        QTest::newRow("end before start")
            << qint64(20) << qint64(10) << QStringLiteral("run") << QStringLiteral("ends before it starts");
        QTest::newRow("empty") << qint64(10) << qint64(10) << QStringLiteral("run")
                               << QStringLiteral("ends before it starts");
        QTest::newRow("negative start")
            << qint64(-1) << qint64(10) << QStringLiteral("run") << QStringLiteral("before frame 0");
        QTest::newRow("past the end")
            << qint64(290) << qint64(301) << QStringLiteral("run") << QStringLiteral("ends after the video");
    }

    void invalidSegmentsAreRefused() {
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(QString, label);
        QFETCH(QString, message);
        ProjectDocument document(makeProject());
        auto added = document.addSegment(QStringLiteral("a"), makeSegment(start, end, label));
        QVERIFY(!added.ok());
        QVERIFY2(added.error().message.contains(message), qPrintable(added.error().message));
        QVERIFY(document.video(QStringLiteral("a"))->segments.empty());
        QCOMPARE(document.undoStack()->count(), 0);
    }

    void lastFrameIsExclusiveEnd() {
        ProjectDocument document(makeProject());
        QVERIFY(document.addSegment(QStringLiteral("a"), makeSegment(290, 300, QStringLiteral("run"))).ok());
    }

    void overlappingSegmentsAreKept() {
        // Policy: overlaps are allowed (several actions at once) and kept exactly as drawn.
        ProjectDocument document(makeProject());
        QVERIFY(document.addSegment(QStringLiteral("a"), makeSegment(0, 50, QStringLiteral("run"))).ok());
        QVERIFY(document.addSegment(QStringLiteral("a"), makeSegment(25, 75, QStringLiteral("jump"))).ok());
        QVERIFY(document.addSegment(QStringLiteral("a"), makeSegment(25, 75, QStringLiteral("jump"))).ok());
        const auto& segments = document.video(QStringLiteral("a"))->segments;
        QCOMPARE(segments.size(), size_t(3));
        QVERIFY(segments[0].overlaps(segments[1]));
        QCOMPARE(segments[1].startFrame, qint64(25));
    }

    void renameAndMergeLabelsCarrySegments() {
        ProjectDocument document(makeProject());
        const QString run =
            document.addSegment(QStringLiteral("a"), makeSegment(0, 10, QStringLiteral("run"))).value();
        const QString jump =
            document.addSegment(QStringLiteral("b"), makeSegment(0, 10, QStringLiteral("jump"))).value();
        QVERIFY(document.setVideoLabels(QStringLiteral("b"), {QStringLiteral("jump"), QStringLiteral("walk")})
                    .ok());

        QVERIFY(document.renameLabel(QStringLiteral("run"), QStringLiteral("sprint")).ok());
        QCOMPARE(document.video(QStringLiteral("a"))->segment(run)->label, QStringLiteral("sprint"));
        QCOMPARE(document.labels().indexOf(QStringLiteral("sprint")), 0);

        QVERIFY(document.mergeLabels(QStringLiteral("jump"), QStringLiteral("walk")).ok());
        QCOMPARE(document.video(QStringLiteral("b"))->segment(jump)->label, QStringLiteral("walk"));
        QCOMPARE(document.video(QStringLiteral("b"))->videoLabels, QStringList{QStringLiteral("walk")});
        QVERIFY(!document.labels().contains(QStringLiteral("jump")));

        document.undoStack()->undo();
        QCOMPARE(document.video(QStringLiteral("b"))->segment(jump)->label, QStringLiteral("jump"));
        QCOMPARE(document.video(QStringLiteral("b"))->videoLabels,
                 (QStringList{QStringLiteral("jump"), QStringLiteral("walk")}));
        QCOMPARE(document.labels().names(),
                 (QStringList{QStringLiteral("sprint"), QStringLiteral("jump"), QStringLiteral("walk")}));
        document.undoStack()->undo();
        QCOMPARE(document.video(QStringLiteral("a"))->segment(run)->label, QStringLiteral("run"));
        QVERIFY(!document.renameLabel(QStringLiteral("run"), QStringLiteral("walk")).ok());
        QVERIFY(!document.mergeLabels(QStringLiteral("run"), QStringLiteral("nothing")).ok());
    }

    void keysAndColours() {
        ProjectDocument document(makeProject());
        QCOMPARE(document.labels().nameForKey(1), QStringLiteral("run"));
        QCOMPARE(document.labels().nameForKey(3), QStringLiteral("walk"));
        QVERIFY(document.setLabelKey(QStringLiteral("walk"), 1).ok());
        QCOMPARE(document.labels().nameForKey(1), QStringLiteral("walk"));
        QCOMPARE(document.labels().label(QStringLiteral("run"))->key, -1);
        QVERIFY(!document.setLabelKey(QStringLiteral("walk"), 10).ok());
        QVERIFY(document.setLabelColor(QStringLiteral("run"), QColor(Qt::red)).ok());
        QCOMPARE(document.labels().label(QStringLiteral("run"))->color, QColor(Qt::red));
        document.undoStack()->undo();
        document.undoStack()->undo();
        QCOMPARE(document.labels().nameForKey(1), QStringLiteral("run"));
    }

    void acceptRejectAndRelabelProposals() {
        ProjectDocument document(makeProject());
        Segment proposal = makeSegment(0, 30, QStringLiteral("run"));
        proposal.state = SegmentState::Proposed;
        proposal.source = {SegmentOrigin::Model, QStringLiteral("sha256:abc"), 0.75};
        const QString id = document.addSegment(QStringLiteral("a"), proposal).value();
        QVERIFY(document.acceptSegment(QStringLiteral("a"), id).ok());
        QCOMPARE(document.video(QStringLiteral("a"))->segment(id)->state, SegmentState::Accepted);
        QVERIFY(document.setSegmentLabel(QStringLiteral("a"), id, QStringLiteral("jump")).ok());
        QCOMPARE(document.video(QStringLiteral("a"))->segment(id)->state, SegmentState::Edited);
        QVERIFY(document.rejectSegment(QStringLiteral("a"), id).ok());
        QCOMPARE(document.video(QStringLiteral("a"))->segment(id)->state, SegmentState::Rejected);
        QCOMPARE(document.video(QStringLiteral("a"))->segment(id)->source.confidence,
                 std::optional<double>(0.75));
        document.undoStack()->undo();
        document.undoStack()->undo();
        document.undoStack()->undo();
        QCOMPARE(document.video(QStringLiteral("a"))->segment(id)->state, SegmentState::Proposed);
        QVERIFY(!document.setSegmentLabel(QStringLiteral("a"), id, QStringLiteral("swim")).ok());
    }

    void videoEditsUndo() {
        ProjectDocument document(makeProject());
        QVERIFY(document.setSplit(QStringLiteral("a"), Split::Val).ok());
        QCOMPARE(document.video(QStringLiteral("a"))->split, Split::Val);
        QVERIFY(document.removeVideo(QStringLiteral("a")).ok());
        QVERIFY(!document.video(QStringLiteral("a")));
        document.undoStack()->undo();
        QCOMPARE(document.data().videoIndex(QStringLiteral("a")), 0);
        document.undoStack()->undo();
        QCOMPARE(document.video(QStringLiteral("a"))->split, Split::Unassigned);
        QVERIFY(!document.addVideo(makeVideo(QStringLiteral("b"))).ok());
        VideoEntry unnamed = makeVideo(QString());
        unnamed.path = QStringLiteral("/videos/my clip.mp4");
        QVERIFY(document.addVideo(unnamed).ok());
        QCOMPARE(document.videos().back().id, QStringLiteral("my_clip"));
    }

    void modelsFollowTheDocument() {
        ProjectDocument document(makeProject());
        VideoListModel videos(&document);
        SegmentTableModel segments(&document);
        LabelListModel labels(&document);
        QAbstractItemModelTester videoTester(&videos, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester segmentTester(&segments,
                                               QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester labelTester(&labels, QAbstractItemModelTester::FailureReportingMode::QtTest);
        segments.setVideo(QStringLiteral("a"));
        QCOMPARE(videos.rowCount(), 2);
        QCOMPARE(segments.rowCount(), 0);
        QCOMPARE(labels.rowCount(), 3);

        const QString id =
            document.addSegment(QStringLiteral("a"), makeSegment(30, 60, QStringLiteral("run"))).value();
        QVERIFY(document.addSegment(QStringLiteral("b"), makeSegment(30, 60, QStringLiteral("run"))).ok());
        QCOMPARE(segments.rowCount(), 1);
        QCOMPARE(segments.data(segments.index(0, SegmentTableModel::StartTimeColumn)).toString(),
                 QStringLiteral("00:00:01.000"));
        QCOMPARE(videos.data(videos.index(0, VideoListModel::SegmentsColumn)).toInt(), 1);

        QVERIFY(segments.setData(segments.index(0, SegmentTableModel::LabelColumn), QStringLiteral("jump")));
        QCOMPARE(document.video(QStringLiteral("a"))->segment(id)->label, QStringLiteral("jump"));
        QVERIFY(!segments.setData(segments.index(0, SegmentTableModel::LabelColumn), QStringLiteral("swim")));

        QVERIFY(labels.setData(labels.index(1), QStringLiteral("leap")));
        QCOMPARE(segments.data(segments.index(0, SegmentTableModel::LabelColumn)).toString(),
                 QStringLiteral("leap"));
        QCOMPARE(labels.data(labels.index(1), LabelListModel::UsageRole).toInt(), 1);

        QVERIFY(document.setSplit(QStringLiteral("a"), Split::Test).ok());
        document.undoStack()->undo();
        QCOMPARE(segments.rowCount(), 1);
        QVERIFY(document.removeVideo(QStringLiteral("a")).ok());
        QCOMPARE(videos.rowCount(), 1);
        QCOMPARE(segments.rowCount(), 0);
        document.undoStack()->undo();
        QCOMPARE(videos.rowCount(), 2);
        while (document.undoStack()->canUndo())
            document.undoStack()->undo();
        QCOMPARE(labels.data(labels.index(1)).toString(), QStringLiteral("jump"));
    }
};

QTEST_GUILESS_MAIN(TestProjectDocument)
#include "tst_projectdocument.moc"
