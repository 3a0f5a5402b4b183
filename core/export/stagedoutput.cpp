#include "core/export/stagedoutput.h"

#include "core/util/atomicfile.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace saccade {

namespace {

const QString kJournalName = QStringLiteral(".saccade-commit");
const QString kStagingPrefix = QStringLiteral(".saccade-staging-");
const QString kBackupFolder = QStringLiteral(".saccade-previous");
// Names the previous implementation left beside the final files.
const QString kLegacyPartialSuffix = QStringLiteral(".saccade-partial");
const QString kLegacyBackupSuffix = QStringLiteral(".saccade-previous");

Error diskFull(const QString& path) {
    return Error::io(path, QStringLiteral("no space left on device"));
}

// The process that owns a staging folder named ".saccade-staging-<pid>-<random>" is still running.
bool ownerIsAlive(const QString& stagingName) {
    const QStringList parts = stagingName.mid(kStagingPrefix.size()).split(QLatin1Char('-'));
    bool ok = false;
    const qint64 pid = parts.value(0).toLongLong(&ok);
    if (!ok || pid <= 0)
        return false;
    if (pid == ::getpid())
        return true;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

bool renamePath(const QString& from, const QString& to) {
    return ::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0;
}

// Old-style leftovers beside final files: partial files are dropped; a kept-aside earlier file comes
// back when its replacement never arrived, else it is dropped.
void removeLegacyLeftovers(const QString& directory) {
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    QStringList partial, previous;
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.contains(QLatin1Char('/') + kStagingPrefix))
            continue;
        if (path.endsWith(kLegacyPartialSuffix))
            partial << path;
        else if (path.endsWith(kLegacyBackupSuffix))
            previous << path;
    }
    for (const QString& path : partial)
        QFile::remove(path);
    for (const QString& path : previous) {
        const QString original = path.chopped(kLegacyBackupSuffix.size());
        if (QFileInfo::exists(original))
            QFile::remove(path);
        else
            renamePath(path, original);
    }
}

} // namespace

StagedOutput::StagedOutput(QString directory) : m_directory(QDir::cleanPath(std::move(directory))) {}

StagedOutput::~StagedOutput() {
    discard();
}

QString StagedOutput::finalPath(const QString& relativePath) const {
    return m_directory + QLatin1Char('/') + relativePath;
}

QString StagedOutput::stagingPath(const QString& relativePath) const {
    return m_stagingDirectory + QLatin1Char('/') + relativePath;
}

Result<int> StagedOutput::recover(const QString& directory) {
    const QDir dir(directory);
    int moved = 0;
    const QString journalPath = dir.filePath(kJournalName);
    if (QFileInfo::exists(journalPath)) {
        QFile journalFile(journalPath);
        if (!journalFile.open(QIODevice::ReadOnly))
            return Error::io(
                journalPath,
                QStringLiteral("cannot read the commit journal: %1").arg(journalFile.errorString()));
        const QJsonObject journal = QJsonDocument::fromJson(journalFile.readAll()).object();
        journalFile.close();
        const QString staging = journal.value(QStringLiteral("staging")).toString();
        // Another export still committing owns it; a journal that does not parse was never complete
        // (it is written atomically), so there is nothing to finish.
        if (!staging.isEmpty() && staging.startsWith(kStagingPrefix) && !staging.contains(QLatin1Char('/')) &&
            ownerIsAlive(staging) && !staging.startsWith(kStagingPrefix + QString::number(::getpid()) + '-'))
            return Error::io(directory, QStringLiteral("another export is committing into this folder"));
        if (staging.startsWith(kStagingPrefix) && !staging.contains(QLatin1Char('/'))) {
            for (const QJsonValue& value : journal.value(QStringLiteral("files")).toArray()) {
                const QString relative = value.toString();
                if (relative.isEmpty() || relative.startsWith(QLatin1Char('/')) ||
                    relative.contains(QStringLiteral("..")))
                    continue;
                const QString from = dir.filePath(staging + QLatin1Char('/') + relative);
                if (!QFileInfo::exists(from))
                    continue; // moved before the interruption
                QDir().mkpath(QFileInfo(dir.filePath(relative)).absolutePath());
                if (!renamePath(from, dir.filePath(relative)))
                    return Error::io(dir.filePath(relative),
                                     QStringLiteral("cannot finish the interrupted export: %1")
                                         .arg(systemErrorText(errno)));
                ++moved;
            }
        }
        (void)syncPathToDisk(directory);
        if (!QFile::remove(journalPath))
            return Error::io(journalPath, QStringLiteral("cannot remove the commit journal"));
    }
    const QStringList stagingFolders =
        dir.entryList(QStringList{kStagingPrefix + QLatin1Char('*')}, QDir::Dirs | QDir::Hidden);
    for (const QString& name : stagingFolders) {
        if (!ownerIsAlive(name))
            QDir(dir.filePath(name)).removeRecursively();
    }
    removeLegacyLeftovers(directory);
    return moved;
}

Status StagedOutput::prepare() {
    const QFileInfo info(m_directory);
    if (info.exists() && !info.isDir())
        return Error::invalidArgument(QStringLiteral("%1 is not a folder").arg(m_directory));
    if (!QDir().mkpath(m_directory))
        return Error{ErrorCategory::AccessDenied, QStringLiteral("cannot create the output folder"),
                     m_directory};
    if (!QFileInfo(m_directory).isWritable())
        return Error{ErrorCategory::AccessDenied, QStringLiteral("the output folder is not writable"),
                     m_directory};
    Result<int> recovered = recover(m_directory);
    if (!recovered)
        return recovered.error();
    if (m_stagingDirectory.isEmpty()) {
        const QString name = kStagingPrefix + QString::number(::getpid()) + QLatin1Char('-') +
                             QString::number(QRandomGenerator::global()->generate64() & 0xffffffffffULL, 36);
        if (!QDir(m_directory).mkdir(name))
            return Error{ErrorCategory::AccessDenied,
                         QStringLiteral("the output folder is not writable: cannot create a staging folder"),
                         m_directory};
        m_stagingDirectory = m_directory + QLatin1Char('/') + name;
    }
    return {};
}

