#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

// The batch commands without a scheduler: the Slurm script (run here as Slurm would run one task), the
// Kubernetes manifest, batch status and project merge of shard projects.
class TestBatchCli : public QObject {
    Q_OBJECT
private:
    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };

    QTemporaryDir m_dir;
    QStringList m_videos;

    QString path(const QString& name) const { return QDir(m_dir.path()).filePath(name); }

    static Run run(const QString& program, const QStringList& arguments,
                   const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment()) {
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(program, arguments);
        Run result;
        if (!process.waitForFinished(180000))
            return result;
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

    static Run cli(const QStringList& arguments) {
        return run(qEnvironmentVariable("SACCADE_CLI"), arguments);
    }

    static QJsonObject readJson(const QString& file) {
        QFile in(file);
        return in.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(in.readAll()).object() : QJsonObject();
    }

    static QString readText(const QString& file) {
        QFile in(file);
        return in.open(QIODevice::ReadOnly) ? QString::fromUtf8(in.readAll()) : QString();
    }

    QString makeVideo(const QString& name, int seed) const {
        const QString video = path(name);
        const Run made = cli({QStringLiteral("demo-video"), QStringLiteral("--out"), video,
                              QStringLiteral("--minutes"), QStringLiteral("0.04"), QStringLiteral("--size"),
                              QStringLiteral("64x48"), QStringLiteral("--seed"), QString::number(seed)});
        return made.exitCode == 0 ? video : QString();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("SACCADE_CLI")), "SACCADE_CLI must name saccade-cli");
        QVERIFY(m_dir.isValid());
        // Given out of order: every shard sorts the list the same way.
        for (const QString& name :
             {QStringLiteral("c.mp4"), QStringLiteral("a.mp4"), QStringLiteral("b.mp4")}) {
            const QString video = makeVideo(name, int(m_videos.size()) + 1);
            QVERIFY(!video.isEmpty());
            m_videos << video;
        }
    }

    void slurmScriptRunsOneShard() {
        const QString dir = path(QStringLiteral("slurm"));
        const Run written = cli(
            QStringList{QStringLiteral("batch"), QStringLiteral("slurm"), QStringLiteral("demo")} + m_videos +
            QStringList{QStringLiteral("--shards"), QStringLiteral("2"), QStringLiteral("--out"), dir,
                        QStringLiteral("--dry-run"), QStringLiteral("--partition"), QStringLiteral("cpu"),
                        QStringLiteral("--time"), QStringLiteral("01:00:00"),
                        QStringLiteral("--cpus-per-task"), QStringLiteral("3"),
                        QStringLiteral("--sbatch-arg=--mem=4G"), QStringLiteral("--annotate-arg=--no-cache"),
                        QStringLiteral("--annotate-arg=--actionness=0")});
        QVERIFY2(written.exitCode == 0, qPrintable(written.err));
        const QString script = readText(QDir(dir).filePath(QStringLiteral("job.sbatch")));
        for (const QString& line :
             {QStringLiteral("#SBATCH --array=0-1\n"), QStringLiteral("#SBATCH --cpus-per-task=3\n"),
              QStringLiteral("#SBATCH --partition=cpu\n"), QStringLiteral("#SBATCH --time=01:00:00\n"),
              QStringLiteral("#SBATCH --mem=4G\n"), QStringLiteral("--shard \"${SLURM_ARRAY_TASK_ID}/2\""),
              QStringLiteral("--threads \"${SLURM_CPUS_PER_TASK:-3}\" '--no-cache' '--actionness=0'")})
            QVERIFY2(script.contains(line), qPrintable(line + QStringLiteral(" not in:\n") + script));
        const QStringList sorted{path(QStringLiteral("a.mp4")), path(QStringLiteral("b.mp4")),
                                 path(QStringLiteral("c.mp4"))};
        QCOMPARE(readText(QDir(dir).filePath(QStringLiteral("videos.txt"))),
                 sorted.join(QLatin1Char('\n')) + QLatin1Char('\n'));
        const QJsonObject manifest = readJson(QDir(dir).filePath(QStringLiteral("batch.json")));
        QCOMPARE(manifest.value(QStringLiteral("shards")).toInt(), 2);
        QVERIFY(manifest.value(QStringLiteral("jobs")).toArray().isEmpty());

        // The script as Slurm runs array task 1: shard 1 of [a, b, c] is b.
        QProcessEnvironment task = QProcessEnvironment::systemEnvironment();
        task.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), QStringLiteral("1"));
        task.insert(QStringLiteral("SLURM_JOB_ID"), QStringLiteral("7"));
        task.insert(QStringLiteral("SLURM_CPUS_PER_TASK"), QStringLiteral("1"));
        const Run shard =
            run(QStringLiteral("bash"), {QDir(dir).filePath(QStringLiteral("job.sbatch"))}, task);
        QVERIFY2(shard.exitCode == 0, qPrintable(shard.out + shard.err));
        QVERIFY2(shard.out.contains(QStringLiteral("shard 1/2")), qPrintable(shard.out));
        const QJsonArray videos = readJson(QDir(dir).filePath(QStringLiteral("shards/shard_1.saccade")))
                                      .value(QStringLiteral("videos"))
                                      .toArray();
        QCOMPARE(videos.size(), 1);
        QCOMPARE(videos[0].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("b"));

        const Run status =
            cli({QStringLiteral("batch"), QStringLiteral("status"), dir, QStringLiteral("--json")});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        const QJsonObject report = QJsonDocument::fromJson(status.out.toUtf8()).object();
        QCOMPARE(report.value(QStringLiteral("complete")).toBool(), false);
        const QJsonArray shards = report.value(QStringLiteral("shards")).toArray();
        QCOMPARE(shards[0].toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("not submitted"));
        QCOMPARE(shards[0].toObject().value(QStringLiteral("missing")).toArray(),
                 (QJsonArray{path(QStringLiteral("a.mp4")), path(QStringLiteral("c.mp4"))}));
        QCOMPARE(shards[1].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("done"));

        // Resuming would resubmit shard 0 only; a second batch into the same folder is refused.
        const Run resume = cli({QStringLiteral("batch"), QStringLiteral("slurm"), QStringLiteral("--resume"),
                                dir, QStringLiteral("--dry-run")});
        QVERIFY2(resume.exitCode == 0, qPrintable(resume.err));
        QVERIFY2(resume.out.contains(QStringLiteral("would run: sbatch --array=0 ")), qPrintable(resume.out));
        const Run again = cli({QStringLiteral("batch"), QStringLiteral("slurm"), QStringLiteral("demo"),
                               m_videos[0], QStringLiteral("--shards"), QStringLiteral("1"),
                               QStringLiteral("--out"), dir, QStringLiteral("--dry-run")});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains(QStringLiteral("--resume")), qPrintable(again.err));

        // The merge refuses the unfinished batch, naming what is missing, unless told to merge what is done.
        const QString merged = path(QStringLiteral("merged.saccade"));
        const Run refused = cli({QStringLiteral("project"), QStringLiteral("merge"), merged, dir});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("2 of 3 videos")) &&
                     refused.err.contains(path(QStringLiteral("a.mp4"))) &&
                     refused.err.contains(path(QStringLiteral("c.mp4"))),
                 qPrintable(refused.err));
        QVERIFY(!QFileInfo::exists(merged));
        const Run partial = cli({QStringLiteral("project"), QStringLiteral("merge"), merged, dir,
                                 QStringLiteral("--allow-partial")});
        QVERIFY2(partial.exitCode == 0, qPrintable(partial.err));
        QCOMPARE(readJson(merged).value(QStringLiteral("videos")).toArray().size(), 1);
        QVERIFY(QFileInfo::exists(path(QStringLiteral("merged.predictions/b.json"))));
        const Run exists = cli({QStringLiteral("project"), QStringLiteral("merge"), merged, dir,
                                QStringLiteral("--allow-partial")});
        QCOMPARE(exists.exitCode, 1);
        QVERIFY(exists.err.contains(QStringLiteral("already exists")));
    }

    void k8sManifestHasWhatTheJobApiRequires() {
        const QString dir = path(QStringLiteral("volume/Run_1"));
        const Run written = cli(
            QStringList{QStringLiteral("batch"), QStringLiteral("k8s"), QStringLiteral("demo")} + m_videos +
            QStringList{QStringLiteral("--shards"), QStringLiteral("3"), QStringLiteral("--out"), dir,
                        QStringLiteral("--image"), QStringLiteral("registry.local/saccade:1"),
                        QStringLiteral("--claim"), QStringLiteral("videos"), QStringLiteral("--mount"),
                        path(QStringLiteral("volume")), QStringLiteral("--cpus-per-task"),
                        QStringLiteral("2"), QStringLiteral("--parallelism"), QStringLiteral("2")});
        QVERIFY2(written.exitCode == 0, qPrintable(written.err));
        const QJsonObject job = readJson(QDir(dir).filePath(QStringLiteral("job.json")));
        QCOMPARE(job.value(QStringLiteral("apiVersion")).toString(), QStringLiteral("batch/v1"));
        QCOMPARE(job.value(QStringLiteral("kind")).toString(), QStringLiteral("Job"));
        // metadata.name: a DNS-1123 label of at most 63 characters.
        const QString name =
            job.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(name, QStringLiteral("saccade-run-1"));
        QVERIFY(QRegularExpression(QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")).match(name).hasMatch());
        const QJsonObject spec = job.value(QStringLiteral("spec")).toObject();
        // Indexed completion needs a completion count; parallelism and backoffLimit are non-negative.
        QCOMPARE(spec.value(QStringLiteral("completionMode")).toString(), QStringLiteral("Indexed"));
        QCOMPARE(spec.value(QStringLiteral("completions")).toInt(), 3);
        QCOMPARE(spec.value(QStringLiteral("parallelism")).toInt(), 2);
        QVERIFY(spec.value(QStringLiteral("backoffLimit")).toInt(-1) >= 0);
        const QJsonObject podSpec =
            spec.value(QStringLiteral("template")).toObject().value(QStringLiteral("spec")).toObject();
        // A Job's pods may only restart Never or OnFailure.
        QVERIFY(QStringList({QStringLiteral("Never"), QStringLiteral("OnFailure")})
                    .contains(podSpec.value(QStringLiteral("restartPolicy")).toString()));
        const QJsonArray containers = podSpec.value(QStringLiteral("containers")).toArray();
        QCOMPARE(containers.size(), 1);
        const QJsonObject container = containers[0].toObject();
        QVERIFY(!container.value(QStringLiteral("name")).toString().isEmpty());
        QCOMPARE(container.value(QStringLiteral("image")).toString(),
                 QStringLiteral("registry.local/saccade:1"));
        QStringList args;
        for (const QJsonValue& arg : container.value(QStringLiteral("args")).toArray())
            args << arg.toString();
        QVERIFY2(args.join(QLatin1Char(' '))
                     .contains(QStringLiteral("--shard $(JOB_COMPLETION_INDEX)/3 --project ") + dir +
                               QStringLiteral("/shards/shard_$(JOB_COMPLETION_INDEX).saccade "
                                              "--threads 2")),
                 qPrintable(args.join(QLatin1Char(' '))));
        QCOMPARE(args.mid(2, 3), (QStringList{path(QStringLiteral("a.mp4")), path(QStringLiteral("b.mp4")),
                                              path(QStringLiteral("c.mp4"))}));
        QCOMPARE(container.value(QStringLiteral("resources"))
                     .toObject()
                     .value(QStringLiteral("requests"))
                     .toObject()
                     .value(QStringLiteral("cpu"))
                     .toString(),
                 QStringLiteral("2"));
        // Every mount names a volume of the pod; the volume is the shared claim.
        QStringList volumes;
        for (const QJsonValue& volume : podSpec.value(QStringLiteral("volumes")).toArray()) {
            volumes << volume.toObject().value(QStringLiteral("name")).toString();
            QCOMPARE(volume.toObject()
                         .value(QStringLiteral("persistentVolumeClaim"))
                         .toObject()
                         .value(QStringLiteral("claimName"))
                         .toString(),
                     QStringLiteral("videos"));
        }
        const QJsonArray mounts = container.value(QStringLiteral("volumeMounts")).toArray();
        QCOMPARE(mounts.size(), 1);
        QVERIFY(volumes.contains(mounts[0].toObject().value(QStringLiteral("name")).toString()));
        QCOMPARE(mounts[0].toObject().value(QStringLiteral("mountPath")).toString(),
                 path(QStringLiteral("volume")));

        const Run status = cli({QStringLiteral("batch"), QStringLiteral("status"), dir});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        QVERIFY2(status.out.contains(QStringLiteral("0 of 3 shards done")), qPrintable(status.out));

        const Run outside =
            cli({QStringLiteral("batch"), QStringLiteral("k8s"), QStringLiteral("demo"), m_videos[0],
                 QStringLiteral("--shards"), QStringLiteral("1"), QStringLiteral("--out"),
                 path(QStringLiteral("elsewhere")), QStringLiteral("--image"), QStringLiteral("i"),
                 QStringLiteral("--claim"), QStringLiteral("c"), QStringLiteral("--mount"),
                 path(QStringLiteral("volume"))});
        QCOMPARE(outside.exitCode, 2);
        QVERIFY(outside.err.contains(QStringLiteral("must be under --mount")));
    }

    void mergeRefusesAChangedVideo() {
        const QString video = path(QStringLiteral("changing.mp4"));
        QFile::copy(m_videos[0], video);
        QFile labels(path(QStringLiteral("labels.txt")));
        QVERIFY(labels.open(QIODevice::WriteOnly));
        labels.write("wave\njump\n");
        labels.close();
        const QString first = path(QStringLiteral("first.saccade"));
        QCOMPARE(cli({QStringLiteral("project"), QStringLiteral("new"), first, QStringLiteral("--labels"),
                      labels.fileName(), video})
                     .exitCode,
                 0);
        QFile::remove(video);
        QFile::copy(m_videos[1], video);
        const QString second = path(QStringLiteral("second.saccade"));
        QCOMPARE(cli({QStringLiteral("project"), QStringLiteral("new"), second, QStringLiteral("--labels"),
                      labels.fileName(), video})
                     .exitCode,
                 0);
        const Run merged = cli({QStringLiteral("project"), QStringLiteral("merge"),
                                path(QStringLiteral("both.saccade")), first, second});
        QCOMPARE(merged.exitCode, 1);
        QVERIFY2(merged.out.contains(QStringLiteral("conflict: ") + video), qPrintable(merged.out));
        QVERIFY2(merged.err.contains(QStringLiteral("the inputs conflict")), qPrintable(merged.err));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("both.saccade"))));
    }
};

QTEST_GUILESS_MAIN(TestBatchCli)
#include "tst_batchcli.moc"
