#pragma once

#include "core/annotation/videoentry.h"
#include "core/export/datasetexporter.h"

#include <vector>

namespace saccade {

/// The segments of `video` an export writes, ordered by start, end, label: accepted and edited ones,
/// proposals too when `includeProposals`, never rejected ones. Overlapping segments are all written.
std::vector<Segment> exportedSegments(const VideoEntry& video, bool includeProposals);

/// Seconds with millisecond precision and no trailing zeros ("40", "1.5", "0.033").
QString formatSeconds(double seconds);

/// A CSV field: quoted (with doubled quotes) when it holds a comma, quote, space or line break.
QString csvField(const QString& value);

/// `{id}_{start:06d}_{end:06d}.mp4` with the segment's start and (exclusive) end frames.
QString clipFileName(const QString& videoId, const Segment& segment);

/// Cuts `segment` of `video` into the staged file `relativePath` with the options' clip mode and cutter,
/// unless that file is already staged (segments with the same frames share one clip).
Status cutClip(const ExportContext& context, const VideoEntry& video, const Segment& segment,
               const QString& relativePath);

} // namespace saccade
