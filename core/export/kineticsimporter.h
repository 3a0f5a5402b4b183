#pragma once

#include "core/export/importedannotations.h"
#include "core/util/result.h"

namespace saccade {

/// Reads a Kinetics CSV (header with label, youtube_id, time_start, time_end; split optional, other
/// columns ignored). Errors name the file, line and column. Any thread.
class KineticsImporter {
public:
    static Result<ImportedAnnotations> read(const QString& path);
    static Result<ImportedAnnotations> parse(const QString& text, const QString& path);
};

} // namespace saccade
