// Crafted checkpoints that used to crash (stack overflow, out-of-bounds read, huge allocations): each
// is generated here and must end in a clear error naming the problem.
#include "core/model/checkpoint.h"
#include "core/model/restrictedunpickler.h"
#include "core/model/safetensors.h"
#include "core/model/timesformerconfig.h"
#include "core/model/zipreader.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>

using namespace saccade;

namespace {

QString fixture(const QString& name) {
    return QDir(qEnvironmentVariable("SACCADE_SOURCE_DIR"))
        .filePath(QStringLiteral("tests/model/fixtures/") + name);
}

// Pickle opcodes, protocol 2.
QByteArray littleEndian(uint64_t value, int width) {
    QByteArray bytes;
    for (int i = 0; i < width; ++i)
        bytes.append(static_cast<char>((value >> (8 * i)) & 0xff));
    return bytes;
}
QByteArray pickleString(const QByteArray& text) {
    return 'X' + littleEndian(uint64_t(text.size()), 4) + text;
}
QByteArray pickleInt(int64_t value) {
    return QByteArray(1, char(0x8a)) + char(8) + littleEndian(uint64_t(value), 8);
}

// torch._utils._rebuild_tensor_v2(storage of 4 floats, offset, size, stride, False, {}).
QByteArray rebuildTensor(int64_t offset, int64_t size, int64_t stride) {
    QByteArray p("\x80\x02");
    p += "ctorch._utils\n_rebuild_tensor_v2\n(";
    p += "(" + pickleString("storage") + "ctorch\nFloatStorage\n" + pickleString("0") + pickleString("cpu") +
         pickleInt(4) + "tQ";
    p += pickleInt(offset);
    p += "(" + pickleInt(size) + "t";
    p += "(" + pickleInt(stride) + "t";
    p += "\x89}tR.";
    return p;
}

// A storage of four floats (storages carry no shape; the tensor built on them does).
Result<RawTensor> fourFloats(const QString&, DType) {
    RawTensor storage = RawTensor::fromFloat({4}, {1, 2, 3, 4});
    storage.shape.clear();
    return storage;
}

// `depth` nested empty lists ([[[...]]]), left on the stack.
QByteArray nestedLists(int depth) {
    return QByteArray("\x80\x02") + QByteArray(depth, ']') + QByteArray(depth - 1, 'a');
}

long maxResidentKiB() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// The HF fixture folder copied, with `edit` applied to its config.json.
void copyHfFixture(const QTemporaryDir& dir, const std::function<void(QJsonObject&)>& edit) {
    QFile config(fixture(QStringLiteral("divided_hf_safetensors/config.json")));
    QVERIFY(config.open(QIODevice::ReadOnly));
    QJsonObject json = QJsonDocument::fromJson(config.readAll()).object();
    edit(json);
    QFile out(dir.filePath(QStringLiteral("config.json")));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(json).toJson());
    out.close();
    QVERIFY(QFile::copy(fixture(QStringLiteral("divided_hf_safetensors/model.safetensors")),
                        dir.filePath(QStringLiteral("model.safetensors"))));
}

} // namespace

