#include "core/annotation/projectfile.h"
#include "core/training/demovideocomposer.h"
#include "core/training/syntheticaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

using namespace saccade;

class TestDemoVideoComposer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void segmentsAreOrderedInRangeAndApart_data() {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<double>("seconds");
        QTest::newRow("two minutes") << quint64(1) << 120.0;
        QTest::newRow("other seed") << quint64(77) << 120.0;
        QTest::newRow("short") << quint64(5) << 9.0;
        QTest::newRow("too short for any action") << quint64(5) << 1.5;
    }

    void segmentsAreOrderedInRangeAndApart() {
        QFETCH(quint64, seed);
        QFETCH(double, seconds);
        DemoVideoOptions options;
        options.seed = seed;
        options.durationSeconds = seconds;
        const DemoVideoComposer composer(options);
        QCOMPARE(composer.frameCount(), qint64(std::llround(seconds * 30)));
        const auto& segments = composer.segments();
        int64_t previousEnd = 0;
        std::set<int> classes;
        for (const SyntheticSegment& segment : segments) {
            QVERIFY(segment.startFrame >= previousEnd + 30); // at least a second of idle before each action
            QVERIFY(segment.endFrame <= composer.frameCount());
            const int64_t length = segment.endFrame - segment.startFrame;
            QVERIFY(length >= 54 && length <= 90);
            previousEnd = segment.endFrame;
            classes.insert(syntheticActionIndex(segment.action));
        }
        if (seconds >= 120) {
            QVERIFY(segments.size() >= 20);
            QCOMPARE(int(classes.size()), kSyntheticActionCount);
        }
        if (seconds < 2)
            QVERIFY(segments.empty());
    }

    void framesFollowTheSegments() {
        DemoVideoOptions options;
        options.durationSeconds = 20;
        options.width = 320;
        options.height = 180;
        const DemoVideoComposer composer(options);
        QVERIFY(!composer.segments().empty());
        for (size_t s = 0; s < composer.segments().size(); ++s) {
            const SyntheticSegment& segment = composer.segments()[s];
            QCOMPARE(composer.segmentAt(segment.startFrame), int(s));
            QCOMPARE(composer.segmentAt(segment.endFrame - 1), int(s));
            QCOMPARE(composer.segmentAt(segment.startFrame - 1), -1);
            QCOMPARE(composer.segmentAt(segment.endFrame), -1);
            QVERIFY(composer.actorBox(segment.startFrame - 1).isEmpty());
            // The actor is on stage at the end of every action except the one where it vanishes.
            const QRectF box = composer.actorBox(segment.endFrame - 1);
            if (segment.action != SyntheticAction::Disappear) {
                QVERIFY(!box.isEmpty());
                QVERIFY(QRectF(0, 0, 320, 180).contains(box));
                QCOMPARE(composer.renderFrame(segment.endFrame - 1).size(), QSize(320, 180));
            }
        }
    }

    void sameSeedSameVideo() {
        DemoVideoOptions options;
        options.durationSeconds = 10;
        options.width = 160;
        options.height = 90;
        const DemoVideoComposer a(options);
        const DemoVideoComposer b(options);
        QCOMPARE(a.segments().size(), b.segments().size());
        for (int64_t frame : {int64_t(0), int64_t(45), int64_t(150), a.frameCount() - 1})
            QCOMPARE(a.renderFrame(frame), b.renderFrame(frame));
        options.seed = 2;
        const DemoVideoComposer c(options);
        QVERIFY(a.renderFrame(0) != c.renderFrame(0));
    }

    void encodesTheWholeVideo() {
        if (QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty())
            QSKIP("ffprobe is needed to read the video back");
        DemoVideoOptions options;
        options.durationSeconds = 2;
        options.width = 128;
        options.height = 72;
        options.fpsNumerator = 25;
        const DemoVideoComposer composer(options);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("demo.mp4"));
        VideoEncoderOptions encoderOptions;
        encoderOptions.preset = QStringLiteral("ultrafast");
        std::vector<double> reported;
        const Status encoded = composer.encode(path, encoderOptions, CancellationToken(),
                                               [&](double share) { reported.push_back(share); });
        QVERIFY2(encoded.ok(), qPrintable(encoded.ok() ? QString() : encoded.error().toString()));
        QVERIFY(!reported.empty());
        QCOMPARE(reported.back(), 1.0);
        QVERIFY(std::is_sorted(reported.begin(), reported.end()));
        QProcess probe;
        probe.start(QStringLiteral("ffprobe"),
                    {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-count_frames"),
                     QStringLiteral("-show_entries"), QStringLiteral("stream=width,height,nb_read_frames"),
                     QStringLiteral("-of"), QStringLiteral("csv=p=0"), path});
        QVERIFY(probe.waitForFinished(60000));
        QCOMPARE(QString::fromUtf8(probe.readAllStandardOutput()).trimmed(), QStringLiteral("128,72,50"));
    }

    void cliWritesTheTruthAsAProject() {
        QTemporaryDir dir;
        const QString video = dir.filePath(QStringLiteral("demo.mp4"));
        const QString truth = dir.filePath(QStringLiteral("truth.saccade"));
        QProcess cli;
        cli.start(qEnvironmentVariable("SACCADE_CLI"),
                  {QStringLiteral("demo-video"), QStringLiteral("--out"), video, QStringLiteral("--minutes"),
                   QStringLiteral("0.25"), QStringLiteral("--size"), QStringLiteral("96x64"),
                   QStringLiteral("--preset"), QStringLiteral("ultrafast"), QStringLiteral("--truth"),
                   truth});
        QVERIFY(cli.waitForFinished(120000));
        const QByteArray errors = cli.readAllStandardError();
        QVERIFY2(cli.exitCode() == 0, errors.constData());
        // The encoder's own statistics stay out of the command's output.
        QVERIFY2(!errors.contains("x264"), errors.constData());
        const Result<ProjectData> project = ProjectFile::load(truth);
        QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : project.error().toString()));
        QCOMPARE(project->videos.size(), size_t(1));
        QCOMPARE(project->labels.names(), syntheticActionNames());
        DemoVideoOptions options;
        options.durationSeconds = 15;
        options.width = 96;
        options.height = 64;
        const DemoVideoComposer composer(options);
        const auto& segments = project->videos.front().segments;
        QCOMPARE(segments.size(), composer.segments().size());
        for (size_t i = 0; i < segments.size(); ++i) {
            QCOMPARE(segments[i].startFrame, composer.segments()[i].startFrame);
            QCOMPARE(segments[i].endFrame, composer.segments()[i].endFrame);
            QCOMPARE(segments[i].label, syntheticActionName(composer.segments()[i].action));
            QCOMPARE(segments[i].state, SegmentState::Accepted);
        }
    }

    void novelActionsMixInWhenAsked() {
        DemoVideoOptions options;
        options.seed = 11;
        const DemoVideoComposer plain(options);
        QCOMPARE(plain.labelNames(), syntheticActionNames());
        for (const SyntheticSegment& segment : plain.segments())
            QVERIFY(segment.action != kNovelSyntheticAction);

        options.novelShare = 0.3;
        const DemoVideoComposer mixed(options);
        QCOMPARE(mixed.labelNames(), syntheticActionNames() << QStringLiteral("move_diagonal"));
        int novel = 0;
        for (const SyntheticSegment& segment : mixed.segments()) {
            if (segment.action != kNovelSyntheticAction)
                continue;
            ++novel;
            // The actor travels up and to the right by about as much.
            const QPointF from = mixed.actorBox(segment.startFrame).center();
            const QPointF to = mixed.actorBox(segment.endFrame - 1).center();
            QVERIFY(to.x() - from.x() > 20);
            QVERIFY(from.y() - to.y() > 20);
            QVERIFY(std::abs((to.x() - from.x()) - (from.y() - to.y())) < 4);
        }
        const double share = double(novel) / double(mixed.segments().size());
        QVERIFY2(share > 0.15 && share < 0.45, qPrintable(QString::number(share)));
        QCOMPARE(parseSyntheticAction(QStringLiteral("move_diagonal")), std::optional(kNovelSyntheticAction));
        QCOMPARE(timeReversed(kNovelSyntheticAction), kNovelSyntheticAction);
    }

    void cliWritesTheLabelledPartOfATruthProject() {
        QTemporaryDir dir;
        const QString video = dir.filePath(QStringLiteral("demo.mp4"));
        const QString truth = dir.filePath(QStringLiteral("truth.saccade"));
        QProcess cli;
        cli.start(qEnvironmentVariable("SACCADE_CLI"),
                  {QStringLiteral("demo-video"), QStringLiteral("--out"), video, QStringLiteral("--minutes"),
                   QStringLiteral("0.5"), QStringLiteral("--size"), QStringLiteral("96x64"),
                   QStringLiteral("--preset"), QStringLiteral("ultrafast"), QStringLiteral("--novel-share"),
                   QStringLiteral("0.5"), QStringLiteral("--truth"), truth, QStringLiteral("--truth-until"),
                   QStringLiteral("15")});
        QVERIFY(cli.waitForFinished(120000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        const Result<ProjectData> project = ProjectFile::load(truth);
        QVERIFY(project.ok());
        QVERIFY(project->labels.names().contains(QStringLiteral("move_diagonal")));
        DemoVideoOptions options;
        options.durationSeconds = 30;
        options.width = 96;
        options.height = 64;
        options.novelShare = 0.5;
        const DemoVideoComposer composer(options);
        size_t labelled = 0;
        while (labelled < composer.segments().size() && composer.segments()[labelled].endFrame <= 15 * 30)
            ++labelled;
        QVERIFY(labelled > 0 && labelled < composer.segments().size());
        QCOMPARE(project->videos.front().segments.size(), labelled);

        QProcess refused;
        refused.start(qEnvironmentVariable("SACCADE_CLI"),
                      {QStringLiteral("demo-video"), QStringLiteral("--out"), video,
                       QStringLiteral("--truth"), dir.filePath(QStringLiteral("truth.json")),
                       QStringLiteral("--truth-until"), QStringLiteral("15")});
        QVERIFY(refused.waitForFinished(30000));
        QCOMPARE(refused.exitCode(), 2);
        QVERIFY(refused.readAllStandardError().contains("--truth-until needs a .saccade --truth"));
    }

    void cachedVideoIsReusedOnlyAtThisLook() {
        QTemporaryDir cache;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_CACHE_HOME"), cache.path());
        const auto runCli = [&](const QStringList& arguments, QString* out) {
            QProcess cli;
            cli.setProcessEnvironment(environment);
            cli.start(qEnvironmentVariable("SACCADE_CLI"),
                      QStringList{QStringLiteral("demo-video")} + arguments);
            cli.waitForFinished(60000);
            *out = QString::fromUtf8(cli.readAllStandardOutput()).trimmed();
            return cli.exitCode();
        };
        // A video cached at the current look is reused as it is (a stand-in file: nothing re-renders it).
        const QString expected =
            QDir(cache.path())
                .filePath(
                    QStringLiteral("saccade/demo/look%1/demo.mp4").arg(DemoVideoComposer::kLookVersion));
        QVERIFY(QDir().mkpath(QFileInfo(expected).absolutePath()));
        QFile standIn(expected);
        QVERIFY(standIn.open(QIODevice::WriteOnly));
        standIn.write("cached");
        standIn.close();
        // One from an older look is not what the app or the CLI open.
        QFile old(QDir(cache.path()).filePath(QStringLiteral("saccade/demo/demo.mp4")));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.close();
        QString out;
        QCOMPARE(runCli({QStringLiteral("--cached")}, &out), 0);
        QCOMPARE(out.split(QLatin1Char('\n')).last(), expected);
        QVERIFY(standIn.open(QIODevice::ReadOnly));
        QCOMPARE(standIn.readAll(), QByteArray("cached"));
        // The cached video is the default one, so settings that change it are refused.
        QCOMPARE(runCli({QStringLiteral("--cached"), QStringLiteral("--seed"), QStringLiteral("3")}, &out),
                 2);
        QCOMPARE(runCli({QStringLiteral("--cached"), QStringLiteral("--out"), QStringLiteral("x.mp4")}, &out),
                 2);
        QCOMPARE(runCli({}, &out), 2);
        qputenv("XDG_CACHE_HOME", cache.path().toLocal8Bit());
        QCOMPARE(DemoVideoComposer::cachedVideoPath(), expected);
    }

    void truthListsTheSegments() {
        DemoVideoOptions options;
        options.durationSeconds = 30;
        const DemoVideoComposer composer(options);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("truth.json"));
        QVERIFY(composer.writeTruth(path, QStringLiteral("demo.mp4")).ok());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject truth = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(truth.value(QStringLiteral("format")).toString(), QStringLiteral("saccade-synthetic-truth"));
        QCOMPARE(truth.value(QStringLiteral("video")).toString(), QStringLiteral("demo.mp4"));
        QCOMPARE(truth.value(QStringLiteral("frame_count")).toInt(), 900);
        QCOMPARE(truth.value(QStringLiteral("labels")).toArray().size(), kSyntheticActionCount);
        const QJsonArray segments = truth.value(QStringLiteral("segments")).toArray();
        QCOMPARE(segments.size(), int(composer.segments().size()));
        for (int i = 0; i < segments.size(); ++i) {
            const QJsonObject segment = segments[i].toObject();
            const SyntheticSegment& expected = composer.segments()[i];
            QCOMPARE(segment.value(QStringLiteral("label")).toString(), syntheticActionName(expected.action));
            QCOMPARE(segment.value(QStringLiteral("start_frame")).toInteger(), expected.startFrame);
            QCOMPARE(segment.value(QStringLiteral("end_frame")).toInteger(), expected.endFrame);
            QCOMPARE(segment.value(QStringLiteral("start_seconds")).toDouble(),
                     std::round(expected.startFrame / 30.0 * 1000) / 1000);
        }
        QVERIFY(!composer.writeTruth(dir.filePath(QStringLiteral("missing/truth.json")), {}).ok());
    }

    void cancelledEncodeLeavesNoFile() {
        DemoVideoOptions options;
        options.durationSeconds = 2;
        options.width = 64;
        options.height = 64;
        QTemporaryDir dir;
        CancellationToken cancel;
        cancel.cancel();
        const Status encoded = DemoVideoComposer(options).encode(dir.filePath(QStringLiteral("x.mp4")),
                                                                 VideoEncoderOptions(), cancel);
        QVERIFY(!encoded.ok());
        QCOMPARE(encoded.error().category, ErrorCategory::Cancelled);
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDemoVideoComposer)
#include "tst_demovideocomposer.moc"
