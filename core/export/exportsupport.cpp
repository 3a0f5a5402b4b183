#include "core/export/exportsupport.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace saccade {

std::vector<Segment> exportedSegments(const VideoEntry& video, bool includeProposals) {
    std::vector<Segment> result;
    for (const Segment& segment : video.segments) {
        const bool confirmed =
            segment.state == SegmentState::Accepted || segment.state == SegmentState::Edited;
        if (confirmed || (includeProposals && segment.state == SegmentState::Proposed))
            result.push_back(segment);
    }
    std::stable_sort(result.begin(), result.end(), [](const Segment& a, const Segment& b) {
        return std::tie(a.startFrame, a.endFrame, a.label) < std::tie(b.startFrame, b.endFrame, b.label);
    });
    return result;
}

QString formatSeconds(double seconds) {
    const double rounded = std::round(seconds * 1000.0) / 1000.0;
    QString text = QString::number(rounded, 'f', 3);
    while (text.endsWith(QLatin1Char('0')))
        text.chop(1);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text == QLatin1String("-0") ? QStringLiteral("0") : text;
}

QString csvField(const QString& value) {
    static const QString kSpecial = QStringLiteral(",\" \r\n");
    const bool quote = std::any_of(value.begin(), value.end(), [](QChar c) { return kSpecial.contains(c); });
    if (!quote)
        return value;
    QString escaped = value;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QString clipFileName(const QString& videoId, const Segment& segment) {
    return QStringLiteral("%1_%2_%3.mp4")
        .arg(videoId)
        .arg(segment.startFrame, 6, 10, QLatin1Char('0'))
        .arg(segment.endFrame, 6, 10, QLatin1Char('0'));
}

Status cutClip(const ExportContext& context, const VideoEntry& video, const Segment& segment,
               const QString& relativePath) {
    if (context.output.isStaged(relativePath))
        return {};
    if (!context.options.cutClip)
        return Error::unsupported({}, QStringLiteral("clip cutting is not available in this build"));
    if (video.missing)
        return Error::notFound(
            video.path,
            QStringLiteral("video '%1' is missing; relink it before cutting clips").arg(video.id));
    auto temporary = context.output.stagePath(relativePath);
    if (!temporary)
        return temporary.error();
    ClipRequest request;
    request.sourcePath = video.path;
    request.startFrame = segment.startFrame;
    request.endFrame = segment.endFrame;
    request.fps = video.probe.fps;
    request.outputPath = *temporary;
    request.mode = context.options.clipMode == ClipMode::None ? ClipMode::Reencode : context.options.clipMode;
    return context.options.cutClip(request, context.cancel);
}

} // namespace saccade
