#include "core/util/atomicfile.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace saccade {

namespace {

Error systemError(const QString& path, const QString& what, int errorNumber) {
    return Error::io(path, QStringLiteral("%1: %2").arg(what, systemErrorText(errorNumber)));
}

Status writeAll(int fd, const QByteArray& bytes, const QString& path) {
    const char* data = bytes.constData();
    qint64 left = bytes.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, static_cast<size_t>(std::min<qint64>(left, 1 << 30)));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return systemError(path, QStringLiteral("write failed"), errno);
        }
        // A zero-byte write makes no progress; treat it as a full device rather than spin.
        if (written == 0)
            return systemError(path, QStringLiteral("write failed"), ENOSPC);
        data += written;
        left -= written;
    }
    return {};
}

// Writes, syncs and closes `fd` (always closed), each result checked: on NFS and some full disks the
// error only shows at fsync or close.
Status finishFile(int fd, const QByteArray& bytes, const QString& path) {
    Status written = writeAll(fd, bytes, path);
    if (written && ::fsync(fd) != 0 && errno != EINVAL)
        written = systemError(path, QStringLiteral("cannot flush to disk"), errno);
    if (::close(fd) != 0 && written && errno != EINTR)
        written = systemError(path, QStringLiteral("cannot finish writing"), errno);
    return written;
}

QString temporaryNameFor(const QString& path) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    return path + QStringLiteral(".saccade-tmp-%1").arg(random() & 0xffffffffffULL, 10, 36, QLatin1Char('0'));
}

} // namespace

QString systemErrorText(int errorNumber) {
    return QString::fromLocal8Bit(std::strerror(errorNumber));
}

Status writeFileDurably(const QString& path, const QByteArray& bytes) {
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return Error{ErrorCategory::AccessDenied,
                     QStringLiteral("cannot write: %1").arg(systemErrorText(errno)), path};
    return finishFile(fd, bytes, path);
}

Status writeFileAtomically(const QString& path, const QByteArray& bytes) {
    const QByteArray target = QFile::encodeName(path);
    // Keep the permissions of the file being replaced, as QSaveFile did.
    mode_t mode = 0666;
    struct stat existing {};
    const bool replacing = ::stat(target.constData(), &existing) == 0;
    if (replacing && !S_ISREG(existing.st_mode))
        return Error{ErrorCategory::InvalidArgument, QStringLiteral("exists and is not a regular file"),
                     path};
    QString temporary;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temporary = temporaryNameFor(path);
        fd = ::open(QFile::encodeName(temporary).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            return Error{ErrorCategory::AccessDenied,
                         QStringLiteral("cannot write: %1").arg(systemErrorText(errno)), path};
    }
    if (fd < 0)
        return Error::io(path, QStringLiteral("cannot create a temporary file beside it"));
    const QByteArray temporaryNative = QFile::encodeName(temporary);
    if (replacing)
        mode = existing.st_mode & 07777;
    else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    ::fchmod(fd, mode);
    Status finished = finishFile(fd, bytes, path);
    if (!finished) {
        ::unlink(temporaryNative.constData());
        return finished;
    }
    if (::rename(temporaryNative.constData(), target.constData()) != 0) {
        const int error = errno;
        ::unlink(temporaryNative.constData());
        return systemError(path, QStringLiteral("cannot move the new file into place"), error);
    }
    // Make the rename itself durable; a failure here cannot undo it, so it is not reported.
    (void)syncPathToDisk(QFileInfo(path).absolutePath());
    return {};
}

Status syncPathToDisk(const QString& path) {
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return systemError(path, QStringLiteral("cannot open"), errno);
    Status synced;
    if (::fsync(fd) != 0 && errno != EINVAL && errno != EBADF)
        synced = systemError(path, QStringLiteral("cannot flush to disk"), errno);
    ::close(fd);
    return synced;
}

} // namespace saccade
