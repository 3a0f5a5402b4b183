#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <memory>

namespace saccade {

/// Opens `path` for reading; a missing or unreadable file is an Error naming it, and so is something
/// that is not a regular file (opening a FIFO would block until a writer appears). `description` says what
/// the file is in the message ("project file does not exist").
Result<std::unique_ptr<QFile>> openFileForReading(const QString& path,
                                                  const QString& description = QStringLiteral("file"));

/// The whole content of `path`, with the errors of openFileForReading().
Result<QByteArray> readWholeFile(const QString& path, const QString& description = QStringLiteral("file"));

/// The content of `path` mapped read-only into memory (pages are read when touched, so a large or
/// sparse checkpoint costs no memory up front). The bytes stay valid while any copy of the pointer
/// lives. Same errors as openFileForReading().
Result<std::shared_ptr<const QByteArray>> mapWholeFile(const QString& path,
                                                       const QString& description = QStringLiteral("file"));

} // namespace saccade
