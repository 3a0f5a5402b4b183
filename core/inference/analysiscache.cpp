#include "core/inference/analysiscache.h"

#include "core/util/atomicfile.h"
#include "core/util/datapaths.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>

#include <algorithm>
#include <cstring>

namespace saccade {

namespace {

constexpr quint32 kMagic = 0x53435752; // "SCWR"
constexpr quint32 kVersion = 1;
constexpr int kDigestBytes = 32;
constexpr char kSuffix[] = ".window";
// Upper bounds that keep a damaged header from asking for absurd allocations.
constexpr qint64 kMaxElements = qint64(1) << 31;
constexpr quint32 kMaxRank = 8;

void writeArray(QDataStream& out, const FloatArray& array) {
    out << quint32(array.shape.size());
    for (int64_t dim : array.shape)
        out << qint64(dim);
    out << qint64(array.values.size());
    out.writeRawData(reinterpret_cast<const char*>(array.values.data()),
                     static_cast<int>(array.values.size() * sizeof(float)));
}

bool readArray(QDataStream& in, FloatArray& array) {
    quint32 rank = 0;
    in >> rank;
    if (rank > kMaxRank)
        return false;
    array.shape.resize(rank);
    for (int64_t& dim : array.shape) {
        qint64 value = 0;
        in >> value;
        if (value < 0 || value > kMaxElements)
            return false;
        dim = value;
    }
    qint64 count = 0;
    in >> count;
    if (count < 0 || count > kMaxElements || (rank > 0 && count != array.elementCount()) ||
        (rank == 0 && count != 0))
        return false;
    array.values.resize(static_cast<size_t>(count));
    const auto bytes = static_cast<int>(count * qint64(sizeof(float)));
    return in.readRawData(reinterpret_cast<char*>(array.values.data()), bytes) == bytes;
}

void writeFloats(QDataStream& out, const std::vector<float>& values) {
    writeArray(out, FloatArray{{static_cast<int64_t>(values.size())}, values});
}

bool readFloats(QDataStream& in, std::vector<float>& values) {
    FloatArray array;
    if (!readArray(in, array) || array.shape.size() != 1)
        return false;
    values = std::move(array.values);
    return true;
}

} // namespace

QString WindowCacheKey::digest() const {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray text;
    QDataStream out(&text, QIODevice::WriteOnly);
    out << videoHash << modelHash << parameters << startFrame << endFrame << quint32(frames.size());
    for (qint64 frame : frames)
        out << frame;
    hash.addData(text);
    return QString::fromLatin1(hash.result().toHex());
}

AnalysisCache::AnalysisCache(QString directory, qint64 maxBytes)
    : m_directory(directory.isEmpty() ? cacheDirectory(QStringLiteral("analysis")) : std::move(directory)),
      m_maxBytes(maxBytes) {}

QString AnalysisCache::entryPath(const WindowCacheKey& key) const {
    return QDir(m_directory).filePath(key.digest() + QLatin1String(kSuffix));
}

QByteArray AnalysisCache::serialize(const WindowResult& result) {
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    // Float payloads are written in host order; the byte-order mark makes a foreign entry a miss.
    const quint16 byteOrderMark = 0x0102;
    out << kMagic << kVersion;
    out.writeRawData(reinterpret_cast<const char*>(&byteOrderMark), sizeof(byteOrderMark));
    out << qint32(result.windowIndex) << result.startFrame << result.endFrame;
    out << quint32(result.frames.size());
    for (qint64 frame : result.frames)
        out << frame;
    out << quint32(result.cropBoxes.size());
    for (const QRect& box : result.cropBoxes)
        out << box;
    out << result.frameSize << qint32(result.attentionView);
    writeFloats(out, result.logits);
    writeFloats(out, result.probabilities);
    out << quint32(result.top.size());
    for (const TopClass& top : result.top)
        out << qint32(top.index) << top.label << top.probability << top.logit;
    writeArray(out, result.spatial);
    writeArray(out, result.temporal);
    writeArray(out, result.rollout);
    bytes.append(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256));
    return bytes;
}

