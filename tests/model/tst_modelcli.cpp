// The model commands of saccade-cli, run as a user would: files in, files out, exit codes.
#include "core/util/npy.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace saccade;

namespace {

QString fixture(const QString& name) {
    return QDir(qEnvironmentVariable("SACCADE_SOURCE_DIR"))
        .filePath(QStringLiteral("tests/model/fixtures/") + name);
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList& arguments) {
    QProcess process;
    process.start(qEnvironmentVariable("SACCADE_CLI"), arguments);
    process.waitForFinished(120000);
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class TestModelCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void forwardWritesLogitsAndAttention() {
        QTemporaryDir directory;
        const QString logits = directory.filePath(QStringLiteral("logits.npy"));
        const QString maps = directory.filePath(QStringLiteral("maps"));
        const Run run = runCli({QStringLiteral("forward"), fixture(QStringLiteral("divided_hf_safetensors")),
                                QStringLiteral("--input"), fixture(QStringLiteral("input.npy")),
                                QStringLiteral("--logits"), logits, QStringLiteral("--attention-dir"), maps});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const Result<FloatArray> actual = readNpy(logits);
        const Result<FloatArray> expected = readNpy(fixture(QStringLiteral("divided_logits.npy")));
        QVERIFY(actual.ok() && expected.ok());
        QCOMPARE(actual->shape, expected->shape);
        for (size_t i = 0; i < actual->values.size(); ++i)
            QVERIFY(std::fabs(actual->values[i] - expected->values[i]) <= 1e-4f);
        QCOMPARE(QDir(maps).entryList({QStringLiteral("*.npy")}, QDir::Files),
                 (QStringList{"space_L0.npy", "space_L1.npy", "time_L0.npy", "time_L1.npy"}));
        QCOMPARE(readNpy(maps + QStringLiteral("/time_L1.npy"))->shape, (std::vector<int64_t>{32, 4, 4, 4}));
    }

    void infoJsonAndConvert() {
        Run run =
            runCli({QStringLiteral("info"), fixture(QStringLiteral("joint.pyth")), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject info = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(info.value(QLatin1String("attention_type")).toString(), QStringLiteral("joint_space_time"));
        QCOMPARE(info.value(QLatin1String("num_classes")).toInt(), 5);
        QVERIFY(info.value(QLatin1String("parameters")).toDouble() > 20000);

        QTemporaryDir directory;
        run = runCli({QStringLiteral("convert"), fixture(QStringLiteral("joint.pyth")),
                      QStringLiteral("--heads"), QStringLiteral("4"), QStringLiteral("--out"),
                      directory.path()});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = runCli({QStringLiteral("info"), directory.path(), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(QLatin1String("heads")).toInt(), 4);
    }

    void errorsNameTheFile_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("evil pickle") << QStringList{"info", fixture("evil_eval.pth")} << "builtins.eval";
        QTest::newRow("missing model")
            << QStringList{"info", "/nonexistent/model.pyth"} << "/nonexistent/model.pyth";
        QTest::newRow("bad input shape")
            << QStringList{"forward",  fixture("joint.pyth"),
                           "--input",  fixture("divided_logits.npy"),
                           "--logits", QDir::temp().filePath("saccade-unused.npy")}
            << "(B, 3, T, H, W)";
    }

    void errorsNameTheFile() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const Run run = runCli(arguments);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(QString::fromUtf8(run.err).contains(expected), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestModelCli)
#include "tst_modelcli.moc"
