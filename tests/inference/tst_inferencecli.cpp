#include "inferencefixtures.h"

#include "core/util/npy.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace saccade;

namespace {

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

CliRun runCli(const QStringList& arguments) {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    process.setProcessEnvironment(environment);
    process.start(qEnvironmentVariable("SACCADE_CLI"), arguments);
    CliRun run;
    if (!process.waitForFinished(120000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QJsonObject readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TestInferenceCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_model;
    QString m_video;
    QString m_otherVideo;

    QString path(const QString& name) const { return QDir(m_dir.path()).filePath(name); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("SACCADE_CLI")),
                 "SACCADE_CLI must name the built saccade-cli");
        m_model = path(QStringLiteral("tiny"));
        QCOMPARE(testing::writeTinyModel(m_model), QString());
        m_video = path(QStringLiteral("a.mp4"));
        QCOMPARE(testing::makeVideo(m_video, 40), QString());
        m_otherVideo = path(QStringLiteral("b.mp4"));
        QCOMPARE(testing::makeVideo(m_otherVideo, 24, 48, 64), QString());
    }

    void predictJson() {
        const CliRun one = runCli({QStringLiteral("predict"), m_model, m_video, QStringLiteral("--top-k"),
                                   QStringLiteral("2"), QStringLiteral("--json")});
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        const QJsonObject result = QJsonDocument::fromJson(one.out).object();
        QCOMPARE(result.value(QStringLiteral("video")).toString(), m_video);
        QCOMPARE(result.value(QStringLiteral("model")).toString(), m_model);
        QCOMPARE(result.value(QStringLiteral("views")).toInt(), 1);
        // 4 frames at rate 32 span 128 frames: linspace(0, 127, 4) floored, clamped to the 40 frames.
        QCOMPARE(result.value(QStringLiteral("frames")).toArray(), (QJsonArray{0, 39, 39, 39}));
        const QJsonArray top = result.value(QStringLiteral("top")).toArray();
        QCOMPARE(top.size(), 2);
        const QJsonObject first = top[0].toObject();
        QVERIFY(
            QStringList({"wave", "jump", "sit"}).contains(first.value(QStringLiteral("label")).toString()));
        QVERIFY(first.value(QStringLiteral("prob")).toDouble() >=
                top[1].toObject().value(QStringLiteral("prob")).toDouble());
        QVERIFY(first.value(QStringLiteral("logit")).toDouble() >=
                top[1].toObject().value(QStringLiteral("logit")).toDouble());

        const CliRun three = runCli({QStringLiteral("predict"), m_model, m_video, QStringLiteral("--views"),
                                     QStringLiteral("3"), QStringLiteral("--json")});
        QVERIFY2(three.exitCode == 0, qPrintable(three.err));
        const QJsonObject threeViews = QJsonDocument::fromJson(three.out).object();
        QCOMPARE(threeViews.value(QStringLiteral("views")).toInt(), 3);
        QCOMPARE(threeViews.value(QStringLiteral("top")).toArray().size(), 3);
    }

    void predictErrors() {
        const CliRun missing = runCli({QStringLiteral("predict"), m_model, path(QStringLiteral("none.mp4"))});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(QStringLiteral("none.mp4")));
        const CliRun badModel =
            runCli({QStringLiteral("predict"), path(QStringLiteral("none.pyth")), m_video});
        QCOMPARE(badModel.exitCode, 1);
        QVERIFY(badModel.err.contains(QStringLiteral("none.pyth")));
        const CliRun badViews = runCli(
            {QStringLiteral("predict"), m_model, m_video, QStringLiteral("--views"), QStringLiteral("2")});
        QCOMPARE(badViews.exitCode, 2);
    }

