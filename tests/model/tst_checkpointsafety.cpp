// Checkpoint readers on hostile and broken input: every case is a clear error, never a crash.
#include "core/model/checkpoint.h"
#include "core/model/keymapping.h"
#include "core/model/parameterlayout.h"
#include "core/model/restrictedunpickler.h"
#include "core/model/safetensors.h"
#include "core/model/zipreader.h"
#include "core/util/npy.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;

namespace {

QString fixture(const QString& name) {
    return QDir(qEnvironmentVariable("SACCADE_SOURCE_DIR"))
        .filePath(QStringLiteral("tests/model/fixtures/") + name);
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

void writeAll(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

// A safetensors file from a literal header and `dataBytes` zero bytes of data.
QByteArray safetensorsBytes(const QByteArray& header, int dataBytes) {
    QByteArray bytes;
    const auto length = static_cast<uint64_t>(header.size());
    for (int i = 0; i < 8; ++i)
        bytes.append(static_cast<char>((length >> (8 * i)) & 0xff));
    bytes.append(header);
    bytes.append(QByteArray(dataBytes, '\0'));
    return bytes;
}

} // namespace

class TestCheckpointSafety : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void codeRunningGlobalsAreRefused_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("global");
        QTest::newRow("os.system") << "evil_os_system.pth"
                                   << "os.system";
        QTest::newRow("builtins.eval") << "evil_eval.pth"
                                       << "builtins.eval";
    }

    void codeRunningGlobalsAreRefused() {
        QFETCH(QString, file);
        QFETCH(QString, global);
        Result<Checkpoint> checkpoint = loadCheckpoint(fixture(file));
        QVERIFY(!checkpoint.ok());
        QCOMPARE(checkpoint.error().category, ErrorCategory::Unsupported);
        QVERIFY2(checkpoint.error().message.contains(QStringLiteral("'%1'").arg(global)),
                 qPrintable(checkpoint.error().toString()));
        QCOMPARE(checkpoint.error().path, fixture(file));
    }

    void objectBuildingOpcodesAreRefused_data() {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("expected");
        QTest::newRow("STACK_GLOBAL subprocess")
            << QByteArray("\x80\x04\x8c\x0asubprocess\x8c\x05Popen\x93)R.", 24) << "subprocess.Popen";
        QTest::newRow("INST") << QByteArray("(ios\nsystem\nS'ls'\n.") << "opcode 0x69";
        QTest::newRow("posix.system") << QByteArray("cposix\nsystem\n(S'ls'\ntR.") << "posix.system";
        QTest::newRow("torch.load via REDUCE") << QByteArray("ctorch\nload\n(tR.") << "torch.load";
        QTest::newRow("truncated") << QByteArray("\x80\x02}q\x00(X\x05\x00\x00\x00ab", 14) << "truncated";
    }

