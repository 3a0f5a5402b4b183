#pragma once

#include <QString>

namespace saccade {

/// Where Saccade's bundled data (demo model, label maps, demo video) lives: $SACCADE_DATA_DIR if set,
/// the installed share/saccade beside the executable's prefix, else the source tree's resources/.
QString dataDirectory();

/// A file inside dataDirectory().
QString dataFile(const QString& relativePath);

/// Writable per-user cache folder (XDG cache location), created on demand.
QString cacheDirectory(const QString& subfolder);

} // namespace saccade