class TestHostileCheckpoints : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void selfReferencingDictIsRefused() {
        // d = {}; d['a'] = d
        const QByteArray pickle =
            QByteArray("\x80\x02}q\x00", 5) + pickleString("a") + QByteArray("h\x00s.", 4);
        Result<PickleRef> value = unpickle(pickle, {}, QStringLiteral("self.pkl"));
        QVERIFY(!value.ok());
        QVERIFY2(value.error().toString().contains(QStringLiteral("refers to itself")),
                 qPrintable(value.error().toString()));
        QCOMPARE(value.error().path, QStringLiteral("self.pkl"));
    }

    void deepNestingIsRefusedWithoutOverflowingTheStack_data() {
        QTest::addColumn<int>("depth");
        QTest::newRow("10^5") << 100000;
        QTest::newRow("10^6") << 1000000;
    }

    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        QFETCH(int, depth);
        Result<PickleRef> complete = unpickle(nestedLists(depth) + '.', {}, QStringLiteral("deep.pkl"));
        QVERIFY(!complete.ok());
        QVERIFY2(complete.error().message.contains(QStringLiteral("levels deep")),
                 qPrintable(complete.error().message));
        // Truncated: the error path frees the same structure.
        Result<PickleRef> truncated = unpickle(nestedLists(depth), {}, QStringLiteral("deep.pkl"));
        QVERIFY(!truncated.ok());
        // Built, dropped from the stack, then a small result: the garbage is freed without recursion.
        Result<PickleRef> dropped = unpickle(nestedLists(depth) + "0N.", {}, QStringLiteral("deep.pkl"));
        QVERIFY(dropped.ok());
        QCOMPARE((*dropped)->kind, PickleValue::Kind::None);
    }

    void nestingWithinTheLimitIsRead() {
        Result<PickleRef> value = unpickle(nestedLists(kMaxPickleDepth) + '.', {}, QStringLiteral("ok.pkl"));
        QVERIFY(value.ok());
    }

    void strideOrOffsetOverflowIsRefused_data() {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("stride");
        QTest::newRow("stride 2^61+1") << qint64(0) << qint64((int64_t(1) << 61) + 1);
        QTest::newRow("offset 2^62") << qint64(int64_t(1) << 62) << qint64(1);
        QTest::newRow("negative stride") << qint64(0) << qint64(-1);
    }

    void strideOrOffsetOverflowIsRefused() {
        QFETCH(qint64, offset);
        QFETCH(qint64, stride);
        Result<PickleRef> value =
            unpickle(rebuildTensor(offset, 2, stride), fourFloats, QStringLiteral("t.pkl"));
        QVERIFY(!value.ok());
        QVERIFY2(value.error().message.contains(QStringLiteral("does not fit its storage")),
                 qPrintable(value.error().message));
        // Within bounds the same pickle is read.
        Result<PickleRef> fine = unpickle(rebuildTensor(1, 2, 2), fourFloats, QStringLiteral("t.pkl"));
        QVERIFY2(fine.ok(), qPrintable(fine.ok() ? QString() : fine.error().toString()));
        QCOMPARE((*fine)->tensor.toFloat(), (std::vector<float>{2, 4}));
    }

    void viewsBeyondTheStorageReadNothing() {
        RawTensor tensor = RawTensor::fromFloat({4}, {1, 2, 3, 4});
        tensor.shape = {2};
        tensor.strides = {(int64_t(1) << 61) + 1};
        QVERIFY(!tensor.fitsStorage());
        QVERIFY(tensor.toFloat().empty());
        // A zero stride repeats one element: allowed, but not 2^33 times.
        tensor.strides = {0};
        tensor.shape = {3};
        QCOMPARE(tensor.toFloat(), (std::vector<float>{1, 1, 1}));
        tensor.shape = {int64_t(1) << 33};
        QVERIFY(!tensor.fitsStorage());
        QVERIFY(tensor.toFloat().empty());
        tensor.shape = {int64_t(1) << 62, 8};
        tensor.strides.clear();
        QCOMPARE(tensor.elementCount(), int64_t(-1));
        QVERIFY(!tensor.fitsStorage());
    }

    void hugeSparseCheckpointIsNotReadIntoMemory() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("huge.pth"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize(qint64(4) << 30)); // 4 GiB of holes
        file.close();
        const long before = maxResidentKiB();
        Result<ZipReader> zip = ZipReader::open(path);
        QVERIFY(!zip.ok());
        QVERIFY2(zip.error().message.contains(QStringLiteral("not a zip archive")),
                 qPrintable(zip.error().message));
        QVERIFY2(maxResidentKiB() - before < 512 * 1024,
                 qPrintable(QStringLiteral("peak memory grew by %1 KiB").arg(maxResidentKiB() - before)));
    }

    void absurdBlockIndexIsRefused() {
        QTemporaryDir dir;
        Result<TensorMap> tensors =
            readSafetensors(fixture(QStringLiteral("divided_hf_safetensors/model.safetensors")));
        QVERIFY(tensors.ok());
        TensorMap crafted = tensors.value();
        crafted[QStringLiteral("timesformer.encoder.layer.99999999.layernorm_after.bias")] =
            RawTensor::fromFloat({32}, std::vector<float>(32, 0.f));
        copyHfFixture(dir, [](QJsonObject&) {});
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), crafted).ok());
        Result<Checkpoint> checkpoint = loadCheckpoint(dir.path());
        QVERIFY(!checkpoint.ok());
        QVERIFY2(checkpoint.error().message.contains(QStringLiteral("block 99999999")),
                 qPrintable(checkpoint.error().message));
        QCOMPARE(checkpoint.error().path.isEmpty(), false);
    }

    void configValuesAreValidated_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("id2label 2e9")
            << QStringLiteral("id2label")
            << QJsonValue(QJsonObject{{QStringLiteral("2000000000"), QStringLiteral("x")}})
            << QStringLiteral("id2label id 2000000000");
        QTest::newRow("eps -1") << QStringLiteral("layer_norm_eps") << QJsonValue(-1)
                                << QStringLiteral("layer_norm_eps");
        QTest::newRow("eps 0") << QStringLiteral("layer_norm_eps") << QJsonValue(0)
                               << QStringLiteral("layer_norm_eps");
        QTest::newRow("layers 10^8") << QStringLiteral("num_hidden_layers") << QJsonValue(100000000)
                                     << QStringLiteral("num_hidden_layers");
        QTest::newRow("labels 10^9") << QStringLiteral("num_labels") << QJsonValue(1000000000)
                                     << QStringLiteral("num_labels");
    }

    void configValuesAreValidated() {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        QTemporaryDir dir;
        copyHfFixture(dir, [&](QJsonObject& json) { json.insert(field, value); });
        Result<Checkpoint> checkpoint = loadCheckpoint(dir.path());
        QVERIFY(!checkpoint.ok());
        QVERIFY2(checkpoint.error().message.contains(message), qPrintable(checkpoint.error().toString()));
        QVERIFY2(checkpoint.error().path.endsWith(QStringLiteral("config.json")) ||
                     checkpoint.error().path == dir.path(),
                 qPrintable(checkpoint.error().path));
    }
};

QTEST_GUILESS_MAIN(TestHostileCheckpoints)
#include "tst_hostilecheckpoints.moc"
