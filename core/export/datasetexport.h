#pragma once

#include "core/annotation/projectdata.h"
#include "core/export/exportoptions.h"

#include <QStringList>

#include <functional>

namespace saccade {

/// What a finished export wrote.
struct ExportSummary {
    QString outputDirectory;
    /// Relative to outputDirectory, the manifest last.
    QStringList files;
    int segments = 0;
    /// Lines the exporter asks the user to read: warnings (data left out) and notes (how to use it).
    QStringList warnings;
    QStringList notes;
};

/// Runs one export synchronously: stages every file of the format plus the provenance manifest, then
/// renames them all into place. On any error or cancellation nothing in the output folder changes
/// (earlier exports stay as they were) and the project is never touched (it is a copy). Call it from a
/// worker thread (ExportJob does); `progress` gets fractions 0..1 on that thread.
class DatasetExport {
public:
    static Result<ExportSummary> run(const ProjectData& project, const ExportOptions& options,
                                     const CancellationToken& cancel = {},
                                     const std::function<void(double)>& progress = {});
};

} // namespace saccade
