#include <QProcess>
#include <QtTest>

// Runs the real saccade-cli binary: the command contract that scripts rely on.
class TestCli : public QObject {
    Q_OBJECT
private:
    static QString cliPath() { return qEnvironmentVariable("SACCADE_CLI"); }

    static QProcess* run(const QStringList& arguments) {
        auto* process = new QProcess;
        process->start(cliPath(), arguments);
        process->waitForFinished(60000);
        return process;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(cliPath()), "SACCADE_CLI must name the built saccade-cli");
    }

    void helpListsCommands() {
        QScopedPointer<QProcess> process(run({QStringLiteral("--help")}));
        QCOMPARE(process->exitCode(), 0);
        const QString out = QString::fromUtf8(process->readAllStandardOutput());
        QVERIFY(out.contains(QStringLiteral("Usage: saccade-cli COMMAND")));
        QVERIFY(out.contains(QStringLiteral("version")));
    }

    void unknownCommandIsAUsageError() {
        QScopedPointer<QProcess> process(run({QStringLiteral("frobnicate")}));
        QCOMPARE(process->exitCode(), 2);
        QVERIFY(QString::fromUtf8(process->readAllStandardError())
                    .contains(QStringLiteral("unknown command 'frobnicate'")));
    }

    void commandHelpNamesTheCommandAndSucceeds() {
        QScopedPointer<QProcess> process(run({QStringLiteral("probe"), QStringLiteral("--help")}));
        QCOMPARE(process->exitCode(), 0);
        const QString out = QString::fromUtf8(process->readAllStandardOutput());
        QVERIFY2(out.startsWith(QStringLiteral("Usage: saccade-cli probe ")), qPrintable(out));
    }

    void aFamilyNameListsItsCommands() {
        QScopedPointer<QProcess> help(run({QStringLiteral("project"), QStringLiteral("--help")}));
        QCOMPARE(help->exitCode(), 0);
        const QString out = QString::fromUtf8(help->readAllStandardOutput());
        for (const QString& name : {QStringLiteral("project new"), QStringLiteral("project add"),
                                    QStringLiteral("project show"), QStringLiteral("project merge")})
            QVERIFY2(out.contains(name), qPrintable(out));
        QVERIFY(!out.contains(QStringLiteral("bench decode")));
        // A wrong member is a usage error that lists the family.
        QScopedPointer<QProcess> wrong(run({QStringLiteral("bench"), QStringLiteral("frobnicate")}));
        QCOMPARE(wrong->exitCode(), 2);
        const QString err = QString::fromUtf8(wrong->readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("'bench frobnicate' is not a command")), qPrintable(err));
        QVERIFY(err.contains(QStringLiteral("bench decode")));
    }

    void unknownOptionNamesTheCommand() {
        QScopedPointer<QProcess> process(run({QStringLiteral("version"), QStringLiteral("--bogus")}));
        QCOMPARE(process->exitCode(), 2);
        const QString err = QString::fromUtf8(process->readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("saccade-cli version:")), qPrintable(err));
        QVERIFY(err.contains(QStringLiteral("bogus")));
    }

    // A command busy in a step that does not check for cancellation still ends promptly with the
    // interrupt exit code: after a grace period, or at once on a second signal.
    void terminationEndsABusyCommand_data() {
        QTest::addColumn<int>("signals");
        QTest::newRow("one SIGTERM") << 1;
        QTest::newRow("two SIGTERMs") << 2;
    }

    void terminationEndsABusyCommand() {
        QFETCH(int, signals);
        QProcess process;
        process.start(cliPath(),
                      {QStringLiteral("bench"), QStringLiteral("project"), QStringLiteral("--segments"),
                       QStringLiteral("3000000"), QStringLiteral("--runs"), QStringLiteral("1")});
        QVERIFY(process.waitForStarted());
        // The header line is printed just before the first (long) measurement starts.
        while (!process.canReadLine())
            QVERIFY(process.waitForReadyRead(30000));
        for (int i = 0; i < signals; ++i)
            process.terminate();
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(!process.readAllStandardError().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
