#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>

namespace saccade {

/// Reads the stored (uncompressed) entries of a zip archive held in memory, as `torch.save` writes
/// them. Every header and size is checked against the archive; compressed or encrypted entries are
/// refused. Immutable after open(); any thread.
class ZipReader {
public:
    struct Entry {
        int64_t dataOffset = 0;
        int64_t size = 0;
    };

    /// Reads and indexes `path`.
    static Result<ZipReader> open(const QString& path);
    /// Indexes `bytes`; `path` only names the source in errors.
    static Result<ZipReader> fromBytes(std::shared_ptr<const QByteArray> bytes, const QString& path);

    QStringList entryNames() const;
    bool contains(const QString& name) const { return m_entries.count(name) != 0; }
    /// Where the entry's bytes start inside bytes(), and how many there are.
    Result<Entry> entry(const QString& name) const;
    /// A copy of the entry's bytes.
    /// The entry's bytes without copying them, bounded to the entry, keeping the archive alive.
    Result<std::shared_ptr<const QByteArray>> view(const QString& name) const;
    Result<QByteArray> read(const QString& name) const;
    const std::shared_ptr<const QByteArray>& bytes() const { return m_bytes; }
    const QString& path() const { return m_path; }

private:
    std::shared_ptr<const QByteArray> m_bytes;
    QString m_path;
    std::map<QString, Entry> m_entries;
};

} // namespace saccade
