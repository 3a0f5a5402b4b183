#pragma once

#include "core/annotation/projectdata.h"
#include "core/export/exportoptions.h"
#include "core/export/stagedoutput.h"

#include <functional>
#include <memory>

namespace saccade {

/// What an exporter works with: a copy of the project, the options, the staged output folder, the
/// cancellation token and a progress callback (fraction 0..1 of this exporter's work).
struct ExportContext {
    const ProjectData& project;
    const ExportOptions& options;
    StagedOutput& output;
    const CancellationToken& cancel;
    std::function<void(double)> reportProgress;
    /// Something the user should know about the written files (a segment left out, ...); one line each.
    std::function<void(const QString&)> warn = [](const QString&) {
    };
    /// Something the user needs to use the files (where to serve media from, ...); one line each.
    std::function<void(const QString&)> note = [](const QString&) {
    };
};

/// One dataset format. Implementations write only through the context's StagedOutput, read only the
/// project copy, and check the cancellation token between videos. Used on a worker thread.
class DatasetExporter {
public:
    virtual ~DatasetExporter() = default;
    virtual ExportFormat format() const = 0;
    /// The version of the written format, recorded in the provenance manifest.
    virtual QString formatVersion() const = 0;
    virtual Status write(const ExportContext& context) = 0;

    static std::unique_ptr<DatasetExporter> create(ExportFormat format);
};

} // namespace saccade
