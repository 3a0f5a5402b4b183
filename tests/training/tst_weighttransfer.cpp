#include "core/model/checkpoint.h"
#include "core/model/timesformermodel.h"
#include "core/training/weighttransfer.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;

namespace {

TimeSformerConfig tinyConfig(int imageSize, const QStringList& labels, int hiddenSize = 16) {
    TimeSformerConfig config;
    config.imageSize = imageSize;
    config.patchSize = 8;
    config.numFrames = 4;
    config.hiddenSize = hiddenSize;
    config.depth = 1;
    config.numHeads = 2;
    config.numClasses = static_cast<int>(labels.size());
    config.labels = labels;
    return config;
}

// A saved model whose every tensor holds known values: element i of tensor k is k + i / 1000, except the
// spatial position embeddings, whose grid part is 7 + channel / 10 at every position.
QString savedSource(const QString& directory, const TimeSformerConfig& config) {
    Result<TimeSformerModel> model = TimeSformerModel::create(config);
    if (!model)
        return {};
    TensorMap weights;
    int k = 0;
    for (const auto& [name, tensor] : model->stateTensors()) {
        std::vector<float> values(static_cast<size_t>(tensor.elementCount()));
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = float(k) + float(i) / 1000.0f;
        if (name == QLatin1String("pos_embed")) {
            const size_t width = static_cast<size_t>(config.hiddenSize);
            for (size_t i = width; i < values.size(); ++i)
                values[i] = 7.0f + float(i % width) / 10.0f;
        }
        weights[name] = RawTensor::fromFloat(tensor.shape, values);
        ++k;
    }
    const QString path = QDir(directory).filePath(QStringLiteral("source"));
    return saveHfDirectory(path, config, weights) ? path : QString();
}

} // namespace

class TestWeightTransfer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aLargerInputStartsFromTheSmallerModel() {
        QTemporaryDir dir;
        const QStringList sourceLabels = {QStringLiteral("a"), QStringLiteral("b")};
        const QString path = savedSource(dir.path(), tinyConfig(16, sourceLabels));
        QVERIFY(!path.isEmpty());
        Result<TimeSformerModel> source = TimeSformerModel::load(path);
        QVERIFY(source.ok());
        // Twice the side: a 4x4 patch grid instead of 2x2; the classes b and a new c.
        Result<TimeSformerModel> target =
            TimeSformerModel::create(tinyConfig(32, {QStringLiteral("b"), QStringLiteral("c")}));
        QVERIFY(target.ok());
        const TensorMap fresh = target->stateTensors();
        const Result<QString> note = WeightTransfer::apply(target.value(), source.value(), path);
        QVERIFY2(note.ok(), qPrintable(note.ok() ? QString() : note.error().toString()));

        const TensorMap from = source->stateTensors();
        const TensorMap to = target->stateTensors();
        int copied = 0;
        for (const auto& [name, tensor] : to) {
            if (name.startsWith(QLatin1String("head.")) || name == QLatin1String("pos_embed"))
                continue;
            QCOMPARE(tensor.shape, from.at(name).shape);
            QVERIFY2(tensor.toFloat() == from.at(name).toFloat(), qPrintable(name));
            ++copied;
        }
        QVERIFY(
            note->startsWith(QStringLiteral("%1 tensors copied, 1 resized, 1 of 2 head rows").arg(copied)));

        // The position grid is resized: a constant grid stays constant; the cls position is kept.
        const std::vector<float> position = to.at(QStringLiteral("pos_embed")).toFloat();
        QCOMPARE(position.size(), size_t((1 + 16) * 16));
        const std::vector<float> sourcePosition = from.at(QStringLiteral("pos_embed")).toFloat();
        for (size_t c = 0; c < 16; ++c)
            QCOMPARE(position[c], sourcePosition[c]);
        for (size_t i = 16; i < position.size(); ++i)
            QVERIFY2(std::abs(position[i] - (7.0f + float(i % 16) / 10.0f)) < 1e-4,
                     qPrintable(QString::number(i)));

        // Head: row 0 (b) is the source's row 1; row 1 (c) keeps its fresh initialisation.
        const std::vector<float> head = to.at(QStringLiteral("head.weight")).toFloat();
        const std::vector<float> sourceHead = from.at(QStringLiteral("head.weight")).toFloat();
        const std::vector<float> freshHead = fresh.at(QStringLiteral("head.weight")).toFloat();
        for (size_t i = 0; i < 16; ++i) {
            QCOMPARE(head[i], sourceHead[16 + i]);
            QCOMPARE(head[16 + i], freshHead[16 + i]);
        }
        QCOMPARE(to.at(QStringLiteral("head.bias")).toFloat()[0],
                 from.at(QStringLiteral("head.bias")).toFloat()[1]);
    }

    void anotherWidthIsRefused() {
        QTemporaryDir dir;
        const QString path = savedSource(dir.path(), tinyConfig(16, {QStringLiteral("a")}));
        Result<TimeSformerModel> source = TimeSformerModel::load(path);
        QVERIFY(source.ok());
        Result<TimeSformerModel> target = TimeSformerModel::create(tinyConfig(16, {QStringLiteral("a")}, 32));
        QVERIFY(target.ok());
        const Result<QString> note = WeightTransfer::apply(target.value(), source.value(), path);
        QVERIFY(!note.ok());
        QCOMPARE(note.error().path, path);
        QVERIFY(note.error().message.contains(QStringLiteral("16 wide")));
    }
};

QTEST_MAIN(TestWeightTransfer)
#include "tst_weighttransfer.moc"
