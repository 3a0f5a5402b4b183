#include "core/annotation/projectfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <unistd.h>

using namespace saccade;

// Runs saccade's Slurm batch against a real single-node Slurm cluster (munged, slurmctld, slurmd started
// by tests/batch/localslurm.sh in a scratch folder, stopped by their pids at the end). As root the test
// starts its own cluster; otherwise it uses a running one, and skips when there is none.
class TestSlurmCluster : public QObject {
    Q_OBJECT
public:
    // Also when a failure ended the test early: no daemon outlives the test.
    ~TestSlurmCluster() override { stopCluster(); }

private:
    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };

    QTemporaryDir m_dir;
    QString m_clusterDir;
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
    QStringList m_videos;
    QStringList m_annotateOptions{QStringLiteral("--no-cache"), QStringLiteral("--actionness=0"),
                                  QStringLiteral("--min-segment-s=0")};
    ProjectData m_single;

    QString path(const QString& name) const { return QDir(m_dir.path()).filePath(name); }

    static QString clusterScript() {
        return QDir(qEnvironmentVariable("SACCADE_SOURCE_DIR"))
            .filePath(QStringLiteral("tests/batch/localslurm.sh"));
    }

    // Stops the daemons by the pids in the cluster folder; true when the script succeeded.
    bool stopCluster() {
        if (m_clusterDir.isEmpty())
            return true;
        const bool stopped =
            run(clusterScript(), {QStringLiteral("stop"), m_clusterDir}, 60000).exitCode == 0;
        m_clusterDir.clear();
        return stopped;
    }

    Run run(const QString& program, const QStringList& arguments, int timeoutMs = 300000) const {
        QProcess process;
        process.setProcessEnvironment(m_environment);
        process.start(program, arguments);
        Run result;
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished();
            result.err = QStringLiteral("%1 did not finish").arg(program);
            return result;
        }
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

    Run cli(const QStringList& arguments) const {
        return run(qEnvironmentVariable("SACCADE_CLI"), arguments);
    }

    QStringList batchOptions() const {
        QStringList options;
        for (const QString& option : m_annotateOptions)
            options << QStringLiteral("--annotate-arg=%1").arg(option);
        return options;
    }

    // Array task states of `jobId`, index to state.
    QMap<int, QString> queue(const QString& jobId) const {
        QMap<int, QString> states;
        const Run squeue =
            run(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-r"), QStringLiteral("-j"),
                                           jobId, QStringLiteral("-o"), QStringLiteral("%K %T")});
        for (const QString& line : squeue.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            states.insert(line.section(QLatin1Char(' '), 0, 0).toInt(), line.section(QLatin1Char(' '), 1, 1));
        return states;
    }

    // Every video's segments (without ids, which each run draws anew), keyed by content hash.
    static QMap<QString, QStringList> segmentsByVideo(const ProjectData& project) {
        QMap<QString, QStringList> result;
        for (const VideoEntry& video : project.videos) {
            QStringList segments;
            for (const Segment& segment : video.segments)
                segments << QStringLiteral("%1-%2 %3 %4 %5 %6 %7")
                                .arg(segment.startFrame)
                                .arg(segment.endFrame)
                                .arg(segment.label, segmentStateName(segment.state),
                                     segmentOriginName(segment.source.origin), segment.source.modelHash)
                                .arg(segment.source.confidence.value_or(-1), 0, 'g', 17);
            result.insert(video.contentHash, segments);
        }
        return result;
    }

    void compareWithSingleProcess(const QString& mergedPath) {
        Result<ProjectData> merged = ProjectFile::load(mergedPath);
        QVERIFY2(merged.ok(), qPrintable(merged.ok() ? QString() : merged.error().toString()));
        QCOMPARE(merged->videos.size(), m_single.videos.size());
        QCOMPARE(merged->labels, m_single.labels);
        const QMap<QString, QStringList> expected = segmentsByVideo(m_single);
        QCOMPARE(segmentsByVideo(merged.value()), expected);
        // Videos in the same order, under the same ids, as one process wrote them.
        for (size_t i = 0; i < merged->videos.size(); ++i) {
            QCOMPARE(merged->videos[i].id, m_single.videos[i].id);
            QCOMPARE(merged->videos[i].path, m_single.videos[i].path);
        }
        const QFileInfo info(mergedPath);
        const QDir predictions(info.dir().filePath(info.completeBaseName() + QStringLiteral(".predictions")));
        QCOMPARE(predictions.entryList({QStringLiteral("*.json")}, QDir::Files).size(), m_videos.size());
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("SACCADE_CLI")), "SACCADE_CLI must name saccade-cli");
        QVERIFY(m_dir.isValid());
        if (geteuid() == 0) {
            m_clusterDir = path(QStringLiteral("cluster"));
            // Ports of this run's own, so a system cluster or a parallel run does not answer instead.
            const int port = 17000 + 2 * (int(getpid()) % 1000);
            m_environment.insert(QStringLiteral("SACCADE_SLURMCTLD_PORT"), QString::number(port));
            m_environment.insert(QStringLiteral("SACCADE_SLURMD_PORT"), QString::number(port + 1));
            const Run started = run(clusterScript(), {QStringLiteral("start"), m_clusterDir}, 60000);
            QVERIFY2(started.exitCode == 0, qPrintable(started.err + started.out));
            m_environment.insert(QStringLiteral("SLURM_CONF"),
                                 QDir(m_clusterDir).filePath(QStringLiteral("slurm.conf")));
        } else if (QStandardPaths::findExecutable(QStringLiteral("sinfo")).isEmpty() ||
                   run(QStringLiteral("sinfo"), {QStringLiteral("-h")}, 30000).exitCode != 0) {
            QSKIP("not root (cannot start munged, slurmctld and slurmd) and no Slurm cluster answers sinfo");
        }

        // Six short videos, different content each, long enough (15 s) that a task can be killed running.
        for (int i = 0; i < 6; ++i) {
            const QString video = path(QStringLiteral("video%1.mp4").arg(i));
            const Run made =
                cli({QStringLiteral("demo-video"), QStringLiteral("--out"), video,
                     QStringLiteral("--minutes"), QStringLiteral("0.25"), QStringLiteral("--size"),
                     QStringLiteral("160x120"), QStringLiteral("--seed"), QString::number(i + 1)});
            QVERIFY2(made.exitCode == 0, qPrintable(made.err));
            m_videos << video;
        }
        const Run single =
            cli(QStringList{QStringLiteral("annotate"), QStringLiteral("demo")} + m_videos +
                QStringList{QStringLiteral("--project"), path(QStringLiteral("single.saccade")),
                            QStringLiteral("--threads"), QStringLiteral("1")} +
                m_annotateOptions);
        QVERIFY2(single.exitCode == 0, qPrintable(single.err));
        Result<ProjectData> loaded = ProjectFile::load(path(QStringLiteral("single.saccade")));
        QVERIFY(loaded.ok());
        m_single = loaded.value();
        QCOMPARE(m_single.videos.size(), size_t(6));
        int segments = 0;
        for (const VideoEntry& video : m_single.videos)
            segments += int(video.segments.size());
        QVERIFY2(segments > 0, "the single-process run proposed nothing to compare");
    }

    void cleanupTestCase() { QVERIFY2(stopCluster(), "localslurm.sh stop failed"); }

    void arrayJobWaitsAndMergesLikeOneProcess() {
        const QString dir = path(QStringLiteral("batch"));
        const Run batch = cli(
            QStringList{QStringLiteral("batch"), QStringLiteral("slurm"), QStringLiteral("demo")} + m_videos +
            QStringList{QStringLiteral("--shards"), QStringLiteral("3"), QStringLiteral("--out"), dir,
                        QStringLiteral("--wait"), QStringLiteral("--poll-s"), QStringLiteral("0.5")} +
            batchOptions());
        QVERIFY2(batch.exitCode == 0, qPrintable(batch.out + batch.err));
        QVERIFY2(batch.out.contains(
                     QRegularExpression(QStringLiteral("submitted job \\d+: 3 shards of 6 videos"))),
                 qPrintable(batch.out));
        for (int k = 0; k < 3; ++k)
            QVERIFY(QFileInfo::exists(QDir(dir).filePath(QStringLiteral("shards/shard_%1.saccade").arg(k))));
        // Each task ran with the one CPU it asked for.
        QFile log(QDir(dir).filePath(QStringLiteral("logs/shard_1.out")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY2(log.readAll().contains("shard 1/3"), "the task's log names its shard");
        compareWithSingleProcess(QDir(dir).filePath(QStringLiteral("merged.saccade")));

        const Run status =
            cli({QStringLiteral("batch"), QStringLiteral("status"), dir, QStringLiteral("--json")});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        const QJsonObject report = QJsonDocument::fromJson(status.out.toUtf8()).object();
        QCOMPARE(report.value(QStringLiteral("complete")).toBool(), true);
        QCOMPARE(report.value(QStringLiteral("merged")).toBool(), true);
        for (const QJsonValue& shard : report.value(QStringLiteral("shards")).toArray())
            QCOMPARE(shard.toObject().value(QStringLiteral("state")).toString(), QStringLiteral("done"));
    }

    void killedTaskIsResubmittedByResume() {
        const QString dir = path(QStringLiteral("killed"));
        // Two CPUs a task: one task at a time on a two-CPU node, so shard 0 runs alone and is killed running.
        const Run batch = cli(
            QStringList{QStringLiteral("batch"), QStringLiteral("slurm"), QStringLiteral("demo")} + m_videos +
            QStringList{QStringLiteral("--shards"), QStringLiteral("3"), QStringLiteral("--out"), dir,
                        QStringLiteral("--cpus-per-task"), QStringLiteral("2")} +
            batchOptions());
        QVERIFY2(batch.exitCode == 0, qPrintable(batch.out + batch.err));
        const QString jobId =
            QRegularExpression(QStringLiteral("submitted job (\\d+)")).match(batch.out).captured(1);
        QVERIFY2(!jobId.isEmpty(), qPrintable(batch.out));
        bool killed = false;
        for (int attempt = 0; attempt < 3000 && !killed; ++attempt) {
            const QMap<int, QString> states = queue(jobId);
            if (states.value(0) == QLatin1String("RUNNING")) {
                const Run cancel = run(QStringLiteral("scancel"), {jobId + QStringLiteral("_0")});
                QVERIFY2(cancel.exitCode == 0, qPrintable(cancel.err));
                killed = true;
            }
            QVERIFY2(states.contains(0) || killed, "shard 0 left the queue before it could be killed");
            QThread::msleep(10);
        }
        QVERIFY(killed);
        for (int attempt = 0; attempt < 6000 && !queue(jobId).isEmpty(); ++attempt)
            QThread::msleep(100);
        QVERIFY(queue(jobId).isEmpty());

        const Run status =
            cli({QStringLiteral("batch"), QStringLiteral("status"), dir, QStringLiteral("--json")});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        const QJsonArray shards =
            QJsonDocument::fromJson(status.out.toUtf8()).object().value(QStringLiteral("shards")).toArray();
        QCOMPARE(shards.size(), 3);
        QCOMPARE(shards[0].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        QVERIFY(!shards[0].toObject().value(QStringLiteral("missing")).toArray().isEmpty());
        QCOMPARE(shards[1].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        QCOMPARE(shards[2].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("done"));

        // The shards cannot be merged as they are; the refusal names a missing video.
        const QString missingVideo =
            shards[0].toObject().value(QStringLiteral("missing")).toArray()[0].toString();
        const Run refused = cli({QStringLiteral("project"), QStringLiteral("merge"),
                                 path(QStringLiteral("partial.saccade")), dir});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(missingVideo), qPrintable(refused.err));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("partial.saccade"))));

        const Run resumed =
            cli({QStringLiteral("batch"), QStringLiteral("slurm"), QStringLiteral("--resume"), dir,
                 QStringLiteral("--wait"), QStringLiteral("--poll-s"), QStringLiteral("0.5")});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.out + resumed.err));
        QVERIFY2(resumed.out.contains(QRegularExpression(QStringLiteral("submitted job \\d+: shards 0\\n"))),
                 qPrintable(resumed.out));
        compareWithSingleProcess(QDir(dir).filePath(QStringLiteral("merged.saccade")));
    }
};

QTEST_GUILESS_MAIN(TestSlurmCluster)
#include "tst_slurmcluster.moc"
