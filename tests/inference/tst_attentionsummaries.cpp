#include "core/inference/attentionanalysis.h"
#include "core/inference/overlayrenderer.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace saccade;

namespace {

constexpr int kLayers = 2;
constexpr int kHeads = 3;
constexpr int kFrames = 3;
constexpr int kGridHeight = 2;
constexpr int kGridWidth = 3;
constexpr int kPatches = kGridHeight * kGridWidth;

// `count` random rows of `size` entries, each summing to one.
std::vector<float> randomRows(std::mt19937& random, int64_t count, int64_t size) {
    std::uniform_real_distribution<float> uniform(0.05f, 1.0f);
    std::vector<float> values;
    for (int64_t r = 0; r < count; ++r) {
        std::vector<float> row(static_cast<size_t>(size));
        float sum = 0.0f;
        for (float& value : row)
            sum += value = uniform(random);
        for (float value : row)
            values.push_back(value / sum);
    }
    return values;
}

// Captured maps of a divided space-time model with two views in the batch.
std::vector<AttentionMap> capturedMaps() {
    std::mt19937 random(3);
    std::vector<AttentionMap> maps;
    const int views = 2;
    for (int layer = 0; layer < kLayers; ++layer) {
        AttentionMap time{QStringLiteral("time"), layer, {}};
        time.probabilities.shape = {views * kPatches, kHeads, kFrames, kFrames};
        time.probabilities.values = randomRows(random, views * kPatches * kHeads * kFrames, kFrames);
        AttentionMap space{QStringLiteral("space"), layer, {}};
        space.probabilities.shape = {views * kFrames, kHeads, 1 + kPatches, 1 + kPatches};
        space.probabilities.values =
            randomRows(random, views * kFrames * kHeads * (1 + kPatches), 1 + kPatches);
        maps.push_back(std::move(time));
        maps.push_back(std::move(space));
    }
    return maps;
}

} // namespace

