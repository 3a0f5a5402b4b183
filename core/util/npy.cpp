#include "core/util/npy.h"

#include "core/util/atomicfile.h"

#include <QFile>
#include <QRegularExpression>
#include <QStringList>

#include <cstring>
#include <limits>

namespace saccade {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr int kMagicSize = 6;
// numpy pads the header so that the data starts on this boundary.
constexpr int kHeaderAlignment = 64;

bool hostIsLittleEndian() {
    const uint16_t probe = 1;
    unsigned char first = 0;
    std::memcpy(&first, &probe, 1);
    return first == 1;
}

// The value of `key` in the header's Python dict literal, as raw text.
QString headerField(const QString& header, const QString& key) {
    const QRegularExpression pattern(
        QStringLiteral("['\"]%1['\"]\\s*:\\s*(\\([^)]*\\)|'[^']*'|\"[^\"]*\"|\\w+)")
            .arg(QRegularExpression::escape(key)));
    const QRegularExpressionMatch match = pattern.match(header);
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace

int64_t FloatArray::elementCount() const {
    int64_t count = 1;
    for (int64_t dimension : shape)
        count *= dimension;
    return count;
}

QString FloatArray::shapeString() const {
    QStringList parts;
    for (int64_t dimension : shape)
        parts << QString::number(dimension);
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
}

Result<FloatArray> parseNpy(const QByteArray& bytes, const QString& path) {
    if (bytes.size() < kMagicSize + 4 || std::memcmp(bytes.constData(), kMagic, kMagicSize) != 0)
        return Error::invalidData(path, QStringLiteral("not a .npy file (missing the \\x93NUMPY magic)"));
    const auto major = static_cast<unsigned char>(bytes[6]);
    int64_t headerLength = 0;
    int64_t headerStart = 0;
    if (major == 1) {
        headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            return Error::invalidData(path, QStringLiteral("truncated .npy header"));
        for (int i = 0; i < 4; ++i)
            headerLength |= static_cast<int64_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
        headerStart = 12;
    } else {
        return Error::unsupported(path, QStringLiteral(".npy format version %1 is not supported").arg(major));
    }
    if (headerStart + headerLength > bytes.size())
        return Error::invalidData(path, QStringLiteral("the .npy header is longer than the file"));
    const QString header =
        QString::fromLatin1(bytes.constData() + headerStart, static_cast<int>(headerLength));

    const QString descr = headerField(header, QStringLiteral("descr"));
    if (descr.isEmpty())
        return Error::invalidData(path, QStringLiteral("the .npy header has no 'descr'"));
    const QString dtype = descr.mid(1, descr.size() - 2);
    if (dtype != QLatin1String("<f4") && !(dtype == QLatin1String("=f4") && hostIsLittleEndian()))
        return Error::unsupported(
            path,
            QStringLiteral("dtype '%1' is not supported (expected little-endian float32 '<f4')").arg(dtype));
    const QString fortran = headerField(header, QStringLiteral("fortran_order"));
    if (fortran == QLatin1String("True"))
        return Error::unsupported(
            path, QStringLiteral("Fortran-order arrays are not supported (expected C order)"));
    if (fortran != QLatin1String("False"))
        return Error::invalidData(path, QStringLiteral("the .npy header has no valid 'fortran_order'"));
    const QString shapeText = headerField(header, QStringLiteral("shape"));
    if (!shapeText.startsWith(QLatin1Char('(')))
        return Error::invalidData(path, QStringLiteral("the .npy header has no valid 'shape'"));

    FloatArray array;
    const QStringList parts =
        shapeText.mid(1, shapeText.size() - 2).split(QLatin1Char(','), Qt::SkipEmptyParts);
    int64_t count = 1;
    for (const QString& part : parts) {
        bool ok = false;
        const qlonglong dimension = part.trimmed().toLongLong(&ok);
        if (!ok || dimension < 0 ||
            (dimension > 0 && count > std::numeric_limits<int32_t>::max() / dimension))
            return Error::invalidData(path,
                                      QStringLiteral("invalid shape %1 in the .npy header").arg(shapeText));
        array.shape.push_back(dimension);
        count *= dimension;
    }
    const int64_t dataStart = headerStart + headerLength;
    const int64_t needed = count * static_cast<int64_t>(sizeof(float));
    if (bytes.size() - dataStart < needed)
        return Error::invalidData(
            path, QStringLiteral("truncated .npy data: shape %1 needs %2 bytes, the file has %3")
                      .arg(shapeText)
                      .arg(needed)
                      .arg(bytes.size() - dataStart));
    array.values.resize(static_cast<size_t>(count));
    if (count > 0)
        std::memcpy(array.values.data(), bytes.constData() + dataStart, static_cast<size_t>(needed));
    if (!hostIsLittleEndian()) {
        for (float& value : array.values) {
            auto* raw = reinterpret_cast<unsigned char*>(&value);
            std::swap(raw[0], raw[3]);
            std::swap(raw[1], raw[2]);
        }
    }
    return array;
}

Result<FloatArray> readNpy(const QString& path) {
    QFile file(path);
    if (!file.exists())
        return Error::notFound(path, QStringLiteral("no such file"));
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(path, file.errorString());
    return parseNpy(file.readAll(), path);
}

QByteArray serializeNpy(const FloatArray& array) {
    QStringList dimensions;
    for (int64_t dimension : array.shape)
        dimensions << QString::number(dimension);
    QString shape = dimensions.join(QStringLiteral(", "));
    if (array.shape.size() == 1)
        shape += QLatin1Char(',');
    QByteArray header =
        QStringLiteral("{'descr': '<f4', 'fortran_order': False, 'shape': (%1), }").arg(shape).toLatin1();
    const bool wide = header.size() + 11 > 65535;
    const int prefix = kMagicSize + 2 + (wide ? 4 : 2);
    const int padding =
        (kHeaderAlignment - (prefix + header.size() + 1) % kHeaderAlignment) % kHeaderAlignment;
    header.append(QByteArray(padding, ' '));
    header.append('\n');

    QByteArray bytes(kMagic, kMagicSize);
    bytes.append(static_cast<char>(wide ? 2 : 1));
    bytes.append('\0');
    const auto length = static_cast<uint32_t>(header.size());
    for (int i = 0; i < (wide ? 4 : 2); ++i)
        bytes.append(static_cast<char>((length >> (8 * i)) & 0xff));
    bytes.append(header);
    const int64_t dataOffset = bytes.size();
    bytes.resize(static_cast<int>(dataOffset + array.values.size() * sizeof(float)));
    if (!array.values.empty())
        std::memcpy(bytes.data() + dataOffset, array.values.data(), array.values.size() * sizeof(float));
    if (!hostIsLittleEndian()) {
        for (qsizetype i = static_cast<qsizetype>(dataOffset); i + 3 < bytes.size(); i += 4) {
            std::swap(bytes[i], bytes[i + 3]);
            std::swap(bytes[i + 1], bytes[i + 2]);
        }
    }
    return bytes;
}

Status writeNpy(const QString& path, const FloatArray& array) {
    if (static_cast<int64_t>(array.values.size()) != array.elementCount())
        return Error::invalidArgument(QStringLiteral("%1: %2 values do not fill shape %3")
                                          .arg(path)
                                          .arg(array.values.size())
                                          .arg(array.shapeString()));
    return writeFileAtomically(path, serializeNpy(array));
}

} // namespace saccade
