#include "core/util/backgroundjob.h"

#include <QThread>
#include <QtTest>

#include <atomic>

using namespace saccade;

class TestBackgroundJob : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsOnAnotherThreadOneAtATime() {
        BackgroundJob job;
        std::atomic<bool> release{false};
        std::atomic<Qt::HANDLE> ranOn{nullptr};
        QVERIFY(job.start([&](const CancellationToken&) {
            ranOn = QThread::currentThreadId();
            while (!release)
                QThread::msleep(1);
        }));
        QTRY_VERIFY(ranOn.load() != nullptr);
        QVERIFY(ranOn.load() != QThread::currentThreadId());
        QVERIFY(job.isRunning());
        bool secondRan = false;
        QVERIFY(!job.start([&](const CancellationToken&) { secondRan = true; }));
        release = true;
        QTRY_VERIFY(!job.isRunning());
        QVERIFY(!secondRan);
        // Once finished, the next job starts, with a fresh token.
        std::atomic<bool> sawCancelled{true};
        QVERIFY(job.start([&](const CancellationToken& cancel) { sawCancelled = cancel.isCancelled(); }));
        QTRY_VERIFY(!job.isRunning());
        QVERIFY(!sawCancelled);
    }

    void cancelAndWaitStopsTheJob() {
        BackgroundJob job;
        std::atomic<bool> started{false};
        std::atomic<bool> stopped{false};
        job.start([&](const CancellationToken& cancel) {
            started = true;
            while (!cancel.isCancelled())
                QThread::msleep(1);
            stopped = true;
        });
        QTRY_VERIFY(started.load());
        job.cancelAndWait();
        QVERIFY(stopped.load());
        QVERIFY(!job.isRunning());
    }

    void destroyingWaitsForTheJob() {
        std::atomic<bool> stopped{false};
        {
            BackgroundJob job;
            std::atomic<bool> started{false};
            job.start([&](const CancellationToken& cancel) {
                started = true;
                while (!cancel.isCancelled())
                    QThread::msleep(1);
                stopped = true;
            });
            QTRY_VERIFY(started.load());
        }
        QVERIFY(stopped.load());
    }
};

QTEST_GUILESS_MAIN(TestBackgroundJob)
#include "tst_backgroundjob.moc"
