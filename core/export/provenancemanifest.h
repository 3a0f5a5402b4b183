#pragma once

#include "core/annotation/projectdata.h"
#include "core/export/exportoptions.h"

#include <QByteArray>
#include <QStringList>

namespace saccade {

/// The `saccade-export.json` written with every export: exporter format and version, label map,
/// source videos (path, content hash, fps, frame count, split), each exported segment with its frames,
/// seconds, state, whether a person confirmed or edited it, its origin, model hash and confidence, the
/// model hashes involved, and the files the export wrote.
class ProvenanceManifest {
public:
    static inline const QString kFileName = QStringLiteral("saccade-export.json");
    static constexpr int kManifestVersion = 1;

    static QByteArray build(const ProjectData& project, const ExportOptions& options,
                            const QString& formatVersion, const QStringList& files);
};

} // namespace saccade
