#include "core/inference/faithfulness.h"
#include "core/inference/faithfulnessworker.h"
#include "core/inference/windowresult.h"
#include "core/model/timesformermodel.h"
#include "inferencefixtures.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

using namespace saccade;

namespace {

constexpr int kPatch = 4;

// A (1, 3, T, S, S) clip of ones.
FloatArray onesClip(int frames, int size) {
    FloatArray clip;
    clip.shape = {1, 3, frames, size, size};
    clip.values.assign(size_t(3 * frames * size * size), 1.0f);
    return clip;
}

// Patches whose pixels are all 0 in every channel of `clip`.
std::set<int> zeroPatches(const FloatArray& clip, int patchSize) {
    const int64_t frames = clip.shape[2];
    const int64_t size = clip.shape[3];
    const int64_t grid = size / patchSize;
    std::set<int> zeros;
    for (int64_t t = 0; t < frames; ++t)
        for (int64_t row = 0; row < grid; ++row)
            for (int64_t column = 0; column < grid; ++column) {
                bool allZero = true;
                for (int64_t c = 0; c < 3 && allZero; ++c)
                    for (int64_t y = row * patchSize; y < (row + 1) * patchSize && allZero; ++y)
                        for (int64_t x = column * patchSize; x < (column + 1) * patchSize; ++x)
                            if (clip.values[size_t(((c * frames + t) * size + y) * size + x)] != 0.0f) {
                                allZero = false;
                                break;
                            }
                if (allZero)
                    zeros.insert(int((t * grid + row) * grid + column));
            }
    return zeros;
}

// A (T, G, G) map with distinct values from a fixed seed.
FloatArray distinctMap(int frames, int grid, unsigned seed) {
    FloatArray map;
    map.shape = {frames, grid, grid};
    map.values.resize(size_t(frames * grid * grid));
    for (size_t i = 0; i < map.values.size(); ++i)
        map.values[i] = float(i + 1);
    std::shuffle(map.values.begin(), map.values.end(), std::mt19937(seed));
    return map;
}

} // namespace

