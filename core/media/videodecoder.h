#pragma once

#include "core/media/frameindex.h"
#include "core/media/videoframe.h"
#include "core/media/videoinfo.h"
#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <memory>
#include <optional>

namespace saccade {

/// Decodes one video file, frame-exactly by frame number (presentation order) and sequentially.
///
/// Random access seeks to the key frame before the wanted frame and decodes forward to it; requests
/// ahead of the current position inside the same GOP decode forward without seeking. The frame index
/// (one demux-only pass, see FrameIndex) is scanned on first need, or from open() on in the
/// background (Options::startBeforeIndex). Corrupt packets do not stop
/// decoding: frames the decoder could not produce are counted in lostFrameCount().
///
/// Thread affinity: none, but not thread-safe; use an instance from one thread at a time (a decode
/// worker or an inference worker each own theirs). Returned frames share buffers with nothing that
/// the decoder will change and may go to any thread. The token may be cancelled from any thread.
class VideoDecoder {
public:
    struct Options {
        /// Decoder threads (frame and slice threading); 0 lets FFmpeg pick from the core count.
        int threadCount = 0;
        CancellationToken cancel;
        /// Scan the index in the background from open() on, and meanwhile return the frames read on
        /// from the start numbered by counting (exact unless the stream's start is damaged, and
        /// renumbered by timestamp once the index exists). Playback uses this so that a long video
        /// shows and plays at once.
        bool startBeforeIndex = false;
    };

    /// Opens `path`; the errors are MediaSource::open's.
    static Result<std::unique_ptr<VideoDecoder>> open(const QString& path, const Options& options);
    static Result<std::unique_ptr<VideoDecoder>> open(const QString& path) { return open(path, Options()); }

    ~VideoDecoder();
    VideoDecoder(const VideoDecoder&) = delete;
    VideoDecoder& operator=(const VideoDecoder&) = delete;

    /// Stream parameters. frameCount becomes exact once the index exists (see frameCount()).
    const VideoInfo& info() const;
    /// True once the frame index is built, so frameCount() and frameAt() will not wait for the scan.
    bool isIndexReady() const;
    /// Exact number of frames; waits for the frame index.
    Result<qint64> frameCount();
    /// The frame index (waits for it).
    Result<const FrameIndex*> frameIndex();

    /// Frame `index` (0-based, presentation order). An index outside [0, frameCount) is an
    /// InvalidArgument error naming the file; a frame lost to corruption is InvalidData.
    Result<VideoFrame> frameAt(qint64 index);
    /// The frame after the one returned last (frame 0 first); std::nullopt at the end of the stream.
    /// Frames lost to corruption are skipped and counted.
    Result<std::optional<VideoFrame>> nextFrame();

    /// Frames lost to damage: those the decoder produced nothing for while decoding on, plus the
    /// estimate of frames missing from the stream itself (FrameIndex::gapFrameCount()).
    qint64 lostFrameCount() const;
    /// Frames the decoder produced nothing for (numbers in presentation order), so far.
    qint64 undecodableFrameCount() const;
    /// Frames the decoder returned with concealed errors.
    qint64 damagedFrameCount() const;
    /// Packets the decoder rejected as invalid.
    qint64 rejectedPacketCount() const;

private:
    VideoDecoder();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace saccade
