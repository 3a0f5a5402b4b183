#include "core/annotation/projectfile.h"
#include "core/media/videoencoder.h"
#include "core/model/checkpoint.h"
#include "core/model/timesformermodel.h"
#include "core/training/finetuner.h"
#include "core/training/finetuneworker.h"
#include "core/training/random.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace saccade;

namespace {

constexpr int kSide = 32;
constexpr int kSegmentFrames = 12;
constexpr int kIdleFrames = 4;
constexpr int kSegmentsPerColour = 8;
// The tiny model samples 4 frames every 2nd frame: a clip spans 8 frames of the 30 fps video.
constexpr int kSamplingRate = 2;

const QStringList& colourNames() {
    static const QStringList names = {QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue")};
    return names;
}

QColor colourOf(int index, Random& random) {
    // A jittered shade of the pure colour, so segments of one class differ.
    const int strong = 150 + random.index(90);
    const int weak = 20 + random.index(60);
    return index == 0   ? QColor(strong, weak, weak)
           : index == 1 ? QColor(weak, strong, weak)
                        : QColor(weak, weak, strong);
}

QImage frameOf(const QColor& colour, Random& random) {
    QImage image(kSide, kSide, QImage::Format_RGB32);
    for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x) {
            const int noise = random.index(41) - 20;
            image.setPixel(x, y,
                           qRgb(qBound(0, colour.red() + noise, 255), qBound(0, colour.green() + noise, 255),
                                qBound(0, colour.blue() + noise, 255)));
        }
    return image;
}

// A short video of coloured segments (red, green, blue in turn) between grey stretches, and a project
// whose accepted segments name the colours.
struct Fixture {
    QString videoPath;
    QString projectPath;
    QString modelPath;
};

Fixture makeFixture(const QString& directory, const QStringList& modelLabels, int idleFrames = kIdleFrames) {
    Fixture fixture;
    fixture.videoPath = QDir(directory).filePath(QStringLiteral("colours.mp4"));
    fixture.projectPath = QDir(directory).filePath(QStringLiteral("colours.saccade"));
    fixture.modelPath = QDir(directory).filePath(QStringLiteral("model"));

    VideoEncoderOptions encoderOptions;
    encoderOptions.width = kSide;
    encoderOptions.height = kSide;
    encoderOptions.crf = 12;
    encoderOptions.preset = QStringLiteral("ultrafast");
    encoderOptions.keyFrameInterval = 16;
    VideoEncoder encoder;
    if (!encoder.open(fixture.videoPath, encoderOptions))
        return {};
    Random random(7);
    VideoEntry video;
    video.id = QStringLiteral("colours");
    video.path = fixture.videoPath;
    qint64 frame = 0;
    for (int s = 0; s < kSegmentsPerColour * 3; ++s) {
        for (int i = 0; i < idleFrames; ++i, ++frame)
            (void)encoder.writeFrame(frameOf(QColor(128, 128, 128), random));
        const int colour = s % 3;
        const QColor shade = colourOf(colour, random);
        Segment segment;
        segment.id = Segment::newId();
        segment.startFrame = frame;
        segment.endFrame = frame + kSegmentFrames;
        segment.label = colourNames()[colour];
        segment.state = s % 2 ? SegmentState::Edited : SegmentState::Accepted;
        video.segments.push_back(segment);
        for (int i = 0; i < kSegmentFrames; ++i, ++frame)
            (void)encoder.writeFrame(frameOf(shade, random));
    }
    if (!encoder.finish())
        return {};
    video.probe = VideoProbeInfo{kSide, kSide, 30.0, frame, frame / 30.0};
    ProjectData project;
    project.labels = LabelSet::fromNames(colourNames()).value();
    project.videos.push_back(video);
    if (!ProjectFile::save(project, fixture.projectPath))
        return {};

    TimeSformerConfig config;
    config.imageSize = 16;
    config.patchSize = 8;
    config.numFrames = 4;
    config.hiddenSize = 32;
    config.depth = 1;
    config.numHeads = 2;
    config.numClasses = static_cast<int>(modelLabels.size());
    config.labels = modelLabels;
    config.preprocessing = QStringLiteral("demo");
    // Weights drawn from a fixed seed (LibTorch's own generator starts from a random seed): normal(0,
    // 0.02) matrices and embeddings, unit norms, zero biases, as a fresh model starts.
    Result<TimeSformerModel> model = TimeSformerModel::create(config);
    if (!model)
        return {};
    TensorMap weights;
    for (const auto& [name, tensor] : model->stateTensors()) {
        std::vector<float> values(static_cast<size_t>(tensor.elementCount()));
        for (float& value : values)
            value = name.endsWith(QLatin1String(".bias"))  ? 0.0f
                    : name.contains(QLatin1String("norm")) ? 1.0f
                                                           : static_cast<float>(0.02 * random.normal());
        weights[name] = RawTensor::fromFloat(tensor.shape, values);
    }
    if (!saveHfDirectory(fixture.modelPath, config, weights))
        return {};
    // As training writes it: config.json has no field for the sampling rate.
    QFile training(QDir(fixture.modelPath).filePath(QStringLiteral("training.json")));
    if (!training.open(QIODevice::WriteOnly) ||
        training.write(
            QJsonDocument(QJsonObject{{QStringLiteral("sampling_rate"), kSamplingRate}}).toJson()) < 0)
        return {};
    return fixture;
}

FinetuneOptions optionsFor(const Fixture& fixture, const QString& out) {
    FinetuneOptions options;
    options.model = fixture.modelPath;
    options.projectPath = fixture.projectPath;
    options.outputDirectory = out;
    options.samplingRate = kSamplingRate;
    options.threads = 1;
    return options;
}

std::map<QString, std::vector<float>> weightsOf(const QString& path) {
    std::map<QString, std::vector<float>> weights;
    Result<TimeSformerModel> model = TimeSformerModel::load(path);
    if (!model)
        return weights;
    for (const auto& [name, tensor] : model->stateTensors())
        weights[name] = tensor.toFloat();
    return weights;
}

QString describe(const Result<FinetuneSummary>& result) {
    if (!result)
        return result.error().toString();
    return QStringLiteral("before %1 after %2 (%3 train / %4 val clips, loss %5)")
        .arg(result->valAccuracyBefore)
        .arg(result->valAccuracyAfter)
        .arg(result->trainClips)
        .arg(result->valClips)
        .arg(result->finalLoss);
}

} // namespace

