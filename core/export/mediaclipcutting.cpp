#include "core/export/mediaclipcutting.h"

#include "core/media/clipcutter.h"

namespace saccade {

Status cutClipWithMediaEngine(const ClipRequest& request, const CancellationToken& cancel) {
    ClipCutRequest cut;
    cut.sourcePath = request.sourcePath;
    cut.startFrame = request.startFrame;
    cut.endFrame = request.endFrame;
    cut.outputPath = request.outputPath;
    cut.mode = request.mode == ClipMode::Reencode ? ClipCutMode::Reencode : ClipCutMode::StreamCopy;
    return ClipCutter::cut(cut, cancel);
}

} // namespace saccade
