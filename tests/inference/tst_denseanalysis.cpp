#include "tests/inference/inferencefixtures.h"

#include "core/inference/actionlocalizer.h"
#include "core/inference/clipanalyzer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <set>

using namespace saccade;

// Dense analysis of a real encoded video with a real (tiny) model: frames shared between windows are
// decoded once, batched windows equal windows run one by one, and the localizer covers the video.
class TestDenseAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_video = m_dir.filePath(QStringLiteral("clip.mp4"));
        QCOMPARE(testing::makeVideo(m_video, 90), QString());
        m_model = m_dir.filePath(QStringLiteral("tiny"));
        QCOMPARE(testing::writeTinyModel(m_model), QString());
    }

    void eachFrameIsDecodedOnce() {
        ClipAnalyzerOptions options;
        options.samplingRate = 4; // span 16 frames, a grid step of 4
        options.captureAttention = false;
        options.windowsPerSpan = 4;
        Result<std::unique_ptr<ClipAnalyzer>> analyzer = ClipAnalyzer::load(m_model, options);
        QVERIFY(analyzer.ok());
        Result<AnalysisVideo> video = openAnalysisVideo(m_video);
        QVERIFY(video.ok());
        const std::vector<ClipWindow> windows = (*analyzer)->windows(video->frameCount, video->fps);
        // A window every grid step: 90 frames hold grid windows starting at 0, 4, ..., 72, plus the tail.
        QCOMPARE(int(windows.size()), 20);
        std::set<qint64> distinct;
        for (const ClipWindow& window : windows)
            distinct.insert(window.frames.begin(), window.frames.end());
        Result<std::vector<WindowResult>> results =
            (*analyzer)->analyseWindows(*video->decoder, windows, QString(), nullptr);
        QVERIFY(results.ok());
        QCOMPARE(int(results->size()), int(windows.size()));
        // 4 windows share each frame; each distinct frame was decoded and resized once.
        QCOMPARE((*analyzer)->decodedFrames(), qint64(distinct.size()));
        QVERIFY(distinct.size() * 3 < windows.size() * 4);

        // The batched results equal windows analysed one at a time by a fresh analyzer.
        options.batchWindows = 1;
        Result<std::unique_ptr<ClipAnalyzer>> single = ClipAnalyzer::load(m_model, options);
        QVERIFY(single.ok());
        for (size_t i : {size_t(0), size_t(7), windows.size() - 1}) {
            Result<WindowResult> one = (*single)->analyse(*video->decoder, windows[i].frames);
            QVERIFY(one.ok());
            QCOMPARE(results->at(i).startFrame, windows[i].startFrame);
            for (size_t c = 0; c < one->probabilities.size(); ++c)
                QVERIFY(qAbs(one->probabilities[c] - results->at(i).probabilities[c]) < 1e-5f);
        }

        // The localizer sees every frame covered; with the threshold at 0 every frame gets a class.
        LocalizationOptions localization;
        localization.actionnessThreshold = 0.0;
        localization.minSegmentSeconds = 0.0;
        const Localization found = ActionLocalizer::localize(results.value(), video->frameCount, video->fps,
                                                             (*analyzer)->labels(), localization);
        QCOMPARE(found.scores.frameCount, video->frameCount);
        QVERIFY(
            std::all_of(found.scores.covered.begin(), found.scores.covered.end(), [](bool c) { return c; }));
        qint64 labelled = 0;
        for (const SegmentProposal& proposal : found.proposals)
            labelled += proposal.endFrame - proposal.startFrame;
        QCOMPARE(labelled, video->frameCount);
    }

private:
    QTemporaryDir m_dir;
    QString m_video;
    QString m_model;
};

QTEST_GUILESS_MAIN(TestDenseAnalysis)
#include "tst_denseanalysis.moc"