class TestAttentionSummaries : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rolloutFromSummariesMatchesTheCapturedMaps_data() {
        QTest::addColumn<int>("fusion");
        QTest::addColumn<double>("discard");
        QTest::newRow("mean") << int(HeadFusion::Mean) << 0.0;
        QTest::newRow("max, discard 0.3") << int(HeadFusion::Max) << 0.3;
        QTest::newRow("min, discard 0.5") << int(HeadFusion::Min) << 0.5;
    }
    void rolloutFromSummariesMatchesTheCapturedMaps() {
        QFETCH(int, fusion);
        QFETCH(double, discard);
        const std::vector<AttentionMap> maps = capturedMaps();
        const RolloutOptions options{HeadFusion(fusion), discard};
        for (int view = 0; view < 2; ++view) {
            const Result<FloatArray> direct =
                AttentionAnalysis::rollout(maps, view, kFrames, kGridHeight, kGridWidth, options);
            const Result<FloatArray> full = AttentionAnalysis::fullSpatialMaps(maps, view, kFrames);
            const Result<FloatArray> temporal =
                AttentionAnalysis::temporalMaps(maps, view, kFrames, kPatches);
            QVERIFY(direct.ok() && full.ok() && temporal.ok());
            const Result<FloatArray> summarised =
                AttentionAnalysis::rolloutFromSummaries(*full, *temporal, kGridHeight, kGridWidth, options);
            QVERIFY2(summarised.ok(),
                     qPrintable(summarised.ok() ? QString() : summarised.error().toString()));
            QCOMPARE(summarised->shape, direct->shape);
            QCOMPARE(summarised->values, direct->values);
        }
        // Mismatched temporal maps are refused with the shapes named.
        const Result<FloatArray> full = AttentionAnalysis::fullSpatialMaps(maps, 0, kFrames);
        FloatArray wrong{{1, kHeads, kPatches, kFrames, kFrames}, {}};
        wrong.values.resize(size_t(wrong.elementCount()));
        const Result<FloatArray> refused =
            AttentionAnalysis::rolloutFromSummaries(*full, wrong, kGridHeight, kGridWidth, options);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().toString().contains(QStringLiteral("do not match")));
    }

    void patchRowsAndTemporalMapsAreTheCapturedOnes() {
        const std::vector<AttentionMap> maps = capturedMaps();
        const int view = 1;
        const Result<FloatArray> full = AttentionAnalysis::fullSpatialMaps(maps, view, kFrames);
        const Result<FloatArray> temporal = AttentionAnalysis::temporalMaps(maps, view, kFrames, kPatches);
        QVERIFY(full.ok() && temporal.ok());
        const int layer = 1, frame = 2, patch = 4;
        const AttentionMap& space = maps[size_t(layer * 2 + 1)];
        const AttentionMap& time = maps[size_t(layer * 2)];
        auto spaceAt = [&](int head, int key) {
            const int64_t size = 1 + kPatches;
            return space.probabilities.values[size_t(
                (((view * kFrames + frame) * kHeads + head) * size + 1 + patch) * size + 1 + key)];
        };
        auto timeAt = [&](int head, int query, int key) {
            return time.probabilities.values[size_t(
                (((view * kPatches + patch) * kHeads + head) * kFrames + query) * kFrames + key)];
        };
        for (int head = 0; head < kHeads; ++head) {
            const Result<std::vector<float>> row =
                AttentionAnalysis::selectPatchRow(*full, layer, {head, HeadFusion::Mean}, frame, patch);
            QVERIFY(row.ok());
            QCOMPARE(int(row->size()), kPatches);
            for (int key = 0; key < kPatches; ++key)
                QCOMPARE((*row)[size_t(key)], spaceAt(head, key));
            const Result<std::vector<float>> map =
                AttentionAnalysis::selectTemporal(*temporal, layer, {head, HeadFusion::Mean}, patch);
            QVERIFY(map.ok());
            for (int query = 0; query < kFrames; ++query)
                for (int key = 0; key < kFrames; ++key)
                    QCOMPARE((*map)[size_t(query * kFrames + key)], timeAt(head, query, key));
        }
        // Fused over heads: the maximum of the three.
        const Result<std::vector<float>> fused =
            AttentionAnalysis::selectPatchRow(*full, layer, {-1, HeadFusion::Max}, frame, patch);
        QVERIFY(fused.ok());
        for (int key = 0; key < kPatches; ++key)
            QCOMPARE((*fused)[size_t(key)], std::max({spaceAt(0, key), spaceAt(1, key), spaceAt(2, key)}));
        const Result<std::vector<float>> minTime =
            AttentionAnalysis::selectTemporal(*temporal, layer, {-1, HeadFusion::Min}, patch);
        QVERIFY(minTime.ok());
        QCOMPARE((*minTime)[1], std::min({timeAt(0, 0, 1), timeAt(1, 0, 1), timeAt(2, 0, 1)}));
        // Out of range: errors, not crashes.
        QVERIFY(!AttentionAnalysis::selectPatchRow(*full, 2, {}, 0, 0).ok());
        QVERIFY(!AttentionAnalysis::selectPatchRow(*full, 0, {}, 0, kPatches).ok());
        QVERIFY(!AttentionAnalysis::selectTemporal(*temporal, 0, {kHeads, HeadFusion::Mean}, 0).ok());
    }

    void entropyInBits() {
        QCOMPARE(AttentionAnalysis::entropyBits({0.25f, 0.25f, 0.25f, 0.25f}), 2.0);
        QCOMPARE(AttentionAnalysis::entropyBits({0.0f, 3.0f, 0.0f}), 0.0);
        // Not normalised: taken as a distribution first.
        QCOMPARE(AttentionAnalysis::entropyBits({2.0f, 2.0f}), 1.0);
        QCOMPARE(AttentionAnalysis::entropyBits({}), 0.0);
        QCOMPARE(AttentionAnalysis::entropyBits({0.0f, -1.0f, NAN}), 0.0);
    }

    void renderMapAgreesWithTheReferenceRenderer() {
        const std::vector<float> map = {0.1f, 0.5f, 0.2f, 0.9f, 0.05f, 0.3f};
        const QSize size(61, 37);
        OverlayStyle style;
        style.colormap = Colormap::Inferno;
        style.opacity = 1.0;
        const QImage reference =
            OverlayRenderer::render(map, 2, 3, size, QRect(QPoint(0, 0), size), size, style);
        const auto [low, high] = OverlayRenderer::valueRange(map);
        QCOMPARE(low, 0.05f);
        QCOMPARE(high, 0.9f);
        const QImage fast = OverlayRenderer::renderMap(
            map, 2, 3, size, OverlayRenderer::lookupTable(Colormap::Inferno, 1.0), low, high);
        QCOMPARE(fast.size(), size);
        // The lookup table quantises to 256 steps: within a few levels per channel.
        int worst = 0;
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x) {
                const QRgb a = reference.pixel(x, y);
                const QRgb b = fast.pixel(x, y);
                worst = std::max({worst, std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                                  std::abs(qBlue(a) - qBlue(b))});
            }
        QVERIFY2(worst <= 3, qPrintable(QString::number(worst)));
        // Opacity is premultiplied into the table.
        const std::array<QRgb, 256> half = OverlayRenderer::lookupTable(Colormap::Grey, 0.5);
        QCOMPARE(qAlpha(half[255]), 128);
        QCOMPARE(qRed(half[255]), 128);
        QCOMPARE(qAlpha(half[0]), 128);
        QCOMPARE(qRed(half[0]), 0);
    }
};

QTEST_GUILESS_MAIN(TestAttentionSummaries)
#include "tst_attentionsummaries.moc"
