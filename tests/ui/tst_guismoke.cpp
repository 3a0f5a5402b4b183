#include "tests/inference/inferencefixtures.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace saccade;

// Starts the real desktop program offscreen on a generated video with a tiny model.
class GuiSmokeTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_program;

    QProcess* start(const QStringList& arguments) {
        auto* process = new QProcess(this);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        // Settings, cache and data of this run stay in the temporary folder.
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
        environment.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("cache")));
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        // No demo model in this data folder, whatever the source tree holds.
        environment.insert(QStringLiteral("SACCADE_DATA_DIR"), m_dir.filePath(QStringLiteral("data")));
        process->setProcessEnvironment(environment);
        process->start(m_program, arguments);
        return process;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // The desktop program is built beside the command-line one.
        const QString cli = qEnvironmentVariable("SACCADE_CLI");
        QVERIFY2(!cli.isEmpty(), "SACCADE_CLI is not set");
        m_program = QFileInfo(cli).dir().filePath(QStringLiteral("../gui/saccade"));
        QVERIFY2(QFileInfo(m_program).isExecutable(),
                 qPrintable(m_program + QStringLiteral(" is not built")));
    }

    void analysesAWindowAndQuits() {
        const QString video = m_dir.filePath(QStringLiteral("clip.mp4"));
        const QString made = testing::makeVideo(video, 150, 96, 64);
        QVERIFY2(made.isEmpty(), qPrintable(made));
        const QString model = m_dir.filePath(QStringLiteral("tiny"));
        const QString written = testing::writeTinyModel(model);
        QVERIFY2(written.isEmpty(), qPrintable(written));

        QProcess* process = start({QStringLiteral("--smoke-test"), QStringLiteral("--model"), model, video});
        QVERIFY(process->waitForFinished(60000));
        const QString output = QString::fromUtf8(process->readAllStandardOutput());
        QCOMPARE(process->exitStatus(), QProcess::NormalExit);
        QVERIFY2(process->exitCode() == 0, qPrintable(process->readAllStandardError()));
        // The window under the playhead (frame 0) comes first, with one of the model's labels.
        QVERIFY2(output.contains(QStringLiteral("analysed window 0 frames 0-")), qPrintable(output));
        QVERIFY(output.contains(QStringLiteral("wave")) || output.contains(QStringLiteral("jump")) ||
                output.contains(QStringLiteral("sit")));
    }

    void reportsAMissingModelAndFails() {
        const QString video = m_dir.filePath(QStringLiteral("clip.mp4"));
        QProcess* process =
            start({QStringLiteral("--smoke-test"), QStringLiteral("--model"), QStringLiteral("demo"), video});
        QVERIFY(process->waitForFinished(60000));
        QCOMPARE(process->exitCode(), 1);
        QVERIFY(QString::fromUtf8(process->readAllStandardError()).contains(QStringLiteral("No demo model")));
    }
};

QTEST_MAIN(GuiSmokeTest)
#include "tst_guismoke.moc"
