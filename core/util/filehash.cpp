#include "core/util/filehash.h"

#include "core/util/filereading.h"

#include <QCryptographicHash>
#include <QFile>
#include <QtEndian>

#include <array>
#include <memory>

namespace saccade {

namespace {

constexpr qint64 kSampleBytes = 1024 * 1024;
constexpr qint64 kChunkBytes = 4 * 1024 * 1024;

Result<QByteArray> readAt(QFile& file, qint64 offset, qint64 length) {
    if (!file.seek(offset))
        return Error::io(file.fileName(), QStringLiteral("cannot seek: %1").arg(file.errorString()));
    const QByteArray bytes = file.read(length);
    if (bytes.size() != length)
        return Error::io(file.fileName(), QStringLiteral("short read: %1").arg(file.errorString()));
    return bytes;
}

} // namespace

Result<QString> sampledContentHash(const QString& path) {
    auto opened = openFileForReading(path);
    if (!opened)
        return opened.error();
    QFile& file = **opened;
    const qint64 size = file.size();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    std::array<uchar, 8> sizeBytes{};
    qToLittleEndian<quint64>(static_cast<quint64>(size), sizeBytes.data());
    hash.addData(QByteArrayView(reinterpret_cast<const char*>(sizeBytes.data()), 8));
    if (size <= 3 * kSampleBytes) {
        auto all = readAt(file, 0, size);
        if (!all)
            return all.error();
        hash.addData(*all);
    } else {
        const std::array<qint64, 3> offsets = {0, size / 2 - kSampleBytes / 2, size - kSampleBytes};
        for (qint64 offset : offsets) {
            auto sample = readAt(file, offset, kSampleBytes);
            if (!sample)
                return sample.error();
            hash.addData(*sample);
        }
    }
    return QString::fromLatin1(kSampledHashPrefix) + QString::fromLatin1(hash.result().toHex());
}

Result<QString> fullFileSha256(const QString& path, const CancellationToken& cancel) {
    auto opened = openFileForReading(path);
    if (!opened)
        return opened.error();
    QFile& file = **opened;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    while (!file.atEnd()) {
        if (cancel.isCancelled())
            return Error::cancelled();
        const QByteArray chunk = file.read(kChunkBytes);
        if (chunk.isEmpty() && file.error() != QFileDevice::NoError)
            return Error::io(path, QStringLiteral("read failed: %1").arg(file.errorString()));
        hash.addData(chunk);
    }
    return QString::fromLatin1(kFullHashPrefix) + QString::fromLatin1(hash.result().toHex());
}

} // namespace saccade
