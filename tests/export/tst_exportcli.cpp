#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

// The project, import, export and agreement commands of the real saccade-cli, on real videos.
class TestExportCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };

    Run cli(const QStringList& arguments) {
        QProcess process;
        process.setWorkingDirectory(m_dir.path());
        process.start(qEnvironmentVariable("SACCADE_CLI"), arguments);
        process.waitForFinished(120000);
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    QString path(const QString& name) const { return m_dir.filePath(name); }

    void write(const QString& name, const QByteArray& bytes) {
        QFile file(path(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }

    QJsonObject show(const QString& project) {
        const Run run =
            cli({QStringLiteral("project"), QStringLiteral("show"), project, QStringLiteral("--json")});
        return QJsonDocument::fromJson(run.out.toUtf8()).object();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("SACCADE_CLI")),
                 "SACCADE_CLI must name the built saccade-cli");
        const QString ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
        if (ffmpeg.isEmpty())
            QSKIP("the ffmpeg program is needed to make fixtures");
        // Two different 4-second videos at 25 fps with a key frame every 10 frames.
        const QStringList sources{QStringLiteral("testsrc2=s=96x64:r=25"),
                                  QStringLiteral("smptebars=s=96x64:r=25")};
        for (int i = 0; i < 2; ++i) {
            QProcess process;
            process.start(ffmpeg, {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-y"),
                                   QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                                   sources[i], QStringLiteral("-frames:v"), QStringLiteral("100"),
                                   QStringLiteral("-c:v"), QStringLiteral("libx264"), QStringLiteral("-g"),
                                   QStringLiteral("10"), path(QStringLiteral("vid_%1.mp4").arg(i))});
            QVERIFY(process.waitForFinished(60000));
            QCOMPARE(process.exitCode(), 0);
        }
        write(QStringLiteral("labels.txt"), "run\njump\n");
    }

    void projectNewAddShow() {
        Run run =
            cli({QStringLiteral("project"), QStringLiteral("new"), QStringLiteral("p.saccade"),
                 QStringLiteral("--labels"), QStringLiteral("labels.txt"), QStringLiteral("vid_0.mp4")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        run = cli({QStringLiteral("project"), QStringLiteral("add"), QStringLiteral("p.saccade"),
                   QStringLiteral("vid_1.mp4")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject project = show(QStringLiteral("p.saccade"));
        QCOMPARE(project.value(QStringLiteral("labels")).toArray().size(), 2);
        const QJsonArray videos = project.value(QStringLiteral("videos")).toArray();
        QCOMPARE(videos.size(), 2);
        QCOMPARE(videos[1].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("vid_1"));
        QCOMPARE(videos[1].toObject().value(QStringLiteral("frame_count")).toInt(), 100);
        QCOMPARE(videos[1].toObject().value(QStringLiteral("fps")).toDouble(), 25.0);
        run = cli({QStringLiteral("project"), QStringLiteral("add"), QStringLiteral("p.saccade"),
                   QStringLiteral("vid_1.mp4")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains(QStringLiteral("already in the project")));
    }

    void importExportRoundTrip() {
        write(QStringLiteral("k.csv"), "label,youtube_id,time_start,time_end,split,is_cc\n"
                                       "run,vid_0,0.4,1.2,train,0\n\"jump\",vid_1,1,2,val,0\n");
        Run run = cli({QStringLiteral("import"), QStringLiteral("k.csv"), QStringLiteral("--format"),
                       QStringLiteral("kinetics"), QStringLiteral("--project"), QStringLiteral("q.saccade"),
                       QStringLiteral("--videos"), m_dir.path()});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(QStringLiteral("imported 2 segments of 2 videos")));

        // Every format's files are checked in tst_exporters; here the commands are chained end to end.
        for (const QString& format : {QStringLiteral("kinetics"), QStringLiteral("labelstudio")}) {
            run = cli({QStringLiteral("export"), QStringLiteral("q.saccade"), QStringLiteral("--format"),
                       format, QStringLiteral("--out"), QStringLiteral("out_") + format});
            QVERIFY2(run.exitCode == 0, qPrintable(format + run.err));
            QVERIFY(QFileInfo::exists(path(QStringLiteral("out_%1/saccade-export.json").arg(format))));
        }
        run = cli({QStringLiteral("import"), QStringLiteral("out_labelstudio/labelstudio.json"),
                   QStringLiteral("--format"), QStringLiteral("labelstudio"), QStringLiteral("--project"),
                   QStringLiteral("back.saccade")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        run = cli({QStringLiteral("agreement"), QStringLiteral("q.saccade"), QStringLiteral("back.saccade"),
                   QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(report.value(QStringLiteral("kappa")).toDouble(), 1.0);
        QCOMPARE(report.value(QStringLiteral("videos_compared")).toInt(), 2);
        QCOMPARE(report.value(QStringLiteral("frames")).toInt(), 200);
    }

    void researchListsWithClips() {
        Run run = cli({QStringLiteral("export"), QStringLiteral("q.saccade"), QStringLiteral("--format"),
                       QStringLiteral("slowfast"), QStringLiteral("--out"), QStringLiteral("lists"),
                       QStringLiteral("--cut-clips"), QStringLiteral("reencode")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QFile train(path(QStringLiteral("lists/train.csv")));
        QVERIFY(train.open(QIODevice::ReadOnly));
        QCOMPARE(train.readAll(), QByteArray("clips/vid_0_000010_000030.mp4 0\n"));
        run = cli({QStringLiteral("probe"), path(QStringLiteral("lists/clips/vid_0_000010_000030.mp4")),
                   QStringLiteral("--json")});
        QCOMPARE(
            QJsonDocument::fromJson(run.out.toUtf8()).object().value(QStringLiteral("frame_count")).toInt(),
            20);
        // A split assigned for the export only; the project keeps its own.
        run = cli({QStringLiteral("export"), QStringLiteral("q.saccade"), QStringLiteral("--format"),
                   QStringLiteral("slowfast"), QStringLiteral("--out"), QStringLiteral("lists2"),
                   QStringLiteral("--split"), QStringLiteral("train=1,val=0,test=0"),
                   QStringLiteral("--seed"), QStringLiteral("5")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QFile all(path(QStringLiteral("lists2/train.csv")));
        QVERIFY(all.open(QIODevice::ReadOnly));
        QCOMPARE(all.readAll().count('\n'), 2);
        QCOMPARE(show(QStringLiteral("q.saccade"))
                     .value(QStringLiteral("videos"))
                     .toArray()[1]
                     .toObject()
                     .value(QStringLiteral("split"))
                     .toString(),
                 QStringLiteral("val"));
    }

    void badInputIsReported_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("malformed csv")
            << QStringList{QStringLiteral("import"),    QStringLiteral("bad.csv"),
                           QStringLiteral("--format"),  QStringLiteral("kinetics"),
                           QStringLiteral("--project"), QStringLiteral("q.saccade")}
            << 1 << QStringLiteral("bad.csv: malformed CSV at line 2, column 1");
        QTest::newRow("missing video")
            << QStringList{QStringLiteral("import"),    QStringLiteral("missing.csv"),
                           QStringLiteral("--format"),  QStringLiteral("kinetics"),
                           QStringLiteral("--project"), QStringLiteral("q.saccade")}
            << 1 << QStringLiteral("video 'vid_9' is not in the project");
        QTest::newRow("newer project")
            << QStringList{QStringLiteral("export"),   QStringLiteral("future.saccade"),
                           QStringLiteral("--format"), QStringLiteral("kinetics"),
                           QStringLiteral("--out"),    QStringLiteral("x")}
            << 1 << QStringLiteral("newer Saccade");
        QTest::newRow("output is a file")
            << QStringList{QStringLiteral("export"),   QStringLiteral("q.saccade"),
                           QStringLiteral("--format"), QStringLiteral("kinetics"),
                           QStringLiteral("--out"),    QStringLiteral("labels.txt")}
            << 1 << QStringLiteral("is not a folder");
        QTest::newRow("unknown format")
            << QStringList{QStringLiteral("export"), QStringLiteral("q.saccade"), QStringLiteral("--format"),
                           QStringLiteral("yaml"),   QStringLiteral("--out"),     QStringLiteral("x")}
            << 2 << QStringLiteral("unknown format 'yaml'");
        QTest::newRow("bad split") << QStringList{QStringLiteral("export"),   QStringLiteral("q.saccade"),
                                                  QStringLiteral("--format"), QStringLiteral("kinetics"),
                                                  QStringLiteral("--out"),    QStringLiteral("x"),
                                                  QStringLiteral("--split"),  QStringLiteral("train=0.5")}
                                   << 2 << QStringLiteral("must sum to 1");
    }

    void badInputIsReported() {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        write(QStringLiteral("bad.csv"), "label,youtube_id,time_start,time_end\n\"run,vid_0,1,2\n");
        write(QStringLiteral("missing.csv"), "label,youtube_id,time_start,time_end\nrun,vid_9,1,2\n");
        write(QStringLiteral("future.saccade"), R"({"saccade_project_version": 99})");
        QFile project(path(QStringLiteral("q.saccade")));
        QVERIFY(project.open(QIODevice::ReadOnly));
        const QByteArray before = project.readAll();
        project.close();
        const Run run = cli(arguments);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY(project.open(QIODevice::ReadOnly));
        QCOMPARE(project.readAll(), before);
    }
};

QTEST_GUILESS_MAIN(TestExportCli)
#include "tst_exportcli.moc"
