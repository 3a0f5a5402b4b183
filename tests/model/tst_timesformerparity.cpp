// Parity of the LibTorch TimeSformer with the Python reference (tests/model/reference/timesformer_ref.py)
// on the committed fixtures, for every attention type and checkpoint layout.
#include "core/model/parameterlayout.h"
#include "core/model/timesformermodel.h"
#include "core/util/npy.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

using namespace saccade;

namespace {

constexpr double kTolerance = 1e-4;

QString fixture(const QString& name) {
    return QDir(qEnvironmentVariable("SACCADE_SOURCE_DIR"))
        .filePath(QStringLiteral("tests/model/fixtures/") + name);
}

double maxAbsDifference(const FloatArray& a, const FloatArray& b) {
    if (a.shape != b.shape || a.values.size() != b.values.size())
        return INFINITY;
    double worst = 0;
    for (size_t i = 0; i < a.values.size(); ++i)
        worst = std::max(worst, static_cast<double>(std::fabs(a.values[i] - b.values[i])));
    return worst;
}

FloatArray mustRead(const QString& name) {
    Result<FloatArray> array = readNpy(fixture(name));
    if (!array.ok())
        qFatal("%s", qPrintable(array.error().toString()));
    return array.value();
}

TimeSformerConfig tinyConfig(AttentionType type) {
    TimeSformerConfig config;
    config.imageSize = 32;
    config.patchSize = 8;
    config.numFrames = 4;
    config.hiddenSize = 32;
    config.depth = 2;
    config.numHeads = 4;
    config.numClasses = 5;
    config.attentionType = type;
    return config;
}

FloatArray randomVideo(int64_t batch, int64_t frames, int64_t height, int64_t width) {
    FloatArray video;
    video.shape = {batch, 3, frames, height, width};
    video.values.resize(static_cast<size_t>(video.elementCount()));
    for (size_t i = 0; i < video.values.size(); ++i)
        video.values[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)));
    return video;
}

} // namespace

