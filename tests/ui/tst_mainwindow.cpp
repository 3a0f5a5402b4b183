#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/messagebar.h"
#include "ui/settings/appsettings.h"
#include "ui/timeline/timelineview.h"
#include "ui/transport/timecodeedit.h"
#include "ui/transport/transportbar.h"
#include "ui/video/videoview.h"

#include <QDockWidget>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using saccade::AppSettings;
using saccade::MainWindow;

class MainWindowTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_video;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_video = m_dir.filePath(QStringLiteral("clip.mp4"));
        // 60 frames at 29.97 fps, 320x180, a key frame only every 30 frames so seeks must decode forward.
        const int code = QProcess::execute(
            QStringLiteral("ffmpeg"),
            {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-f"), QStringLiteral("lavfi"),
             QStringLiteral("-i"), QStringLiteral("testsrc2=size=320x180:rate=30000/1001:duration=2.002"),
             QStringLiteral("-g"), QStringLiteral("30"), QStringLiteral("-pix_fmt"),
             QStringLiteral("yuv420p"), QStringLiteral("-y"), m_video});
        QCOMPARE(code, 0);
    }

    void opensVideoShowsFirstFrameAndStepsExactly() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("s.ini")));
        MainWindow window(*settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QSignalSpy shown(&window, &MainWindow::frameShown);
        window.openVideo(m_video);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 10000);
        QCOMPARE(shown.first().first().toLongLong(), qint64(0));
        QCOMPARE(window.frameCount(), qint64(60));
        QVERIFY(!window.videoView()->image().isNull());
        QCOMPARE(window.videoView()->frameSize(), QSize(320, 180));
        QCOMPARE(window.transportBar()->timecodeEdit()->text(), QStringLiteral("00:00:00.000"));
        // The filmstrip fills in from its own background decoder.
        QTRY_VERIFY_WITH_TIMEOUT(window.timeline()->hasThumbnail(0), 10000);

        shown.clear();
        QTest::keyClick(&window, Qt::Key_Right);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().first().toLongLong() == 1, 10000);
        QCOMPARE(window.currentFrame(), qint64(1));

        QTest::keyClick(&window, Qt::Key_End);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().first().toLongLong() == 59, 10000);
        QTest::keyClick(&window, Qt::Key_Comma);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().first().toLongLong() == 58, 10000);
        QTest::keyClick(&window, Qt::Key_Left, Qt::ShiftModifier);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().first().toLongLong() == 28, 10000);
        QTest::keyClick(&window, Qt::Key_Home);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().first().toLongLong() == 0, 10000);

        // Typing a timecode lands on the frame on screen at that time: 1.001 s is frame 30.
        saccade::TimecodeEdit* edit = window.transportBar()->timecodeEdit();
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("00:00:01.001"));
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().first().toLongLong() == 30, 10000);
        QCOMPARE(window.timeline()->playhead(), qint64(30));
    }

    void marksFollowKeys() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("marks.ini")));
        MainWindow window(*settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QSignalSpy shown(&window, &MainWindow::frameShown);
        window.openVideo(m_video);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 10000);
        for (int index = 0; index < 5; ++index)
            QTest::keyClick(&window, Qt::Key_Period);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().first().toLongLong() == 5, 10000);
        QTest::keyClick(&window, Qt::Key_I);
        QCOMPARE(window.markIn(), qint64(5));
        QTest::keyClick(&window, Qt::Key_Right, Qt::ShiftModifier);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().first().toLongLong() == 35, 10000);
        QTest::keyClick(&window, Qt::Key_O);
        QCOMPARE(window.markOut(), qint64(35));
    }

    void keyboardCreatesLabelsAndUndoesSegments() {
        const QString labelPath = m_dir.filePath(QStringLiteral("labels.txt"));
        QFile labelFile(labelPath);
        QVERIFY(labelFile.open(QIODevice::WriteOnly));
        labelFile.write("walk\nrun\njump\n");
        labelFile.close();
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("segments.ini")));
        MainWindow window(*settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.loadLabels(labelPath);
        QCOMPARE(window.document()->labels().size(), 3);
        QSignalSpy shown(&window, &MainWindow::frameShown);
        window.openVideo(m_video);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 10000);
        const QString videoId = window.currentVideoId();
        QVERIFY(!videoId.isEmpty());

        QTest::keyClick(&window, Qt::Key_Right, Qt::ShiftModifier); // frame 30
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().first().toLongLong() == 30, 10000);
        QTest::keyClick(&window, Qt::Key_I);
        for (int index = 0; index < 4; ++index)
            QTest::keyClick(&window, Qt::Key_Period);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().first().toLongLong() == 34, 10000);
        QTest::keyClick(&window, Qt::Key_O);
        QTest::keyClick(&window, Qt::Key_Return);
        const auto segments = [&] {
            return window.document()->video(videoId)->segments;
        };
        QCOMPARE(int(segments().size()), 1);
        QCOMPARE(segments().front().startFrame, qint64(30));
        QCOMPARE(segments().front().endFrame, qint64(35));
        QCOMPARE(segments().front().label, QStringLiteral("walk"));
        QCOMPARE(window.timeline()->segments().size(), 1);
        QCOMPARE(window.selectedSegment(), segments().front().id);

        QTest::keyClick(&window, Qt::Key_2);
        QCOMPARE(segments().front().label, QStringLiteral("run"));
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(segments().front().label, QStringLiteral("walk"));
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(segments().front().label, QStringLiteral("run"));
        QTest::keyClick(&window, Qt::Key_X);
        QCOMPARE(segments().front().state, saccade::SegmentState::Rejected);
        QTest::keyClick(&window, Qt::Key_A);
        QCOMPARE(segments().front().state, saccade::SegmentState::Accepted);
        // Split at the playhead (frame 34) and merge back, each one undo step.
        QTest::keyClick(&window, Qt::Key_S);
        QCOMPARE(int(segments().size()), 2);
        QCOMPARE(segments()[0].endFrame, qint64(34));
        QCOMPARE(segments()[1].startFrame, qint64(34));
        QCOMPARE(segments()[1].endFrame, qint64(35));
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(int(segments().size()), 1);
        QCOMPARE(segments().front().endFrame, qint64(35));
        QTest::keyClick(&window, Qt::Key_Delete);
        QCOMPARE(int(segments().size()), 0);
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(int(segments().size()), 1);
    }

    void missingFileIsReportedInMessageBar() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("missing.ini")));
        MainWindow window(*settings);
        window.show();
        window.openVideo(m_dir.filePath(QStringLiteral("nope.mp4")));
        QVERIFY(window.messageBar()->isVisible());
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("nope.mp4")));
    }

    void notAVideoIsReportedInMessageBar() {
        const QString path = m_dir.filePath(QStringLiteral("notes.mp4"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a video");
        file.close();
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("bad.ini")));
        MainWindow window(*settings);
        window.show();
        window.openVideo(path);
        QTRY_VERIFY_WITH_TIMEOUT(window.messageBar()->isVisible(), 10000);
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("notes.mp4")));
        QCOMPARE(window.frameCount(), qint64(0));
    }

    void patchDockOpensUnderTheTimeline() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("docks.ini")));
        MainWindow window(*settings);
        window.resize(1200, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* timeline = window.findChild<QDockWidget*>(QStringLiteral("TimelineDock"));
        auto* patch = window.findChild<QDockWidget*>(QStringLiteral("PatchAttentionDock"));
        QVERIFY(timeline && patch);
        const int before = timeline->width();
        patch->show();
        QTRY_VERIFY(patch->isVisible() && patch->width() > 0);
        QTRY_COMPARE(timeline->width(), before);
        QVERIFY(patch->geometry().top() >= timeline->geometry().bottom());
    }

    void geometryPersists() {
        const QString path = m_dir.filePath(QStringLiteral("geometry.ini"));
        {
            auto settings = AppSettings::fromIniFile(path);
            MainWindow window(*settings);
            window.resize(900, 700);
            window.show();
            window.close();
        }
        auto settings = AppSettings::fromIniFile(path);
        QVERIFY(!settings->windowGeometry().isEmpty());
        MainWindow window(*settings);
        QCOMPARE(window.size(), QSize(900, 700));
    }
};

QTEST_MAIN(MainWindowTest)
#include "tst_mainwindow.moc"
