#pragma once

#include "core/inference/windowresult.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace saccade {

/// What decides a window's result: the video's content, the weights, the preprocessing and the window.
struct WindowCacheKey {
    QString videoHash;
    QString modelHash;
    /// PreprocessPreset::fingerprint() plus any analysis option that changes the stored values.
    QString parameters;
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    std::vector<qint64> frames;

    /// False when the key cannot identify a result (no video or model hash).
    bool isValid() const { return !videoHash.isEmpty() && !modelHash.isEmpty(); }
    /// Hex SHA-256 of every field: the entry's file name.
    QString digest() const;
};

/// Window results on disk, one file per window under cacheDirectory("analysis"), bounded in size:
/// when the total exceeds the limit the least recently used entries (oldest modification time; a hit
/// touches its entry) are deleted. Entries carry a checksum; a corrupt or unreadable one is deleted and
/// reported as a miss so the caller recomputes it. Any thread; instances sharing a folder may race only
/// on pruning, which tolerates vanished files.
class AnalysisCache {
public:
    static constexpr qint64 kDefaultMaxBytes = qint64(2) * 1024 * 1024 * 1024;

    explicit AnalysisCache(QString directory = {}, qint64 maxBytes = kDefaultMaxBytes);

    const QString& directory() const { return m_directory; }
    qint64 maxBytes() const { return m_maxBytes; }

    /// The stored result (with fromCache set), or nothing on a miss or a corrupt entry.
    std::optional<WindowResult> load(const WindowCacheKey& key) const;
    /// Stores `result` atomically, then prunes.
    Status store(const WindowCacheKey& key, const WindowResult& result) const;
    /// Deletes least recently used entries until the total is within the limit.
    void prune() const;
    /// Bytes used by all entries.
    qint64 sizeBytes() const;
    QString entryPath(const WindowCacheKey& key) const;

    /// The entry format: magic, version, fields, then the SHA-256 of everything before it.
    static QByteArray serialize(const WindowResult& result);
    static Result<WindowResult> deserialize(const QByteArray& bytes, const QString& path);

private:
    QString m_directory;
    qint64 m_maxBytes = kDefaultMaxBytes;
};

} // namespace saccade
