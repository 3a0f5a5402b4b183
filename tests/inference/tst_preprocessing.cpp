#include "inferencefixtures.h"

#include "core/inference/preprocessing.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace saccade;

class TestPreprocessing : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cropOffsets_data() {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("views");
        QTest::addColumn<bool>("roundUp");
        QTest::addColumn<std::vector<int>>("expected");
        // 298 - 224 = 74: centre 37 either way; 299 - 224 = 75: ceil 38 (research), floor 37 (HF).
        QTest::newRow("three views") << 298 << 3 << true << std::vector<int>{0, 37, 74};
        QTest::newRow("odd slack, research") << 299 << 3 << true << std::vector<int>{0, 38, 75};
        QTest::newRow("odd slack, one view") << 299 << 1 << true << std::vector<int>{38};
        QTest::newRow("odd slack, hf") << 299 << 1 << false << std::vector<int>{37};
        QTest::newRow("square") << 224 << 3 << true << std::vector<int>{0, 0, 0};
    }
    void cropOffsets() {
        QFETCH(int, length);
        QFETCH(int, views);
        QFETCH(bool, roundUp);
        QFETCH(std::vector<int>, expected);
        QCOMPARE(PreprocessPreset::cropOffsets(length, 224, views, roundUp), expected);
    }

    void resizesTheShortSideWithFlooredLongSide() {
        const PreprocessPreset preset = PreprocessPreset::researchK400(TimeSformerConfig());
        // 640x360: 640/360*224 = 398.2 -> 398; portrait 360x640 -> 224x398.
        QCOMPARE(preset.resizedSize(QSize(640, 360)), QSize(398, 224));
        QCOMPARE(preset.resizedSize(QSize(360, 640)), QSize(224, 398));
        PreprocessPreset threeViews = preset;
        threeViews.views = 3;
        const std::vector<QRect> wide = threeViews.cropRects(QSize(398, 224));
        QCOMPARE(wide.size(), size_t(3));
        QCOMPARE(wide[0], QRect(0, 0, 224, 224));
        QCOMPARE(wide[1], QRect(87, 0, 224, 224));
        QCOMPARE(wide[2], QRect(174, 0, 224, 224));
        const std::vector<QRect> tall = threeViews.cropRects(QSize(224, 398));
        QCOMPARE(tall[2], QRect(0, 174, 224, 224));
    }

    void demoPresetSeesTheCentreStage() {
        // The synthetic actions happen in the centred square of the frame: the demo preset crops exactly
        // that square (here 640x360 -> 113x64, crop x 25..89 = the stage 140..500 scaled by 64/360).
        TimeSformerConfig config = *TimeSformerConfig::preset(QStringLiteral("demo"));
        const Result<PreprocessPreset> preset = PreprocessPreset::forModel(config, QString());
        QVERIFY(preset.ok());
        QCOMPARE(preset->name, QStringLiteral("demo"));
        QCOMPARE(preset->resizedSize(QSize(640, 360)), QSize(113, 64));
        const std::vector<QRect> crops = preset->cropRects(QSize(113, 64));
        QCOMPARE(crops.size(), size_t(1));
        QCOMPARE(crops[0], QRect(25, 0, 64, 64));
        QCOMPARE(preset->samplingRate, 8);
    }

    void spanFollowsTheSamplingRate() {
        const PreprocessPreset preset = PreprocessPreset::researchK400(TimeSformerConfig());
        // 8 frames at rate 32 of a 30 fps target: 256 frames at 30 fps, 512 at 60 fps.
        QCOMPARE(preset.spanFrames(30.0), qint64(256));
        QCOMPARE(preset.spanFrames(60.0), qint64(512));
    }

    void readsHfPreprocessorConfig() {
        TimeSformerConfig config;
        QJsonObject json;
        json.insert(QStringLiteral("size"), QJsonObject{{QStringLiteral("shortest_edge"), 256}});
        json.insert(QStringLiteral("crop_size"),
                    QJsonObject{{QStringLiteral("height"), 224}, {QStringLiteral("width"), 224}});
        json.insert(QStringLiteral("image_mean"), QJsonArray{0.5, 0.4, 0.3});
        json.insert(QStringLiteral("image_std"), QJsonArray{0.2, 0.2, 0.25});
        Result<PreprocessPreset> preset =
            PreprocessPreset::fromHfJson(json, config, QStringLiteral("p.json"));
        QVERIFY(preset.ok());
        QCOMPARE(preset->name, QStringLiteral("hf"));
        QCOMPARE(preset->shortSide, 256);
        QCOMPARE(preset->cropSize, 224);
        QCOMPARE(preset->filter, ResizeFilter::BilinearAntialias);
        QCOMPARE(preset->mean[1], 0.4f);
        QCOMPARE(preset->std[2], 0.25f);
        QVERIFY(!preset->centreRoundsUp);

        json.insert(QStringLiteral("image_std"), QJsonArray{0.2, 0.2});
        Result<PreprocessPreset> bad = PreprocessPreset::fromHfJson(json, config, QStringLiteral("p.json"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().path, QStringLiteral("p.json"));
        QVERIFY(!PreprocessPreset::forModel(config, QString(), QStringLiteral("imagenet")).ok());
    }

    void hfPresetReadsTheModelDirectory() {
        QTemporaryDir dir;
        const QString model = QDir(dir.path()).filePath(QStringLiteral("tiny"));
        QCOMPARE(testing::writeTinyModel(model), QString());
        // The written processor: shortest edge and crop 32, mean/std of the config; then overridden.
        QJsonObject processor = testing::tinyConfig().toHfPreprocessorJson();
        processor.insert(QStringLiteral("size"), QJsonObject{{QStringLiteral("shortest_edge"), 40}});
        QFile file(QDir(model).filePath(QStringLiteral("preprocessor_config.json")));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(processor).toJson());
        file.close();
        Result<PreprocessPreset> preset =
            PreprocessPreset::forModel(testing::tinyConfig(), model, QStringLiteral("hf"));
        QVERIFY2(preset.ok(), qPrintable(preset.ok() ? QString() : preset.error().toString()));
        QCOMPARE(preset->shortSide, 40);
        QCOMPARE(preset->cropSize, 32);
        QCOMPARE(preset->filter, ResizeFilter::BilinearAntialias);
        // The model's own preset is the research protocol.
        Result<PreprocessPreset> own = PreprocessPreset::forModel(testing::tinyConfig(), model);
        QVERIFY(own.ok());
        QCOMPARE(own->name, QStringLiteral("research-k400"));
        QCOMPARE(own->filter, ResizeFilter::BilinearNoAntialias);
        QVERIFY(own->fingerprint() != preset->fingerprint());
    }

    void normalisesCropsAndSwapsChannels() {
        // A 3x2 resized frame whose channel c holds c + x / 10 (values in [0, 1]).
        FloatPlanes planes;
        planes.height = 2;
        planes.width = 3;
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 2; ++y)
                for (int x = 0; x < 3; ++x)
                    planes.values.push_back(0.1f * c + 0.01f * x);
        PreprocessPreset preset;
        preset.cropSize = 2;
        preset.mean = {0.0f, 0.1f, 0.2f};
        preset.std = {0.5f, 0.5f, 0.5f};
        preset.bgr = true;
        ClipPreprocessor preprocessor(preset);
        FloatArray clip{{1, 3, 2, 2, 2}, std::vector<float>(24, -9.0f)};
        preprocessor.fillFrame(planes, {QRect(1, 0, 2, 2)}, 1, clip);
        // Output channel 0 reads source channel 2 (BGR): (0.2 + 0.01 * x - 0.0) / 0.5 at x = 1, 2.
        auto at = [&clip](int c, int t, int y, int x) {
            return clip.values[size_t(((c * 2 + t) * 2 + y) * 2 + x)];
        };
        QVERIFY(std::abs(at(0, 1, 0, 0) - 0.42f) < 1e-6f);
        QVERIFY(std::abs(at(0, 1, 1, 1) - 0.44f) < 1e-6f);
        // Output channel 2 reads source channel 0: (0.01 - 0.2) / 0.5.
        QVERIFY(std::abs(at(2, 1, 0, 0) - (-0.38f)) < 1e-6f);
        // Time 0 was not touched.
        QCOMPARE(at(1, 0, 0, 0), -9.0f);
    }
};

QTEST_GUILESS_MAIN(TestPreprocessing)
#include "tst_preprocessing.moc"