class TestFinetune : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void labelsMatchClassesByName() {
        QVERIFY(labelMatchesClass(QStringLiteral("move_left"), QStringLiteral("move_left")));
        QVERIFY(labelMatchesClass(QStringLiteral("Move left"), QStringLiteral("move_left")));
        QVERIFY(labelMatchesClass(QStringLiteral("move-left"), QStringLiteral("move_left")));
        QVERIFY(!labelMatchesClass(QStringLiteral("move right"), QStringLiteral("move_left")));
    }

    void headOnlyLearnsTheHeadAndLeavesTheRestBitIdentical() {
        QTemporaryDir dir;
        const Fixture fixture = makeFixture(dir.path(), colourNames());
        QVERIFY(!fixture.modelPath.isEmpty());
        const QString out = dir.filePath(QStringLiteral("tuned"));
        FinetuneOptions options = optionsFor(fixture, out);
        options.headOnly = true;
        options.epochs = 20;

        // Through the worker, as the desktop app runs it.
        FinetuneWorker worker(options);
        QSignalSpy progressed(&worker, &FinetuneWorker::progressChanged);
        QSignalSpy succeeded(&worker, &FinetuneWorker::succeeded);
        QSignalSpy failed(&worker, &FinetuneWorker::failed);
        worker.start();
        QTRY_VERIFY_WITH_TIMEOUT(!succeeded.isEmpty() || !failed.isEmpty(), 60000);
        QVERIFY2(failed.isEmpty(),
                 qPrintable(failed.isEmpty() ? QString() : failed.first().first().value<Error>().toString()));
        QVERIFY(!progressed.isEmpty());
        const auto last = progressed.last().first().value<FinetuneProgress>();
        QCOMPARE(last.phase, FinetuneProgress::Phase::Training);
        QCOMPARE(last.step, last.steps);
        const auto summary = succeeded.first().first().value<FinetuneSummary>();
        qInfo("head-only: val accuracy %.3f before, %.3f after", summary.valAccuracyBefore,
              summary.valAccuracyAfter);

        // No val split in the project: one segment in five of each colour is held out, 4 clips each.
        QCOMPARE(summary.valSegments, 6);
        QCOMPARE(summary.trainSegments, 18);
        QCOMPARE(summary.valClips, 24);
        QCOMPARE(summary.trainClips, 72);
        QVERIFY(summary.splitNote.contains(QStringLiteral("no val split")));
        QVERIFY(summary.addedClasses.isEmpty());
        QVERIFY2(summary.valAccuracyAfter >= 0.9 &&
                     summary.valAccuracyAfter > summary.valAccuracyBefore + 0.2,
                 qPrintable(QStringLiteral("before %1 after %2")
                                .arg(summary.valAccuracyBefore)
                                .arg(summary.valAccuracyAfter)));

        const auto before = weightsOf(fixture.modelPath);
        const auto after = weightsOf(out);
        QCOMPARE(after.size(), before.size());
        for (const auto& [name, values] : before) {
            if (name.startsWith(QLatin1String("head.")))
                QVERIFY2(after.at(name) != values, qPrintable(name + QStringLiteral(" did not change")));
            else
                QVERIFY2(after.at(name) == values, qPrintable(name + QStringLiteral(" changed")));
        }
        Result<TimeSformerModel> tuned = TimeSformerModel::load(out);
        QVERIFY(tuned.ok());
        QCOMPARE(tuned->labels(), colourNames());

        QFile file(QDir(out).filePath(QStringLiteral("finetune.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject description = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(description.value(QLatin1String("mode")).toString(), QStringLiteral("head-only"));
        QCOMPARE(description.value(QLatin1String("val_clips")).toInt(), 24);
        QCOMPARE(description.value(QLatin1String("sampling_rate")).toInt(), kSamplingRate);
        QCOMPARE(description.value(QLatin1String("val_accuracy_after")).toDouble(), summary.valAccuracyAfter);
        // Nothing is left beside the output.
        QCOMPARE(QDir(dir.path())
                     .entryList(QDir::Hidden | QDir::Dirs | QDir::NoDotAndDotDot)
                     .filter(QStringLiteral("partial")),
                 QStringList());
    }

    void fullModeAddsAMissingClassAndTrainsEveryWeight() {
        QTemporaryDir dir;
        // The model knows red and green; the project's blue becomes a third class.
        const Fixture fixture = makeFixture(dir.path(), {QStringLiteral("Red"), QStringLiteral("green")});
        QVERIFY(!fixture.modelPath.isEmpty());
        const QString out = dir.filePath(QStringLiteral("tuned"));
        FinetuneOptions options = optionsFor(fixture, out);
        options.epochs = 8;
        options.learningRate = 1e-3;
        options.samplingRate = 0; // the model's, from its training.json
        const Result<FinetuneSummary> result = Finetuner(options).run(CancellationToken());
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        qInfo("full: %s", qPrintable(describe(result)));
        QCOMPARE(result->addedClasses, QStringList{QStringLiteral("blue")});
        QVERIFY2(result->valAccuracyBefore <= 2.0 / 3.0 + 1e-9, qPrintable(describe(result)));
        QVERIFY2(result->valAccuracyAfter > result->valAccuracyBefore + 0.2, qPrintable(describe(result)));

        Result<TimeSformerModel> tuned = TimeSformerModel::load(out);
        QVERIFY(tuned.ok());
        QCOMPARE(tuned->labels(),
                 (QStringList{QStringLiteral("Red"), QStringLiteral("green"), QStringLiteral("blue")}));
        // The fine-tuned model's config.json keeps the sampling rate its clips were taken with.
        QCOMPARE(tuned->config().samplingRate, kSamplingRate);
        const auto before = weightsOf(fixture.modelPath);
        const auto after = weightsOf(out);
        QCOMPARE(after.at(QStringLiteral("head.weight")).size(),
                 before.at(QStringLiteral("head.weight")).size() / 2 * 3);
        QVERIFY(after.at(QStringLiteral("patch_embed.proj.weight")) !=
                before.at(QStringLiteral("patch_embed.proj.weight")));
        QFile file(QDir(out).filePath(QStringLiteral("finetune.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(
            QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("sampling_rate")).toInt(),
            kSamplingRate);
        QVERIFY(after.at(QStringLiteral("blocks.0.mlp.fc1.weight")) !=
                before.at(QStringLiteral("blocks.0.mlp.fc1.weight")));
    }

    void idleStretchesLieBetweenConfirmedNeighbours() {
        VideoEntry video;
        const auto add = [&video](qint64 start, qint64 end, SegmentState state) {
            Segment segment;
            segment.startFrame = start;
            segment.endFrame = end;
            segment.label = QStringLiteral("x");
            segment.state = state;
            video.segments.push_back(segment);
        };
        // Out of order on purpose; [0, 10) has no confirmed segment before it.
        add(30, 40, SegmentState::Edited);
        add(10, 20, SegmentState::Accepted);
        add(45, 50, SegmentState::Accepted); // gap 40-45 is too short
        add(70, 80, SegmentState::Proposed); // a pending proposal: 50-70 and 80-100 unknown
        add(100, 110, SegmentState::Accepted);
        add(115, 118, SegmentState::Rejected); // rejected: not a segment
        add(130, 140, SegmentState::Accepted);
        const auto stretches = Finetuner::idleStretches(video, 8);
        const std::vector<std::pair<qint64, qint64>> expected = {{20, 30}, {110, 130}};
        QCOMPARE(stretches, expected);
        QCOMPARE(Finetuner::idleStretches(video, 21), (std::vector<std::pair<qint64, qint64>>{}));
    }

    void aModelWithBackgroundLearnsTheIdleStretches() {
        QTemporaryDir dir;
        QStringList labels = colourNames();
        labels << QStringLiteral("background");
        // Grey stretches of 8 frames: longer than the 7-frame clip span.
        const Fixture fixture = makeFixture(dir.path(), labels, 8);
        QVERIFY(!fixture.modelPath.isEmpty());
        FinetuneOptions options = optionsFor(fixture, dir.filePath(QStringLiteral("tuned")));
        options.headOnly = true;
        options.epochs = 20;
        const Result<FinetuneSummary> result = Finetuner(options).run(CancellationToken());
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        // 24 labelled segments and the 23 grey stretches between them.
        QCOMPARE(result->trainSegments + result->valSegments, 24 + 23);
        const auto background =
            std::find_if(result->perClass.begin(), result->perClass.end(), [](const ClassRecall& recall) {
                return recall.label == QLatin1String("background");
            });
        QVERIFY(background != result->perClass.end());
        QVERIFY(background->valClips > 0);
        QVERIFY2(background->after >= 0.8, qPrintable(describe(result)));

        // A model without a background class learns only from the segments.
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("plain"))));
        const Fixture plainFixture = makeFixture(dir.filePath(QStringLiteral("plain")), colourNames(), 8);
        QVERIFY(!plainFixture.modelPath.isEmpty());
        FinetuneOptions plainOptions = optionsFor(plainFixture, dir.filePath(QStringLiteral("plain-tuned")));
        plainOptions.headOnly = true;
        plainOptions.epochs = 1;
        const Result<FinetuneSummary> plainResult = Finetuner(plainOptions).run(CancellationToken());
        QVERIFY2(plainResult.ok(), qPrintable(describe(plainResult)));
        QCOMPARE(plainResult->trainSegments + plainResult->valSegments, 24);
    }

    void newClassesOnlyLeavesTheModelsOwnClassesBitIdentical() {
        QTemporaryDir dir;
        // The model knows red and green; the project's blue becomes a third class, the only one to learn.
        const Fixture fixture = makeFixture(dir.path(), {QStringLiteral("red"), QStringLiteral("green")});
        QVERIFY(!fixture.modelPath.isEmpty());
        const QString out = dir.filePath(QStringLiteral("tuned"));
        FinetuneOptions options = optionsFor(fixture, out);
        options.headOnly = true;
        options.onlyNewClasses = true;
        options.epochs = 40;
        options.learningRate = 1e-2;
        const Result<FinetuneSummary> result = Finetuner(options).run(CancellationToken());
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result->addedClasses, QStringList{QStringLiteral("blue")});

        const auto before = weightsOf(fixture.modelPath);
        const auto after = weightsOf(out);
        const std::vector<float>& oldWeight = before.at(QStringLiteral("head.weight"));
        const std::vector<float>& newWeight = after.at(QStringLiteral("head.weight"));
        QCOMPARE(newWeight.size(), oldWeight.size() / 2 * 3);
        // Rows are contiguous: the first two rows are the model's own, bit for bit.
        QVERIFY(std::equal(oldWeight.begin(), oldWeight.end(), newWeight.begin()));
        QVERIFY(std::any_of(newWeight.begin() + static_cast<std::ptrdiff_t>(oldWeight.size()),
                            newWeight.end(), [](float v) { return v != 0.0f; }));
        const std::vector<float>& oldBias = before.at(QStringLiteral("head.bias"));
        const std::vector<float>& newBias = after.at(QStringLiteral("head.bias"));
        QCOMPARE(newBias[0], oldBias[0]);
        QCOMPARE(newBias[1], oldBias[1]);

        // Recall per class: blue could not be predicted before and is learnt; the others are reported.
        QCOMPARE(result->perClass.size(), size_t(3));
        const ClassRecall& blue = result->perClass[2];
        QCOMPARE(blue.label, QStringLiteral("blue"));
        QVERIFY(blue.added);
        QCOMPARE(blue.before, 0.0);
        QVERIFY2(blue.after > 0.5, qPrintable(describe(result)));
        QVERIFY(!result->perClass[0].added);
        QVERIFY(result->perClass[0].valClips > 0);
    }

    void refusesMissingClassesWhenAsked() {
        QTemporaryDir dir;
        const Fixture fixture = makeFixture(dir.path(), {QStringLiteral("red"), QStringLiteral("green")});
        FinetuneOptions options = optionsFor(fixture, dir.filePath(QStringLiteral("tuned")));
        options.addMissingClasses = false;
        const Result<FinetuneSummary> result = Finetuner(options).run(CancellationToken());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().path, fixture.projectPath);
        QVERIFY2(result.error().message.contains(QStringLiteral("no class for the labels blue")),
                 qPrintable(result.error().toString()));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("tuned"))));
    }

    void errorsNameTheProblem() {
        QTemporaryDir dir;
        const Fixture fixture = makeFixture(dir.path(), colourNames());
        const QString out = dir.filePath(QStringLiteral("tuned"));

        // Only proposals: nothing to learn from.
        Result<ProjectData> project = ProjectFile::load(fixture.projectPath);
        QVERIFY(project.ok());
        for (Segment& segment : project->videos.front().segments)
            segment.state = SegmentState::Proposed;
        const QString proposals = dir.filePath(QStringLiteral("proposals.saccade"));
        QVERIFY(ProjectFile::save(project.value(), proposals).ok());
        FinetuneOptions options = optionsFor(fixture, out);
        options.projectPath = proposals;
        Result<FinetuneSummary> result = Finetuner(options).run(CancellationToken());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().path, proposals);
        QVERIFY2(result.error().message.contains(QStringLiteral("no accepted segments")),
                 qPrintable(result.error().toString()));

        // One accepted segment cannot be split into train and val, and the error says so in segments.
        {
            auto& segments = project->videos.front().segments;
            segments.front().state = SegmentState::Accepted;
            const QString single = dir.filePath(QStringLiteral("single.saccade"));
            QVERIFY(ProjectFile::save(project.value(), single).ok());
            options.projectPath = single;
            result = Finetuner(options).run(CancellationToken());
            QVERIFY(!result.ok());
            QVERIFY2(result.error().message.contains(QStringLiteral("too few accepted segments (1)")),
                     qPrintable(result.error().toString()));
        }

        // An output folder holding something else is not overwritten.
        const QString busy = dir.filePath(QStringLiteral("busy"));
        QVERIFY(QDir().mkpath(busy));
        QFile other(QDir(busy).filePath(QStringLiteral("notes.txt")));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.close();
        result = Finetuner(optionsFor(fixture, busy)).run(CancellationToken());
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QStringLiteral("not empty")),
                 qPrintable(result.error().toString()));

        // Cancelled before it starts: an error, and no output.
        CancellationToken cancel;
        cancel.cancel();
        result = Finetuner(optionsFor(fixture, out)).run(cancel);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().category, ErrorCategory::Cancelled);
        QVERIFY(!QFileInfo::exists(out));

        // Cancelled while clips are extracted: an error, and nothing written, not even a staging folder.
        cancel.reset();
        result = Finetuner(optionsFor(fixture, out)).run(cancel, [&](const FinetuneProgress&) {
            cancel.cancel();
        });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().category, ErrorCategory::Cancelled);
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY(QDir(dir.path())
                    .entryList(QDir::Hidden | QDir::Dirs | QDir::NoDotAndDotDot)
                    .filter(QStringLiteral("partial"))
                    .isEmpty());

        // The video is gone.
        QVERIFY(QFile::remove(fixture.videoPath));
        result = Finetuner(optionsFor(fixture, out)).run(CancellationToken());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().category, ErrorCategory::NotFound);
        QCOMPARE(result.error().path, fixture.videoPath);
        QVERIFY2(result.error().message.contains(QStringLiteral("missing")),
                 qPrintable(result.error().toString()));
        QVERIFY(!QFileInfo::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestFinetune)
#include "tst_finetune.moc"
