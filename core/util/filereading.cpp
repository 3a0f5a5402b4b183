#include "core/util/filereading.h"

namespace saccade {

Result<std::unique_ptr<QFile>> openFileForReading(const QString& path, const QString& description) {
    auto file = std::make_unique<QFile>(path);
    if (!file->exists())
        return Error::notFound(path, QStringLiteral("%1 does not exist").arg(description));
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

} // namespace saccade
