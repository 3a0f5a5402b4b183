#pragma once

#include "core/export/datasetexporter.h"

namespace saccade {

/// Training lists for PySlowFast / TimeSformer code: `train.csv`, `val.csv`, `test.csv` (no header,
/// `PATH LABEL_INDEX` per line, one space) and `labels.txt` (one class per line, line n = index n).
/// Every segment becomes a clip `clips/{id}_{start:06d}_{end:06d}.mp4` cut from its source; PATH is
/// relative to the export folder (set the loader's PATH_PREFIX to it). Video ids never contain spaces,
/// so paths never do. Videos without a split are left out; when no video has one, the export fails.
class SlowFastExporter : public DatasetExporter {
public:
    ExportFormat format() const override { return ExportFormat::SlowFast; }
    QString formatVersion() const override { return QStringLiteral("pyslowfast-kinetics-csv"); }
    Status write(const ExportContext& context) override;
};

} // namespace saccade
