#include "core/model/safetensors.h"

#include "core/util/atomicfile.h"
#include "core/util/filereading.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstring>

namespace saccade {

namespace {

// A header this large is not a model description; refusing it bounds the memory a bad file costs.
constexpr uint64_t kMaxHeaderBytes = 100u * 1024u * 1024u;
// JSON numbers are doubles: integers above this lose precision.
constexpr double kMaxExactInteger = 9007199254740992.0;

bool readNonNegativeInteger(const QJsonValue& value, int64_t* out) {
    if (!value.isDouble())
        return false;
    const double number = value.toDouble();
    if (number < 0 || number > kMaxExactInteger ||
        number != static_cast<double>(static_cast<int64_t>(number)))
        return false;
    *out = static_cast<int64_t>(number);
    return true;
}

struct Span {
    int64_t begin = 0;
    int64_t end = 0;
    QString name;
};

} // namespace

Result<TensorMap> parseSafetensors(const std::shared_ptr<const QByteArray>& bytes, const QString& path) {
    const int64_t fileSize = bytes->size();
    if (fileSize < 8)
        return Error::invalidData(
            path, QStringLiteral("too short for a safetensors file (%1 bytes)").arg(fileSize));
    uint64_t headerLength = 0;
    for (int i = 0; i < 8; ++i)
        headerLength |= static_cast<uint64_t>(static_cast<unsigned char>((*bytes)[i])) << (8 * i);
    if (headerLength > kMaxHeaderBytes || headerLength > static_cast<uint64_t>(fileSize - 8))
        return Error::invalidData(path,
                                  QStringLiteral("safetensors header length %1 exceeds the file size %2")
                                      .arg(headerLength)
                                      .arg(fileSize));
    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(bytes->mid(8, static_cast<qsizetype>(headerLength)), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return Error::invalidData(
            path,
            QStringLiteral("safetensors header is not a JSON object: %1").arg(parseError.errorString()));
    const int64_t dataStart = 8 + static_cast<int64_t>(headerLength);
    const int64_t dataSize = fileSize - dataStart;

    TensorMap tensors;
    std::vector<Span> spans;
    const QJsonObject header = document.object();
    for (auto it = header.begin(); it != header.end(); ++it) {
        const QString name = it.key();
        if (name == QLatin1String("__metadata__"))
            continue;
        const QJsonObject entry = it.value().toObject();
        const QString dtypeText = entry.value(QLatin1String("dtype")).toString();
        const auto dtype = parseDtypeName(dtypeText);
        if (!dtype)
            return Error::unsupported(
                path, QStringLiteral("tensor '%1' has unknown dtype '%2'").arg(name, dtypeText));
        RawTensor tensor;
        tensor.dtype = *dtype;
        const QJsonValue shapeValue = entry.value(QLatin1String("shape"));
        if (!shapeValue.isArray())
            return Error::invalidData(path, QStringLiteral("tensor '%1' has no shape").arg(name));
        int64_t count = 1;
        for (const QJsonValue& dimensionValue : shapeValue.toArray()) {
            int64_t dimension = 0;
            if (!readNonNegativeInteger(dimensionValue, &dimension) ||
                (dimension > 0 && count > (int64_t(1) << 40) / dimension))
                return Error::invalidData(path, QStringLiteral("tensor '%1' has an invalid shape").arg(name));
            tensor.shape.push_back(dimension);
            count *= dimension;
        }
        const QJsonArray offsets = entry.value(QLatin1String("data_offsets")).toArray();
        int64_t begin = 0;
        int64_t end = 0;
        if (offsets.size() != 2 || !readNonNegativeInteger(offsets[0], &begin) ||
            !readNonNegativeInteger(offsets[1], &end))
            return Error::invalidData(
                path, QStringLiteral("tensor '%1' has invalid data_offsets (need two non-negative integers)")
                          .arg(name));
        if (begin > end || end > dataSize)
            return Error::invalidData(path,
                                      QStringLiteral("tensor '%1' data_offsets [%2, %3) lie outside the data "
                                                     "region of %4 bytes")
                                          .arg(name)
                                          .arg(begin)
                                          .arg(end)
                                          .arg(dataSize));
        if (end - begin != count * dtypeSize(tensor.dtype))
            return Error::invalidData(
                path, QStringLiteral("tensor '%1': shape %2 of %3 needs %4 bytes, data_offsets "
                                     "span %5")
                          .arg(name, tensor.shapeString(), dtypeText)
                          .arg(count * dtypeSize(tensor.dtype))
                          .arg(end - begin));
        tensor.byteOffset = dataStart + begin;
        tensor.storage = bytes;
        spans.push_back({begin, end, name});
        tensors.emplace(name, std::move(tensor));
    }
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
    for (size_t i = 1; i < spans.size(); ++i) {
        if (spans[i].begin < spans[i - 1].end && spans[i].end > spans[i].begin)
            return Error::invalidData(
                path, QStringLiteral("tensors '%1' and '%2' overlap").arg(spans[i - 1].name, spans[i].name));
    }
    return tensors;
}

Result<TensorMap> readSafetensors(const QString& path) {
    Result<std::shared_ptr<const QByteArray>> bytes = mapWholeFile(path, QStringLiteral("safetensors file"));
    if (!bytes)
        return bytes.error();
    return parseSafetensors(bytes.value(), path);
}

QByteArray serializeSafetensors(const TensorMap& tensors) {
    QJsonObject header;
    int64_t offset = 0;
    std::vector<QByteArray> blobs;
    for (const auto& [name, tensor] : tensors) {
        // Written as float32 whatever the source dtype: the files this writes are for inference.
        const std::vector<float> values = tensor.toFloat();
        QByteArray blob(reinterpret_cast<const char*>(values.data()),
                        static_cast<qsizetype>(values.size() * sizeof(float)));
        QJsonArray shape;
        for (int64_t dimension : tensor.shape)
            shape.append(static_cast<double>(dimension));
        QJsonObject entry;
        entry.insert(QStringLiteral("dtype"), dtypeName(DType::Float32));
        entry.insert(QStringLiteral("shape"), shape);
        entry.insert(QStringLiteral("data_offsets"),
                     QJsonArray{static_cast<double>(offset), static_cast<double>(offset + blob.size())});
        header.insert(name, entry);
        offset += blob.size();
        blobs.push_back(std::move(blob));
    }
    header.insert(QStringLiteral("__metadata__"),
                  QJsonObject{{QStringLiteral("format"), QStringLiteral("pt")}});
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    // Padding keeps the data 8-byte aligned, as the reference writer does.
    while (json.size() % 8 != 0)
        json.append(' ');
    QByteArray bytes;
    bytes.reserve(static_cast<qsizetype>(8 + json.size() + offset));
    const auto length = static_cast<uint64_t>(json.size());
    for (int i = 0; i < 8; ++i)
        bytes.append(static_cast<char>((length >> (8 * i)) & 0xff));
    bytes.append(json);
    for (const QByteArray& blob : blobs)
        bytes.append(blob);
    return bytes;
}

Status writeSafetensors(const QString& path, const TensorMap& tensors) {
    return writeFileAtomically(path, serializeSafetensors(tensors));
}

} // namespace saccade
