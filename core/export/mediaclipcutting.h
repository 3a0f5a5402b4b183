#pragma once

#include "core/export/exportoptions.h"

namespace saccade {

/// Cuts one clip with the media engine (ClipCutter): stream copy from the key frame at or before the start,
/// or a frame-exact re-encode. This is the ExportOptions::cutClip the programs use; tests inject their own.
Status cutClipWithMediaEngine(const ClipRequest& request, const CancellationToken& cancel);

} // namespace saccade
