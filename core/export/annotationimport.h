#pragma once

#include "core/export/exportmanifest.h"
#include "core/export/importedannotations.h"
#include "core/util/result.h"

namespace saccade {

class ProjectDocument;
struct VideoEntry;

struct ImportOptions {
    /// Labels the project lacks are appended to its label set; otherwise they are an error.
    bool addUnknownLabels = true;
    /// The export's manifest, when it lies beside the file: segments it records (same video, label and
    /// frames) get back their state, source and confidence.
    const ExportManifest* manifest = nullptr;
};

struct ImportSummary {
    int videos = 0;
    int segments = 0;
    /// Segments whose state and source came from the manifest.
    int restored = 0;
    QStringList addedLabels;
};

/// Puts imported annotations into a document: every segment is converted (seconds to frames with the
/// video's fps) and checked first, then everything is applied as one undo step, so a bad file changes
/// nothing. Videos are matched by id and must already be in the project. Document's thread.
class AnnotationImport {
public:
    static Result<ImportSummary> apply(const ImportedAnnotations& annotations, ProjectDocument& document,
                                       const ImportOptions& options = {});
    /// The project segment for `imported` in `video` (new id), or an error naming the file and location.
    static Result<Segment> toSegment(const ImportedSegment& imported, const VideoEntry& video,
                                     const QString& path);
};

} // namespace saccade
