#pragma once

#include "core/export/importedannotations.h"
#include "core/util/result.h"

namespace saccade {

/// Reads ActivityNet 1.3 JSON (`database` of videos with `subset` and `annotations` of
/// `{segment: [start, end], label}` in seconds). Errors name the file and the video and entry. Any thread.
class ActivityNetImporter {
public:
    static Result<ImportedAnnotations> read(const QString& path);
    static Result<ImportedAnnotations> parse(const QByteArray& json, const QString& path);
};

} // namespace saccade
