#pragma once

#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace saccade {

/// Writes a set of files into a folder all or nothing: each file goes to a temporary name beside its
/// final one, and commit() renames them all into place (an earlier file of the same name is kept aside
/// until every rename succeeded, then dropped; on failure it is put back). Until commit() nothing in the
/// folder changes; discard() or the destructor removes the temporary files. One thread at a time.
class StagedOutput {
public:
    explicit StagedOutput(QString directory);
    ~StagedOutput();
    StagedOutput(const StagedOutput&) = delete;
    StagedOutput& operator=(const StagedOutput&) = delete;

    /// Creates the folder if needed and checks that files can be created in it.
    Status prepare();
    /// Stages `bytes` as `relativePath` (forward slashes; subfolders are created).
    Status writeFile(const QString& relativePath, const QByteArray& bytes);
    /// Reserves `relativePath` for a file written by someone else (a clip); returns the temporary path
    /// to write to. The file counts against the capacity when it is committed.
    Result<QString> stagePath(const QString& relativePath);
    bool isStaged(const QString& relativePath) const;
    /// Relative paths staged so far, in order.
    QStringList stagedFiles() const;
    Status commit();
    void discard();

    /// Simulates a device with this many free bytes: a write beyond it fails as a full disk would.
    void setCapacityBytes(qint64 bytes) { m_capacityBytes = bytes; }
    qint64 bytesWritten() const { return m_bytesWritten; }
    QString directory() const { return m_directory; }
    /// Relative paths committed, in staging order.
    QStringList committedFiles() const { return m_committed; }

private:
    struct Entry {
        QString relativePath;
        QString temporaryPath;
        bool external = false;
    };
    QString finalPath(const QString& relativePath) const;
    Result<QString> reserve(const QString& relativePath, bool external);

    QString m_directory;
    std::vector<Entry> m_entries;
    QStringList m_committed;
    qint64 m_capacityBytes = -1;
    qint64 m_bytesWritten = 0;
};

} // namespace saccade
