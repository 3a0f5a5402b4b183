#include "core/util/atomicfile.h"

#include <QSaveFile>

namespace saccade {

Status writeFileAtomically(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{ErrorCategory::AccessDenied, QStringLiteral("cannot write: %1").arg(file.errorString()),
                     path};
    if (file.write(bytes) != bytes.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return Error::io(path, QStringLiteral("write failed: %1").arg(reason));
    }
    if (!file.commit())
        return Error::io(path, QStringLiteral("cannot finish writing: %1").arg(file.errorString()));
    return {};
}

} // namespace saccade