Result<QString> StagedOutput::reserve(const QString& relativePath, bool external) {
    if (relativePath.isEmpty() || relativePath.startsWith(QLatin1Char('/')) ||
        relativePath.contains(QStringLiteral("..")))
        return Error::invalidArgument(QStringLiteral("invalid output name '%1'").arg(relativePath));
    if (isStaged(relativePath))
        return Error::invalidArgument(QStringLiteral("'%1' is written twice").arg(relativePath));
    if (m_stagingDirectory.isEmpty()) {
        Status prepared = prepare();
        if (!prepared)
            return prepared.error();
    }
    const QString temporary = stagingPath(relativePath);
    if (!QDir().mkpath(QFileInfo(temporary).absolutePath()))
        return Error{ErrorCategory::AccessDenied, QStringLiteral("cannot create the folder"),
                     QFileInfo(finalPath(relativePath)).absolutePath()};
    QFile::remove(temporary);
    m_entries.push_back({relativePath, temporary, external});
    m_staged.insert(relativePath);
    return temporary;
}

bool StagedOutput::isStaged(const QString& relativePath) const {
    return m_staged.contains(relativePath);
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
    qint64 allowed = bytes.size();
    if (m_capacityBytes >= 0)
        allowed = std::min<qint64>(allowed, std::max<qint64>(0, m_capacityBytes - m_bytesWritten));
    Status written = writeFileDurably(*temporary, bytes.left(allowed));
    if (!written)
        return Error{written.error().category, written.error().message, finalPath(relativePath)};
    m_bytesWritten += allowed;
    if (allowed < bytes.size())
        return diskFull(finalPath(relativePath));
    return {};
}

Result<QString> StagedOutput::stagePath(const QString& relativePath) {
    return reserve(relativePath, true);
}

Status StagedOutput::moveIntoPlace(std::vector<QString>* moved, std::vector<QString>* backedUp) {
    for (const Entry& entry : m_entries) {
        const QString target = finalPath(entry.relativePath);
        if (!QDir().mkpath(QFileInfo(target).absolutePath()))
            return Error{ErrorCategory::AccessDenied, QStringLiteral("cannot create the folder"),
                         QFileInfo(target).absolutePath()};
        // A hard link keeps the earlier file for a rollback without moving it out of the way.
        if (QFileInfo::exists(target)) {
            const QString backup = stagingPath(kBackupFolder + QLatin1Char('/') + entry.relativePath);
            QDir().mkpath(QFileInfo(backup).absolutePath());
            if (::link(QFile::encodeName(target).constData(), QFile::encodeName(backup).constData()) == 0)
                backedUp->push_back(entry.relativePath);
        }
        if (!renamePath(entry.temporaryPath, target))
            return Error::io(
                target,
                QStringLiteral("cannot move the finished file into place: %1").arg(systemErrorText(errno)));
        moved->push_back(entry.relativePath);
    }
    return {};
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
        // Files written by others (clips) must be on disk before the journal promises them.
        if (entry.external) {
            Status synced = syncPathToDisk(entry.temporaryPath);
            if (!synced)
                return Error{synced.error().category, synced.error().message, finalPath(entry.relativePath)};
        }
    }
    if (m_entries.empty())
        return {};
    QJsonArray files;
    for (const Entry& entry : m_entries)
        files.append(entry.relativePath);
    const QString journalPath = m_directory + QLatin1Char('/') + kJournalName;
    const QJsonObject journal{{QStringLiteral("staging"), QFileInfo(m_stagingDirectory).fileName()},
                              {QStringLiteral("files"), files}};
    // Written inside the staging folder and renamed, so a run killed while writing it leaves nothing
    // outside the staging folder (which the next run removes).
    const QString stagedJournal = m_stagingDirectory + QLatin1Char('/') + kJournalName;
    Status journalled = writeFileDurably(stagedJournal, QJsonDocument(journal).toJson());
    if (!journalled)
        return journalled;
    if (!renamePath(stagedJournal, journalPath))
        return Error::io(journalPath,
                         QStringLiteral("cannot write the commit journal: %1").arg(systemErrorText(errno)));
    (void)syncPathToDisk(m_directory);

    std::vector<QString> moved, backedUp;
    Status placed = moveIntoPlace(&moved, &backedUp);
    if (!placed) {
        // Put the earlier files back (or remove new ones that had none), then forget the journal.
        for (const QString& relative : moved) {
            const QString backup = stagingPath(kBackupFolder + QLatin1Char('/') + relative);
            if (std::find(backedUp.begin(), backedUp.end(), relative) != backedUp.end())
                renamePath(backup, finalPath(relative));
            else
                QFile::remove(finalPath(relative));
        }
        QFile::remove(journalPath);
        return placed;
    }
    (void)syncPathToDisk(m_directory);
    QFile::remove(journalPath);
    for (const Entry& entry : m_entries)
        m_committed << entry.relativePath;
    m_entries.clear();
    m_staged.clear();
    QDir(m_stagingDirectory).removeRecursively();
    m_stagingDirectory.clear();
    return {};
}

void StagedOutput::discard() {
    m_entries.clear();
    m_staged.clear();
    if (!m_stagingDirectory.isEmpty())
        QDir(m_stagingDirectory).removeRecursively();
    m_stagingDirectory.clear();
}

} // namespace saccade
