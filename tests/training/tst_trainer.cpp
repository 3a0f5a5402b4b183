#include "core/model/timesformermodel.h"
#include "core/model/timesformernet.h"
#include "core/training/evaluator.h"
#include "core/training/syntheticaction.h"
#include "core/training/syntheticbatch.h"
#include "core/training/trainer.h"
#include "core/training/trainingworker.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

using namespace saccade;

namespace {

// A model small enough to train in a blink: 4 frames of 16 px, a 2x2 patch grid, one block.
TrainingOptions tinyOptions(const QString& directory) {
    TimeSformerConfig config;
    config.imageSize = 16;
    config.patchSize = 8;
    config.numFrames = 4;
    config.hiddenSize = 32;
    config.depth = 1;
    config.numHeads = 2;
    config.normMean = {0.5f, 0.5f, 0.5f};
    config.normStd = {0.5f, 0.5f, 0.5f};
    TrainingOptions options;
    options.config = config;
    options.outputDirectory = directory;
    options.steps = 40;
    options.batchSize = 8;
    options.distinctBatches = 1;
    options.learningRate = 3e-3;
    options.warmupFraction = 0.1;
    options.labelSmoothing = 0.0;
    options.threads = 1;
    options.checkpointEverySteps = 0;
    return options;
}

QByteArray fileBytes(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void batchIsNormalised() {
        SyntheticClipOptions clipOptions;
        clipOptions.frames = 2;
        clipOptions.width = 8;
        clipOptions.height = 4;
        const SyntheticClip clip = SyntheticClipGenerator(clipOptions).generate(3);
        const FloatArray input =
            SyntheticBatch::toInput({clip, clip}, {0.5f, 0.4f, 0.3f}, {0.5f, 0.2f, 0.25f});
        QCOMPARE(input.shape, (std::vector<int64_t>{2, 3, 2, 4, 8}));
        const QRgb pixel = clip.frames[1].pixel(5, 2);
        const int64_t at = ((1 * 3 + 1) * 2 + 1) * 32 + 2 * 8 + 5; // item 1, green, frame 1, y 2, x 5
        QVERIFY(qAbs(input.values[at] - (qGreen(pixel) / 255.0 - 0.4) / 0.2) < 1e-5);
        // Seeds of a batch are a pure function of (seed, batch) and differ between batches.
        QCOMPARE(SyntheticBatch::clipSeeds(7, 3, 4), SyntheticBatch::clipSeeds(7, 3, 4));
        QVERIFY(SyntheticBatch::clipSeeds(7, 3, 4) != SyntheticBatch::clipSeeds(7, 4, 4));
    }

    void actorMaskMarksThePatchesUnderTheBox() {
        SyntheticClip clip;
        clip.frames = {QImage(32, 16, QImage::Format_RGB32), QImage(32, 16, QImage::Format_RGB32)};
        // Frame 0: a box over patch (row 0, column 1) and an eighth of (row 1, column 1); frame 1: none.
        clip.actorBoxes = {QRectF(8, 0, 8, 9), QRectF()};
        const FloatArray mask = SyntheticBatch::actorPatchMask({clip}, 8);
        QCOMPARE(mask.shape, (std::vector<int64_t>{1, 2, 8}));
        const std::vector<float> frame0(mask.values.begin(), mask.values.begin() + 8);
        QCOMPARE(frame0, (std::vector<float>{0, 1, 0, 0, 0, 0, 0, 0}));
        // Half of patch (1, 1) is covered once the box reaches y = 12.
        clip.actorBoxes[0] = QRectF(8, 0, 8, 12);
        QCOMPARE(SyntheticBatch::actorPatchMask({clip}, 8).values[5], 1.0f);
        for (int i = 8; i < 16; ++i)
            QCOMPARE(mask.values[i], 0.0f);
    }

    void headingsAreTheClipsPerFrame() {
        SyntheticClip first;
        first.frames.resize(2);
        first.actorHeadings = {QPointF(0.6, -0.8), QPointF()};
        SyntheticClip second = first;
        second.actorHeadings = {QPointF(-1, 0), QPointF(0, 1)};
        const FloatArray headings = SyntheticBatch::actorHeadings({first, second});
        QCOMPARE(headings.shape, (std::vector<int64_t>{2, 2, 2}));
        QCOMPARE(headings.values, (std::vector<float>{0.6f, -0.8f, 0, 0, -1, 0, 0, 1}));
    }

    void lastBlockInputIsTheFirstBlocksOutput() {
        // With two blocks, the tokens entering the last block are what a one-block copy outputs.
        TimeSformerConfig config = tinyOptions(QString()).config.value();
        config.depth = 2;
        torch::manual_seed(5);
        TimeSformerNet twoBlocks(config);
        config.depth = 1;
        TimeSformerNet oneBlock(config);
        torch::NoGradGuard noGrad;
        const auto source = twoBlocks->named_parameters();
        for (auto& parameter : oneBlock->named_parameters())
            parameter.value().copy_(source[parameter.key()]);
        const torch::Tensor video = torch::randn({2, 3, 4, 16, 16});
        torch::Tensor lastBlockInput;
        twoBlocks->features(video, nullptr, nullptr, &lastBlockInput);
        torch::Tensor firstBlockOutput;
        oneBlock->features(video, nullptr, &firstBlockOutput);
        QCOMPARE(lastBlockInput.sizes().vec(), (std::vector<int64_t>{2, 4, 4, 32}));
        QVERIFY(torch::allclose(twoBlocks->norm(lastBlockInput), firstBlockOutput, 1e-5, 1e-5));
    }

    void reversedPairsShowOneSceneBothWays() {
        TrainingOptions options = tinyOptions(QString());
        options.distinctBatches = 0;
        options.timeReversedPairs = true;
        const Trainer trainer(options);
        const TimeSformerConfig config = trainer.modelConfig().value();
        const std::vector<SyntheticClip> clips = trainer.clipsForStep(config, 3);
        QCOMPARE(int(clips.size()), options.batchSize);
        std::set<uint64_t> seeds;
        for (size_t i = 0; i + 1 < clips.size(); i += 2) {
            const SyntheticClip& forward = clips[i];
            const SyntheticClip& backward = clips[i + 1];
            QCOMPARE(backward.seed, forward.seed);
            QCOMPARE(backward.action, timeReversed(forward.action));
            const size_t frames = forward.frames.size();
            for (size_t t = 0; t < frames; ++t)
                QCOMPARE(backward.actorBoxes[t], forward.actorBoxes[frames - 1 - t]);
            seeds.insert(forward.seed);
        }
        QCOMPARE(int(seeds.size()), options.batchSize / 2); // each pair its own scene
        // Unpaired, the batch is the step's clip seeds, each with its own action.
        options.timeReversedPairs = false;
        const std::vector<SyntheticClip> plain = Trainer(options).clipsForStep(config, 3);
        const std::vector<uint64_t> stepSeeds = Trainer(options).clipSeedsForStep(3);
        for (size_t i = 0; i < plain.size(); ++i) {
            QCOMPARE(plain[i].seed, stepSeeds[i]);
            QCOMPARE(plain[i].action, SyntheticClipGenerator::actionForSeed(stepSeeds[i]));
        }
    }

    void headingLossFalls() {
        QTemporaryDir dir;
        TrainingOptions options = tinyOptions(dir.path());
        options.headingLossWeight = 1.0;
        options.steps = 40;
        options.checkpointEverySteps = 10;
        std::vector<double> headingLosses;
        const Result<TrainingSummary> summary = Trainer(options).run(
            CancellationToken(), [&](const TrainingProgress& p) { headingLosses.push_back(p.headingLoss); });
        QVERIFY2(summary.ok(), qPrintable(summary.ok() ? QString() : summary.error().toString()));
        QVERIFY(headingLosses.front() > 0);
        QVERIFY2(headingLosses.back() < 0.7 * headingLosses.front(),
                 qPrintable(QStringLiteral("heading loss %1 -> %2")
                                .arg(headingLosses.front())
                                .arg(headingLosses.back())));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("checkpoint/heading_probe.pt"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("checkpoint/actor_probe.pt"))));
    }

    void actorLossFalls() {
        QTemporaryDir dir;
        TrainingOptions options = tinyOptions(dir.path());
        options.actorLossWeight = 1.0;
        options.steps = 30;
        options.checkpointEverySteps = 10;
        std::vector<double> actorLosses;
        const Result<TrainingSummary> summary = Trainer(options).run(
            CancellationToken(), [&](const TrainingProgress& p) { actorLosses.push_back(p.actorLoss); });
        QVERIFY2(summary.ok(), qPrintable(summary.ok() ? QString() : summary.error().toString()));
        QVERIFY(actorLosses.front() > 0);
        QVERIFY2(actorLosses.back() < 0.7 * actorLosses.front(),
                 qPrintable(
                     QStringLiteral("actor loss %1 -> %2").arg(actorLosses.front()).arg(actorLosses.back())));
        // The probe is training state, not part of the model.
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("checkpoint/actor_probe.pt"))));
        Result<TimeSformerModel> model = TimeSformerModel::load(dir.path());
        QVERIFY2(model.ok(), qPrintable(model.ok() ? QString() : model.error().toString()));
    }

    void curriculumGrowsDistractorsAndGrain() {
        TrainingOptions options = tinyOptions(QString());
        options.steps = 100;
        options.curriculumFraction = 0.5;
        const Trainer trainer(options);
        const TimeSformerConfig config = trainer.modelConfig().value();
        const SyntheticClipOptions full;
        const SyntheticClipOptions first = trainer.clipOptionsForStep(config, 0);
        QCOMPARE(first.maxDistractors, 0);
        QCOMPARE(first.minDistractors, 0);
        QCOMPARE(first.maxNoise, 0.0);
        QCOMPARE(first.frames, 4);
        QCOMPARE(first.width, 16);
        const SyntheticClipOptions middle = trainer.clipOptionsForStep(config, 25);
        QCOMPARE(middle.maxDistractors, 2);
        QVERIFY(qAbs(middle.maxNoise - full.maxNoise / 2) < 1e-12);
        const SyntheticClipOptions after = trainer.clipOptionsForStep(config, 50);
        QCOMPARE(after.maxDistractors, full.maxDistractors);
        QCOMPARE(after.minDistractors, full.minDistractors);
        QCOMPARE(after.maxNoise, full.maxNoise);
        // Without a curriculum every step gets the full clips.
        options.curriculumFraction = 0.0;
        QCOMPARE(Trainer(options).clipOptionsForStep(config, 0).maxDistractors, full.maxDistractors);
    }

    void lossFallsAndTheSavedModelIsTheTrainedOne() {
        QTemporaryDir dir;
        const TrainingOptions options = tinyOptions(dir.path());
        std::vector<double> losses;
        Trainer trainer(options);
        const Result<TrainingSummary> summary =
            trainer.run(CancellationToken(), [&](const TrainingProgress& p) { losses.push_back(p.loss); });
        QVERIFY2(summary.ok(), qPrintable(summary.ok() ? QString() : summary.error().toString()));
        QCOMPARE(int(losses.size()), options.steps);
        const double first = losses.front();
        const double last =
            (losses[losses.size() - 1] + losses[losses.size() - 2] + losses[losses.size() - 3]) / 3;
        QVERIFY2(last < 0.5 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));

        // The Hugging Face directory loads back with the class names and the trained weights: its loss
        // on the one training batch matches the end of training, not the start.
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("config.json"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("training.json"))));
        Result<TimeSformerModel> model = TimeSformerModel::load(dir.path());
        QVERIFY2(model.ok(), qPrintable(model.ok() ? QString() : model.error().toString()));
        QCOMPARE(model->labels(), syntheticActionNames());
        QCOMPARE(model->config().numFrames, 4);
        SyntheticClipOptions clipOptions;
        clipOptions.frames = 4;
        clipOptions.width = 16;
        clipOptions.height = 16;
        clipOptions.clipSeconds = options.clipSeconds;
        const SyntheticClipGenerator generator(clipOptions);
        std::vector<SyntheticClip> clips;
        for (uint64_t seed : trainer.clipSeedsForStep(0))
            clips.push_back(generator.generate(seed));
        const Result<ForwardResult> output =
            model->forward(SyntheticBatch::toInput(clips, model->config().normMean, model->config().normStd));
        QVERIFY(output.ok());
        double loss = 0;
        for (size_t i = 0; i < clips.size(); ++i) {
            const float* row = output->logits.values.data() + i * kSyntheticActionCount;
            double sum = 0;
            for (int c = 0; c < kSyntheticActionCount; ++c)
                sum += std::exp(row[c]);
            loss += std::log(sum) - row[syntheticActionIndex(clips[i].action)];
        }
        loss /= clips.size();
        QVERIFY2(loss < 0.6 * first, qPrintable(QStringLiteral("loaded model's loss %1").arg(loss)));

        // The evaluator runs the loaded model over held-out clips.
        Result<EvaluationReport> report = Evaluator::evaluate(model.value(), EvaluationOptions{});
        QVERIFY(report.ok());
        QCOMPARE(report->clips, 500);
        QCOMPARE(int(report->confusion.size()), kSyntheticActionCount);
        int correct = 0;
        int total = 0;
        for (int c = 0; c < kSyntheticActionCount; ++c)
            for (int p = 0; p < kSyntheticActionCount; ++p) {
                total += report->confusion[c][p];
                correct += c == p ? report->confusion[c][p] : 0;
            }
        QCOMPARE(total, 500);
        QVERIFY(qAbs(report->top1 - correct / 500.0) < 1e-12);
        QVERIFY(report->attentionOnActor > 0);
        const QJsonObject json = report->toJson();
        QVERIFY(json.contains(QStringLiteral("top1")));
        QVERIFY(json.contains(QStringLiteral("attention_on_actor")));
    }

    void resumeReproducesAnUninterruptedRun() {
        QTemporaryDir straight;
        QTemporaryDir interrupted;
        TrainingOptions options = tinyOptions(straight.path());
        options.steps = 12;
        options.distinctBatches = 0;
        options.checkpointEverySteps = 4;
        // The probes train too, so the resumed run matches only if their state was restored.
        options.actorLossWeight = 1.0;
        options.headingLossWeight = 1.0;
        QVERIFY(Trainer(options).run(CancellationToken()).ok());

        options.outputDirectory = interrupted.path();
        CancellationToken cancel;
        const Result<TrainingSummary> stopped = Trainer(options).run(cancel, [&](const TrainingProgress& p) {
            if (p.step == 6)
                cancel.cancel();
        });
        QVERIFY(!stopped.ok());
        QCOMPARE(stopped.error().category, ErrorCategory::Cancelled);
        QVERIFY(!QFile::exists(interrupted.filePath(QStringLiteral("model.safetensors"))));

        options.resume = true;
        const Result<TrainingSummary> resumed = Trainer(options).run(CancellationToken());
        QVERIFY2(resumed.ok(), qPrintable(resumed.ok() ? QString() : resumed.error().toString()));
        QCOMPARE(resumed->resumedFromStep, 6);
        QCOMPARE(fileBytes(interrupted.filePath(QStringLiteral("model.safetensors"))),
                 fileBytes(straight.filePath(QStringLiteral("model.safetensors"))));

        // Other probe or pairing settings are refused too: the optimizer state and the data would differ.
        options.headingLossWeight = 0.0;
        const Result<TrainingSummary> otherProbes = Trainer(options).run(CancellationToken());
        QVERIFY(!otherProbes.ok());
        QCOMPARE(otherProbes.error().category, ErrorCategory::InvalidArgument);
        QVERIFY(otherProbes.error().toString().contains(QStringLiteral("--heading-loss")));
        options.headingLossWeight = 1.0;

        // A different seed is refused rather than silently mixed in.
        options.seed = 99;
        const Result<TrainingSummary> mismatched = Trainer(options).run(CancellationToken());
        QVERIFY(!mismatched.ok());
        QCOMPARE(mismatched.error().category, ErrorCategory::InvalidArgument);
    }

    void badOptionsAreErrors() {
        TrainingOptions options;
        options.preset = QStringLiteral("no-such-preset");
        options.outputDirectory = QStringLiteral("/tmp/unused");
        QCOMPARE(Trainer(options).run(CancellationToken()).error().category, ErrorCategory::InvalidArgument);
        options = tinyOptions(QString());
        QCOMPARE(Trainer(options).run(CancellationToken()).error().category, ErrorCategory::InvalidArgument);
    }

    void workerReportsThroughSignals() {
        QTemporaryDir dir;
        TrainingOptions options = tinyOptions(dir.path());
        options.steps = 10;
        TrainingWorker worker(options);
        QSignalSpy progress(&worker, &TrainingWorker::progressChanged);
        QSignalSpy succeeded(&worker, &TrainingWorker::succeeded);
        QSignalSpy failed(&worker, &TrainingWorker::failed);
        worker.start();
        QTRY_COMPARE_WITH_TIMEOUT(succeeded.count(), 1, 30000);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(progress.count(), 10);
        QCOMPARE(progress.last().first().value<TrainingProgress>().step, 10);
        QCOMPARE(succeeded.first().first().value<TrainingSummary>().steps, 10);
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
