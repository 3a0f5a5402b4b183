#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>

namespace saccade {

/// Writes `bytes` to `path` through a temporary file beside it that is written, flushed to disk and
/// closed (each result checked) before it is renamed into place, so readers see either the old file or
/// the complete new one, even if the process dies or the disk fills mid-write. A failed write leaves the
/// old file untouched and names the system's reason ("No space left on device"). Any thread.
Status writeFileAtomically(const QString& path, const QByteArray& bytes);

/// Creates or truncates `path` and writes `bytes` to it, checking every write, the flush to disk and the
/// close (QFile and QSaveFile can lose a failed flush at close). Not atomic: for staging files.
Status writeFileDurably(const QString& path, const QByteArray& bytes);

/// Flushes an existing file (written by someone else, e.g. FFmpeg) or folder to disk.
Status syncPathToDisk(const QString& path);

/// The system's text for an errno value ("No space left on device").
QString systemErrorText(int errorNumber);

} // namespace saccade
