#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <memory>

namespace saccade {

/// Opens `path` for reading; a missing or unreadable file is an Error naming it. `description` says what
/// the file is in the message ("project file does not exist").
Result<std::unique_ptr<QFile>> openFileForReading(const QString& path,
                                                  const QString& description = QStringLiteral("file"));

/// The whole content of `path`, with the errors of openFileForReading().
Result<QByteArray> readWholeFile(const QString& path, const QString& description = QStringLiteral("file"));

} // namespace saccade
