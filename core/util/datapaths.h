#pragma once

#include <QString>

namespace saccade {

/// Where Saccade's bundled data (demo model, label maps) lives: $SACCADE_DATA_DIR if set, else
/// dataDirectoryFor() the running program's folder.
QString dataDirectory();

/// The data folder of a program installed in `programDirectory` (PREFIX/bin): PREFIX/share/saccade when it
/// exists, else the source tree's resources/ when that exists (a program run from the build tree), else
/// PREFIX/share/saccade all the same, so that a missing file is reported where it belongs.
QString dataDirectoryFor(const QString& programDirectory);

/// A file inside dataDirectory().
QString dataFile(const QString& relativePath);

/// Writable per-user cache folder (XDG cache location), created on demand.
QString cacheDirectory(const QString& subfolder);

} // namespace saccade
