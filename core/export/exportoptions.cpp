#include "core/export/exportoptions.h"

namespace saccade {

QString exportFormatName(ExportFormat format) {
    switch (format) {
    case ExportFormat::Kinetics:
        return QStringLiteral("kinetics");
    case ExportFormat::SlowFast:
        return QStringLiteral("slowfast");
    case ExportFormat::ActivityNet:
        return QStringLiteral("activitynet");
    case ExportFormat::Cvat:
        return QStringLiteral("cvat");
    case ExportFormat::LabelStudio:
        return QStringLiteral("labelstudio");
    case ExportFormat::Ava:
        return QStringLiteral("ava");
    }
    return {};
}

std::optional<ExportFormat> exportFormatFromName(const QString& name) {
    for (ExportFormat format : {ExportFormat::Kinetics, ExportFormat::SlowFast, ExportFormat::ActivityNet,
                                ExportFormat::Cvat, ExportFormat::LabelStudio, ExportFormat::Ava}) {
        if (exportFormatName(format) == name)
            return format;
    }
    return std::nullopt;
}

QString clipModeName(ClipMode mode) {
    switch (mode) {
    case ClipMode::None:
        return QStringLiteral("none");
    case ClipMode::Copy:
        return QStringLiteral("copy");
    case ClipMode::Reencode:
        return QStringLiteral("reencode");
    }
    return {};
}

std::optional<ClipMode> clipModeFromName(const QString& name) {
    for (ClipMode mode : {ClipMode::None, ClipMode::Copy, ClipMode::Reencode}) {
        if (clipModeName(mode) == name)
            return mode;
    }
    return std::nullopt;
}

} // namespace saccade
