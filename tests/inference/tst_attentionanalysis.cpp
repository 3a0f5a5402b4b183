#include "core/inference/attentionanalysis.h"
#include "core/inference/overlayrenderer.h"

#include <QTest>

using namespace saccade;

namespace {

AttentionMap makeMap(const QString& kind, int layer, std::vector<int64_t> shape, std::vector<float> values) {
    return AttentionMap{kind, layer, FloatArray{std::move(shape), std::move(values)}};
}

// One divided layer of a 2-frame, 1-patch clip with one head (hand-computed case):
// S_0 = [[.5, .5], [.2, .8]], S_1 = [[0, 1], [.4, .6]], T = [[.6, .4], [.2, .8]].
std::vector<AttentionMap> dividedLayer(int layer) {
    return {makeMap(QStringLiteral("time"), layer, {1, 1, 2, 2}, {0.6f, 0.4f, 0.2f, 0.8f}),
            makeMap(QStringLiteral("space"), layer, {2, 1, 2, 2},
                    {0.5f, 0.5f, 0.2f, 0.8f, 0.0f, 1.0f, 0.4f, 0.6f})};
}

} // namespace

class TestAttentionAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fusesHeads_data() {
        QTest::addColumn<int>("fusion");
        QTest::addColumn<std::vector<double>>("expected");
        QTest::newRow("mean") << int(HeadFusion::Mean) << std::vector<double>{0.3, 0.7, 0.4, 0.6};
        QTest::newRow("max") << int(HeadFusion::Max) << std::vector<double>{0.4, 0.8, 0.6, 0.8};
        QTest::newRow("min") << int(HeadFusion::Min) << std::vector<double>{0.2, 0.6, 0.2, 0.4};
    }
    void fusesHeads() {
        QFETCH(int, fusion);
        QFETCH(std::vector<double>, expected);
        const std::vector<float> heads = {0.2f, 0.8f, 0.6f, 0.4f, 0.4f, 0.6f, 0.2f, 0.8f};
        const std::vector<double> fused =
            AttentionAnalysis::fuseHeads(heads.data(), 2, 4, HeadFusion(fusion));
        QCOMPARE(fused.size(), expected.size());
        for (size_t i = 0; i < fused.size(); ++i)
            QVERIFY2(std::abs(fused[i] - expected[i]) < 1e-6, qPrintable(QString::number(i)));
    }

    void discardsLowestPerRow() {
        std::vector<double> matrix = {0.1, 0.4, 0.2, 0.3, 0.25, 0.25, 0.4, 0.1};
        AttentionAnalysis::discardLowest(matrix, 2, 4, 0.5);
        QCOMPARE(matrix, (std::vector<double>{0.0, 0.4, 0.0, 0.3, 0.0, 0.25, 0.4, 0.0}));
        std::vector<double> untouched = {0.1, 0.9};
        AttentionAnalysis::discardLowest(untouched, 1, 2, 0.4);
        QCOMPARE(untouched, (std::vector<double>{0.1, 0.9}));
    }

    void rolloutFactorAddsIdentityAndRenormalises() {
        // Row [.1 .4 .2 .3] loses its lowest quarter (.1), gains 1 on the diagonal: [0 .4 .2 .3] + e0.
        const std::vector<float> map = {0.1f, 0.4f, 0.2f, 0.3f, 0.25f, 0.25f, 0.25f, 0.25f,
                                        0.0f, 0.0f, 1.0f, 0.0f, 0.7f,  0.1f,  0.1f,  0.1f};
        RolloutOptions options;
        options.discardRatio = 0.25;
        const std::vector<double> factor = AttentionAnalysis::rolloutFactor(map.data(), 1, 4, options);
        const std::vector<double> expected = {1.0 / 1.9, 0.4 / 1.9, 0.2 / 1.9, 0.3 / 1.9};
        for (int c = 0; c < 4; ++c)
            QVERIFY(std::abs(factor[size_t(c)] - expected[size_t(c)]) < 1e-6);
        // Row 2 is one-hot on the diagonal: it stays one-hot.
        QVERIFY(std::abs(factor[10] - 1.0) < 1e-6);
        for (int r = 0; r < 4; ++r) {
            double sum = 0.0;
            for (int c = 0; c < 4; ++c)
                sum += factor[size_t(r * 4 + c)];
            QVERIFY(std::abs(sum - 1.0) < 1e-6);
        }
    }

    void rolloutOfOneDividedLayer() {
        // With identities: S_0' cls row [.75 .25], S_1' cls row [.5 .5], T' = [[.8 .2] [.1 .9]].
        // The cls row after space is [.375 .125] (frame 0) and [.25 .25] (frame 1); after time the
        // patch gets .125*.8 + .25*.1 = .125 at t=0 and .125*.2 + .25*.9 = .25 at t=1.
        Result<FloatArray> rollout = AttentionAnalysis::rollout(dividedLayer(0), 0, 2, 1, 1);
        QVERIFY2(rollout.ok(), qPrintable(rollout.ok() ? QString() : rollout.error().toString()));
        QCOMPARE(rollout->shape, (std::vector<int64_t>{2, 1, 1}));
        QVERIFY(std::abs(rollout->values[0] - 0.125f) < 1e-6f);
        QVERIFY(std::abs(rollout->values[1] - 0.25f) < 1e-6f);
    }

    void rolloutMultipliesLayers() {
        // Second factor applied to the cls row [.625 .125 .25] of the first: hand-computed values.
        std::vector<AttentionMap> maps = dividedLayer(0);
        for (AttentionMap& map : dividedLayer(1))
            maps.push_back(map);
        Result<FloatArray> rollout = AttentionAnalysis::rollout(maps, 0, 2, 1, 1);
        QVERIFY(rollout.ok());
        QVERIFY(std::abs(rollout->values[0] - 0.188125f) < 1e-6f);
        QVERIFY(std::abs(rollout->values[1] - 0.35875f) < 1e-6f);
    }

    void rolloutSelectsTheView() {
        // Batch of two views; view 1 has uniform maps, so its rollout differs from view 0's.
        std::vector<AttentionMap> maps = dividedLayer(0);
        FloatArray& time = maps[0].probabilities;
        time.shape[0] = 2;
        time.values.insert(time.values.end(), {0.5f, 0.5f, 0.5f, 0.5f});
        FloatArray& space = maps[1].probabilities;
        space.shape[0] = 4;
        space.values.insert(space.values.end(), 8, 0.5f);
        Result<FloatArray> view1 = AttentionAnalysis::rollout(maps, 1, 2, 1, 1);
        QVERIFY(view1.ok());
        // Uniform: S' cls row [.75 .25] per frame, cls row after space .375/.125 per frame; T' rows
        // [.75 .25], [.25 .75]: each patch token gets .125*.75 + .125*.25 = .125.
        QVERIFY(std::abs(view1->values[0] - 0.125f) < 1e-6f);
        QVERIFY(std::abs(view1->values[1] - 0.125f) < 1e-6f);
        QVERIFY(!AttentionAnalysis::rollout(maps, 2, 2, 1, 1).ok());
    }

    void rejectsMismatchedShapes() {
        QVERIFY(!AttentionAnalysis::rollout(dividedLayer(0), 0, 2, 2, 2).ok());
        QVERIFY(!AttentionAnalysis::rollout({}, 0, 2, 1, 1).ok());
        QVERIFY(!AttentionAnalysis::spatialClsMaps(dividedLayer(0), 0, 3, 1, 1).ok());
    }

    void extractsSpatialAndTemporalMaps() {
        // 2 frames, 2x1 grid (N = 2), 2 heads: every value encodes (row, head, query, key).
        const int t = 2, n = 2, heads = 2;
        std::vector<float> space;
        for (int row = 0; row < t; ++row)
            for (int a = 0; a < heads; ++a)
                for (int q = 0; q <= n; ++q)
                    for (int k = 0; k <= n; ++k)
                        space.push_back(float(1000 * row + 100 * a + 10 * q + k));
        std::vector<float> time;
        for (int row = 0; row < n; ++row)
            for (int a = 0; a < heads; ++a)
                for (int q = 0; q < t; ++q)
                    for (int k = 0; k < t; ++k)
                        time.push_back(float(1000 * row + 100 * a + 10 * q + k));
        const std::vector<AttentionMap> maps = {
            makeMap(QStringLiteral("space"), 0, {t, heads, n + 1, n + 1}, space),
            makeMap(QStringLiteral("time"), 0, {n, heads, t, t}, time)};
        Result<FloatArray> spatial = AttentionAnalysis::spatialClsMaps(maps, 0, t, 2, 1);
        QVERIFY(spatial.ok());
        QCOMPARE(spatial->shape, (std::vector<int64_t>{1, heads, t, 2, 1}));
        // (layer 0, head 1, frame 1, patch 1) = cls row of row 1, head 1, key 2.
        QCOMPARE(spatial->values[size_t(((1 * t + 1) * 2) + 1)], 1102.0f);
        Result<FloatArray> temporal = AttentionAnalysis::temporalMaps(maps, 0, t, n);
        QVERIFY(temporal.ok());
        QCOMPARE(temporal->shape, (std::vector<int64_t>{1, heads, n, t, t}));
        // (head 0, patch 1, query 1, key 0).
        QCOMPARE(temporal->values[size_t((1 * t + 1) * t + 0)], 1010.0f);
        Result<FloatArray> full = AttentionAnalysis::fullSpatialMaps(maps, 0, t);
        QVERIFY(full.ok());
        QCOMPARE(full->shape, (std::vector<int64_t>{1, t, heads, n + 1, n + 1}));
        QCOMPARE(full->values.back(), 1122.0f);

        Result<std::vector<float>> head1 =
            AttentionAnalysis::selectSpatial(spatial.value(), 0, {1, HeadFusion::Mean}, 1);
        QVERIFY(head1.ok());
        QCOMPARE(head1.value(), (std::vector<float>{1101.0f, 1102.0f}));
        Result<std::vector<float>> fused =
            AttentionAnalysis::selectSpatial(spatial.value(), 0, {-1, HeadFusion::Max}, 0);
        QVERIFY(fused.ok());
        QCOMPARE(fused.value(), (std::vector<float>{101.0f, 102.0f}));
        QVERIFY(!AttentionAnalysis::selectSpatial(spatial.value(), 1, {}, 0).ok());
    }

    void colormapEnds() {
        QCOMPARE(OverlayRenderer::colorAt(Colormap::Viridis, 0.0), qRgb(68, 1, 84));
        QCOMPARE(OverlayRenderer::colorAt(Colormap::Viridis, 1.0), qRgb(253, 231, 37));
        QCOMPARE(OverlayRenderer::colorAt(Colormap::Inferno, 2.0), qRgb(252, 255, 164));
        QCOMPARE(OverlayRenderer::colorAt(Colormap::Grey, 0.5), qRgb(128, 128, 128));
        QCOMPARE(OverlayRenderer::colorAt(Colormap::Jet, 0.0), qRgb(0, 0, 128));
        QCOMPARE(OverlayRenderer::colorAt(Colormap::Jet, 0.5), qRgb(128, 255, 128));
        QCOMPARE(parseColormap(QStringLiteral("inferno")), std::optional<Colormap>(Colormap::Inferno));
        QVERIFY(!parseColormap(QStringLiteral("rainbow")));
    }

    void rendersIntoTheCropBox() {
        // A 1x2 map [0, 1] over the right half of a 100x50 frame, drawn at half size.
        OverlayStyle style{Colormap::Grey, 1.0};
        const QImage image = OverlayRenderer::render({0.0f, 1.0f}, 1, 2, QSize(100, 50), QRect(50, 0, 50, 50),
                                                     QSize(50, 25), style);
        QCOMPARE(image.size(), QSize(50, 25));
        QCOMPARE(qAlpha(image.pixel(10, 10)), 0);
        QCOMPARE(image.pixel(25, 12), qRgb(0, 0, 0));
        QCOMPARE(image.pixel(49, 12), qRgb(255, 255, 255));
        // Halfway across the box the bilinear value is 0.5 (between the two patch centres).
        QVERIFY(std::abs(qRed(image.pixel(37, 12)) - 128) <= 12);
        const QImage faint = OverlayRenderer::render({0.0f, 1.0f}, 1, 2, QSize(100, 50), QRect(0, 0, 100, 50),
                                                     QSize(100, 50), OverlayStyle{Colormap::Grey, 0.5});
        QCOMPARE(qAlpha(faint.pixel(99, 0)), 128);
    }
};

QTEST_GUILESS_MAIN(TestAttentionAnalysis)
#include "tst_attentionanalysis.moc"
