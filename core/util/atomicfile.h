#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>

namespace saccade {

/// Writes `bytes` to `path` through a temporary file renamed into place (QSaveFile), so readers see
/// either the old file or the complete new one, even if the process dies mid-write. Any thread.
Status writeFileAtomically(const QString& path, const QByteArray& bytes);

} // namespace saccade
