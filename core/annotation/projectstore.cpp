#include "core/annotation/projectstore.h"

#include "core/annotation/projectfile.h"
#include "core/util/atomicfile.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace saccade {

ProjectStore::ProjectStore(const QString& projectPath, ProjectData data)
    : m_path(QFileInfo(projectPath).absoluteFilePath()), m_lock(lockPath(m_path)),
      m_document(std::move(data)) {
    // A live owner keeps the lock however long the project stays open; a dead one is detected by pid.
    m_lock.setStaleLockTime(0);
    m_autosaveTimer.setSingleShot(true);
    m_autosaveTimer.setInterval(kDefaultAutosaveDelayMs);
    connect(&m_autosaveTimer, &QTimer::timeout, this, [this] {
        Status written = autosaveNow();
        if (written)
            Q_EMIT autosaved();
        else
            Q_EMIT autosaveFailed(written.error());
    });
    connect(&m_document, &ProjectDocument::modified, this, &ProjectStore::onModified);
}

ProjectStore::~ProjectStore() {
    // A sidecar only matters while it holds changes the project file does not; one this store did not
    // write (recovery declined for now) stays for the next open.
    if (!m_unsaved && m_wroteSidecar)
        QFile::remove(autosavePath(m_path));
}

QString ProjectStore::autosavePath(const QString& projectPath) {
    return projectPath + QStringLiteral(".autosave");
}

QString ProjectStore::lockPath(const QString& projectPath) {
    return projectPath + QStringLiteral(".lock");
}

RecoveryInfo ProjectStore::recoveryInfo(const QString& projectPath) {
    RecoveryInfo info;
    info.autosavePath = autosavePath(projectPath);
    const QFileInfo sidecar(info.autosavePath);
    const QFileInfo project(projectPath);
    if (!sidecar.exists())
        return info;
    info.autosaveModified = sidecar.lastModified();
    info.projectModified = project.exists() ? project.lastModified() : QDateTime();
    info.available = !project.exists() || info.autosaveModified > info.projectModified;
    return info;
}

Status ProjectStore::lock() {
    if (m_lock.tryLock(0))
        return {};
    if (m_lock.error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString application;
        m_lock.getLockInfo(&pid, &host, &application);
        return Error{
            ErrorCategory::AccessDenied,
            QStringLiteral("the project is open in another process (%1, pid %2 on %3); close it there "
                           "first")
                .arg(application.isEmpty() ? QStringLiteral("unknown program") : application)
                .arg(pid)
                .arg(host.isEmpty() ? QStringLiteral("this machine") : host),
            m_path};
    }
    // QLockFile does not say why; writing a file of the same kind beside it does (a full disk, a
    // read-only folder).
    const QString probe = lockPath(m_path) + QStringLiteral(".probe");
    Status written = writeFileDurably(probe, QByteArray::number(QCoreApplication::applicationPid()));
    QFile::remove(probe);
    return Error{
        ErrorCategory::AccessDenied,
        QStringLiteral("cannot create the lock file %1%2")
            .arg(lockPath(m_path), written ? QString() : QStringLiteral(": ") + written.error().message),
        m_path};
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::create(const QString& projectPath, ProjectData data) {
    if (QFileInfo::exists(projectPath))
        return Error::invalidArgument(QStringLiteral("%1 already exists").arg(projectPath));
    std::unique_ptr<ProjectStore> store(new ProjectStore(projectPath, std::move(data)));
    Status locked = store->lock();
    if (!locked)
        return locked.error();
    Status saved = store->save();
    if (!saved)
        return saved.error();
    return store;
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::open(const QString& projectPath, RecoveryChoice recovery,
                                                         const QStringList& searchDirs) {
    std::unique_ptr<ProjectStore> store(new ProjectStore(projectPath, {}));
    Status locked = store->lock();
    if (!locked)
        return locked.error();
    const QString path = store->path();
    const RecoveryInfo info = recoveryInfo(path);
    const bool recover = recovery == RecoveryChoice::Recover && info.available;
    if (recovery == RecoveryChoice::Discard)
        QFile::remove(info.autosavePath);
    auto readData = [&]() -> Result<ProjectData> {
        if (!recover)
            return ProjectFile::load(path, searchDirs);
        // The sidecar sits beside the project, so its relative paths resolve the same way.
        QFile sidecar(info.autosavePath);
        if (!sidecar.open(QIODevice::ReadOnly))
            return Error::io(info.autosavePath, QStringLiteral("cannot read: %1").arg(sidecar.errorString()));
        auto parsed = ProjectFile::parse(sidecar.readAll(), path);
        if (!parsed)
            return Error::invalidData(info.autosavePath, parsed.error().message);
        QStringList dirs{QFileInfo(path).absolutePath()};
        dirs << searchDirs;
        ProjectFile::locateVideos(*parsed, dirs);
        return parsed;
    };
    Result<ProjectData> data = readData();
    if (!data)
        return data.error();
    store->m_document.reset(std::move(*data));
    store->m_autosaveTimer.stop();
    store->setUnsaved(recover);
    return store;
}

Status ProjectStore::save() {
    Status saved = ProjectFile::save(m_document.data(), m_path);
    if (!saved)
        return saved;
    m_autosaveTimer.stop();
    QFile::remove(autosavePath(m_path));
    m_document.undoStack()->setClean();
    setUnsaved(false);
    return {};
}

Status ProjectStore::autosaveNow() {
    m_autosaveTimer.stop();
    const QString sidecarPath = autosavePath(m_path);
    Status written = writeFileAtomically(sidecarPath, ProjectFile::serialize(m_document.data(), m_path));
    m_wroteSidecar = m_wroteSidecar || written.ok();
    if (written)
        markNewerThanProject(sidecarPath);
    return written;
}

void ProjectStore::markNewerThanProject(const QString& sidecarPath) const {
    // Recovery takes the sidecar only when it is newer than the project, but file times tick coarsely
    // (a few milliseconds): an autosave just after a save could carry the same time and be ignored.
    const QFileInfo project(m_path);
    const QFileInfo sidecar(sidecarPath);
    if (!project.exists() || sidecar.lastModified() > project.lastModified())
        return;
    QFile file(sidecarPath);
    if (file.open(QIODevice::ReadWrite))
        file.setFileTime(project.lastModified().addMSecs(1), QFileDevice::FileModificationTime);
}

void ProjectStore::setAutosaveDelayMs(int delayMs) {
    m_autosaveTimer.setInterval(std::max(0, delayMs));
    if (delayMs <= 0)
        m_autosaveTimer.stop();
}

void ProjectStore::onModified() {
    setUnsaved(true);
    if (m_autosaveTimer.interval() > 0)
        m_autosaveTimer.start();
}

void ProjectStore::setUnsaved(bool unsaved) {
    if (m_unsaved == unsaved)
        return;
    m_unsaved = unsaved;
    Q_EMIT unsavedChangesChanged(unsaved);
}

} // namespace saccade
