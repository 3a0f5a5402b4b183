#include "core/export/stagedoutput.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace saccade;

namespace {

const QStringList kFiles{QStringLiteral("kinetics.csv"), QStringLiteral("clips/a.mp4"),
                         QStringLiteral("clips/b.mp4"), QStringLiteral("saccade-export.json")};

void writeTo(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

QByteArray read(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

// Everything in the folder, hidden entries included, relative to it.
QStringList entries(const QString& dir) {
    QStringList names;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        names << QDir(dir).relativeFilePath(it.next());
    names.sort();
    return names;
}

Status exportGeneration(const QString& dir, int generation) {
    StagedOutput output(dir);
    if (Status prepared = output.prepare(); !prepared)
        return prepared;
    for (const QString& name : kFiles) {
        if (Status written = output.writeFile(name, QByteArray::number(generation)); !written)
            return written;
    }
    return output.commit();
}

// A process id that is not running (above any pid_max).
const QString kDeadStaging = QStringLiteral(".saccade-staging-2147483600-dead");

} // namespace

class TestStagedOutput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void commitLeavesOnlyTheFiles() {
        QTemporaryDir dir;
        QVERIFY(exportGeneration(dir.path(), 1).ok());
        QVERIFY(exportGeneration(dir.path(), 2).ok());
        QCOMPARE(entries(dir.path()),
                 (QStringList{QStringLiteral("clips"), QStringLiteral("clips/a.mp4"),
                              QStringLiteral("clips/b.mp4"), QStringLiteral("kinetics.csv"),
                              QStringLiteral("saccade-export.json")}));
        for (const QString& name : kFiles)
            QCOMPARE(read(dir.filePath(name)), QByteArray("2"));
    }

    void interruptedCommitIsFinishedByTheNextRun() {
        QTemporaryDir dir;
        QVERIFY(exportGeneration(dir.path(), 1).ok());
        // The state a kill -9 left: the journal written, kinetics.csv already moved, the rest staged.
        writeTo(dir.filePath(QStringLiteral("kinetics.csv")), "2");
        for (const QString& name : kFiles.mid(1))
            writeTo(dir.filePath(kDeadStaging + QLatin1Char('/') + name), "2");
        writeTo(dir.filePath(QStringLiteral(".saccade-commit")),
                QStringLiteral(R"({"staging": "%1", "files": ["kinetics.csv", "clips/a.mp4", "clips/b.mp4",
                               "saccade-export.json"]})")
                    .arg(kDeadStaging)
                    .toUtf8());
        Result<int> moved = StagedOutput::recover(dir.path());
        QVERIFY(moved.ok());
        QCOMPARE(moved.value(), 3);
        for (const QString& name : kFiles)
            QCOMPARE(read(dir.filePath(name)), QByteArray("2"));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral(".saccade-commit"))));
        QVERIFY(!QFileInfo::exists(dir.filePath(kDeadStaging)));
    }

    void leftoversOfDeadRunsAreCleaned() {
        QTemporaryDir dir;
        writeTo(dir.filePath(kDeadStaging + QStringLiteral("/clips/x.mp4")), "half");
        writeTo(dir.filePath(QStringLiteral("clips/x.mp4.saccade-partial")), "half");
        writeTo(dir.filePath(QStringLiteral("clips/y.mp4.saccade-previous")), "kept aside, never replaced");
        writeTo(dir.filePath(QStringLiteral("kinetics.csv")), "new");
        writeTo(dir.filePath(QStringLiteral("kinetics.csv.saccade-previous")), "old");
        // A staging folder of a live process (this one) is left alone.
        const QString live = QStringLiteral(".saccade-staging-%1-live").arg(::getpid());
        QVERIFY(QDir(dir.path()).mkdir(live));
        QVERIFY(StagedOutput::recover(dir.path()).ok());
        QCOMPARE(entries(dir.path()),
                 (QStringList{live, QStringLiteral("clips"), QStringLiteral("clips/y.mp4"),
                              QStringLiteral("kinetics.csv")}));
        QCOMPARE(read(dir.filePath(QStringLiteral("clips/y.mp4"))), QByteArray("kept aside, never replaced"));
        QCOMPARE(read(dir.filePath(QStringLiteral("kinetics.csv"))), QByteArray("new"));
    }

    void failedRenamePutsTheEarlierFilesBack() {
        QTemporaryDir dir;
        QVERIFY(exportGeneration(dir.path(), 1).ok());
        writeTo(dir.filePath(QStringLiteral("blocker")), "a file where a folder is needed");
        StagedOutput output(dir.path());
        QVERIFY(output.prepare().ok());
        QVERIFY(output.writeFile(QStringLiteral("kinetics.csv"), "2").ok());
        // Staged in its own tree, the clash with the file "blocker" shows only when moving into place.
        QVERIFY(output.writeFile(QStringLiteral("blocker/x.csv"), "2").ok());
        QVERIFY(output.writeFile(QStringLiteral("saccade-export.json"), "2").ok());
        QVERIFY(!output.commit().ok());
        QCOMPARE(read(dir.filePath(QStringLiteral("kinetics.csv"))), QByteArray("1"));
        QCOMPARE(read(dir.filePath(QStringLiteral("saccade-export.json"))), QByteArray("1"));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral(".saccade-commit"))));
        output.discard();
        QCOMPARE(entries(dir.path()).filter(QStringLiteral(".saccade")), QStringList());
    }

    // kill -9 at arbitrary moments of a run of exports: after recovery every file is of one generation.
    void killedExportsLeaveOneCompleteGeneration() {
        QTemporaryDir dir;
        QVERIFY(exportGeneration(dir.path(), 0).ok());
        for (int round = 0; round < 20; ++round) {
            const pid_t child = ::fork();
            QVERIFY(child >= 0);
            if (child == 0) {
                for (int generation = 1;; ++generation) {
                    if (!exportGeneration(dir.path(), round * 100000 + generation).ok())
                        ::_exit(1);
                }
            }
            ::usleep(QRandomGenerator::global()->bounded(1000, 30000));
            ::kill(child, SIGKILL);
            int status = 0;
            ::waitpid(child, &status, 0);
            QVERIFY(WIFSIGNALED(status));
            QVERIFY(StagedOutput::recover(dir.path()).ok());
            const QByteArray manifest = read(dir.filePath(QStringLiteral("saccade-export.json")));
            for (const QString& name : kFiles)
                QCOMPARE(read(dir.filePath(name)), manifest);
            const QStringList left = entries(dir.path()).filter(QStringLiteral(".saccade"));
            QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(' '))));
        }
    }
};

QTEST_GUILESS_MAIN(TestStagedOutput)
#include "tst_stagedoutput.moc"
