#include "core/util/filereading.h"

#include <QFileInfo>

namespace saccade {

Result<std::unique_ptr<QFile>> openFileForReading(const QString& path, const QString& description) {
    auto file = std::make_unique<QFile>(path);
    const QFileInfo info(path);
    if (!info.exists())
        return Error::notFound(path, QStringLiteral("%1 does not exist").arg(description));
    if (!info.isFile())
        return Error::invalidArgument(QStringLiteral("%1: %2 is not a regular file")
                                          .arg(path, info.isDir() ? QStringLiteral("folder") : description));
    if (!file->open(QIODevice::ReadOnly))
        return Error{ErrorCategory::AccessDenied, QStringLiteral("cannot open: %1").arg(file->errorString()),
                     path};
    return file;
}

Result<QByteArray> readWholeFile(const QString& path, const QString& description) {
    auto file = openFileForReading(path, description);
    if (!file)
        return file.error();
    return (*file)->readAll();
}

Result<std::shared_ptr<const QByteArray>> mapWholeFile(const QString& path, const QString& description) {
    auto opened = openFileForReading(path, description);
    if (!opened)
        return opened.error();
    std::shared_ptr<QFile> file(std::move(opened).value());
    const qint64 size = file->size();
    if (size == 0)
        return std::make_shared<const QByteArray>();
    const uchar* mapped = file->map(0, size);
    if (!mapped)
        return Error::io(path,
                         QStringLiteral("cannot map the file into memory: %1").arg(file->errorString()));
    // The deleter owns the file, whose destruction unmaps it after the last view is gone.
    return std::shared_ptr<const QByteArray>(
        new QByteArray(QByteArray::fromRawData(reinterpret_cast<const char*>(mapped), size)),
        [file](const QByteArray* bytes) { delete bytes; });
}

} // namespace saccade
