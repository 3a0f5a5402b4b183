#include "core/media/videodecoder.h"
#include "ui/mainwindow/demovideotask.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace saccade;

class DemoVideoTaskTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    static DemoVideoOptions shortOptions() {
        DemoVideoOptions options;
        options.width = 160;
        options.height = 96;
        options.durationSeconds = 2.0;
        return options;
    }

private Q_SLOTS:
    void writesTheVideoInTheBackground() {
        const QString path = m_dir.filePath(QStringLiteral("demo.mp4"));
        DemoVideoTask task;
        QSignalSpy finished(&task, &DemoVideoTask::finished);
        QSignalSpy progress(&task, &DemoVideoTask::progressChanged);
        QVERIFY(task.start(path, shortOptions()));
        QVERIFY(task.isRunning());
        QVERIFY(!task.start(path, shortOptions()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(finished.first().at(0).toString(), path);
        QVERIFY(!task.isRunning());
        QVERIFY(!progress.isEmpty());
        QVERIFY(progress.last().at(0).toDouble() > 0.9);
        auto decoder = VideoDecoder::open(path);
        QVERIFY(decoder.ok());
        QCOMPARE((*decoder)->info().width, 160);
        QCOMPARE((*decoder)->info().frameCount, qint64(60));
    }

    void cancelLeavesNothingBehind() {
        const QString path = m_dir.filePath(QStringLiteral("cancelled.mp4"));
        DemoVideoTask task;
        QSignalSpy failed(&task, &DemoVideoTask::failed);
        DemoVideoOptions options = shortOptions();
        options.durationSeconds = 60.0;
        QVERIFY(task.start(path, options));
        task.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        QCOMPARE(failed.first().at(0).value<Error>().category, ErrorCategory::Cancelled);
        QVERIFY(!QFileInfo::exists(path));
    }
};

QTEST_MAIN(DemoVideoTaskTest)
#include "tst_demovideotask.moc"