Result<WindowResult> AnalysisCache::deserialize(const QByteArray& bytes, const QString& path) {
    auto corrupt = [&path](const QString& why) {
        return Error::invalidData(path, why);
    };
    if (bytes.size() < kDigestBytes)
        return corrupt(QStringLiteral("truncated cache entry"));
    const QByteArray payload = bytes.left(bytes.size() - kDigestBytes);
    if (QCryptographicHash::hash(payload, QCryptographicHash::Sha256) != bytes.right(kDigestBytes))
        return corrupt(QStringLiteral("cache entry checksum mismatch"));
    QDataStream in(payload);
    in.setVersion(QDataStream::Qt_6_0);
    quint32 magic = 0;
    quint32 version = 0;
    quint16 byteOrderMark = 0;
    in >> magic >> version;
    in.readRawData(reinterpret_cast<char*>(&byteOrderMark), sizeof(byteOrderMark));
    if (magic != kMagic || version != kVersion || byteOrderMark != 0x0102)
        return corrupt(QStringLiteral("not a cache entry of this version"));
    WindowResult result;
    qint32 windowIndex = 0;
    quint32 count = 0;
    in >> windowIndex >> result.startFrame >> result.endFrame >> count;
    if (count > kMaxElements / 8)
        return corrupt(QStringLiteral("bad frame count"));
    result.windowIndex = windowIndex;
    result.frames.resize(count);
    for (qint64& frame : result.frames)
        in >> frame;
    in >> count;
    if (count > 64)
        return corrupt(QStringLiteral("bad view count"));
    result.cropBoxes.resize(count);
    for (QRect& box : result.cropBoxes)
        in >> box;
    qint32 attentionView = 0;
    in >> result.frameSize >> attentionView;
    result.attentionView = attentionView;
    if (!readFloats(in, result.logits) || !readFloats(in, result.probabilities))
        return corrupt(QStringLiteral("bad predictions"));
    in >> count;
    if (count > result.logits.size())
        return corrupt(QStringLiteral("bad top-k list"));
    result.top.resize(count);
    for (TopClass& top : result.top) {
        qint32 index = 0;
        in >> index >> top.label >> top.probability >> top.logit;
        top.index = index;
    }
    if (!readArray(in, result.spatial) || !readArray(in, result.temporal) || !readArray(in, result.rollout))
        return corrupt(QStringLiteral("bad attention maps"));
    if (in.status() != QDataStream::Ok || !in.atEnd())
        return corrupt(QStringLiteral("cache entry does not parse"));
    result.fromCache = true;
    return result;
}

std::optional<WindowResult> AnalysisCache::load(const WindowCacheKey& key) const {
    if (!key.isValid())
        return std::nullopt;
    const QString path = entryPath(key);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    Result<WindowResult> result = deserialize(file.readAll(), path);
    if (!result.ok() || result->frames != key.frames || result->startFrame != key.startFrame ||
        result->endFrame != key.endFrame) {
        file.close();
        QFile::remove(path);
        return std::nullopt;
    }
    // The modification time orders entries for eviction: a hit makes this one the newest.
    file.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime);
    return std::move(result).value();
}

Status AnalysisCache::store(const WindowCacheKey& key, const WindowResult& result) const {
    if (!key.isValid())
        return Error::invalidArgument(QStringLiteral("a cache key needs the video and model hashes"));
    if (!QDir().mkpath(m_directory))
        return Error::io(m_directory, QStringLiteral("cannot create the cache folder"));
    if (Status written = writeFileAtomically(entryPath(key), serialize(result)); !written.ok())
        return written;
    prune();
    return {};
}

qint64 AnalysisCache::sizeBytes() const {
    qint64 total = 0;
    const QFileInfoList entries =
        QDir(m_directory).entryInfoList({QStringLiteral("*") + QLatin1String(kSuffix)}, QDir::Files);
    for (const QFileInfo& entry : entries)
        total += entry.size();
    return total;
}

void AnalysisCache::prune() const {
    QFileInfoList entries = QDir(m_directory)
                                .entryInfoList({QStringLiteral("*") + QLatin1String(kSuffix)}, QDir::Files,
                                               QDir::Time | QDir::Reversed);
    qint64 total = 0;
    for (const QFileInfo& entry : entries)
        total += entry.size();
    // Oldest first; the newest entry always stays even if it alone exceeds the limit.
    for (int i = 0; i + 1 < entries.size() && total > m_maxBytes; ++i) {
        if (QFile::remove(entries[i].filePath()) || !entries[i].exists())
            total -= entries[i].size();
    }
}

} // namespace saccade
