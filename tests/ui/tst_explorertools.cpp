#include "tests/inference/inferencefixtures.h"

#include "core/annotation/projectstore.h"
#include "core/inference/faithfulnessworker.h"
#include "core/media/videodecoder.h"
#include "core/util/npy.h"
#include "ui/analysis/analysiscontroller.h"
#include "ui/keys/commandactions.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/messagebar.h"
#include "ui/model/modelpanel.h"
#include "ui/model/modeltools.h"
#include "ui/review/explorertools.h"
#include "ui/review/faithfulnesspanel.h"
#include "ui/review/reviewpanel.h"
#include "ui/settings/appsettings.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace saccade;

class ExplorerToolsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_video;
    QString m_model;

    // A window with the tiny model loaded and the whole video analysed.
    std::unique_ptr<MainWindow> analysedWindow(std::unique_ptr<AppSettings>& settings, const QString& name) {
        settings = AppSettings::fromIniFile(m_dir.filePath(name + QStringLiteral(".ini")));
        auto window = std::make_unique<MainWindow>(*settings);
        window->show();
        QSignalSpy finished(window->analysis(), &AnalysisController::analysisFinished);
        window->loadModel(m_model);
        window->openVideo(m_video);
        if (!QTest::qWaitFor([&] { return finished.count() == 1; }, 60000))
            return nullptr;
        return window;
    }

    static qint64 centre(const ClipWindow& window) { return (window.startFrame + window.endFrame) / 2; }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_video = m_dir.filePath(QStringLiteral("clip.mp4"));
        // 20 s at 30 fps: several windows of the tiny model (4 frames every 32 at 30 fps).
        const QString made = testing::makeVideo(m_video, 600, 96, 64);
        QVERIFY2(made.isEmpty(), qPrintable(made));
        m_model = m_dir.filePath(QStringLiteral("tiny"));
        const QString written = testing::writeTinyModel(m_model);
        QVERIFY2(written.isEmpty(), qPrintable(written));
    }

    void nVisitsTheReviewQueueInOrder() {
        std::unique_ptr<AppSettings> settings;
        std::unique_ptr<MainWindow> window = analysedWindow(settings, QStringLiteral("review"));
        QVERIFY(window);
        ExplorerTools* tools = window->explorerTools();
        ReviewPanel* panel = tools->reviewPanel();
        const std::vector<ClipWindow>& windows = window->analysis()->plan().windows;
        QVERIFY(windows.size() >= 3);

        // A margin threshold of 1 lists every window: N walks them by their centres, then wraps.
        panel->criterionCombo()->setCurrentIndex(
            panel->criterionCombo()->findData(int(ReviewCriterion::LowMargin)));
        panel->thresholdSpin()->setValue(1.0);
        QCOMPARE(tools->reviewQueue().size(), int(windows.size()));
        QAction* next = window->actions()->action(Command::NextReview);
        QAction* previous = window->actions()->action(Command::PreviousReview);
        QCOMPARE(next->shortcut(), QKeySequence(Qt::Key_N));
        QCOMPARE(previous->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_N));
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QTest::keyClick(window.get(), Qt::Key_N);
        QCOMPARE(window->currentFrame(), centre(windows[0]));
        QVERIFY(window->statusBar()->currentMessage().contains(QStringLiteral("low confidence: margin")));
        for (size_t i = 1; i < windows.size(); ++i) {
            next->trigger();
            QCOMPARE(window->currentFrame(), centre(windows[i]));
        }
        QVERIFY(panel->reason().startsWith(QStringLiteral("Window %1").arg(windows.size())));
        next->trigger();
        QCOMPARE(window->currentFrame(), centre(windows[0]));
        QVERIFY(panel->reason().contains(QStringLiteral("wrapped to the start")));
        QTest::keyClick(window.get(), Qt::Key_N, Qt::ShiftModifier);
        QCOMPARE(window->currentFrame(), centre(windows.back()));
        previous->trigger();
        QCOMPARE(window->currentFrame(), centre(windows[windows.size() - 2]));

        // Disagreement: without accepted labels there is none, and N stays where it is and says why.
        panel->criterionCombo()->setCurrentIndex(
            panel->criterionCombo()->findData(int(ReviewCriterion::Disagreement)));
        QVERIFY(!panel->thresholdSpin()->isEnabled());
        const qint64 before = window->currentFrame();
        QVERIFY(!tools->stepReview(1));
        QCOMPARE(window->currentFrame(), before);
        QVERIFY(panel->reason().contains(QStringLiteral("agrees")));

        // One accepted segment over window 1 with a label the model does not give it: N from the start
        // stops there and names both.
        const WindowResult& target = window->analysis()->results().at(1);
        const QStringList labels = window->analysis()->model().labels;
        QString other;
        for (const QString& label : labels)
            if (label != target.top.front().label)
                other = label;
        // Windows overlap: the segment covers window 1's centre and no other window's.
        Segment segment;
        segment.startFrame = centre(windows[1]);
        segment.endFrame = centre(windows[1]) + 1;
        segment.label = other;
        segment.state = SegmentState::Accepted;
        QVERIFY(window->document()->addSegment(window->currentVideoId(), segment).ok());
        // The count follows label edits at once.
        QVERIFY2(panel->summaryLabel()->text().startsWith(QStringLiteral("1 of %1").arg(windows.size())),
                 qPrintable(panel->summaryLabel()->text()));
        window->actions()->action(Command::GoToStart)->trigger();
        QVERIFY(tools->stepReview(1));
        QCOMPARE(window->currentFrame(), centre(windows[1]));
        QVERIFY2(panel->reason().contains(QStringLiteral("model says %1").arg(target.top.front().label)),
                 qPrintable(panel->reason()));
        QVERIFY(panel->reason().contains(QStringLiteral("label says %1").arg(other)));
        QCOMPARE(tools->reviewQueue().size(), 1);
    }

    void faithfulnessAndExportsOfTheCurrentView() {
        std::unique_ptr<AppSettings> settings;
        std::unique_ptr<MainWindow> window = analysedWindow(settings, QStringLiteral("faith"));
        QVERIFY(window);
        ExplorerTools* tools = window->explorerTools();
        tools->faithfulnessDock()->show();
        tools->faithfulnessDock()->raise();
        QTRY_VERIFY(window->analysis()->currentWindow() >= 0);
        FaithfulnessPanel* panel = tools->faithfulnessPanel();
        QTRY_VERIFY(panel->runButton()->isEnabled());
        panel->shareSpin()->setValue(25);
        panel->drawsSpin()->setValue(3);
        QSignalSpy done(tools, &ExplorerTools::faithfulnessDone);
        panel->runButton()->click();
        QVERIFY(panel->cancelButton()->isVisible());
        QVERIFY(done.wait(60000));
        const auto result = done.first().first().value<FaithfulnessResult>();
        // 4 frames of 2 x 2 patches, a quarter masked; three random masks of the same size.
        QCOMPARE(result.totalPatches, 16);
        QCOMPARE(result.maskedPatches, 4);
        QCOMPARE(result.randomScores.size(), size_t(3));
        QVERIFY(!panel->cancelButton()->isVisible());
        QVERIFY(panel->resultText().contains(QStringLiteral("Masking the 4 most-attended patches of 16")));

        QSignalSpy exported(tools, &ExplorerTools::exportDone);
        const QString png = m_dir.filePath(QStringLiteral("view.png"));
        QVERIFY(tools->exportFramePng(png));
        QVERIFY(exported.wait(30000));
        QCOMPARE(exported.last().first().toBool(), true);
        QCOMPARE(QImage(png).size(), QSize(96, 64));

        const QString arrays = m_dir.filePath(QStringLiteral("arrays"));
        QVERIFY(tools->exportArrays(arrays));
        QVERIFY(exported.wait(30000));
        QCOMPARE(exported.last().first().toBool(), true);
        const WindowResult& shown = window->analysis()->results().at(window->analysis()->currentWindow());
        Result<FloatArray> spatial = readNpy(QDir(arrays).filePath(QStringLiteral("spatial.npy")));
        QVERIFY(spatial.ok());
        QCOMPARE(spatial->shape, (std::vector<int64_t>{2, 2, 4, 2, 2}));
        QCOMPARE(spatial->values, shown.spatial.values);
        QVERIFY(QFile::exists(QDir(arrays).filePath(QStringLiteral("attention.json"))));

        const QString mp4 = m_dir.filePath(QStringLiteral("overlay.mp4"));
        QVERIFY(tools->exportOverlayVideo(mp4));
        QVERIFY(exported.wait(60000));
        QCOMPARE(exported.last().first().toBool(), true);
        Result<std::unique_ptr<VideoDecoder>> decoder = VideoDecoder::open(mp4);
        QVERIFY(decoder.ok());
        QCOMPARE((*decoder)->frameCount().value(), qint64(600));
        QVERIFY(window->messageBar()->text().contains(QStringLiteral("overlay.mp4")));
    }

    void modelPanelShowsTheModelAndFineTunes() {
        std::unique_ptr<AppSettings> settings;
        std::unique_ptr<MainWindow> window = analysedWindow(settings, QStringLiteral("model"));
        QVERIFY(window);
        ModelPanel* panel = window->modelTools()->panel();
        QVERIFY(panel->hasModel());
        Result<TimeSformerModel> reference = TimeSformerModel::create(testing::tinyConfig());
        QVERIFY(reference.ok());
        const qint64 parameters = reference->parameterCount();
        QVERIFY(parameters > 1000);
        QCOMPARE(panel->detail(QStringLiteral("Parameters")),
                 QStringLiteral("%1 k").arg(parameters / 1e3, 0, 'f', 1));
        QVERIFY(panel->detail(QStringLiteral("Depth")).startsWith(QStringLiteral("2 layers \u00d7 2 heads")));
        QVERIFY(panel->detail(QStringLiteral("Precision")).startsWith(QStringLiteral("float32")));
        QVERIFY(panel->detail(QStringLiteral("Runs on")).contains(QStringLiteral("thread")));
        QCOMPARE(panel->labelList()->count(), 3);

        // Accepted segments for every class, then fine-tune the head on the saved project.
        const QStringList labels = window->analysis()->model().labels;
        for (int i = 0; i < 9; ++i) {
            Segment segment;
            segment.startFrame = i * 60;
            segment.endFrame = i * 60 + 50;
            segment.label = labels[i % 3];
            segment.state = SegmentState::Accepted;
            QVERIFY(window->document()->addSegment(window->currentVideoId(), segment).ok());
        }
        QVERIFY(window->saveProjectAs(m_dir.filePath(QStringLiteral("study.saccade"))));
        QSignalSpy finetuned(window->modelTools(), &ModelTools::finetuneDone);
        panel->finetuneButton()->click();
        QVERIFY(!panel->finetuneButton()->isEnabled());
        QVERIFY(finetuned.wait(120000));
        QVERIFY2(finetuned.first().first().toBool(), qPrintable(window->messageBar()->text()));
        QVERIFY(panel->finetuneResultLabel()->text().contains(QStringLiteral("Val accuracy")));
        QVERIFY(panel->loadFinetunedButton()->isVisible());

        QSignalSpy loaded(window->analysis(), &AnalysisController::modelLoaded);
        panel->loadFinetunedButton()->click();
        QVERIFY(loaded.wait(30000));
        QVERIFY(window->analysis()->modelSource().contains(QStringLiteral("study-finetuned-")));
        QVERIFY(panel->hasModel());
    }
};

QTEST_MAIN(ExplorerToolsTest)
#include "tst_explorertools.moc"
