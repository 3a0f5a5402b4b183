#include "core/util/error.h"

namespace saccade {

QString categoryName(ErrorCategory category) {
    switch (category) {
    case ErrorCategory::NotFound:
        return QStringLiteral("not found");
    case ErrorCategory::AccessDenied:
        return QStringLiteral("access denied");
    case ErrorCategory::InvalidData:
        return QStringLiteral("invalid data");
    case ErrorCategory::Unsupported:
        return QStringLiteral("unsupported");
    case ErrorCategory::Io:
        return QStringLiteral("I/O error");
    case ErrorCategory::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorCategory::InvalidArgument:
        return QStringLiteral("invalid argument");
    case ErrorCategory::Internal:
        return QStringLiteral("internal error");
    }
    return QStringLiteral("error");
}

QString Error::toString() const {
    return path.isEmpty() ? message : path + QStringLiteral(": ") + message;
}

Error Error::notFound(const QString& path, const QString& message) {
    return {ErrorCategory::NotFound, message, path};
}

Error Error::invalidData(const QString& path, const QString& message) {
    return {ErrorCategory::InvalidData, message, path};
}

Error Error::unsupported(const QString& path, const QString& message) {
    return {ErrorCategory::Unsupported, message, path};
}

Error Error::io(const QString& path, const QString& message) {
    return {ErrorCategory::Io, message, path};
}

Error Error::cancelled() {
    return {ErrorCategory::Cancelled, QStringLiteral("cancelled"), {}};
}

Error Error::invalidArgument(const QString& message) {
    return {ErrorCategory::InvalidArgument, message, {}};
}

} // namespace saccade
