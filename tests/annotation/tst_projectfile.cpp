#include "core/annotation/projectfile.h"
#include "core/util/filehash.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;

namespace {

void writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

VideoEntry videoAt(const QString& path, const QString& id) {
    VideoEntry video;
    video.id = id;
    video.path = path;
    video.contentHash = sampledContentHash(path).value();
    video.sizeBytes = QFileInfo(path).size();
    video.probe = {64, 48, 25.0, 250, 10.0};
    return video;
}

ProjectData sampleProject(const QString& videoPath) {
    ProjectData data;
    data.name = QStringLiteral("sample");
    data.labels = LabelSet::fromNames({QStringLiteral("run"), QStringLiteral("jump, high")}).value();
    (void)data.labels.setColor(QStringLiteral("run"), QColor(QStringLiteral("#123456")));
    VideoEntry video = videoAt(videoPath, QStringLiteral("clip"));
    video.split = Split::Val;
    video.videoLabels = QStringList{QStringLiteral("run")};
    Segment person;
    person.id = QStringLiteral("s1");
    person.startFrame = 5;
    person.endFrame = 30;
    person.label = QStringLiteral("run");
    person.note = QStringLiteral("fast \"start\"");
    Segment proposal;
    proposal.id = QStringLiteral("s2");
    proposal.startFrame = 20;
    proposal.endFrame = 250;
    proposal.label = QStringLiteral("jump, high");
    proposal.state = SegmentState::Proposed;
    proposal.source = {SegmentOrigin::Model, QStringLiteral("sha256:feed"), 0.625};
    video.segments = {person, proposal};
    data.videos.push_back(video);
    return data;
}

} // namespace

class TestProjectFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void saveLoadRoundTrip() {
        QTemporaryDir dir;
        const QString videoPath = dir.filePath(QStringLiteral("media/clip.mp4"));
        writeFile(videoPath, QByteArray(5000, 'v'));
        const ProjectData data = sampleProject(videoPath);
        const QString projectPath = dir.filePath(QStringLiteral("p.saccade"));
        QVERIFY(ProjectFile::save(data, projectPath).ok());

        QFile file(projectPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(root.value(QStringLiteral("saccade_project_version")).toInt(), ProjectFile::kCurrentVersion);
        const QJsonObject video = root.value(QStringLiteral("videos")).toArray().first().toObject();
        QCOMPARE(video.value(QStringLiteral("path")).toString(), QStringLiteral("media/clip.mp4"));
        QVERIFY(video.value(QStringLiteral("content_hash"))
                    .toString()
                    .startsWith(QStringLiteral("sha256-sampled:")));

        auto loaded = ProjectFile::load(projectPath);
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
        QCOMPARE(*loaded, data);
    }

