#include "core/annotation/projectmerge.h"

#include <QtTest>

using namespace saccade;

namespace {

Segment segment(qint64 start, qint64 end, const QString& label, SegmentState state = SegmentState::Proposed) {
    Segment s;
    s.id = Segment::newId();
    s.startFrame = start;
    s.endFrame = end;
    s.label = label;
    s.state = state;
    return s;
}

VideoEntry video(const QString& id, const QString& path, const QString& hash, std::vector<Segment> segments) {
    VideoEntry entry;
    entry.id = id;
    entry.path = path;
    entry.contentHash = hash;
    entry.probe.fps = 30;
    entry.probe.frameCount = 300;
    entry.segments = std::move(segments);
    return entry;
}

ProjectData project(const QStringList& labels, std::vector<VideoEntry> videos) {
    ProjectData data;
    data.name = QStringLiteral("p");
    data.labels = LabelSet::fromNames(labels).value();
    data.videos = std::move(videos);
    return data;
}

int blockingCount(const ProjectMerge& merge) {
    int count = 0;
    for (const MergeConflict& conflict : merge.conflicts())
        count += conflict.blocking ? 1 : 0;
    return count;
}

} // namespace

class TestProjectMerge : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shardsUniteVideosAndKeepSegmentSources() {
        Segment modelSegment = segment(0, 90, QStringLiteral("wave"));
        modelSegment.source.origin = SegmentOrigin::Model;
        modelSegment.source.modelHash = QStringLiteral("sha256:m");
        modelSegment.source.confidence = 0.75;
        const ProjectData shard0 = project(
            {QStringLiteral("wave"), QStringLiteral("jump")},
            {video(QStringLiteral("a"), QStringLiteral("/v/a.mp4"), QStringLiteral("h:a"), {modelSegment})});
        const ProjectData shard1 = project(
            {QStringLiteral("wave"), QStringLiteral("jump")},
            {video(QStringLiteral("b"), QStringLiteral("/v/b.mp4"), QStringLiteral("h:b"),
                   {segment(10, 20, QStringLiteral("jump")), segment(15, 40, QStringLiteral("wave"))})});
        ProjectMerge merge;
        merge.add(shard0, QStringLiteral("shard_0.saccade"));
        merge.add(shard1, QStringLiteral("shard_1.saccade"));
        QVERIFY(merge.conflicts().empty());
        const ProjectData& merged = merge.merged();
        QCOMPARE(merged.labels.names(), (QStringList{QStringLiteral("wave"), QStringLiteral("jump")}));
        QCOMPARE(merged.videos.size(), size_t(2));
        QCOMPARE(merged.videos[0].segments.size(), size_t(1));
        QCOMPARE(merged.videos[0].segments[0], modelSegment);
        QCOMPARE(merged.videos[1].segments, shard1.videos[0].segments);
        QCOMPARE(merge.mergedVideoId(QStringLiteral("shard_1.saccade"), QStringLiteral("b")),
                 QStringLiteral("b"));
        QCOMPARE(merge.missingVideos({QStringLiteral("/v/a.mp4"), QStringLiteral("/v/c.mp4")}),
                 QStringList{QStringLiteral("/v/c.mp4")});
    }

    void annotatorsMatchedByContentHash() {
        const Segment shared = segment(0, 30, QStringLiteral("wave"), SegmentState::Accepted);
        Segment edited = shared;
        edited.endFrame = 45;
        edited.state = SegmentState::Edited;
        const Segment own = segment(100, 120, QStringLiteral("sit"), SegmentState::Accepted);
        // The same file under another path and id: one video in the merge.
        const ProjectData alice = project({QStringLiteral("wave")},
                                          {video(QStringLiteral("clip"), QStringLiteral("/alice/clip.mp4"),
                                                 QStringLiteral("h:1"), {shared})});
        const ProjectData bob = project({QStringLiteral("wave"), QStringLiteral("sit")},
                                        {video(QStringLiteral("clip_copy"), QStringLiteral("/bob/x.mp4"),
                                               QStringLiteral("h:1"), {shared, edited, own})});
        ProjectMerge merge;
        merge.add(alice, QStringLiteral("alice.saccade"));
        merge.add(bob, QStringLiteral("bob.saccade"));
        const ProjectData& merged = merge.merged();
        QCOMPARE(merged.videos.size(), size_t(1));
        QCOMPARE(merged.videos[0].id, QStringLiteral("clip"));
        QCOMPARE(merge.mergedVideoId(QStringLiteral("bob.saccade"), QStringLiteral("clip_copy")),
                 QStringLiteral("clip"));
        QCOMPARE(merged.labels.names(), (QStringList{QStringLiteral("wave"), QStringLiteral("sit")}));
        // The identical segment once; the edited one (same id) kept under a new id, and reported.
        const std::vector<Segment>& segments = merged.videos[0].segments;
        QCOMPARE(segments.size(), size_t(3));
        QCOMPARE(segments[0], shared);
        QCOMPARE(segments[1].endFrame, qint64(45));
        QCOMPARE(segments[1].state, SegmentState::Edited);
        QVERIFY(segments[1].id != shared.id);
        QCOMPARE(segments[2], own);
        QCOMPARE(merge.conflicts().size(), size_t(1));
        QVERIFY(!merge.hasBlockingConflicts());
        QVERIFY2(merge.conflicts()[0].message.contains(shared.id), qPrintable(merge.conflicts()[0].message));
        // Both paths count as present.
        QVERIFY(
            merge.missingVideos({QStringLiteral("/alice/clip.mp4"), QStringLiteral("/bob/x.mp4")}).isEmpty());
    }

    void changedFileIsBlocking() {
        ProjectMerge merge;
        merge.add(project({QStringLiteral("a")}, {video(QStringLiteral("v"), QStringLiteral("/v/a.mp4"),
                                                        QStringLiteral("h:old"), {})}),
                  QStringLiteral("one.saccade"));
        merge.add(project({QStringLiteral("a")}, {video(QStringLiteral("v"), QStringLiteral("/v/a.mp4"),
                                                        QStringLiteral("h:new"), {})}),
                  QStringLiteral("two.saccade"));
        QVERIFY(merge.hasBlockingConflicts());
        QCOMPARE(blockingCount(merge), 1);
        const QString message = merge.conflicts()[0].message;
        QVERIFY2(message.contains(QStringLiteral("/v/a.mp4")) && message.contains(QStringLiteral("h:old")) &&
                     message.contains(QStringLiteral("h:new")) &&
                     message.contains(QStringLiteral("one.saccade")) &&
                     message.contains(QStringLiteral("two.saccade")),
                 qPrintable(message));
    }

    void differentFrameCountIsBlocking() {
        VideoEntry other = video(QStringLiteral("v"), QStringLiteral("/v/a.mp4"), QStringLiteral("h"), {});
        other.probe.frameCount = 299;
        ProjectMerge merge;
        merge.add(
            project({}, {video(QStringLiteral("v"), QStringLiteral("/v/a.mp4"), QStringLiteral("h"), {})}),
            QStringLiteral("one.saccade"));
        merge.add(project({}, {other}), QStringLiteral("two.saccade"));
        QCOMPARE(blockingCount(merge), 1);
        QVERIFY(merge.conflicts()[0].message.contains(QStringLiteral("299")));
    }

    void labelClashesAreReportedAndFirstWins() {
        ProjectData first = project({QStringLiteral("wave"), QStringLiteral("jump")}, {});
        ProjectData second = project({QStringLiteral("sit"), QStringLiteral("wave")}, {});
        QVERIFY(second.labels.setColor(QStringLiteral("wave"), QColor(QStringLiteral("#123456"))).ok());
        // "sit" holds key 1 in the second project, which is "wave"'s in the first.
        ProjectMerge merge;
        merge.add(first, QStringLiteral("first.saccade"));
        merge.add(second, QStringLiteral("second.saccade"));
        const LabelSet& labels = merge.merged().labels;
        QCOMPARE(labels.names(),
                 (QStringList{QStringLiteral("wave"), QStringLiteral("jump"), QStringLiteral("sit")}));
        QCOMPARE(labels.label(QStringLiteral("wave"))->color,
                 first.labels.label(QStringLiteral("wave"))->color);
        QCOMPARE(labels.label(QStringLiteral("wave"))->key, 1);
        QCOMPARE(labels.label(QStringLiteral("sit"))->key, -1);
        QVERIFY(!merge.hasBlockingConflicts());
        QStringList messages;
        for (const MergeConflict& conflict : merge.conflicts())
            messages << conflict.message;
        const QString all = messages.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("#123456")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("'sit' of second.saccade has key 1, which is 'wave''s")),
                 qPrintable(all));
    }

    void splitsAndVideoLabelsCombine() {
        VideoEntry a = video(QStringLiteral("v"), QStringLiteral("/v/a.mp4"), QStringLiteral("h"), {});
        a.videoLabels = {QStringLiteral("outdoor")};
        VideoEntry b = a;
        b.split = Split::Train;
        b.videoLabels = {QStringLiteral("day")};
        VideoEntry c = a;
        c.split = Split::Test;
        ProjectMerge merge;
        merge.add(project({}, {a}), QStringLiteral("a"));
        merge.add(project({}, {b}), QStringLiteral("b"));
        merge.add(project({}, {c}), QStringLiteral("c"));
        const VideoEntry& merged = merge.merged().videos.at(0);
        QCOMPARE(merged.split, Split::Train);
        QCOMPARE(merged.videoLabels, (QStringList{QStringLiteral("outdoor"), QStringLiteral("day")}));
        QCOMPARE(merge.conflicts().size(), size_t(1));
        QVERIFY(merge.conflicts()[0].message.contains(QStringLiteral("test")));
    }
};

QTEST_GUILESS_MAIN(TestProjectMerge)
#include "tst_projectmerge.moc"
