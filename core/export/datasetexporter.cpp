#include "core/export/datasetexporter.h"

#include "core/export/activitynetexporter.h"
#include "core/export/avaexporter.h"
#include "core/export/cvatexporter.h"
#include "core/export/kineticsexporter.h"
#include "core/export/labelstudioexporter.h"
#include "core/export/slowfastexporter.h"

namespace saccade {

std::unique_ptr<DatasetExporter> DatasetExporter::create(ExportFormat format) {
    switch (format) {
    case ExportFormat::Kinetics:
        return std::make_unique<KineticsExporter>();
    case ExportFormat::SlowFast:
        return std::make_unique<SlowFastExporter>();
    case ExportFormat::ActivityNet:
        return std::make_unique<ActivityNetExporter>();
    case ExportFormat::Cvat:
        return std::make_unique<CvatExporter>();
    case ExportFormat::LabelStudio:
        return std::make_unique<LabelStudioExporter>();
    case ExportFormat::Ava:
        return std::make_unique<AvaExporter>();
    }
    return nullptr;
}

} // namespace saccade
