#include "core/export/stagedoutput.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <algorithm>

namespace saccade {

namespace {

const QString kPartialSuffix = QStringLiteral(".saccade-partial");
const QString kBackupSuffix = QStringLiteral(".saccade-previous");

Error diskFull(const QString& path) {
    return Error::io(path, QStringLiteral("no space left on device"));
}

} // namespace

StagedOutput::StagedOutput(QString directory) : m_directory(QDir::cleanPath(std::move(directory))) {}

StagedOutput::~StagedOutput() {
    discard();
}

QString StagedOutput::finalPath(const QString& relativePath) const {
    return m_directory + QLatin1Char('/') + relativePath;
}

Status StagedOutput::prepare() {
    const QFileInfo info(m_directory);
    if (info.exists() && !info.isDir())
        return Error::invalidArgument(QStringLiteral("%1 is not a folder").arg(m_directory));
    if (!QDir().mkpath(m_directory))
        return Error{ErrorCategory::AccessDenied, QStringLiteral("cannot create the output folder"),
                     m_directory};
    QTemporaryFile probe(m_directory + QStringLiteral("/.saccade-write-test-XXXXXX"));
    if (!probe.open())
        return Error{ErrorCategory::AccessDenied,
                     QStringLiteral("the output folder is not writable: %1").arg(probe.errorString()),
                     m_directory};
    return {};
}

Result<QString> StagedOutput::reserve(const QString& relativePath, bool external) {
    if (relativePath.isEmpty() || relativePath.startsWith(QLatin1Char('/')) ||
        relativePath.contains(QStringLiteral("..")))
        return Error::invalidArgument(QStringLiteral("invalid output name '%1'").arg(relativePath));
    if (isStaged(relativePath))
        return Error::invalidArgument(QStringLiteral("'%1' is written twice").arg(relativePath));
    const QString target = finalPath(relativePath);
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        return Error{ErrorCategory::AccessDenied, QStringLiteral("cannot create the folder"),
                     QFileInfo(target).absolutePath()};
    const QString temporary = target + kPartialSuffix;
    QFile::remove(temporary);
    m_entries.push_back({relativePath, temporary, external});
    return temporary;
}

bool StagedOutput::isStaged(const QString& relativePath) const {
    for (const Entry& entry : m_entries) {
        if (entry.relativePath == relativePath)
            return true;
    }
    return false;
}

QStringList StagedOutput::stagedFiles() const {
    QStringList files;
    for (const Entry& entry : m_entries)
        files << entry.relativePath;
    return files;
}

Status StagedOutput::writeFile(const QString& relativePath, const QByteArray& bytes) {
    auto temporary = reserve(relativePath, false);
    if (!temporary)
        return temporary.error();
    QFile file(*temporary);
    if (!file.open(QIODevice::WriteOnly))
        return Error{ErrorCategory::AccessDenied, QStringLiteral("cannot write: %1").arg(file.errorString()),
                     finalPath(relativePath)};
    qint64 allowed = bytes.size();
    if (m_capacityBytes >= 0)
        allowed = std::min<qint64>(allowed, std::max<qint64>(0, m_capacityBytes - m_bytesWritten));
    const qint64 written = file.write(bytes.constData(), allowed);
    if (written > 0)
        m_bytesWritten += written;
    if (written != allowed || !file.flush())
        return Error::io(finalPath(relativePath), QStringLiteral("write failed: %1").arg(file.errorString()));
    if (allowed < bytes.size())
        return diskFull(finalPath(relativePath));
    file.close();
    if (file.error() != QFileDevice::NoError)
        return Error::io(finalPath(relativePath), QStringLiteral("write failed: %1").arg(file.errorString()));
    return {};
}

Result<QString> StagedOutput::stagePath(const QString& relativePath) {
    return reserve(relativePath, true);
}

Status StagedOutput::commit() {
    qint64 total = m_bytesWritten;
    for (const Entry& entry : m_entries) {
        const QFileInfo staged(entry.temporaryPath);
        if (!staged.exists())
            return Error::io(finalPath(entry.relativePath), QStringLiteral("the file was not written"));
        total += entry.external ? staged.size() : 0;
        if (m_capacityBytes >= 0 && total > m_capacityBytes)
            return diskFull(finalPath(entry.relativePath));
    }
    std::vector<QString> backups;
    std::vector<size_t> done;
    auto rollback = [&] {
        for (size_t index : done)
            QFile::remove(finalPath(m_entries[index].relativePath));
        for (const QString& backup : backups)
            QFile::rename(backup, backup.chopped(kBackupSuffix.size()));
    };
    for (size_t i = 0; i < m_entries.size(); ++i) {
        const QString target = finalPath(m_entries[i].relativePath);
        if (QFileInfo::exists(target)) {
            const QString backup = target + kBackupSuffix;
            QFile::remove(backup);
            if (!QFile::rename(target, backup)) {
                rollback();
                return Error::io(target, QStringLiteral("cannot replace the earlier file"));
            }
            backups.push_back(backup);
        }
        if (!QFile::rename(m_entries[i].temporaryPath, target)) {
            rollback();
            return Error::io(target, QStringLiteral("cannot move the finished file into place"));
        }
        done.push_back(i);
    }
    for (const QString& backup : backups)
        QFile::remove(backup);
    for (const Entry& entry : m_entries)
        m_committed << entry.relativePath;
    m_entries.clear();
    return {};
}

void StagedOutput::discard() {
    for (const Entry& entry : m_entries)
        QFile::remove(entry.temporaryPath);
    m_entries.clear();
}

} // namespace saccade
