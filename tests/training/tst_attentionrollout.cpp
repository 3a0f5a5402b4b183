#include "core/inference/attentionanalysis.h"
#include "core/training/random.h"

#include <QtTest>

using namespace saccade;

namespace {

// Random row-stochastic attention (rows, heads, size, size).
FloatArray randomAttention(Random& random, int64_t rows, int64_t heads, int64_t size) {
    FloatArray array;
    array.shape = {rows, heads, size, size};
    array.values.resize(static_cast<size_t>(rows * heads * size * size));
    for (int64_t r = 0; r < rows * heads * size; ++r) {
        double sum = 0;
        for (int64_t c = 0; c < size; ++c) {
            array.values[r * size + c] = static_cast<float>(random.uniform(0.01, 1.0));
            sum += array.values[r * size + c];
        }
        for (int64_t c = 0; c < size; ++c)
            array.values[r * size + c] /= static_cast<float>(sum);
    }
    return array;
}

// Head mean + identity + row normalisation of row block `row`, as a dense matrix.
std::vector<double> fused(const FloatArray& map, int64_t row, int64_t size) {
    const int64_t heads = map.shape[1];
    std::vector<double> m(size * size, 0.0);
    for (int64_t a = 0; a < heads; ++a)
        for (int64_t i = 0; i < size * size; ++i)
            m[i] += map.values[(row * heads + a) * size * size + i] / heads;
    for (int64_t r = 0; r < size; ++r) {
        m[r * size + r] += 1.0;
        double sum = 0;
        for (int64_t c = 0; c < size; ++c)
            sum += m[r * size + c];
        for (int64_t c = 0; c < size; ++c)
            m[r * size + c] /= sum;
    }
    return m;
}

} // namespace

class TestAttentionRollout : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void dividedMatchesTheFullMatrixProduct() {
        // Two layers, batch of 2 (item 1 is checked), T = 3 frames, 2x2 grid, 2 heads.
        const int64_t batch = 2, t = 3, n = 4, heads = 2, tokens = 1 + n * t;
        const int item = 1;
        Random random(5);
        std::vector<AttentionMap> maps;
        for (int layer = 0; layer < 2; ++layer) {
            maps.push_back({QStringLiteral("time"), layer, randomAttention(random, batch * n, heads, t)});
            maps.push_back(
                {QStringLiteral("space"), layer, randomAttention(random, batch * t, heads, 1 + n)});
        }
        // Dense W per layer: W[(p,t) -> (k,q)] = S_t[p -> k] T_k[t -> q]; cls averages its frame copies.
        const auto token = [t](int64_t patch, int64_t frame) {
            return 1 + patch * t + frame;
        };
        std::vector<std::vector<double>> layers;
        for (int layer = 0; layer < 2; ++layer) {
            const FloatArray& time = maps[layer * 2].probabilities;
            const FloatArray& space = maps[layer * 2 + 1].probabilities;
            std::vector<double> w(tokens * tokens, 0.0);
            for (int64_t frame = 0; frame < t; ++frame) {
                const std::vector<double> s = fused(space, item * t + frame, 1 + n);
                for (int64_t p = -1; p < n; ++p) { // -1: the cls query
                    const int64_t from = p < 0 ? 0 : token(p, frame);
                    const double share = p < 0 ? 1.0 / t : 1.0;
                    w[from * tokens + 0] += share * s[(p + 1) * (1 + n) + 0];
                    for (int64_t k = 0; k < n; ++k) {
                        const std::vector<double> tk = fused(time, item * n + k, t);
                        for (int64_t q = 0; q < t; ++q)
                            w[from * tokens + token(k, q)] +=
                                share * s[(p + 1) * (1 + n) + 1 + k] * tk[frame * t + q];
                    }
                }
            }
            layers.push_back(w);
        }
        // cls row of W_1 * W_0 (the last layer is applied first from the cls side).
        std::vector<double> row(tokens, 0.0);
        for (int64_t j = 0; j < tokens; ++j)
            for (int64_t m = 0; m < tokens; ++m)
                row[j] += layers[1][0 * tokens + m] * layers[0][m * tokens + j];

        const Result<FloatArray> rollout = AttentionAnalysis::rollout(maps, item, t, 2, 2);
        QVERIFY(rollout.ok());
        QCOMPARE(rollout->shape, (std::vector<int64_t>{t, 2, 2}));
        double total = row[0];
        for (int64_t k = 0; k < n; ++k)
            for (int64_t q = 0; q < t; ++q) {
                QVERIFY(qAbs(rollout->values[q * n + k] - row[token(k, q)]) < 1e-6);
                total += rollout->values[q * n + k];
            }
        QVERIFY(qAbs(total - 1.0) < 1e-5); // every W is row-stochastic
    }

    void jointUsesItsOneMap() {
        const int64_t t = 2, n = 4, tokens = 1 + n * t;
        Random random(9);
        std::vector<AttentionMap> maps{{QStringLiteral("joint"), 0, randomAttention(random, 1, 3, tokens)}};
        const std::vector<double> w = fused(maps[0].probabilities, 0, tokens);
        const Result<FloatArray> rollout = AttentionAnalysis::rollout(maps, 0, t, 2, 2);
        QVERIFY(rollout.ok());
        for (int64_t k = 0; k < n; ++k)
            for (int64_t q = 0; q < t; ++q)
                QVERIFY(qAbs(rollout->values[q * n + k] - w[1 + k * t + q]) < 1e-6);
    }

    void badInputIsAnError() {
        QVERIFY(!AttentionAnalysis::rollout({}, 0, 2, 2, 2).ok());
        Random random(1);
        std::vector<AttentionMap> wrong{{QStringLiteral("space"), 0, randomAttention(random, 2, 1, 5)},
                                        {QStringLiteral("time"), 0, randomAttention(random, 4, 1, 3)}};
        QVERIFY(!AttentionAnalysis::rollout(wrong, 0, 2, 2, 2).ok()); // time maps are 3x3 for T = 2
        std::vector<AttentionMap> timeOnly{{QStringLiteral("time"), 0, randomAttention(random, 4, 1, 2)}};
        QCOMPARE(AttentionAnalysis::rollout(timeOnly, 0, 2, 2, 2).error().category,
                 ErrorCategory::Unsupported);
    }

    void ratioInBox_data() {
        QTest::addColumn<QRectF>("box");
        QTest::addColumn<bool>("peaked");
        QTest::addColumn<double>("expected");
        QTest::newRow("uniform map, any box") << QRectF(3, 5, 20, 11) << false << 1.0;
        QTest::newRow("peak exactly boxed") << QRectF(16, 0, 16, 16) << true << 4.0;
        QTest::newRow("peak in half the box") << QRectF(16, 0, 16, 32) << true << 2.0;
        QTest::newRow("box misses the peak") << QRectF(0, 16, 16, 16) << true << 0.0;
        QTest::newRow("empty box") << QRectF() << true << -1.0;
    }

    void ratioInBox() {
        QFETCH(QRectF, box);
        QFETCH(bool, peaked);
        QFETCH(double, expected);
        // One frame, 2x2 grid over a 32x32 frame; the peak is the top-right patch.
        FloatArray map;
        map.shape = {1, 2, 2};
        map.values = peaked ? std::vector<float>{0, 0.5f, 0, 0} : std::vector<float>{0.1f, 0.1f, 0.1f, 0.1f};
        QCOMPARE(AttentionAnalysis::massRatioInBox(map, 0, box, QSizeF(32, 32)), expected);
    }
};

QTEST_GUILESS_MAIN(TestAttentionRollout)
#include "tst_attentionrollout.moc"
