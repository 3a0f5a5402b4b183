#include "core/export/datasetexport.h"

#include "core/export/datasetexporter.h"
#include "core/export/exportsupport.h"
#include "core/export/provenancemanifest.h"
#include "core/export/stagedoutput.h"

#include <algorithm>

namespace saccade {

Result<ExportSummary> DatasetExport::run(const ProjectData& project, const ExportOptions& options,
                                         const CancellationToken& cancel,
                                         const std::function<void(double)>& progress) {
    if (options.outputDirectory.isEmpty())
        return Error::invalidArgument(QStringLiteral("no output folder given"));
    const bool needsClips = options.format == ExportFormat::SlowFast || options.clipMode != ClipMode::None;
    if (needsClips && !options.cutClip)
        return Error::unsupported({}, QStringLiteral("clip cutting is not available in this build"));
    std::unique_ptr<DatasetExporter> exporter = DatasetExporter::create(options.format);
    StagedOutput output(options.outputDirectory);
    output.setCapacityBytes(options.capacityBytes);
    Status prepared = output.prepare();
    if (!prepared)
        return prepared.error();
    auto report = [&](double fraction) {
        if (progress)
            progress(std::clamp(fraction, 0.0, 1.0) * 0.99);
    };
    ExportSummary summary;
    ExportContext context{project, options, output, cancel, report};
    context.warn = [&summary](const QString& line) {
        summary.warnings << line;
    };
    context.note = [&summary](const QString& line) {
        summary.notes << line;
    };
    Status written = exporter->write(context);
    if (!written)
        return written.error();
    if (cancel.isCancelled())
        return Error::cancelled();
    QStringList files = output.stagedFiles();
    files << ProvenanceManifest::kFileName;
    written = output.writeFile(ProvenanceManifest::kFileName,
                               ProvenanceManifest::build(project, options, exporter->formatVersion(), files));
    if (!written)
        return written.error();
    Status committed = output.commit();
    if (!committed)
        return committed.error();
    if (progress)
        progress(1.0);
    summary.outputDirectory = options.outputDirectory;
    summary.files = output.committedFiles();
    for (const VideoEntry& video : project.videos)
        summary.segments += static_cast<int>(exportedSegments(video, options.includeProposals).size());
    return summary;
}

} // namespace saccade