    void objectBuildingOpcodesAreRefused() {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, expected);
        Result<PickleRef> value = unpickle(pickle, {}, QStringLiteral("mem.pkl"));
        QVERIFY(!value.ok());
        QVERIFY2(value.error().message.contains(expected), qPrintable(value.error().toString()));
    }

    void plainDataIsRead() {
        // {'a': [1, 2.5, True, None], 'b': (-3, 'x'), 300: 70000}
        // pickle.dumps(that, protocol=2)
        const QByteArray pickle = QByteArray::fromHex(
            "80027d71002858010000006171015d7102284b01474004000000000000884e6558010000006271034afdffffff580100"
            "00007871048671054d2c014a70110100752e");
        Result<PickleRef> value = unpickle(pickle, {}, QStringLiteral("mem.pkl"));
        QVERIFY2(value.ok(), qPrintable(value.ok() ? QString() : value.error().toString()));
        const PickleRef list = (*value)->get(QStringLiteral("a"));
        QVERIFY(list && list->kind == PickleValue::Kind::List);
        QCOMPARE(list->items.size(), size_t(4));
        QCOMPARE(list->items[0]->integer, int64_t(1));
        QCOMPARE(list->items[1]->real, 2.5);
        QVERIFY(list->items[2]->boolean);
        QCOMPARE(list->items[3]->kind, PickleValue::Kind::None);
        const PickleRef tuple = (*value)->get(QStringLiteral("b"));
        QCOMPARE(tuple->items[0]->integer, int64_t(-3));
        QCOMPARE(tuple->items[1]->toString(), QStringLiteral("x"));
        QCOMPARE((*value)->entries[2].second->integer, int64_t(70000));
    }

    void researchCheckpointWithOptimizerStateLoads() {
        Result<TensorMap> tensors = readTorchArchiveTensors(fixture(QStringLiteral("divided.pyth")));
        QVERIFY(tensors.ok());
        QVERIFY(tensors->count(QStringLiteral("model_state.model.blocks.1.temporal_fc.weight")));
        QVERIFY(tensors->count(QStringLiteral("optimizer_state.state.0.exp_avg")));
    }

    void storagesOfEveryDtype_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("transposed");
        QTest::addColumn<int>("firstRow");
        QTest::newRow("float32") << "f32" << false << 0;
        QTest::newRow("float16") << "f16" << false << 0;
        QTest::newRow("bfloat16") << "bf16" << false << 0;
        QTest::newRow("float64") << "f64" << false << 0;
        QTest::newRow("strided view") << "transposed" << true << 0;
        QTest::newRow("storage offset") << "offset" << false << 1;
    }

    void storagesOfEveryDtype() {
        QFETCH(QString, name);
        QFETCH(bool, transposed);
        QFETCH(int, firstRow);
        Result<TensorMap> tensors = readTorchArchiveTensors(fixture(QStringLiteral("dtypes.pt")));
        QVERIFY2(tensors.ok(), qPrintable(tensors.ok() ? QString() : tensors.error().toString()));
        const RawTensor& tensor = tensors->at(name);
        const std::vector<float> values = tensor.toFloat();
        const int rows = transposed ? 4 : 3 - firstRow;
        const int columns = transposed ? 3 : 4;
        QCOMPARE(tensor.shape, (std::vector<int64_t>{rows, columns}));
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < columns; ++c) {
                const int k = transposed ? c * 4 + r : (r + firstRow) * 4 + c;
                QCOMPARE(values[static_cast<size_t>(r * columns + c)], static_cast<float>(k) / 8.0f);
            }
        }
    }

    void truncatedZipIsAnError_data() {
        QTest::addColumn<double>("fraction");
        QTest::newRow("header only") << 0.0001;
        QTest::newRow("half") << 0.5;
        QTest::newRow("all but the end record") << 0.9999;
    }

    void truncatedZipIsAnError() {
        QFETCH(double, fraction);
        const QByteArray bytes = readAll(fixture(QStringLiteral("divided.pyth")));
        QTemporaryDir directory;
        const QString path = directory.filePath(QStringLiteral("truncated.pyth"));
        writeAll(path, bytes.left(static_cast<qsizetype>(bytes.size() * fraction)));
        Result<Checkpoint> checkpoint = loadCheckpoint(path);
        QVERIFY(!checkpoint.ok());
        QCOMPARE(checkpoint.error().category, ErrorCategory::InvalidData);
        QCOMPARE(checkpoint.error().path, path);
    }

    void corruptCentralDirectoryIsAnError() {
        QByteArray bytes = readAll(fixture(QStringLiteral("divided.pyth")));
        // Point the central directory past the end of the file.
        const qsizetype end = bytes.lastIndexOf(QByteArray("PK\x05\x06", 4));
        QVERIFY(end > 0);
        bytes[end + 16] = '\xff';
        bytes[end + 17] = '\xff';
        bytes[end + 18] = '\xff';
        bytes[end + 19] = '\x7f';
        Result<ZipReader> zip =
            ZipReader::fromBytes(std::make_shared<const QByteArray>(bytes), QStringLiteral("x"));
        QVERIFY(!zip.ok());
        QVERIFY(zip.error().message.contains(QLatin1String("central directory")));
    }

    void badSafetensors_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("expected");
        QTest::newRow("out of range")
            << safetensorsBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 4)
            << "outside the data";
        QTest::newRow("overlap") << safetensorsBytes(
                                        R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                        R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                                        12)
                                 << "overlap";
        QTest::newRow("negative offset")
            << safetensorsBytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}})", 8)
            << "data_offsets";
        QTest::newRow("negative dimension")
            << safetensorsBytes(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 8) << "shape";
        QTest::newRow("unknown dtype")
            << safetensorsBytes(R"({"a":{"dtype":"F8_E9","shape":[1],"data_offsets":[0,1]}})", 1) << "F8_E9";
        QTest::newRow("size mismatch")
            << safetensorsBytes(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8)
            << "needs 12 bytes";
        QTest::newRow("not json") << safetensorsBytes("{nope", 8) << "JSON";
        QByteArray longHeader = safetensorsBytes(R"({})", 0);
        longHeader[0] = '\x40';
        QTest::newRow("header longer than the file") << longHeader << "exceeds the file size";
        QTest::newRow("too short") << QByteArray("abc") << "too short";
    }

    void badSafetensors() {
        QFETCH(QByteArray, file);
        QFETCH(QString, expected);
        Result<TensorMap> tensors =
            parseSafetensors(std::make_shared<const QByteArray>(file), QStringLiteral("bad.safetensors"));
        QVERIFY(!tensors.ok());
        QVERIFY2(tensors.error().message.contains(expected), qPrintable(tensors.error().toString()));
        QCOMPARE(tensors.error().path, QStringLiteral("bad.safetensors"));
    }

    void safetensorsRoundTrip() {
        TensorMap tensors;
        tensors[QStringLiteral("w")] = RawTensor::fromFloat({2, 3}, {1, 2, 3, 4, 5, 6});
        tensors[QStringLiteral("b")] = RawTensor::fromFloat({1}, {-7.5f});
        Result<TensorMap> parsed = parseSafetensors(
            std::make_shared<const QByteArray>(serializeSafetensors(tensors)), QStringLiteral("mem"));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->at(QStringLiteral("w")).shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(parsed->at(QStringLiteral("w")).toFloat(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
        QCOMPARE(parsed->at(QStringLiteral("b")).toFloat(), std::vector<float>{-7.5f});
    }

    void missingBlockIsNamed() {
        Result<Checkpoint> checkpoint = loadCheckpoint(fixture(QStringLiteral("missing_block.pyth")));
        QVERIFY(!checkpoint.ok());
        const QString message = checkpoint.error().message;
        QVERIFY2(message.contains(QLatin1String("missing keys: blocks.1.")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("(20 in all)")), qPrintable(message));
    }

    void wrongShapesAreNamed() {
        Result<TensorMap> tensors =
            readSafetensors(fixture(QStringLiteral("divided_hf_safetensors/model.safetensors")));
        QVERIFY(tensors.ok());
        TensorMap broken = tensors.value();
        broken[QStringLiteral("timesformer.encoder.layer.1.temporal_dense.weight")] =
            RawTensor::fromFloat({32, 16}, std::vector<float>(512, 0.f));
        broken.erase(QStringLiteral("timesformer.encoder.layer.0.layernorm_after.bias"));
        broken[QStringLiteral("timesformer.encoder.layer.0.extra.weight")] = RawTensor::fromFloat({1}, {0.f});
        QTemporaryDir directory;
        QFile::copy(fixture(QStringLiteral("divided_hf_safetensors/config.json")),
                    directory.filePath(QStringLiteral("config.json")));
        QVERIFY(writeSafetensors(directory.filePath(QStringLiteral("model.safetensors")), broken).ok());
        Result<Checkpoint> checkpoint = loadCheckpoint(directory.path());
        QVERIFY(!checkpoint.ok());
        const QString message = checkpoint.error().message;
        QVERIFY2(
            message.contains(QLatin1String("blocks.1.temporal_fc.weight is (32, 16), expected (32, 32)")),
            qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("missing keys: blocks.0.norm2.bias")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("unexpected keys: blocks.0.extra.weight")),
                 qPrintable(message));
    }

    void hfDirectoryWithoutWeightsIsAnError() {
        QTemporaryDir directory;
        QFile::copy(fixture(QStringLiteral("divided_hf_safetensors/config.json")),
                    directory.filePath(QStringLiteral("config.json")));
        Result<Checkpoint> checkpoint = loadCheckpoint(directory.path());
        QVERIFY(!checkpoint.ok());
        QCOMPARE(checkpoint.error().category, ErrorCategory::NotFound);
    }

    void hfNormalisationIsReadOrRefused_data() {
        QTest::addColumn<QByteArray>("preprocessor");
        QTest::addColumn<QString>("error");
        QTest::newRow("per channel") << QByteArray(R"({"image_mean": [0.5, 0.4, 0.3], "image_std": 0.25})")
                                     << QString();
        QTest::newRow("two numbers") << QByteArray(R"({"image_mean": [0.5, 0.4]})")
                                     << QStringLiteral("image_mean must hold three numbers");
        QTest::newRow("text") << QByteArray(R"({"image_std": ["a", "b", "c"]})")
                              << QStringLiteral("image_std must hold three numbers");
        QTest::newRow("zero std") << QByteArray(R"({"image_std": [0.2, 0, 0.2]})")
                                  << QStringLiteral("image_std must be positive");
        QTest::newRow("not json") << QByteArray("{\"image_mean\": [") << QStringLiteral("line 1");
    }

    void hfNormalisationIsReadOrRefused() {
        QFETCH(QByteArray, preprocessor);
        QFETCH(QString, error);
        QTemporaryDir directory;
        for (const QString name : {QStringLiteral("config.json"), QStringLiteral("model.safetensors")})
            QVERIFY(QFile::copy(fixture(QStringLiteral("divided_hf_safetensors/") + name),
                                directory.filePath(name)));
        const QString preprocessorPath = directory.filePath(QStringLiteral("preprocessor_config.json"));
        writeAll(preprocessorPath, preprocessor);
        Result<Checkpoint> checkpoint = loadCheckpoint(directory.path());
        if (error.isEmpty()) {
            QVERIFY2(checkpoint.ok(),
                     qPrintable(checkpoint.ok() ? QString() : checkpoint.error().toString()));
            QCOMPARE(checkpoint->config.normMean, (std::array<float, 3>{0.5f, 0.4f, 0.3f}));
            QCOMPARE(checkpoint->config.normStd, (std::array<float, 3>{0.25f, 0.25f, 0.25f}));
            return;
        }
        QVERIFY(!checkpoint.ok());
        const QString message = checkpoint.error().toString();
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("preprocessor_config.json")), qPrintable(message));
    }

    void keyMappingIsABijection() {
        TimeSformerConfig config;
        for (const auto& [name, shape] : parameterLayout(config)) {
            const QString hf = researchToHfName(name);
            QVERIFY2(isHfName(hf), qPrintable(hf));
            QCOMPARE(hfToResearchName(hf).value_or(QString()), name);
        }
        QCOMPARE(researchToHfName(QStringLiteral("blocks.3.temporal_attn.proj.bias")),
                 QStringLiteral("timesformer.encoder.layer.3.temporal_attention.output.dense.bias"));
        QCOMPARE(researchToHfName(QStringLiteral("blocks.0.attn.qkv.weight")),
                 QStringLiteral("timesformer.encoder.layer.0.attention.attention.qkv.weight"));
        QVERIFY(!hfToResearchName(QStringLiteral("timesformer.pooler.dense.weight")).has_value());
    }

    void researchYamlIsRead() {
        const QByteArray yaml = "DATA:\n  MEAN: [0.5, 0.4, 0.3]\n  NUM_FRAMES: 16\n  TRAIN_CROP_SIZE: 448\n"
                                "  SAMPLING_RATE: 4\nMODEL:\n  NUM_CLASSES: 174\nTIMESFORMER:\n"
                                "  ATTENTION_TYPE: 'joint_space_time'\nTRAIN:\n  DATASET: ssv2\n";
        Result<TimeSformerConfig> config = TimeSformerConfig::fromResearchYaml(yaml, QStringLiteral("cfg"));
        QVERIFY(config.ok());
        QCOMPARE(config->numFrames, 16);
        QCOMPARE(config->imageSize, 448);
        QCOMPARE(config->numClasses, 174);
        QCOMPARE(config->attentionType, AttentionType::JointSpaceTime);
        QCOMPARE(config->normMean[1], 0.4f);
        QVERIFY(config->bgr);
        QVERIFY(!TimeSformerConfig::fromResearchYaml("TIMESFORMER:\n  ATTENTION_TYPE: magic\n", "cfg").ok());
    }

    void npyRoundTripAndErrors() {
        FloatArray array;
        array.shape = {2, 3};
        array.values = {1, 2, 3, 4, 5, 6};
        const QByteArray bytes = serializeNpy(array);
        QCOMPARE(bytes.indexOf('\n') % 64, 63);
        Result<FloatArray> parsed = parseNpy(bytes, QStringLiteral("a.npy"));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->shape, array.shape);
        QCOMPARE(parsed->values, array.values);

        QByteArray doubles = bytes;
        doubles.replace("<f4", "<f8");
        QVERIFY(parseNpy(doubles, QStringLiteral("a.npy")).error().message.contains(QLatin1String("<f8")));
        QByteArray fortran = bytes;
        fortran.replace("False", "True ");
        QCOMPARE(parseNpy(fortran, QStringLiteral("a.npy")).error().category, ErrorCategory::Unsupported);
        QVERIFY(parseNpy(bytes.left(bytes.size() - 1), QStringLiteral("a.npy"))
                    .error()
                    .message.contains(QLatin1String("truncated")));
        QVERIFY(!parseNpy(QByteArray("\x93NUMPX"), QStringLiteral("a.npy")).ok());
        QCOMPARE(readNpy(QStringLiteral("/nonexistent/a.npy")).error().category, ErrorCategory::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestCheckpointSafety)
#include "tst_checkpointsafety.moc"
