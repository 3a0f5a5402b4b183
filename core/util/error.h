#pragma once

#include <QMetaType>
#include <QString>

namespace saccade {

/// What kind of failure happened at a boundary (file, FFmpeg, checkpoint, parser).
enum class ErrorCategory {
    NotFound = 1,
    AccessDenied,
    InvalidData,
    Unsupported,
    Io,
    Cancelled,
    InvalidArgument,
    Internal,
};

QString categoryName(ErrorCategory category);

/// A failure a user can read: which file (if any) and what is wrong with it.
struct Error {
    ErrorCategory category = ErrorCategory::Internal;
    QString message;
    QString path;

    /// "path: message", or just the message when there is no path.
    QString toString() const;

    static Error notFound(const QString& path, const QString& message);
    static Error invalidData(const QString& path, const QString& message);
    static Error unsupported(const QString& path, const QString& message);
    static Error io(const QString& path, const QString& message);
    static Error cancelled();
    static Error invalidArgument(const QString& message);
};

} // namespace saccade

Q_DECLARE_METATYPE(saccade::Error)
