#pragma once

#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <QString>

namespace saccade {

/// How a clip is cut.
enum class ClipCutMode {
    /// Remux the compressed packets: fast and lossless, but a clip can only start on a key frame, so it
    /// starts at the key frame at or before the requested start; with B-frames it may also end a frame
    /// or two late, where a wanted frame's later reference frame is kept.
    StreamCopy = 1,
    /// Decode and encode again (H.264, MP4): frame-exact, slower, lossy.
    Reencode,
};

/// Frames [startFrame, endFrame) (0-based, presentation order) of `sourcePath` into the MP4 file
/// `outputPath` (written as MP4 whatever its extension; video only).
struct ClipCutRequest {
    QString sourcePath;
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    QString outputPath;
    ClipCutMode mode = ClipCutMode::StreamCopy;
};

/// Cuts clips out of videos. Stateless; call from a worker thread. On any error or cancellation the
/// output file is removed; errors name the file and the problem.
class ClipCutter {
public:
    static Status cut(const ClipCutRequest& request, const CancellationToken& cancel = {});

private:
    static Status streamCopy(const ClipCutRequest& request, const CancellationToken& cancel);
    static Status reencode(const ClipCutRequest& request, const CancellationToken& cancel);
};

} // namespace saccade
