#pragma once

#include "core/util/result.h"

#include <QSet>
#include <QString>
#include <QStringList>

#include <vector>

namespace saccade {

/// Writes a set of files into a folder all or nothing. Files are written (and flushed to disk) into a
/// private staging folder inside the output folder; commit() then writes a journal `.saccade-commit`
/// naming them, renames each into place (the manifest last, as the caller stages it last), and removes
/// the journal. Readers can rely on a folder without a journal being one complete export. If the process
/// dies mid-commit, the next prepare() in that folder finishes the commit from the journal (the staged
/// files are complete by then) and removes staging folders and temporary files left by dead runs. A
/// failed rename during commit() puts the earlier files back. One thread at a time.
class StagedOutput {
public:
    explicit StagedOutput(QString directory);
    ~StagedOutput();
    StagedOutput(const StagedOutput&) = delete;
    StagedOutput& operator=(const StagedOutput&) = delete;

    /// Creates the folder if needed, finishes or cleans what an interrupted earlier export left in it,
    /// and creates the staging folder.
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

    /// Finishes an interrupted commit in `directory` from its journal and removes leftovers of dead runs
    /// (staging folders, `*.saccade-partial`, `*.saccade-previous`). Returns how many files it moved.
    static Result<int> recover(const QString& directory);

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
    QString stagingPath(const QString& relativePath) const;
    Result<QString> reserve(const QString& relativePath, bool external);
    Status moveIntoPlace(std::vector<QString>* moved, std::vector<QString>* backedUp);

    QString m_stagingDirectory;

    QString m_directory;
    std::vector<Entry> m_entries;
    // The relative paths of m_entries, so that staging n clips stays O(n).
    QSet<QString> m_staged;
    QStringList m_committed;
    qint64 m_capacityBytes = -1;
    qint64 m_bytesWritten = 0;
};

} // namespace saccade
