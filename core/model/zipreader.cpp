#include "core/model/zipreader.h"

#include "core/util/filereading.h"

#include <QFile>

#include <algorithm>

namespace saccade {

namespace {

constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kZip64EndLocator = 0x07064b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr int kEndRecordSize = 22;
constexpr int kCentralHeaderSize = 46;
constexpr int kLocalHeaderSize = 30;
constexpr uint16_t kZip64ExtraId = 0x0001;

// Little-endian reads that fail instead of reading past the end.
class Cursor {
public:
    explicit Cursor(const QByteArray& bytes) : m_bytes(bytes) {}
    bool has(int64_t offset, int64_t count) const {
        return offset >= 0 && count >= 0 && offset <= m_bytes.size() && count <= m_bytes.size() - offset;
    }
    uint64_t read(int64_t offset, int width) const {
        uint64_t value = 0;
        for (int i = 0; i < width; ++i)
            value |= static_cast<uint64_t>(static_cast<unsigned char>(m_bytes.constData()[offset + i]))
                     << (8 * i);
        return value;
    }

private:
    const QByteArray& m_bytes;
};

} // namespace

Result<ZipReader> ZipReader::open(const QString& path) {
    Result<std::shared_ptr<const QByteArray>> bytes = mapWholeFile(path, QStringLiteral("checkpoint"));
    if (!bytes)
        return bytes.error();
    return fromBytes(bytes.value(), path);
}

Result<ZipReader> ZipReader::fromBytes(std::shared_ptr<const QByteArray> bytes, const QString& path) {
    const QByteArray& data = *bytes;
    const Cursor cursor(data);
    const int64_t size = data.size();
    if (size < kEndRecordSize)
        return Error::invalidData(path, QStringLiteral("not a zip archive (too short; truncated?)"));

    // The end record sits in the last 22 + 65535 (comment) bytes.
    int64_t endRecord = -1;
    for (int64_t at = size - kEndRecordSize; at >= std::max<int64_t>(0, size - kEndRecordSize - 65535);
         --at) {
        if (cursor.read(at, 4) == kEndOfCentralDirectory) {
            endRecord = at;
            break;
        }
    }
    if (endRecord < 0)
        return Error::invalidData(
            path, QStringLiteral("not a zip archive (no end of central directory; truncated?)"));
    uint64_t entryCount = cursor.read(endRecord + 10, 2);
    uint64_t directorySize = cursor.read(endRecord + 12, 4);
    uint64_t directoryOffset = cursor.read(endRecord + 16, 4);
    if (entryCount == 0xffff || directorySize == 0xffffffff || directoryOffset == 0xffffffff) {
        const int64_t locator = endRecord - 20;
        if (!cursor.has(locator, 20) || cursor.read(locator, 4) != kZip64EndLocator)
            return Error::invalidData(path, QStringLiteral("zip64 archive without a zip64 locator"));
        const auto zip64End = static_cast<int64_t>(cursor.read(locator + 8, 8));
        if (!cursor.has(zip64End, 56) || cursor.read(zip64End, 4) != kZip64End)
            return Error::invalidData(path, QStringLiteral("zip64 end record is missing or out of range"));
        entryCount = cursor.read(zip64End + 32, 8);
        directorySize = cursor.read(zip64End + 40, 8);
        directoryOffset = cursor.read(zip64End + 48, 8);
    }
    if (!cursor.has(static_cast<int64_t>(directoryOffset), static_cast<int64_t>(directorySize)))
        return Error::invalidData(path,
                                  QStringLiteral("zip central directory lies outside the file (truncated?)"));

    ZipReader reader;
    reader.m_path = path;
    int64_t at = static_cast<int64_t>(directoryOffset);
    const int64_t directoryEnd = at + static_cast<int64_t>(directorySize);
    for (uint64_t i = 0; i < entryCount; ++i) {
        if (at + kCentralHeaderSize > directoryEnd || cursor.read(at, 4) != kCentralHeader)
            return Error::invalidData(path,
                                      QStringLiteral("corrupt zip central directory (entry %1)").arg(i));
        const auto flags = cursor.read(at + 8, 2);
        const auto method = cursor.read(at + 10, 2);
        uint64_t compressedSize = cursor.read(at + 20, 4);
        uint64_t uncompressedSize = cursor.read(at + 24, 4);
        const auto nameLength = static_cast<int64_t>(cursor.read(at + 28, 2));
        const auto extraLength = static_cast<int64_t>(cursor.read(at + 30, 2));
        const auto commentLength = static_cast<int64_t>(cursor.read(at + 32, 2));
        uint64_t localOffset = cursor.read(at + 42, 4);
        const int64_t nameAt = at + kCentralHeaderSize;
        if (nameAt + nameLength + extraLength + commentLength > directoryEnd)
            return Error::invalidData(path,
                                      QStringLiteral("corrupt zip central directory (entry %1)").arg(i));
        const QString name = QString::fromUtf8(data.constData() + nameAt, static_cast<qsizetype>(nameLength));
        // Zip64 sizes and offsets live in an extra field, in this order, only for the saturated ones.
        int64_t extra = nameAt + nameLength;
        const int64_t extraEnd = extra + extraLength;
        while (extra + 4 <= extraEnd) {
            const auto id = cursor.read(extra, 2);
            const auto length = static_cast<int64_t>(cursor.read(extra + 2, 2));
            if (extra + 4 + length > extraEnd)
                break;
            if (id == kZip64ExtraId) {
                int64_t field = extra + 4;
                auto take = [&](uint64_t* value) {
                    if (*value == 0xffffffff && field + 8 <= extra + 4 + length) {
                        *value = cursor.read(field, 8);
                        field += 8;
                    }
                };
                take(&uncompressedSize);
                take(&compressedSize);
                take(&localOffset);
            }
            extra += 4 + length;
        }
        if (flags & 0x1)
            return Error::unsupported(path, QStringLiteral("zip entry '%1' is encrypted").arg(name));
        if (method != 0 || compressedSize != uncompressedSize)
            return Error::unsupported(
                path,
                QStringLiteral("zip entry '%1' is compressed (method %2); only stored entries are supported")
                    .arg(name)
                    .arg(method));
        const auto local = static_cast<int64_t>(localOffset);
        if (!cursor.has(local, kLocalHeaderSize) || cursor.read(local, 4) != kLocalHeader)
            return Error::invalidData(path,
                                      QStringLiteral("zip entry '%1' has no valid local header").arg(name));
        const int64_t dataOffset = local + kLocalHeaderSize +
                                   static_cast<int64_t>(cursor.read(local + 26, 2)) +
                                   static_cast<int64_t>(cursor.read(local + 28, 2));
        if (!cursor.has(dataOffset, static_cast<int64_t>(compressedSize)))
            return Error::invalidData(path, QStringLiteral("zip entry '%1' extends past the end of the file "
                                                           "(truncated?)")
                                                .arg(name));
        reader.m_entries[name] = Entry{dataOffset, static_cast<int64_t>(compressedSize)};
        at = extraEnd + commentLength;
    }
    reader.m_bytes = std::move(bytes);
    return reader;
}

QStringList ZipReader::entryNames() const {
    QStringList names;
    for (const auto& [name, entry] : m_entries)
        names << name;
    return names;
}

Result<ZipReader::Entry> ZipReader::entry(const QString& name) const {
    const auto it = m_entries.find(name);
    if (it == m_entries.end())
        return Error::invalidData(m_path, QStringLiteral("archive has no entry '%1'").arg(name));
    return it->second;
}

Result<std::shared_ptr<const QByteArray>> ZipReader::view(const QString& name) const {
    const Result<Entry> found = entry(name);
    if (!found.ok())
        return found.error();
    std::shared_ptr<const QByteArray> owner = m_bytes;
    return std::shared_ptr<const QByteArray>(
        new QByteArray(QByteArray::fromRawData(owner->constData() + found->dataOffset,
                                               static_cast<qsizetype>(found->size))),
        [owner](const QByteArray* bytes) { delete bytes; });
}

Result<QByteArray> ZipReader::read(const QString& name) const {
    const Result<Entry> found = entry(name);
    if (!found.ok())
        return found.error();
    return m_bytes->mid(static_cast<qsizetype>(found->dataOffset), static_cast<qsizetype>(found->size));
}

} // namespace saccade