    void attentionOutputs() {
        const QString out = path(QStringLiteral("attention"));
        const CliRun run =
            runCli({QStringLiteral("attention"), m_model, m_video, QStringLiteral("--at"),
                    QStringLiteral("5"), QStringLiteral("--out"), out, QStringLiteral("--rollout"),
                    QStringLiteral("--head"), QStringLiteral("max")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(QDir(out).entryList({QStringLiteral("*.png")}, QDir::Files).size(), 4);
        Result<FloatArray> spatial = readNpy(QDir(out).filePath(QStringLiteral("spatial.npy")));
        QVERIFY(spatial.ok());
        QCOMPARE(spatial->shape, (std::vector<int64_t>{2, 2, 4, 2, 2}));
        Result<FloatArray> temporal = readNpy(QDir(out).filePath(QStringLiteral("temporal.npy")));
        QVERIFY(temporal.ok());
        QCOMPARE(temporal->shape, (std::vector<int64_t>{2, 2, 4, 4, 4}));
        Result<FloatArray> rollout = readNpy(QDir(out).filePath(QStringLiteral("rollout.npy")));
        QVERIFY(rollout.ok());
        QCOMPARE(rollout->shape, (std::vector<int64_t>{4, 2, 2}));
        const QJsonObject sidecar = readJson(QDir(out).filePath(QStringLiteral("attention.json")));
        QVERIFY(sidecar.value(QStringLiteral("model_hash")).toString().startsWith(QStringLiteral("sha256:")));
        // The video is shorter than the span (128 frames): the grid's samples, clamped to the last frame.
        QCOMPARE(sidecar.value(QStringLiteral("frames")).toArray(), (QJsonArray{0, 32, 39, 39}));
        // 64x48 frames: short side 48 -> the crop is the full height, centred horizontally.
        const QJsonArray box = sidecar.value(QStringLiteral("crop_box")).toArray();
        QCOMPARE(box.size(), 4);
        QCOMPARE(box[1].toInt(), 0);
        QCOMPARE(box[3].toInt(), 48);
        QVERIFY(box[0].toInt() > 0 && box[0].toInt() + box[2].toInt() <= 64);
        const QImage overlay(QDir(out).filePath(QDir(out).entryList({QStringLiteral("*.png")}).first()));
        QCOMPARE(overlay.size(), QSize(64, 48));

        const CliRun outside = runCli({QStringLiteral("attention"), m_model, m_video, QStringLiteral("--at"),
                                       QStringLiteral("400"), QStringLiteral("--out"), out});
        QCOMPARE(outside.exitCode, 1);
        QVERIFY(outside.err.contains(QStringLiteral("outside")));
    }

    void annotateShardsAndResumes() {
        const QStringList common = {QStringLiteral("--sampling-rate"), QStringLiteral("2"),
                                    QStringLiteral("--actionness"),    QStringLiteral("0"),
                                    QStringLiteral("--min-segment-s"), QStringLiteral("0"),
                                    QStringLiteral("--no-cache")};
        int videosSeen = 0;
        for (int k = 0; k < 2; ++k) {
            const QString project = path(QStringLiteral("shard%1.saccade").arg(k));
            const CliRun run = runCli(QStringList{QStringLiteral("annotate"), m_model, m_video, m_otherVideo,
                                                  QStringLiteral("--project"), project,
                                                  QStringLiteral("--shard"), QStringLiteral("%1/2").arg(k)} +
                                      common);
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            const QJsonObject root = readJson(project);
            const QJsonArray videos = root.value(QStringLiteral("videos")).toArray();
            QCOMPARE(videos.size(), 1);
            ++videosSeen;
            const QJsonArray segments = videos[0].toObject().value(QStringLiteral("segments")).toArray();
            QVERIFY(!segments.isEmpty());
            for (const QJsonValue& segment : segments)
                QCOMPARE(segment.toObject().value(QStringLiteral("state")).toString(),
                         QStringLiteral("proposed"));
            const QString predictions = path(QStringLiteral("shard%1.predictions").arg(k));
            QCOMPARE(QDir(predictions).entryList({QStringLiteral("*.json")}).size(), 1);
            const QJsonObject perWindow = readJson(
                QDir(predictions).filePath(QDir(predictions).entryList({QStringLiteral("*.json")}).first()));
            QVERIFY(!perWindow.value(QStringLiteral("windows")).toArray().isEmpty());
            QCOMPARE(perWindow.value(QStringLiteral("windows"))
                         .toArray()[0]
                         .toObject()
                         .value(QStringLiteral("probabilities"))
                         .toArray()
                         .size(),
                     3);

            // A second run finds the video done and leaves the project as it was.
            const CliRun again =
                runCli(QStringList{QStringLiteral("annotate"), m_model, m_video, m_otherVideo,
                                   QStringLiteral("--project"), project, QStringLiteral("--shard"),
                                   QStringLiteral("%1/2").arg(k)} +
                       common);
            QVERIFY2(again.exitCode == 0, qPrintable(again.err));
            QVERIFY(again.out.contains("already done"));
            QCOMPARE(readJson(project), root);
        }
        QCOMPARE(videosSeen, 2);
        const CliRun badShard =
            runCli({QStringLiteral("annotate"), m_model, m_video, QStringLiteral("--project"),
                    path(QStringLiteral("x.saccade")), QStringLiteral("--shard"), QStringLiteral("2/2")});
        QCOMPARE(badShard.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestInferenceCli)
#include "tst_inferencecli.moc"