    void migratesVersion1() {
        QTemporaryDir dir;
        const QString projectPath = dir.filePath(QStringLiteral("old.saccade"));
        writeFile(projectPath, R"({"saccade_project_version": 1, "name": "old",
            "labels": ["run", "jump"],
            "videos": [{"id": "v", "path": "v.mp4", "fps": 30, "frame_count": 100, "split": "train",
              "segments": [{"start": 0, "end": 9, "label": "run"},
                           {"id": "p", "start": 10, "end": 10, "label": "jump", "proposed": true, "confidence": 0.5}]}]})");
        auto loaded = ProjectFile::load(projectPath);
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
        QCOMPARE(loaded->labels.names(), (QStringList{QStringLiteral("run"), QStringLiteral("jump")}));
        QCOMPARE(loaded->labels.nameForKey(2), QStringLiteral("jump"));
        const VideoEntry& video = loaded->videos.front();
        QCOMPARE(video.split, Split::Train);
        QVERIFY(video.missing);
        QCOMPARE(video.segments.size(), size_t(2));
        QCOMPARE(video.segments[0].startFrame, qint64(0));
        QCOMPARE(video.segments[0].endFrame, qint64(10));
        QCOMPARE(video.segments[0].state, SegmentState::Accepted);
        QVERIFY(!video.segments[0].id.isEmpty());
        QCOMPARE(video.segments[1].id, QStringLiteral("p"));
        QCOMPARE(video.segments[1].endFrame, qint64(11));
        QCOMPARE(video.segments[1].state, SegmentState::Proposed);
        QCOMPARE(video.segments[1].source.origin, SegmentOrigin::Model);
        QCOMPARE(video.segments[1].source.confidence, std::optional<double>(0.5));
    }

    void badFilesAreRefused_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("malformed") << QByteArray("{\n  \"saccade_project_version\": 2,\n  \"labels\": [,]\n}")
                                   << QStringLiteral("malformed JSON at line 3, column 15");
        QTest::newRow("newer") << QByteArray(R"({"saccade_project_version": 9})")
                               << QStringLiteral("newer Saccade (format version 9");
        QTest::newRow("not a project")
            << QByteArray(R"({"videos": []})") << QStringLiteral("not a Saccade project");
        QTest::newRow("unknown label")
            << QByteArray(R"({"saccade_project_version": 2, "labels": [{"name": "a"}],
            "videos": [{"id": "v", "path": "v.mp4", "fps": 30, "segments": [{"id": "s", "start_frame": 0,
            "end_frame": 5, "label": "b", "state": "accepted", "source": {"kind": "person"}}]}]})")
            << QStringLiteral("video 'v', segment 0: unknown label 'b'");
        QTest::newRow("end before start")
            << QByteArray(R"({"saccade_project_version": 2, "labels": [{"name": "a"}],
            "videos": [{"id": "v", "path": "v.mp4", "fps": 30, "segments": [{"id": "s", "start_frame": 9,
            "end_frame": 5, "label": "a", "state": "accepted", "source": {"kind": "person"}}]}]})")
            << QStringLiteral("frames 9-5 are not a valid range");
        const auto oneSegment = [](const char* video, const char* segment) {
            return QByteArray(
                       R"({"saccade_project_version": 2, "labels": [{"name": "a"}], "videos": [{"id": "v",
                "path": "v.mp4", )") +
                   video + R"(, "segments": [{"id": "s", )" + segment +
                   R"(, "label": "a", "state": "accepted", "source": {"kind": "person"}}]}]})";
        };
        QTest::newRow("end beyond the video")
            << oneSegment(R"("fps": 25, "frame_count": 50)", R"("start_frame": 0, "end_frame": 100000)")
            << QStringLiteral("video 'v', segment 0: frames 0-100000 lie beyond the video's 50 frames");
        QTest::newRow("end past 2^53")
            << oneSegment(R"("fps": 25)", R"("start_frame": 0, "end_frame": 9007199254740994)")
            << QStringLiteral("'end_frame' = 9007199254740994 is out of range");
        QTest::newRow("fps 0") << oneSegment(R"("fps": 0)", R"("start_frame": 0, "end_frame": 5)")
                               << QStringLiteral("video 'v': 'fps' = 0 must be greater than 0");
        QTest::newRow("fps -25") << oneSegment(R"("fps": -25)", R"("start_frame": 0, "end_frame": 5)")
                                 << QStringLiteral("'fps' = -25 must be greater than 0");
        QTest::newRow("frame_count -50")
            << oneSegment(R"("fps": 25, "frame_count": -50)", R"("start_frame": 0, "end_frame": 5)")
            << QStringLiteral("'frame_count' = -50 must be at least 0");
        QTest::newRow("wrong type")
            << QByteArray(R"({"saccade_project_version": 2, "videos": [{"id": "v", "path": 3, "fps": 30}]})")
            << QStringLiteral("'path' must be a string");
    }

    void badFilesAreRefused() {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString projectPath = dir.filePath(QStringLiteral("bad.saccade"));
        writeFile(projectPath, json);
        auto loaded = ProjectFile::load(projectPath);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().path, projectPath);
        QVERIFY2(loaded.error().message.contains(message), qPrintable(loaded.error().message));
    }

    void movedVideoIsFoundByHash() {
        QTemporaryDir dir;
        const QString videoPath = dir.filePath(QStringLiteral("clip.mp4"));
        writeFile(videoPath, QByteArray(4 * 1024 * 1024, 'a') + QByteArray("tail"));
        // A decoy of the same size but other content must not be taken for it.
        QByteArray decoy(4 * 1024 * 1024 + 4, 'a');
        decoy[2 * 1024 * 1024] = 'b';
        writeFile(dir.filePath(QStringLiteral("elsewhere/decoy.mp4")), decoy);
        const QString projectPath = dir.filePath(QStringLiteral("p.saccade"));
        QVERIFY(ProjectFile::save(sampleProject(videoPath), projectPath).ok());

        const QString movedPath = dir.filePath(QStringLiteral("elsewhere/renamed.mp4"));
        QVERIFY(QFile::rename(videoPath, movedPath));
        auto loaded = ProjectFile::load(projectPath);
        QVERIFY(loaded.ok());
        QVERIFY(!loaded->videos.front().missing);
        QCOMPARE(loaded->videos.front().path, movedPath);

        QVERIFY(QFile::remove(movedPath));
        loaded = ProjectFile::load(projectPath);
        QVERIFY(loaded.ok());
        QVERIFY(loaded->videos.front().missing);

        QTemporaryDir other;
        writeFile(other.filePath(QStringLiteral("deep/x.mp4")),
                  QByteArray(4 * 1024 * 1024, 'a') + QByteArray("tail"));
        loaded = ProjectFile::load(projectPath, {other.path()});
        QVERIFY(loaded.ok());
        QVERIFY(!loaded->videos.front().missing);
        QCOMPARE(loaded->videos.front().path, other.filePath(QStringLiteral("deep/x.mp4")));
    }

    void sampledHashCoversSizeAndSamples() {
        QTemporaryDir dir;
        const QString a = dir.filePath(QStringLiteral("a"));
        const QString b = dir.filePath(QStringLiteral("b"));
        QByteArray big(8 * 1024 * 1024, 'x');
        writeFile(a, big);
        big[4 * 1024 * 1024] = 'y';
        writeFile(b, big);
        const QString hashA = sampledContentHash(a).value();
        QVERIFY(hashA.startsWith(QStringLiteral("sha256-sampled:")));
        QCOMPARE(hashA.size(), int(sizeof(kSampledHashPrefix) - 1 + 64));
        QVERIFY(hashA != sampledContentHash(b).value());
        // Bytes outside the sampled MiBs do not change the sampled hash, but do change the full one.
        big[4 * 1024 * 1024] = 'x';
        big[2 * 1024 * 1024] = 'z';
        writeFile(b, big);
        QCOMPARE(sampledContentHash(b).value(), hashA);
        QVERIFY(fullFileSha256(a).value() != fullFileSha256(b).value());
        // The empty file's full hash is the well-known SHA-256 of nothing.
        writeFile(dir.filePath(QStringLiteral("empty")), {});
        QCOMPARE(fullFileSha256(dir.filePath(QStringLiteral("empty"))).value(),
                 QStringLiteral("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(sampledContentHash(dir.filePath(QStringLiteral("none"))).error().category,
                 ErrorCategory::NotFound);
        CancellationToken cancel;
        cancel.cancel();
        QCOMPARE(fullFileSha256(a, cancel).error().category, ErrorCategory::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestProjectFile)
#include "tst_projectfile.moc"