class TestTimeSformerParity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { TimeSformerModel::setThreadCount(2); }

    void logitsAndAttention_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("heads");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("attentionPrefix");
        QTest::addColumn<QString>("format");
        QTest::newRow("divided .pyth") << "divided.pyth" << 4 << "input.npy"
                                       << "divided_logits.npy"
                                       << "divided"
                                       << "research .pyth";
        QTest::newRow("divided hf safetensors") << "divided_hf_safetensors" << 0 << "input.npy"
                                                << "divided_logits.npy"
                                                << "divided"
                                                << "hf safetensors";
        QTest::newRow("divided hf bin") << "divided_hf_bin" << 0 << "input.npy"
                                        << "divided_logits.npy"
                                        << "divided"
                                        << "hf pytorch_model.bin";
        QTest::newRow("joint .pyth") << "joint.pyth" << 4 << "input.npy"
                                     << "joint_logits.npy"
                                     << "joint"
                                     << "research .pyth";
        QTest::newRow("space-only .pyth") << "space_only.pyth" << 4 << "input.npy"
                                          << "space_only_logits.npy"
                                          << "space_only"
                                          << "research .pyth";
        QTest::newRow("divided resized T and grid") << "divided_hf_safetensors" << 0 << "input_resized.npy"
                                                    << "divided_resized_logits.npy"
                                                    << ""
                                                    << "hf safetensors";
    }

    void logitsAndAttention() {
        QFETCH(QString, source);
        QFETCH(int, heads);
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QFETCH(QString, attentionPrefix);
        QFETCH(QString, format);
        ModelOptions options;
        if (heads > 0)
            options.checkpoint.numHeads = heads;
        Result<TimeSformerModel> model = TimeSformerModel::load(fixture(source), options);
        QVERIFY2(model.ok(), qPrintable(model.ok() ? QString() : model.error().toString()));
        QCOMPARE(model->format(), format);
        QCOMPARE(model->config().numHeads, 4);

        Result<ForwardResult> result = model->forward(mustRead(input), !attentionPrefix.isEmpty());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        const double logitError = maxAbsDifference(result->logits, mustRead(expected));
        QVERIFY2(logitError <= kTolerance, qPrintable(QStringLiteral("logits differ by %1").arg(logitError)));
        // Logits alone take the last block's class-token path; it must give the same numbers.
        Result<ForwardResult> logitsOnly = model->forward(mustRead(input), false);
        QVERIFY(logitsOnly.ok());
        const double logitsOnlyError = maxAbsDifference(logitsOnly->logits, mustRead(expected));
        QVERIFY2(logitsOnlyError <= kTolerance,
                 qPrintable(QStringLiteral("logits alone differ by %1").arg(logitsOnlyError)));

        int compared = 0;
        for (const AttentionMap& map : result->attention) {
            const QString name = attentionPrefix + QLatin1Char('_') + map.fileStem() + QStringLiteral(".npy");
            if (!QFileInfo::exists(fixture(name)))
                continue;
            const double error = maxAbsDifference(map.probabilities, mustRead(name));
            QVERIFY2(error <= kTolerance,
                     qPrintable(QStringLiteral("%1 differs by %2").arg(name).arg(error)));
            ++compared;
        }
        if (!attentionPrefix.isEmpty()) {
            const int expectedMaps =
                QDir(fixture(QString()))
                    .entryList({attentionPrefix + QStringLiteral("_*_L[0-9].npy")}, QDir::Files)
                    .size();
            QVERIFY(expectedMaps > 0);
            QCOMPARE(compared, expectedMaps);
        }
    }

    void headsDefaultToDOver64WithoutConfig() {
        // A research checkpoint cannot tell its heads: D/64 (at least 1) unless overridden.
        Result<TimeSformerModel> model = TimeSformerModel::load(fixture(QStringLiteral("divided.pyth")));
        QVERIFY(model.ok());
        QCOMPARE(model->config().numHeads, 1);
        Result<ForwardResult> result = model->forward(mustRead(QStringLiteral("input.npy")));
        QVERIFY(result.ok());
        QVERIFY(maxAbsDifference(result->logits, mustRead(QStringLiteral("divided_logits.npy"))) > 1e-3);
    }

    void researchConfigIsRead() {
        ModelOptions options;
        options.checkpoint.numHeads = 4;
        Result<TimeSformerModel> model =
            TimeSformerModel::load(fixture(QStringLiteral("joint.pyth")), options);
        QVERIFY(model.ok());
        const TimeSformerConfig& config = model->config();
        QCOMPARE(config.attentionType, AttentionType::JointSpaceTime);
        QCOMPARE(config.numFrames, 4);
        QCOMPARE(config.imageSize, 32);
        QCOMPARE(config.patchSize, 8);
        QCOMPARE(config.hiddenSize, 32);
        QCOMPARE(config.depth, 2);
        QCOMPARE(config.numClasses, 5);
        QCOMPARE(config.samplingRate, 4);
        QCOMPARE(model->parameterCount(), config.parameterCount());
    }

    void hfLabelsAreRead() {
        Result<TimeSformerModel> model = TimeSformerModel::load(fixture(QStringLiteral("divided_hf_bin")));
        QVERIFY(model.ok());
        QCOMPARE(model->labels().size(), 5);
        QCOMPARE(model->labels().at(3), QStringLiteral("action 3"));
    }

    void convertRoundTripKeepsNumbers() {
        ModelOptions options;
        options.checkpoint.numHeads = 4;
        Result<TimeSformerModel> model =
            TimeSformerModel::load(fixture(QStringLiteral("divided.pyth")), options);
        QVERIFY(model.ok());
        QTemporaryDir directory;
        const QString out = directory.filePath(QStringLiteral("converted"));
        const Status saved = model->saveHfDirectory(out);
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().toString()));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/model.safetensors")));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/preprocessor_config.json")));
        Result<TimeSformerModel> reloaded = TimeSformerModel::load(out);
        QVERIFY2(reloaded.ok(), qPrintable(reloaded.ok() ? QString() : reloaded.error().toString()));
        QCOMPARE(reloaded->format(), QStringLiteral("hf safetensors"));
        QCOMPARE(reloaded->config().numHeads, 4);
        // The research cfg's sampling rate survives in config.json (Hugging Face has no such key).
        QCOMPARE(reloaded->config().samplingRate, model->config().samplingRate);
        Result<ForwardResult> result = reloaded->forward(mustRead(QStringLiteral("input.npy")));
        QVERIFY(result.ok());
        QVERIFY(maxAbsDifference(result->logits, mustRead(QStringLiteral("divided_logits.npy"))) <=
                kTolerance);
    }

    void savedNormalisationIsReloaded() {
        // A model trained on its own normalisation must be fed the same numbers after a reload.
        TimeSformerConfig config = tinyConfig(AttentionType::DividedSpaceTime);
        config.normMean = {0.5f, 0.4f, 0.3f};
        config.normStd = {0.2f, 0.25f, 0.3f};
        Result<TimeSformerModel> model = TimeSformerModel::create(config);
        QVERIFY(model.ok());
        QTemporaryDir directory;
        QVERIFY(model->saveHfDirectory(directory.path()).ok());
        Result<TimeSformerModel> reloaded = TimeSformerModel::load(directory.path());
        QVERIFY2(reloaded.ok(), qPrintable(reloaded.ok() ? QString() : reloaded.error().toString()));
        QCOMPARE(reloaded->config().normMean, config.normMean);
        QCOMPARE(reloaded->config().normStd, config.normStd);
    }

    void modulesMatchTheParameterLayout_data() {
        QTest::addColumn<int>("type");
        for (const QString& name : attentionTypeNames())
            QTest::newRow(qPrintable(name)) << static_cast<int>(*parseAttentionType(name));
    }

    void modulesMatchTheParameterLayout() {
        QFETCH(int, type);
        const TimeSformerConfig config = tinyConfig(static_cast<AttentionType>(type));
        Result<TimeSformerModel> model = TimeSformerModel::create(config);
        QVERIFY(model.ok());
        const TensorMap tensors = model->stateTensors();
        QVERIFY(checkTensors(config, tensors, QStringLiteral("created")).ok());
        QCOMPARE(model->parameterCount(), config.parameterCount());
    }

    void baseModelHasThePapersParameterCount() {
        const TimeSformerConfig base = *TimeSformerConfig::preset(QStringLiteral("base"));
        QCOMPARE(base.parameterCount(), int64_t(121566352));
        QCOMPARE(static_cast<int>(parameterLayout(base).size()), 249);
    }

    void attentionShapes_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<QStringList>("kinds");
        QTest::addColumn<QList<QList<qint64>>>("shapes");
        // B=2, T=3, 24x40 pixels -> 3x5 grid (N=15), 4 heads.
        QTest::newRow("divided") << int(AttentionType::DividedSpaceTime) << QStringList{"time", "space"}
                                 << QList<QList<qint64>>{{30, 4, 3, 3}, {6, 4, 16, 16}};
        QTest::newRow("joint") << int(AttentionType::JointSpaceTime) << QStringList{"joint"}
                               << QList<QList<qint64>>{{2, 4, 46, 46}};
        QTest::newRow("space only") << int(AttentionType::SpaceOnly) << QStringList{"space"}
                                    << QList<QList<qint64>>{{6, 4, 16, 16}};
        QTest::newRow("axial") << int(AttentionType::Axial) << QStringList{"time", "width", "height"}
                               << QList<QList<qint64>>{{30, 4, 3, 3}, {18, 4, 5, 5}, {30, 4, 4, 4}};
        QTest::newRow("local global") << int(AttentionType::LocalGlobal) << QStringList{"local", "global"}
                                      << QList<QList<qint64>>{{2, 4, 46, 46}, {2, 4, 46, 46}};
    }

    void attentionShapes() {
        QFETCH(int, type);
        QFETCH(QStringList, kinds);
        QFETCH(QList<QList<qint64>>, shapes);
        Result<TimeSformerModel> model =
            TimeSformerModel::create(tinyConfig(static_cast<AttentionType>(type)));
        QVERIFY(model.ok());
        const FloatArray video = randomVideo(2, 3, 24, 40);
        Result<ForwardResult> plain = model->forward(video, false);
        QVERIFY(plain.ok());
        QVERIFY(plain->attention.empty());
        QCOMPARE(plain->logits.shape, (std::vector<int64_t>{2, 5}));
        Result<ForwardResult> result = model->forward(video, true);
        QVERIFY(result.ok());
        QVERIFY(maxAbsDifference(plain->logits, result->logits) <= 1e-5);
        QCOMPARE(result->attention.size(), static_cast<size_t>(kinds.size() * 2));
        for (size_t i = 0; i < result->attention.size(); ++i) {
            const AttentionMap& map = result->attention[i];
            QCOMPARE(map.layer, static_cast<int>(i) / kinds.size());
            QCOMPARE(map.kind, kinds[static_cast<int>(i) % kinds.size()]);
            const QList<qint64>& shape = shapes[static_cast<int>(i) % kinds.size()];
            QCOMPARE(map.probabilities.shape, std::vector<int64_t>(shape.begin(), shape.end()));
            // Rows are probability distributions.
            const int64_t keys = map.probabilities.shape.back();
            double rowSum = 0;
            for (int64_t k = 0; k < keys; ++k)
                rowSum += map.probabilities.values[static_cast<size_t>(k)];
            QVERIFY(std::fabs(rowSum - 1.0) < 1e-4);
        }
        QVERIFY(maxAbsDifference(plain->logits, result->logits) <= 1e-6);
    }

    void localGlobalMasksFollowTheDesign() {
        Result<TimeSformerModel> model = TimeSformerModel::create(tinyConfig(AttentionType::LocalGlobal));
        QVERIFY(model.ok());
        // 1 clip, T=2, 32x32 -> 4x4 grid; token of (n, t) is 1 + n*2 + t.
        Result<ForwardResult> result = model->forward(randomVideo(1, 2, 32, 32), true);
        QVERIFY(result.ok());
        const FloatArray& local = result->attention[0].probabilities;
        const FloatArray& global = result->attention[1].probabilities;
        const int64_t tokens = 33;
        auto at = [&](const FloatArray& map, int64_t query, int64_t key) {
            return map.values[static_cast<size_t>(query * tokens + key)]; // head 0
        };
        auto token = [](int64_t h, int64_t w, int64_t t) {
            return 1 + (h * 4 + w) * 2 + t;
        };
        QVERIFY(at(local, token(0, 0, 0), token(1, 1, 1)) > 0);    // same 2x2 quarter, other frame
        QCOMPARE(at(local, token(0, 0, 0), token(0, 2, 0)), 0.0f); // other quarter
        QVERIFY(at(local, token(0, 0, 0), 0) > 0);                 // cls always visible
        QVERIFY(at(global, token(0, 0, 0), token(2, 2, 0)) > 0);   // same parities
        QCOMPARE(at(global, token(0, 0, 0), token(1, 0, 0)), 0.0f);
        QCOMPARE(at(global, token(0, 0, 0), token(0, 0, 1)), 0.0f);
    }

    void badInputIsAnError_data() {
        QTest::addColumn<QList<qint64>>("shape");
        QTest::newRow("rank 4") << QList<qint64>{3, 4, 32, 32};
        QTest::newRow("4 channels") << QList<qint64>{1, 4, 4, 32, 32};
        QTest::newRow("not a multiple of the patch") << QList<qint64>{1, 3, 4, 30, 32};
        QTest::newRow("no frames") << QList<qint64>{1, 3, 0, 32, 32};
    }

    void badInputIsAnError() {
        QFETCH(QList<qint64>, shape);
        Result<TimeSformerModel> model =
            TimeSformerModel::create(tinyConfig(AttentionType::DividedSpaceTime));
        QVERIFY(model.ok());
        FloatArray video;
        video.shape.assign(shape.begin(), shape.end());
        video.values.resize(static_cast<size_t>(video.elementCount()));
        Result<ForwardResult> result = model->forward(video);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().category, ErrorCategory::InvalidArgument);
    }

    void demoWithoutWeightsIsAClearError() {
        qputenv("SACCADE_DATA_DIR", QDir::tempPath().toUtf8() + "/saccade-no-such-data");
        Result<TimeSformerModel> model = TimeSformerModel::load(QStringLiteral("demo"));
        qunsetenv("SACCADE_DATA_DIR");
        QVERIFY(!model.ok());
        QCOMPARE(model.error().category, ErrorCategory::NotFound);
        QVERIFY(model.error().toString().contains(QLatin1String("models/demo")));
    }
};

QTEST_GUILESS_MAIN(TestTimeSformerParity)
#include "tst_timesformerparity.moc"