class TestFaithfulness : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void countsMaskedPatches() {
        QCOMPARE(FaithfulnessCheck::maskedPatchCount(0.1, 16), 2);
        QCOMPARE(FaithfulnessCheck::maskedPatchCount(0.001, 16), 1);
        QCOMPARE(FaithfulnessCheck::maskedPatchCount(1.0, 16), 16);
        QCOMPARE(FaithfulnessCheck::maskedPatchCount(0.5, 0), 0);
    }

    void picksTheMostAttendedPatches() {
        FloatArray map{{2, 2, 2}, {0.1f, 0.9f, 0.3f, 0.3f, 0.0f, 0.8f, 0.2f, 0.5f}};
        QCOMPARE(FaithfulnessCheck::mostAttendedPatches(map, 3), (std::vector<int>{1, 5, 7}));
        // Ties keep the lower index first.
        QCOMPARE(FaithfulnessCheck::mostAttendedPatches(map, 5), (std::vector<int>{1, 5, 7, 2, 3}));
    }

    void drawsDistinctRandomPatchesFromTheSeed() {
        const std::vector<int> first = FaithfulnessCheck::randomPatches(64, 10, 7);
        QCOMPARE(first.size(), size_t(10));
        QCOMPARE(std::set<int>(first.begin(), first.end()).size(), size_t(10));
        QVERIFY(std::all_of(first.begin(), first.end(), [](int p) { return p >= 0 && p < 64; }));
        QCOMPARE(FaithfulnessCheck::randomPatches(64, 10, 7), first);
        QVERIFY(FaithfulnessCheck::randomPatches(64, 10, 8) != first);
        QCOMPARE(FaithfulnessCheck::randomPatches(5, 9, 1).size(), size_t(5));
    }

    void masksOnlyThePatchPixels() {
        FloatArray clip = onesClip(2, 8);
        QVERIFY(FaithfulnessCheck::maskPatches(clip, {1, 6}, kPatch).ok());
        QCOMPARE(zeroPatches(clip, kPatch), (std::set<int>{1, 6}));
        const auto zeros = std::count(clip.values.begin(), clip.values.end(), 0.0f);
        QCOMPARE(zeros, std::ptrdiff_t(2 * 3 * kPatch * kPatch));
        // Patch 1 is frame 0, row 0, column 1: pixel (y 0, x 4) of every channel.
        QCOMPARE(clip.values[size_t(4)], 0.0f);
        QCOMPARE(clip.values[size_t(3)], 1.0f);
        QVERIFY(!FaithfulnessCheck::maskPatches(clip, {8}, kPatch).ok());
        QVERIFY(!FaithfulnessCheck::maskPatches(clip, {0}, 3).ok());
    }

    void comparesTheAttendedMaskWithRandomMasksOfTheSameSize() {
        // The score of class 0 is the attention weight of the patches left unmasked, so masking the
        // most attended ones must drop it most, by exactly their weight.
        const int frames = 2;
        const int size = 16;
        const int grid = size / kPatch;
        const FloatArray map = distinctMap(frames, grid, 3);
        double totalWeight = 0.0;
        for (float value : map.values)
            totalWeight += value;
        std::vector<std::set<int>> masks;
        auto score = [&](const FloatArray& clip) -> Result<std::vector<float>> {
            const std::set<int> masked = zeroPatches(clip, kPatch);
            masks.push_back(masked);
            double kept = totalWeight;
            for (int patch : masked)
                kept -= map.values[size_t(patch)];
            const float p = float(kept / totalWeight);
            return std::vector<float>{p, 1.0f - p};
        };
        FaithfulnessOptions options;
        options.maskFraction = 0.25;
        options.randomDraws = 5;
        std::vector<double> progress;
        Result<FaithfulnessResult> result =
            FaithfulnessCheck::run(onesClip(frames, size), map, kPatch, score, options, {},
                                   [&progress](double fraction) { progress.push_back(fraction); });
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
        QCOMPARE(result->classIndex, 0);
        QCOMPARE(result->totalPatches, 32);
        QCOMPARE(result->maskedPatches, 8);
        QCOMPARE(masks.size(), size_t(7));
        QVERIFY(masks[0].empty());
        const std::vector<int> top = FaithfulnessCheck::mostAttendedPatches(map, 8);
        QCOMPARE(masks[1], std::set<int>(top.begin(), top.end()));
        double topWeight = 0.0;
        for (int patch : top)
            topWeight += map.values[size_t(patch)];
        QCOMPARE(result->baseScore, 1.0);
        QVERIFY(std::abs(result->attendedDrop() - topWeight / totalWeight) < 1e-6);
        // Every random mask covers the same number of patches, and they differ from one another.
        QCOMPARE(result->randomScores.size(), size_t(5));
        double randomDrops = 0.0;
        for (size_t draw = 2; draw < masks.size(); ++draw) {
            QCOMPARE(masks[draw].size(), size_t(8));
            double weight = 0.0;
            for (int patch : masks[draw])
                weight += map.values[size_t(patch)];
            randomDrops += weight / totalWeight;
        }
        QVERIFY(masks[2] != masks[3]);
        QVERIFY(std::abs(result->randomDrop() - randomDrops / 5) < 1e-6);
        QVERIFY(result->attendedDrop() > result->randomDrop());
        QVERIFY(result->randomDropSpread() > 0.0);
        QCOMPARE(progress.size(), size_t(7));
        QCOMPARE(progress.back(), 1.0);
    }

    void rejectsBadInputAndStopsWhenCancelled() {
        auto score = [](const FloatArray&) -> Result<std::vector<float>> {
            return std::vector<float>{1.0f};
        };
        const FloatArray clip = onesClip(2, 8);
        QVERIFY(
            !FaithfulnessCheck::run(clip, FloatArray{{2, 3, 3}, std::vector<float>(18)}, kPatch, score, {})
                 .ok());
        FaithfulnessOptions zero;
        zero.maskFraction = 0.0;
        QVERIFY(!FaithfulnessCheck::run(clip, distinctMap(2, 2, 1), kPatch, score, zero).ok());
        CancellationToken cancel;
        cancel.cancel();
        Result<FaithfulnessResult> cancelled =
            FaithfulnessCheck::run(clip, distinctMap(2, 2, 1), kPatch, score, {}, cancel);
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().category, ErrorCategory::Cancelled);
    }

    void runsARealModel() {
        const TimeSformerConfig config = testing::tinyConfig();
        Result<TimeSformerModel> model = TimeSformerModel::create(config);
        QVERIFY(model.ok());
        FloatArray clip;
        clip.shape = {1, 3, config.numFrames, config.imageSize, config.imageSize};
        clip.values.resize(size_t(clip.elementCount()));
        std::mt19937 random(5);
        std::normal_distribution<float> normal;
        for (float& value : clip.values)
            value = normal(random);
        const FloatArray map = distinctMap(config.numFrames, config.gridSize(), 9);
        FaithfulnessOptions options;
        options.maskFraction = 0.25;
        options.randomDraws = 3;
        Result<FaithfulnessResult> result = FaithfulnessCheck::run(
            clip, map, config.patchSize, FaithfulnessCheck::modelScore(model.value()), options);
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
        QCOMPARE(result->totalPatches, config.numFrames * config.patchesPerFrame());
        QCOMPARE(result->maskedPatches, 4);
        // The base score is the model's own probability of its top class on the clip.
        Result<ForwardResult> forward = model->forward(clip);
        QVERIFY(forward.ok());
        WindowResult reference;
        reference.setLogits(forward->logits.values, {}, 0);
        QCOMPARE(result->classIndex, reference.topClass());
        QVERIFY(std::abs(result->baseScore - reference.topProbability()) < 1e-5);
        QCOMPARE(result->randomScores.size(), size_t(3));
        for (double score : result->randomScores)
            QVERIFY(score >= 0.0 && score <= 1.0);
        QVERIFY(result->attendedScore != result->baseScore);
    }

    void workerChecksAWindowOfAVideo() {
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        const QString modelDir = scratch.filePath(QStringLiteral("model"));
        QCOMPARE(testing::writeTinyModel(modelDir), QString());
        const QString video = scratch.filePath(QStringLiteral("clip.mp4"));
        QCOMPARE(testing::makeVideo(video, 24), QString());
        const TimeSformerConfig config = testing::tinyConfig();

        FaithfulnessWorker worker;
        QSignalSpy finished(&worker, &FaithfulnessWorker::finished);
        QSignalSpy failed(&worker, &FaithfulnessWorker::failed);
        QSignalSpy progress(&worker, &FaithfulnessWorker::progressChanged);
        FaithfulnessRequest request;
        request.modelSource = modelDir;
        request.videoPath = video;
        request.frames = {0, 6, 12, 18};
        request.map = distinctMap(config.numFrames, config.gridSize(), 2);
        request.options.maskFraction = 0.5;
        request.options.randomDraws = 2;
        worker.start(request);
        QVERIFY(worker.isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY(failed.isEmpty());
        QVERIFY(!worker.isRunning());
        const auto result = finished.first().first().value<FaithfulnessResult>();
        QCOMPARE(result.maskedPatches, 8);
        QCOMPARE(result.randomScores.size(), size_t(2));
        QVERIFY(result.baseScore > 0.0 && result.baseScore <= 1.0);
        QVERIFY(progress.size() >= 4);

        // A map that does not fit the model's grid is reported, not crashed on.
        request.map = distinctMap(config.numFrames, 3, 2);
        worker.start(request);
        QVERIFY(failed.wait(60000));
        QCOMPARE(finished.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestFaithfulness)
#include "tst_faithfulness.moc"
