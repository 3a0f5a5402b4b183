#include "core/model/shortsequenceattention.h"

#include <QtTest>

using namespace saccade;

namespace {

// The textbook form, through LibTorch's general operators.
torch::Tensor referenceAttention(const torch::Tensor& qkv, int64_t heads, double scale) {
    const int64_t rows = qkv.size(0);
    const int64_t length = qkv.size(1);
    const int64_t dim = qkv.size(2) / 3;
    const torch::Tensor parts = qkv.view({rows, length, 3, heads, dim / heads}).permute({2, 0, 3, 1, 4});
    const torch::Tensor weights = (torch::matmul(parts[0], parts[1].transpose(-2, -1)) * scale).softmax(-1);
    return torch::matmul(weights, parts[2]).transpose(1, 2).reshape({rows, length, dim});
}

} // namespace

class TestShortSequenceAttention : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesTheGeneralFormula_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("headSize");
        QTest::newRow("base temporal") << 37 << 8 << 12 << 64;
        QTest::newRow("one frame") << 5 << 1 << 2 << 8;
        QTest::newRow("odd length") << 9 << 3 << 3 << 5;
        QTest::newRow("hr temporal") << 11 << 16 << 4 << 32;
        QTest::newRow("demo temporal") << 700 << 8 << 4 << 16; // enough sequences for every thread
    }

    void matchesTheGeneralFormula() {
        QFETCH(int, rows);
        QFETCH(int, length);
        QFETCH(int, heads);
        QFETCH(int, headSize);
        torch::manual_seed(static_cast<uint64_t>(rows * 131 + length));
        // Spread-out scores, so a wrong scale or a missing maximum shift shows.
        const torch::Tensor qkv = torch::randn({rows, length, 3 * heads * headSize}) * 2.0;
        const double scale = 1.0 / std::sqrt(static_cast<double>(headSize));
        QVERIFY(ShortSequenceAttention::applies(qkv, heads));
        const torch::Tensor fast = ShortSequenceAttention::attend(qkv, heads, scale);
        const torch::Tensor expected = referenceAttention(qkv, heads, scale);
        QCOMPARE(fast.sizes().vec(), expected.sizes().vec());
        QVERIFY2(torch::allclose(fast, expected, 1e-5, 1e-5),
                 qPrintable(QString::number((fast - expected).abs().max().item<double>())));
    }

    void refusesWhatItCannotCompute() {
        const torch::Tensor fits = torch::randn({4, 8, 3 * 2 * 16});
        QVERIFY(ShortSequenceAttention::applies(fits, 2));
        QVERIFY(!ShortSequenceAttention::applies(torch::randn({4, 17, 3 * 2 * 16}), 2)); // too long
        QVERIFY(!ShortSequenceAttention::applies(fits, 5));                          // heads do not divide
        QVERIFY(!ShortSequenceAttention::applies(torch::randn({4, 8, 3 * 300}), 1)); // head too wide
        QVERIFY(!ShortSequenceAttention::applies(fits.to(torch::kFloat64), 2));
        QVERIFY(!ShortSequenceAttention::applies(fits.transpose(0, 1), 2)); // not contiguous
        QVERIFY(!ShortSequenceAttention::applies(fits.clone().requires_grad_(true), 2));
        QVERIFY(!ShortSequenceAttention::applies(torch::Tensor(), 2));
    }
};

QTEST_APPLESS_MAIN(TestShortSequenceAttention)
#include "tst_shortsequenceattention.moc"
