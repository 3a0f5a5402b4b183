#include "tests/inference/inferencefixtures.h"

#include "ui/analysis/analysiscontroller.h"
#include "ui/analysis/attentionexplorer.h"
#include "ui/analysis/attentiongrid.h"
#include "ui/analysis/patchattentionpanel.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/settings/appsettings.h"
#include "ui/video/videoview.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace saccade;

// The explorer in the window with a real (tiny) model: the overlay, the grid and a patch's full
// attention rows, fetched from the inference worker after the analysis has finished.
class AttentionWindowTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_video;
    QString m_model;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_video = m_dir.filePath(QStringLiteral("clip.mp4"));
        const QString made = testing::makeVideo(m_video, 150, 96, 64);
        QVERIFY2(made.isEmpty(), qPrintable(made));
        m_model = m_dir.filePath(QStringLiteral("tiny"));
        const QString written = testing::writeTinyModel(m_model);
        QVERIFY2(written.isEmpty(), qPrintable(written));
    }

    void patchRowsArriveAfterTheAnalysisFinished() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("w.ini")));
        MainWindow window(*settings);
        window.show();
        AnalysisController* analysis = window.analysis();
        AttentionExplorer* explorer = analysis->explorer();
        QSignalSpy finished(analysis, &AnalysisController::analysisFinished);
        window.loadModel(m_model);
        window.openVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasWindow(), 5000);

        // The overlay and the grid show the window under the playhead.
        const TimeSformerConfig config = testing::tinyConfig();
        QVERIFY(!explorer->map().isEmpty());
        QVERIFY(!window.videoView()->overlay().isNull());
        QCOMPARE(window.videoView()->hudNote(), QStringLiteral("map of frame 0"));
        QCOMPARE(window.attentionGrid()->layerCount(), config.depth);
        QCOMPARE(window.attentionGrid()->headCount(), config.numHeads);

        // A click inside the crop box picks a patch; its full rows come from the worker.
        const QRectF box(explorer->window().attentionBox());
        QVERIFY(!box.isEmpty());
        QVERIFY(explorer->selectPatchAt(box.center()));
        QTRY_VERIFY_WITH_TIMEOUT(explorer->hasFullSpatial(), 30000);
        QVERIFY(explorer->fullSpatialStatus().isEmpty());
        const PatchAttention patch = explorer->patchAttention();
        QCOMPARE(int(patch.spatialRow.size()), patch.rows * patch.columns);
        QCOMPARE(window.patchAttentionPanel()->spatialRow(), patch.spatialRow);
        QCOMPARE(int(window.patchAttentionPanel()->heatMapValues().size()), patch.frames * patch.frames);
        // A spatial row is a softmax row without its cls entry: positive, summing to at most one.
        double sum = 0.0;
        for (float value : patch.spatialRow) {
            QVERIFY(value > 0.0f);
            sum += value;
        }
        QVERIFY(sum <= 1.0 + 1e-5);
    }
};

QTEST_MAIN(AttentionWindowTest)
#include "tst_attentionwindow.moc"
