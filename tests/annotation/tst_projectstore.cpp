#include "core/annotation/projectfile.h"
#include "core/annotation/projectstore.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <cstdio>

using namespace saccade;

namespace {

const QString kSaveLoopArgument = QStringLiteral("--save-loop");

ProjectData smallProject() {
    ProjectData data;
    data.labels = LabelSet::fromNames({QStringLiteral("run"), QStringLiteral("jump")}).value();
    VideoEntry video;
    video.id = QStringLiteral("v");
    video.path = QStringLiteral("/nonexistent/v.mp4");
    video.probe = {64, 48, 30.0, 1000000, 1000000 / 30.0};
    data.videos.push_back(video);
    return data;
}

Segment segmentAt(qint64 start) {
    Segment segment;
    segment.startFrame = start;
    segment.endFrame = start + 1;
    segment.label = QStringLiteral("run");
    return segment;
}

int segmentCount(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    auto data = ProjectFile::parse(file.readAll(), path);
    return data ? static_cast<int>(data->videos.front().segments.size()) : -2;
}

// Child process: adds one segment at a time, alternating full saves and autosaves, and reports each
// write on stdout so the parent knows what must survive a kill.
int runSaveLoop(const QString& projectPath) {
    auto store = ProjectStore::open(projectPath);
    if (!store)
        return 3;
    (*store)->setAutosaveDelayMs(0);
    for (int i = 0;; ++i) {
        if (!(*store)->document()->addSegment(QStringLiteral("v"), segmentAt(i)).ok())
            return 4;
        const bool full = i % 2 == 0;
        const Status written = full ? (*store)->save() : (*store)->autosaveNow();
        if (!written)
            return 5;
        std::printf("%s %d\n", full ? "saved" : "autosaved", i + 1);
        std::fflush(stdout);
    }
}

} // namespace

class TestProjectStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createSaveAndReopen() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.saccade"));
        {
            auto store = ProjectStore::create(path, smallProject());
            QVERIFY(store.ok());
            QVERIFY(!ProjectStore::create(path, smallProject()).ok());
            QVERIFY((*store)->document()->addSegment(QStringLiteral("v"), segmentAt(3)).ok());
            QVERIFY((*store)->hasUnsavedChanges());
            QVERIFY((*store)->save().ok());
            QVERIFY(!(*store)->hasUnsavedChanges());
            QVERIFY((*store)->document()->undoStack()->isClean());
        }
        QVERIFY(!QFileInfo::exists(ProjectStore::lockPath(path)));
        auto reopened = ProjectStore::open(path);
        QVERIFY(reopened.ok());
        QCOMPARE((*reopened)->document()->video(QStringLiteral("v"))->segments.front().startFrame, qint64(3));
    }

    void secondOpenIsRefused() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.saccade"));
        auto first = ProjectStore::create(path, smallProject());
        QVERIFY(first.ok());
        auto second = ProjectStore::open(path);
        QVERIFY(!second.ok());
        QCOMPARE(second.error().category, ErrorCategory::AccessDenied);
        QVERIFY2(second.error().message.contains(QStringLiteral("open in another process")),
                 qPrintable(second.error().message));
        QVERIFY(second.error().message.contains(QString::number(QCoreApplication::applicationPid())));
    }

    void autosaveIsDebouncedAndOffersRecovery() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.saccade"));
        {
            auto store = ProjectStore::create(path, smallProject());
            QVERIFY(store.ok());
            (*store)->setAutosaveDelayMs(50);
            QSignalSpy autosaved(store->get(), &ProjectStore::autosaved);
            for (int i = 0; i < 5; ++i)
                QVERIFY((*store)->document()->addSegment(QStringLiteral("v"), segmentAt(i)).ok());
            QVERIFY(!QFileInfo::exists(ProjectStore::autosavePath(path)));
            QTRY_COMPARE(autosaved.count(), 1);
            QCOMPARE(segmentCount(ProjectStore::autosavePath(path)), 5);
            QCOMPARE(segmentCount(path), 0);
            QVERIFY(ProjectStore::recoveryInfo(path).available);
            // Closing with unsaved changes keeps the sidecar for recovery.
        }
        QVERIFY(ProjectStore::recoveryInfo(path).available);
        {
            auto kept = ProjectStore::open(path, RecoveryChoice::Keep);
            QVERIFY(kept.ok());
            QCOMPARE((*kept)->document()->video(QStringLiteral("v"))->segments.size(), size_t(0));
        }
        QVERIFY(ProjectStore::recoveryInfo(path).available);
        {
            auto recovered = ProjectStore::open(path, RecoveryChoice::Recover);
            QVERIFY(recovered.ok());
            QCOMPARE((*recovered)->document()->video(QStringLiteral("v"))->segments.size(), size_t(5));
            QVERIFY((*recovered)->hasUnsavedChanges());
            QVERIFY((*recovered)->save().ok());
            QVERIFY(!ProjectStore::recoveryInfo(path).available);
        }
        QCOMPARE(segmentCount(path), 5);
    }

    void autosaveFailureIsReportedAndProjectUntouched() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.saccade"));
        auto store = ProjectStore::create(path, smallProject());
        QVERIFY(store.ok());
        QFile project(path);
        QVERIFY(project.open(QIODevice::ReadOnly));
        const QByteArray before = project.readAll();
        project.close();
        // A folder where the sidecar should go makes every autosave fail.
        QVERIFY(QDir().mkpath(ProjectStore::autosavePath(path)));
        (*store)->setAutosaveDelayMs(10);
        QSignalSpy failed(store->get(), &ProjectStore::autosaveFailed);
        QVERIFY((*store)->document()->addSegment(QStringLiteral("v"), segmentAt(2)).ok());
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.first().first().value<Error>().path, ProjectStore::autosavePath(path));
        QVERIFY(project.open(QIODevice::ReadOnly));
        QCOMPARE(project.readAll(), before);
        QVERIFY((*store)->hasUnsavedChanges());
    }

    void discardRemovesTheSidecar() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.saccade"));
        {
            auto store = ProjectStore::create(path, smallProject());
            QVERIFY(store.ok());
            QVERIFY((*store)->document()->addSegment(QStringLiteral("v"), segmentAt(1)).ok());
            QVERIFY((*store)->autosaveNow().ok());
        }
        auto opened = ProjectStore::open(path, RecoveryChoice::Discard);
        QVERIFY(opened.ok());
        QVERIFY(!QFileInfo::exists(ProjectStore::autosavePath(path)));
        QCOMPARE((*opened)->document()->video(QStringLiteral("v"))->segments.size(), size_t(0));
    }

    // File times tick in milliseconds at best: an autosave right after a save must still count as newer.
    void autosaveAfterSaveIsRecoverableWhateverTheClock() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.saccade"));
        auto store = ProjectStore::create(path, smallProject());
        QVERIFY(store.ok());
        QVERIFY((*store)->save().ok());
        {
            // The project's time as late as the next write could be stamped (the same clock tick).
            QFile project(path);
            QVERIFY(project.open(QIODevice::ReadWrite));
            QVERIFY(project.setFileTime(QDateTime::currentDateTime().addSecs(5),
                                        QFileDevice::FileModificationTime));
        }
        QVERIFY((*store)->document()->addSegment(QStringLiteral("v"), segmentAt(2)).ok());
        QVERIFY((*store)->autosaveNow().ok());
        QVERIFY(ProjectStore::recoveryInfo(path).available);
    }

    void killedWhileSavingLosesAtMostTheLastWrite_data() {
        QTest::addColumn<int>("writesBeforeKill");
        QTest::newRow("early") << 7;
        QTest::newRow("later") << 40;
    }

    void killedWhileSavingLosesAtMostTheLastWrite() {
        QFETCH(int, writesBeforeKill);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.saccade"));
        QVERIFY(ProjectStore::create(path, smallProject()).ok());

        QProcess child;
        child.start(QCoreApplication::applicationFilePath(), {kSaveLoopArgument, path});
        QVERIFY(child.waitForStarted());
        int reported = 0;
        QByteArray pending;
        while (reported < writesBeforeKill) {
            QVERIFY2(child.state() == QProcess::Running || child.bytesAvailable() > 0,
                     qPrintable(QStringLiteral("child exited with %1").arg(child.exitCode())));
            child.waitForReadyRead(10000);
            pending += child.readAllStandardOutput();
            reported = static_cast<int>(pending.count('\n'));
        }
        // The child is somewhere inside its next save or autosave now.
        ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
        child.waitForFinished();
        pending += child.readAllStandardOutput();
        const int lastReported = static_cast<int>(pending.count('\n'));

        // The dead owner's lock does not block the next open, and both files parse.
        const bool recoverable = ProjectStore::recoveryInfo(path).available;
        const int inProject = segmentCount(path);
        const int inSidecar = QFileInfo::exists(ProjectStore::autosavePath(path))
                                  ? segmentCount(ProjectStore::autosavePath(path))
                                  : 0;
        QVERIFY2(inProject >= 0 && inSidecar >= 0, "a file was left half-written");
        auto reopened = ProjectStore::open(path, RecoveryChoice::Recover);
        QVERIFY2(reopened.ok(), qPrintable(reopened.ok() ? QString() : reopened.error().toString()));
        const int restored =
            static_cast<int>((*reopened)->document()->video(QStringLiteral("v"))->segments.size());
        QCOMPARE(restored, recoverable ? inSidecar : inProject);
        QVERIFY2(restored >= lastReported,
                 qPrintable(QStringLiteral("%1 restored, %2 written").arg(restored).arg(lastReported)));
        QVERIFY(restored <= lastReported + 1);
    }
};

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    if (argc == 3 && QString::fromLocal8Bit(argv[1]) == kSaveLoopArgument)
        return runSaveLoop(QString::fromLocal8Bit(argv[2]));
    TestProjectStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_projectstore.moc"
