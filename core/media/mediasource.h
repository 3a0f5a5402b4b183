#pragma once

#include "core/media/frameindex.h"
#include "core/media/videoinfo.h"
#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <memory>

struct AVFormatContext;

namespace saccade {

/// How much work a probe may do to learn the frame count.
enum class ProbeDepth {
    /// Header only: the frame count is the container's own count or duration * fps (not exact).
    Header = 1,
    /// Also one demux-only pass over the video packets (no decoding), which makes the count exact.
    /// It reads the file once, at disk speed; decoding would cost far more.
    CountPackets,
};

/// An opened container with its best video stream selected (the demuxer side of decoding).
/// Owns its AVFormatContext. Not thread-safe: use one instance from one thread at a time; the
/// cancellation token may be set from any thread and interrupts blocking FFmpeg I/O.
class MediaSource {
public:
    /// Opens `path` and finds its video stream. Errors name the file: not found, access denied,
    /// a directory, empty, not a media file, no video stream, no decoder for the codec.
    static Result<std::unique_ptr<MediaSource>> open(const QString& path,
                                                     const CancellationToken& cancel = {});
    /// Opens, reads the stream parameters and, with ProbeDepth::CountPackets, counts frames exactly.
    static Result<VideoInfo> probe(const QString& path, ProbeDepth depth = ProbeDepth::CountPackets,
                                   const CancellationToken& cancel = {});

    ~MediaSource();
    MediaSource(const MediaSource&) = delete;
    MediaSource& operator=(const MediaSource&) = delete;

    const VideoInfo& info() const { return m_info; }
    /// Reads every packet of the video stream from the current position to the end (demux only)
    /// and returns their timestamps in presentation order. Leaves the source at the end of file.
    Result<FrameIndex> scanFrameIndex();

    /// For the decoder and encoder code in core/media: the demuxer, owned by this object.
    AVFormatContext* formatContext() const;
    const CancellationToken& cancellationToken() const { return *m_cancel; }
    /// For readers in core/media: whether an av_read_frame failure is damage the demuxer may
    /// resynchronise past (read on) rather than the end of the input. Counts consecutive failures
    /// and gives up after a bound, so damaged input cannot loop forever.
    static bool isRecoverableReadError(AVFormatContext* format, int code, int& consecutiveFailures);

private:
    MediaSource();

    struct Private;
    std::unique_ptr<Private> d;
    // Heap-held so FFmpeg's interrupt callback keeps a stable pointer to it.
    std::unique_ptr<CancellationToken> m_cancel;
    VideoInfo m_info;
};

} // namespace saccade
