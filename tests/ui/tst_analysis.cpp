#include "tests/inference/inferencefixtures.h"

#include "ui/analysis/analysiscontroller.h"
#include "ui/analysis/attentionpanel.h"
#include "ui/keys/commandactions.h"
#include "ui/labels/labelspanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/messagebar.h"
#include "ui/mainwindow/progressarea.h"
#include "ui/settings/appsettings.h"
#include "ui/timeline/probabilityribbon.h"
#include "ui/timeline/timelineview.h"
#include "ui/video/videoview.h"

#include <QComboBox>
#include <QSlider>
#include <QStatusBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace saccade;

class AnalysisTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_video;
    QString m_model;

private Q_SLOTS:
    void initTestCase() {
        // Keeps the analysis cache out of the user's folders.
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_video = m_dir.filePath(QStringLiteral("clip.mp4"));
        // 20 s at 30 fps: four windows of the tiny model (4 frames every 32 at 30 fps).
        const QString made = testing::makeVideo(m_video, 600, 96, 64);
        QVERIFY2(made.isEmpty(), qPrintable(made));
        m_model = m_dir.filePath(QStringLiteral("tiny"));
        const QString written = testing::writeTinyModel(m_model);
        QVERIFY2(written.isEmpty(), qPrintable(written));
    }

    void analysesTheOpenVideoAndFeedsTheViews() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("a.ini")));
        MainWindow window(*settings);
        window.show();
        AnalysisController* analysis = window.analysis();
        LocalizationOptions localization;
        localization.actionnessThreshold = 0.0;
        analysis->setLocalizationOptions(localization);
        QSignalSpy loaded(analysis, &AnalysisController::modelLoaded);
        QSignalSpy analysed(analysis, &AnalysisController::windowAnalysed);
        QSignalSpy finished(analysis, &AnalysisController::analysisFinished);
        window.loadModel(m_model);
        window.openVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
        QVERIFY(analysis->hasModel());
        // The model's labels become the project's, and the attention controls know its shape.
        QCOMPARE(window.document()->labels().size(), 3);
        QCOMPARE(window.attentionPanel()->layerCombo()->count(), 1 + 2);
        QCOMPARE(window.attentionPanel()->headCombo()->count(), 1 + 2);

        QTRY_VERIFY_WITH_TIMEOUT(analysed.count() >= 1, 30000);
        // The window under the playhead (frame 0) is computed first.
        QCOMPARE(analysed.first().at(1).toLongLong(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!window.labelsPanel()->topK().isEmpty(), 5000);
        QCOMPARE(window.labelsPanel()->topK().size(), 3);
        QVERIFY(!window.timeline()->analysedRanges().isEmpty());
        QCOMPARE(window.timeline()->analysedRanges().first().start, 0);
        QCOMPARE(window.timeline()->sampledFrames().size(), 4);
        QCOMPARE(window.videoView()->cropBoxes().size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!window.videoView()->overlay().isNull(), 10000);

        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(analysed.count(), analysis->plannedWindows());
        QVERIFY(analysis->plannedWindows() >= 2);
        QVERIFY(window.timeline()->pendingRanges().isEmpty());
        QVERIFY(!window.progressArea()->isActive());
        QVERIFY(!window.ribbon()->shownClasses().isEmpty());

        // Every window votes, so the proposals cover the video; one undo step removes them all.
        const int proposals = finished.first().at(0).toInt();
        QVERIFY(proposals >= 1);
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("to review")));
        const VideoEntry* video = window.document()->video(window.currentVideoId());
        QVERIFY(video);
        QCOMPARE(int(video->segments.size()), proposals);
        for (const Segment& segment : video->segments) {
            QCOMPARE(segment.state, SegmentState::Proposed);
            QCOMPARE(segment.source.origin, SegmentOrigin::Model);
            QCOMPARE(segment.source.modelHash, analysis->model().hash);
            QVERIFY(segment.source.confidence.has_value());
        }
        QVERIFY(analysis->model().hash.startsWith(QStringLiteral("sha256:")));

        // X rejects the proposal under the playhead.
        window.actions()->action(Command::RejectProposal)->trigger();
        QCOMPARE(window.document()->video(window.currentVideoId())->segments.front().state,
                 SegmentState::Rejected);
        window.actions()->action(Command::Undo)->trigger();
        window.actions()->action(Command::Undo)->trigger();
        QCOMPARE(int(window.document()->video(window.currentVideoId())->segments.size()), 0);
    }

    void layerAndHeadKeysCycleAndRerender() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("b.ini")));
        MainWindow window(*settings);
        QSignalSpy loaded(window.analysis(), &AnalysisController::modelLoaded);
        window.loadModel(m_model);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
        AnalysisController* analysis = window.analysis();
        QCOMPARE(analysis->layer(), -1);
        QCOMPARE(analysis->head(), -1);
        // From "last" (layer 1 of 2) down to layer 0, then wrapping back to 1.
        window.actions()->action(Command::PreviousLayer)->trigger();
        QCOMPARE(analysis->layer(), 0);
        QCOMPARE(window.attentionPanel()->layerCombo()->currentData().toInt(), 0);
        window.actions()->action(Command::PreviousLayer)->trigger();
        QCOMPARE(analysis->layer(), 1);
        // Heads 0, 1, then the mean.
        window.actions()->action(Command::NextHead)->trigger();
        QCOMPARE(analysis->head(), 0);
        window.actions()->action(Command::NextHead)->trigger();
        QCOMPARE(analysis->head(), 1);
        window.actions()->action(Command::NextHead)->trigger();
        QCOMPARE(analysis->head(), -1);
        QCOMPARE(window.attentionPanel()->headCombo()->currentData().toInt(), -1);
    }

    void attentionDockDrivesTheOverlay() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("o.ini")));
        MainWindow window(*settings);
        window.attentionPanel()->opacitySlider()->setValue(30);
        QCOMPARE(window.videoView()->overlayOpacity(), 0.3);
        QCOMPARE(settings->overlayOpacity(), 0.3);
        QVERIFY(window.videoView()->isOverlayVisible());
        window.actions()->action(Command::ToggleOverlay)->trigger();
        QVERIFY(!window.videoView()->isOverlayVisible());
        window.actions()->action(Command::ToggleOverlay)->trigger();
        QVERIFY(window.videoView()->isOverlayVisible());
    }

    void missingDemoModelIsReportedInTheMessageBar() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("c.ini")));
        MainWindow window(*settings);
        QSignalSpy failed(window.analysis(), &AnalysisController::errorOccurred);
        window.loadModel(m_dir.filePath(QStringLiteral("no-such-model.pyth")));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("--model PATH")));
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("no-such-model.pyth")));
        QCOMPARE(window.messageBar()->kind(), MessageBar::Kind::Error);
        QVERIFY(!window.analysis()->hasModel());
        QVERIFY(!window.progressArea()->isActive());
        // Opening a video clears the message bar, so the reason is repeated for it.
        QSignalSpy opened(&window, &MainWindow::videoOpened);
        window.openVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QCOMPARE(failed.count(), 2);
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("no-such-model.pyth")));
    }

    void cancelStopsTheAnalysis() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("d.ini")));
        MainWindow window(*settings);
        QSignalSpy loaded(window.analysis(), &AnalysisController::modelLoaded);
        QSignalSpy analysed(window.analysis(), &AnalysisController::windowAnalysed);
        QSignalSpy finished(window.analysis(), &AnalysisController::analysisFinished);
        // Cancel as the first window arrives: nothing more of that run is reported.
        connect(window.analysis(), &AnalysisController::windowAnalysed, &window, [&window] {
            QVERIFY(window.progressArea()->isActive());
            Q_EMIT window.progressArea()->cancelRequested();
        });
        window.loadModel(m_model);
        window.openVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(analysed.count(), 1, 30000);
        QVERIFY(!window.analysis()->isAnalysing());
        QVERIFY(!window.progressArea()->isActive());
        QCOMPARE(finished.count(), 0);
        // A new video starts a fresh analysis after a cancel.
        QObject::disconnect(window.analysis(), &AnalysisController::windowAnalysed, &window, nullptr);
        window.analysis()->setVideo(m_video, window.currentVideoId(), 600);
        QVERIFY(window.analysis()->isAnalysing());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        // The cancelled run stopped after its first window; the new one did all of them.
        QCOMPARE(analysed.count(), 1 + window.analysis()->plannedWindows());
    }
};

QTEST_MAIN(AnalysisTest)
#include "tst_analysis.moc"
