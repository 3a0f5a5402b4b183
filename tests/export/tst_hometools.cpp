#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <set>
#include <tuple>

// What a user of each home tool meets, end to end with the real saccade-cli on real videos: five videos at
// 30, 29.97, 25 and 23.976 fps whose names have spaces, commas, dots and non-ASCII letters (so their ids
// are cleaned), labels with commas and quotes, 1- and 2-frame, overlapping and edge-touching segments.
class TestHomeTools : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_ffmpeg;
    QString m_ffprobe;

    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };

    struct VideoSpec {
        QString file;
        QString rate;
        int frames;
    };

    Run cli(const QStringList& arguments) {
        QProcess process;
        process.setWorkingDirectory(m_dir.path());
        process.start(qEnvironmentVariable("SACCADE_CLI"), arguments);
        process.waitForFinished(300000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    QString path(const QString& name) const { return m_dir.filePath(name); }

    static QByteArray readAll(const QString& file) {
        QFile in(file);
        return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
    }

    static QList<VideoSpec> specs() {
        return {{QStringLiteral("demo action.mp4"), QStringLiteral("30"), 90},
                {QString::fromUtf8("caf\xc3\xa9, take 2.mp4"), QStringLiteral("30000/1001"), 90},
                {QStringLiteral("clip 25.mp4"), QStringLiteral("25"), 75},
                {QStringLiteral("film 23.976.mp4"), QStringLiteral("24000/1001"), 72},
                {QStringLiteral("ok.mp4"), QStringLiteral("30"), 60}};
    }

    // Frames counted by decoding, as ffprobe counts them.
    int ffprobeFrames(const QString& file) {
        QProcess process;
        process.start(m_ffprobe,
                      {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-count_frames"),
                       QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                       QStringLiteral("-show_entries"), QStringLiteral("stream=nb_read_frames"),
                       QStringLiteral("-of"), QStringLiteral("csv=p=0"), file});
        process.waitForFinished(60000);
        return QString::fromUtf8(process.readAllStandardOutput()).trimmed().toInt();
    }

    using Key = std::tuple<QString, qint64, qint64, QString, QString, QString, double>;

    // The exported segments of a project file (accepted and edited): video, frames, label, state, origin,
    // confidence.
    static std::multiset<Key> exportedSegments(const QString& project) {
        std::multiset<Key> keys;
        const QJsonObject root = QJsonDocument::fromJson(readAll(project)).object();
        for (const QJsonValue& video : root.value(QStringLiteral("videos")).toArray()) {
            const QString id = video.toObject().value(QStringLiteral("id")).toString();
            for (const QJsonValue& value : video.toObject().value(QStringLiteral("segments")).toArray()) {
                const QJsonObject segment = value.toObject();
                const QString state = segment.value(QStringLiteral("state")).toString();
                if (state != QLatin1String("accepted") && state != QLatin1String("edited"))
                    continue;
                const QJsonObject source = segment.value(QStringLiteral("source")).toObject();
                keys.insert({id, segment.value(QStringLiteral("start_frame")).toInteger(),
                             segment.value(QStringLiteral("end_frame")).toInteger(),
                             segment.value(QStringLiteral("label")).toString(), state,
                             source.value(QStringLiteral("kind")).toString(),
                             source.value(QStringLiteral("confidence")).toDouble(-1)});
            }
        }
        return keys;
    }

    QStringList m_ids;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("SACCADE_CLI")),
                 "SACCADE_CLI must name the built saccade-cli");
        m_ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
        m_ffprobe = QStandardPaths::findExecutable(QStringLiteral("ffprobe"));
        if (m_ffmpeg.isEmpty() || m_ffprobe.isEmpty())
            QSKIP("the ffmpeg and ffprobe programs are needed");
        QVERIFY(QDir(m_dir.path()).mkdir(QStringLiteral("videos")));
        QStringList arguments{QStringLiteral("project"), QStringLiteral("new"), QStringLiteral("p.saccade"),
                              QStringLiteral("--labels"), QStringLiteral("labels.txt")};
        for (const VideoSpec& spec : specs()) {
            // One key frame at the start (a 250-frame GOP) and B-frames: what makes a stream copy inexact.
            QProcess process;
            process.start(m_ffmpeg,
                          {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-y"),
                           QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                           QStringLiteral("testsrc2=s=96x64:r=") + spec.rate, QStringLiteral("-frames:v"),
                           QString::number(spec.frames), QStringLiteral("-c:v"), QStringLiteral("libx264"),
                           QStringLiteral("-g"), QStringLiteral("250"), QStringLiteral("-pix_fmt"),
                           QStringLiteral("yuv420p"), path(QStringLiteral("videos/") + spec.file)});
            QVERIFY(process.waitForFinished(60000));
            QCOMPARE(process.exitCode(), 0);
            arguments << QStringLiteral("videos/") + spec.file;
        }
        QFile labels(path(QStringLiteral("labels.txt")));
        QVERIFY(labels.open(QIODevice::WriteOnly));
        labels.write("jump, high\nsay \"hi\"\nwalk\n");
        labels.close();
        Run run = cli(arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));

        // Segments with every state and origin, written straight into the project file.
        auto segment = [](qint64 start, qint64 end, const QString& label, const QString& state,
                          double confidence = -1) {
            QJsonObject source{{QStringLiteral("kind"),
                                confidence < 0 ? QStringLiteral("person") : QStringLiteral("model")}};
            if (confidence >= 0) {
                source.insert(QStringLiteral("model_hash"), QStringLiteral("sha256:feed"));
                source.insert(QStringLiteral("confidence"), confidence);
            }
            return QJsonObject{
                {QStringLiteral("id"), QStringLiteral("%1-%2-%3").arg(start).arg(end).arg(state)},
                {QStringLiteral("start_frame"), start},
                {QStringLiteral("end_frame"), end},
                {QStringLiteral("label"), label},
                {QStringLiteral("state"), state},
                {QStringLiteral("source"), source}};
        };
        const QString jump = QStringLiteral("jump, high");
        const QString hi = QStringLiteral("say \"hi\"");
        const QString walk = QStringLiteral("walk");
        const QString accepted = QStringLiteral("accepted");
        const QString edited = QStringLiteral("edited");
        const QList<QJsonArray> segments{
            {segment(13, 15, walk, accepted), segment(20, 50, jump, edited),
             segment(40, 70, walk, accepted, 0.75)},
            {segment(5, 40, hi, accepted), segment(50, 51, walk, accepted),
             segment(60, 80, jump, QStringLiteral("rejected"))},
            {segment(0, 75, walk, accepted)},
            {segment(10, 30, jump, edited), segment(29, 31, hi, accepted, 0.5)},
            {segment(31, 59, walk, accepted), segment(1, 9, walk, QStringLiteral("proposed"), 0.25)}};
        QJsonObject root = QJsonDocument::fromJson(readAll(path(QStringLiteral("p.saccade")))).object();
        QJsonArray videos = root.value(QStringLiteral("videos")).toArray();
        QCOMPARE(videos.size(), 5);
        for (qsizetype v = 0; v < videos.size(); ++v) {
            QJsonObject video = videos[v].toObject();
            m_ids << video.value(QStringLiteral("id")).toString();
            video.insert(QStringLiteral("segments"), segments[v]);
            videos[v] = video;
        }
        root.insert(QStringLiteral("videos"), videos);
        QFile project(path(QStringLiteral("p.saccade")));
        QVERIFY(project.open(QIODevice::WriteOnly | QIODevice::Truncate));
        project.write(QJsonDocument(root).toJson());
        project.close();
        // The ids were cleaned from the file names: no file is named after them.
        QVERIFY2(!QFileInfo::exists(path(QStringLiteral("videos/%1.mp4").arg(m_ids[0]))),
                 qPrintable(m_ids[0]));
    }

    // SlowFast's loader needs every split's list non-empty, and a training set needs clips that hold
    // exactly the labelled frames.
    void researchListsHaveFrameExactClipsInEverySplit() {
        const Run run =
            cli({QStringLiteral("export"), QStringLiteral("p.saccade"), QStringLiteral("--format"),
                 QStringLiteral("slowfast"), QStringLiteral("--out"), QStringLiteral("lists"),
                 QStringLiteral("--split"), QStringLiteral("train=0.6,val=0.2,test=0.2"),
                 QStringLiteral("--seed"), QStringLiteral("0")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        int clips = 0;
        for (const QString& split :
             {QStringLiteral("train"), QStringLiteral("val"), QStringLiteral("test")}) {
            const QStringList lines =
                QString::fromUtf8(readAll(path(QStringLiteral("lists/%1.csv").arg(split))))
                    .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            QVERIFY2(!lines.isEmpty(), qPrintable(split + QStringLiteral(" is empty")));
            for (const QString& line : lines) {
                const QStringList fields = line.split(QLatin1Char(' '));
                QCOMPARE(fields.size(), 2);
                // clips/{id}_{start}_{end}.mp4
                const QStringList parts = QFileInfo(fields[0]).completeBaseName().split(QLatin1Char('_'));
                const int wanted = parts.last().toInt() - parts[parts.size() - 2].toInt();
                QCOMPARE(ffprobeFrames(path(QStringLiteral("lists/") + fields[0])), wanted);
                ++clips;
            }
        }
        QCOMPARE(clips, 9);
    }

    void cvatIsNamedAfterTheVideoFiles() {
        const Run run =
            cli({QStringLiteral("export"), QStringLiteral("p.saccade"), QStringLiteral("--format"),
                 QStringLiteral("cvat"), QStringLiteral("--out"), QStringLiteral("cvat_out")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QStringList stems;
        for (const VideoSpec& spec : specs())
            stems << QFileInfo(spec.file).completeBaseName() + QStringLiteral(".xml");
        QStringList written = QDir(path(QStringLiteral("cvat_out/cvat"))).entryList(QDir::Files);
        written.sort();
        stems.sort();
        QCOMPARE(written, stems);
    }

    void labelStudioTasksCarryIdFpsAndLocalFilesPath() {
        const Run run =
            cli({QStringLiteral("export"), QStringLiteral("p.saccade"), QStringLiteral("--format"),
                 QStringLiteral("labelstudio"), QStringLiteral("--out"), QStringLiteral("ls")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("LOCAL_FILES_DOCUMENT_ROOT=") +
                                  QDir(path(QStringLiteral("videos"))).canonicalPath()) ||
                     run.out.contains(QStringLiteral("LOCAL_FILES_DOCUMENT_ROOT=") +
                                      path(QStringLiteral("videos"))),
                 qPrintable(run.out));
        const QJsonArray tasks =
            QJsonDocument::fromJson(readAll(path(QStringLiteral("ls/labelstudio.json")))).array();
        QCOMPARE(tasks.size(), 5);
        QList<double> rates;
        for (qsizetype t = 0; t < tasks.size(); ++t) {
            const QJsonObject task = tasks[t].toObject();
            QCOMPARE(task.value(QStringLiteral("id")).toInt(), t + 1);
            rates << task.value(QStringLiteral("data")).toObject().value(QStringLiteral("fps")).toDouble();
        }
        QCOMPARE(rates.size(), 5);
        QVERIFY(std::abs(rates[1] - 30000.0 / 1001.0) < 1e-3);
        QVERIFY(std::abs(rates[3] - 24000.0 / 1001.0) < 1e-3);
        QCOMPARE(rates[2], 25.0);
        QCOMPARE(tasks[0]
                     .toObject()
                     .value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("video"))
                     .toString(),
                 QStringLiteral("/data/local-files/?d=demo%20action.mp4"));
        QVERIFY(readAll(path(QStringLiteral("ls/labelstudio-config.xml"))).contains("frameRate=\"$fps\""));
    }

    void avaNamesSegmentsWithoutAKeyframe() {
        const Run run =
            cli({QStringLiteral("export"), QStringLiteral("p.saccade"), QStringLiteral("--format"),
                 QStringLiteral("ava"), QStringLiteral("--out"), QStringLiteral("ava")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // 13-15 at 30 fps (0.433-0.5 s), 50-51 at 29.97 fps (1.668 s), 29-31 at 23.976 (1.21-1.293 s) and
        // 31-59 at 30 fps (1.033-1.967 s) hold no whole second.
        QVERIFY2(run.err.contains(QStringLiteral("video '%1', segment 'walk' at frames 50-51").arg(m_ids[1])),
                 qPrintable(run.err));
        QVERIFY(run.err.contains(
            QStringLiteral("video '%1', segment 'say \"hi\"' at frames 29-31").arg(m_ids[3])));
        QVERIFY(run.err.contains(QStringLiteral("video '%1', segment 'walk' at frames 13-15").arg(m_ids[0])));
        QVERIFY(run.err.contains(QStringLiteral("video '%1', segment 'walk' at frames 31-59").arg(m_ids[4])));
        QCOMPARE(run.err.count(QStringLiteral("warning: AVA")), 4);
    }

    // Into new projects, from videos that moved: found by their original file names, states, origins
    // and confidences restored from saccade-export.json.
    void importsFindVideosByFileNameAndRestoreStates() {
        for (const QString& format :
             {QStringLiteral("kinetics"), QStringLiteral("activitynet"), QStringLiteral("labelstudio")}) {
            const Run run =
                cli({QStringLiteral("export"), QStringLiteral("p.saccade"), QStringLiteral("--format"),
                     format, QStringLiteral("--out"), QStringLiteral("rt_") + format});
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        }
        QVERIFY(QDir(m_dir.path()).rename(QStringLiteral("videos"), QStringLiteral("moved")));
        const std::multiset<Key> original = exportedSegments(path(QStringLiteral("p.saccade")));
        QCOMPARE(original.size(), size_t(9));
        const QList<std::pair<QString, QString>> files{
            {QStringLiteral("kinetics"), QStringLiteral("rt_kinetics/kinetics.csv")},
            {QStringLiteral("activitynet"), QStringLiteral("rt_activitynet/activitynet.json")},
            {QStringLiteral("labelstudio"), QStringLiteral("rt_labelstudio/labelstudio.json")}};
        for (const auto& [format, file] : files) {
            const QString project = QStringLiteral("back_%1.saccade").arg(format);
            const Run run = cli({QStringLiteral("import"), file, QStringLiteral("--format"), format,
                                 QStringLiteral("--project"), project, QStringLiteral("--videos"),
                                 path(QStringLiteral("moved"))});
            QVERIFY2(run.exitCode == 0, qPrintable(format + QLatin1Char(' ') + run.err));
            QVERIFY2(run.out.contains(QStringLiteral("9 with state and source")), qPrintable(run.out));
            QCOMPARE(exportedSegments(path(project)), original);
        }

        // Without the manifest a Kinetics file still finds the videos (their ids are the cleaned file
        // stems), but can only say "accepted".
        QVERIFY(QDir(m_dir.path()).mkdir(QStringLiteral("bare")));
        QVERIFY(QFile::copy(path(QStringLiteral("rt_kinetics/kinetics.csv")),
                            path(QStringLiteral("bare/k.csv"))));
        const Run bare =
            cli({QStringLiteral("import"), QStringLiteral("bare/k.csv"), QStringLiteral("--format"),
                 QStringLiteral("kinetics"), QStringLiteral("--project"), QStringLiteral("bare.saccade"),
                 QStringLiteral("--videos"), path(QStringLiteral("moved"))});
        QVERIFY2(bare.exitCode == 0, qPrintable(bare.err));
        QVERIFY2(bare.out.contains(QStringLiteral("imported 9 segments of 5 videos")), qPrintable(bare.out));
        std::multiset<QString> states;
        for (const Key& key : exportedSegments(path(QStringLiteral("bare.saccade"))))
            states.insert(std::get<4>(key));
        QCOMPARE(states.count(QStringLiteral("accepted")), size_t(9));
    }
};

QTEST_GUILESS_MAIN(TestHomeTools)
#include "tst_hometools.moc"
