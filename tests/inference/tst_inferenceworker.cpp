#include "inferencefixtures.h"

#include "core/inference/analysiscache.h"
#include "core/inference/inferenceworker.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace saccade;

namespace {

constexpr int kTimeoutMs = 60000;
// 40 frames, windows of 8: [0,7], [8,15], [16,23], [24,31], [32,39].
constexpr int kFrames = 40;
constexpr int kWindows = 5;

std::vector<int> windowOrder(const QSignalSpy& spy) {
    std::vector<int> order;
    for (const QList<QVariant>& arguments : spy)
        order.push_back(arguments.at(0).value<WindowResult>().windowIndex);
    return order;
}

} // namespace

class TestInferenceWorker : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_model;
    QString m_video;

    InferenceSettings settings(bool cache = false) const {
        InferenceSettings result;
        result.useCache = cache;
        // HF directories do not store the sampling rate: 2 makes a window span 8 frames at 30 fps.
        result.analyzer.samplingRate = 2;
        // Windows a whole span apart, so the scheduling below is easy to follow.
        result.analyzer.windowsPerSpan = 1;
        result.cacheDirectory = QDir(m_dir.path()).filePath(QStringLiteral("cache"));
        return result;
    }

    // Loads the tiny model and waits for it.
    bool load(InferenceWorker& worker, bool cache = false) {
        QSignalSpy loaded(&worker, &InferenceWorker::modelLoaded);
        worker.loadModel(m_model, settings(cache));
        return loaded.wait(kTimeoutMs) || loaded.count() == 1;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_model = QDir(m_dir.path()).filePath(QStringLiteral("tiny"));
        QCOMPARE(testing::writeTinyModel(m_model), QString());
        m_video = QDir(m_dir.path()).filePath(QStringLiteral("clip.mp4"));
        QCOMPARE(testing::makeVideo(m_video, kFrames), QString());
    }

    void modelLoadFailure() {
        InferenceWorker worker;
        QSignalSpy failed(&worker, &InferenceWorker::modelFailed);
        QSignalSpy loaded(&worker, &InferenceWorker::modelLoaded);
        const QString missing = QDir(m_dir.path()).filePath(QStringLiteral("missing.pyth"));
        const quint64 generation = worker.loadModel(missing, settings());
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QCOMPARE(failed.first().at(0).toULongLong(), generation);
        QVERIFY(failed.first().at(1).value<Error>().toString().contains(QStringLiteral("missing.pyth")));
        QCOMPARE(loaded.count(), 0);

        // Without a model an analysis fails instead of running.
        QSignalSpy analysisFailed(&worker, &InferenceWorker::analysisFailed);
        worker.analyseVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(analysisFailed.count(), 1, kTimeoutMs);
        QVERIFY(analysisFailed.first().at(1).value<Error>().message.contains(QStringLiteral("no model")));
    }

    void videoErrorIsReported() {
        InferenceWorker worker;
        QVERIFY(load(worker));
        QSignalSpy failed(&worker, &InferenceWorker::analysisFailed);
        const QString missing = QDir(m_dir.path()).filePath(QStringLiteral("nothing.mp4"));
        worker.analyseVideo(missing);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QCOMPARE(failed.first().at(1).value<Error>().path, missing);
    }

    void analysesTheWholeVideo() {
        InferenceWorker worker;
        QVERIFY(load(worker));
        QSignalSpy started(&worker, &InferenceWorker::analysisStarted);
        QSignalSpy ready(&worker, &InferenceWorker::windowReady);
        QSignalSpy progress(&worker, &InferenceWorker::progressChanged);
        QSignalSpy finished(&worker, &InferenceWorker::analysisFinished);
        const quint64 generation = worker.analyseVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(started.count(), 1);
        const AnalysisPlan plan = started.first().at(0).value<AnalysisPlan>();
        QCOMPARE(plan.frameCount, qint64(kFrames));
        QCOMPARE(int(plan.windows.size()), kWindows);
        QCOMPARE(ready.count(), kWindows);
        QCOMPARE(windowOrder(ready), (std::vector<int>{0, 1, 2, 3, 4}));
        for (const QList<QVariant>& arguments : ready) {
            const WindowResult result = arguments.at(0).value<WindowResult>();
            QCOMPARE(result.generation, generation);
            QCOMPARE(result.frames, plan.windows[size_t(result.windowIndex)].frames);
            QCOMPARE(result.probabilities.size(), size_t(3));
            double sum = 0.0;
            for (float p : result.probabilities)
                sum += p;
            QVERIFY(std::abs(sum - 1.0) < 1e-5);
            QCOMPARE(result.top.front().index, result.topClass());
            QCOMPARE(result.spatial.shape, (std::vector<int64_t>{2, 2, 4, 2, 2}));
            QCOMPARE(result.temporal.shape, (std::vector<int64_t>{2, 2, 4, 4, 4}));
            QCOMPARE(result.rollout.shape, (std::vector<int64_t>{4, 2, 2}));
            QCOMPARE(result.frameSize, QSize(64, 48));
            QCOMPARE(result.cropBoxes.size(), size_t(1));
            QVERIFY(QRect(0, 0, 64, 48).contains(result.cropBoxes[0]));
            QCOMPARE(result.cropBoxes[0].height(), 48);
            QVERIFY(!result.fromCache);
        }
        const AnalysisProgress last = progress.last().at(0).value<AnalysisProgress>();
        QCOMPARE(last.doneWindows, kWindows);
        QCOMPARE(last.totalWindows, kWindows);
        QCOMPARE(last.secondsLeft, 0.0);
        QVERIFY(progress.first().at(0).value<AnalysisProgress>().secondsLeft >= 0.0);
    }

    void playheadWindowComesFirst() {
        InferenceWorker worker;
        QVERIFY(load(worker));
        QSignalSpy ready(&worker, &InferenceWorker::windowReady);
        QSignalSpy finished(&worker, &InferenceWorker::analysisFinished);
        worker.setPlayhead(20);
        worker.analyseVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(windowOrder(ready), (std::vector<int>{2, 3, 4, 0, 1}));
    }

    void seekingReprioritises() {
        InferenceWorker worker;
        QVERIFY(load(worker));
        QSignalSpy ready(&worker, &InferenceWorker::windowReady);
        QSignalSpy finished(&worker, &InferenceWorker::analysisFinished);
        // Paused, only the window under the playhead is computed, each time the playhead moves.
        worker.setPaused(true);
        worker.setPlayhead(30);
        worker.analyseVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
        worker.setPlayhead(9);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, kTimeoutMs);
        // Seeking into a window already done computes nothing new: a later request answers first.
        worker.setPlayhead(26);
        QSignalSpy full(&worker, &InferenceWorker::fullSpatialReady);
        worker.requestFullSpatial(0);
        QTRY_COMPARE_WITH_TIMEOUT(full.count(), 1, kTimeoutMs);
        QCOMPARE(ready.count(), 2);
        QCOMPARE(finished.count(), 0);
        // Resumed, the rest follows from the playhead on (windows starting after frame 26), then wraps.
        worker.setPaused(false);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(windowOrder(ready), (std::vector<int>{3, 1, 4, 0, 2}));
    }

    void staleResultsAreDropped() {
        InferenceWorker worker;
        QVERIFY(load(worker));
        QSignalSpy ready(&worker, &InferenceWorker::windowReady);
        QSignalSpy finished(&worker, &InferenceWorker::analysisFinished);
        const quint64 first = worker.analyseVideo(m_video);
        const quint64 second = worker.analyseVideo(m_video, 16);
        QVERIFY(second > first);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(finished.first().at(0).toULongLong(), second);
        // Stride 16 over 40 frames: windows at 0, 16 and 32.
        QCOMPARE(ready.count(), 3);
        for (const QList<QVariant>& arguments : ready)
            QCOMPARE(arguments.at(0).value<WindowResult>().generation, second);
    }

    void cancelStopsTheAnalysis() {
        InferenceWorker worker;
        QVERIFY(load(worker));
        QSignalSpy ready(&worker, &InferenceWorker::windowReady);
        QSignalSpy finished(&worker, &InferenceWorker::analysisFinished);
        QSignalSpy failed(&worker, &InferenceWorker::analysisFailed);
        connect(&worker, &InferenceWorker::windowReady, this, [&worker] { worker.cancel(); });
        worker.analyseVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
        // Requests are served in order: once a later load is answered, the cancelled job has had every
        // chance to report.
        QVERIFY(load(worker));
        QCOMPARE(ready.count(), 1);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.count(), 0);
    }

    void cacheServesRepeatedAnalyses() {
        QDir(settings().cacheDirectory).removeRecursively();
        InferenceWorker worker;
        QVERIFY(load(worker, true));
        QSignalSpy ready(&worker, &InferenceWorker::windowReady);
        QSignalSpy finished(&worker, &InferenceWorker::analysisFinished);
        worker.analyseVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        std::vector<WindowResult> computed;
        for (const QList<QVariant>& arguments : ready) {
            computed.push_back(arguments.at(0).value<WindowResult>());
            QVERIFY(!computed.back().fromCache);
        }
        const QStringList entries = QDir(settings().cacheDirectory).entryList(QDir::Files);
        QCOMPARE(entries.size(), kWindows);
        // Damage one entry: that window is recomputed, the others come from the cache.
        const QString damaged = QDir(settings().cacheDirectory).filePath(entries.first());
        QFile file(damaged);
        QVERIFY(file.open(QIODevice::ReadWrite));
        file.seek(40);
        file.write("garbage");
        file.close();

        ready.clear();
        worker.analyseVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kTimeoutMs);
        QCOMPARE(ready.count(), kWindows);
        int hits = 0;
        for (const QList<QVariant>& arguments : ready) {
            const WindowResult result = arguments.at(0).value<WindowResult>();
            hits += result.fromCache ? 1 : 0;
            const WindowResult& before = computed[size_t(result.windowIndex)];
            QCOMPARE(result.probabilities, before.probabilities);
            QCOMPARE(result.rollout.values, before.rollout.values);
        }
        QCOMPARE(hits, kWindows - 1);
        QCOMPARE(QDir(settings().cacheDirectory).entryList(QDir::Files).size(), kWindows);
    }

    void fullSpatialAndOverlaysOnDemand() {
        InferenceWorker worker;
        QVERIFY(load(worker));
        QSignalSpy ready(&worker, &InferenceWorker::windowReady);
        QSignalSpy full(&worker, &InferenceWorker::fullSpatialReady);
        QSignalSpy overlays(&worker, &InferenceWorker::overlaysReady);
        // Paused with the playhead outside the video: nothing is computed until resumed.
        worker.setPaused(true);
        worker.setPlayhead(-1);
        worker.analyseVideo(m_video);
        worker.requestFullSpatial(1);
        QTRY_COMPARE_WITH_TIMEOUT(full.count(), 1, kTimeoutMs);
        QCOMPARE(full.first().at(1).toInt(), 1);
        QCOMPARE(full.first().at(2).value<FloatArray>().shape, (std::vector<int64_t>{2, 4, 2, 5, 5}));
        QCOMPARE(ready.count(), 0);
        worker.setPaused(false);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 1, kTimeoutMs);
        OverlayRequest request;
        request.rollout = true;
        request.bounds = QSize(32, 32);
        worker.requestOverlays(ready.first().at(0).value<WindowResult>(), request);
        QTRY_COMPARE_WITH_TIMEOUT(overlays.count(), 1, kTimeoutMs);
        const auto images = overlays.first().at(2).value<std::vector<QImage>>();
        QCOMPARE(images.size(), size_t(4));
        QCOMPARE(images.front().size(), QSize(32, 24));
    }
};

QTEST_GUILESS_MAIN(TestInferenceWorker)
#include "tst_inferenceworker.moc"
