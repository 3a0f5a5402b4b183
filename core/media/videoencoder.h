#pragma once

#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <QImage>
#include <QString>

#include <memory>

namespace saccade {

/// How a VideoEncoder writes its stream. The defaults give H.264 (libx264) in the container the file
/// extension names (MP4 for .mp4), yuv420p, CRF 23.
struct VideoEncoderOptions {
    int width = 0;
    int height = 0;
    /// Frame rate as a rational, e.g. 30000/1001.
    int fpsNumerator = 30;
    int fpsDenominator = 1;
    /// libav encoder name (`libx264`, `mpeg4`, ...).
    QString codecName = QStringLiteral("libx264");
    /// Constant rate factor (x264/x265 quality, lower is better); ignored by encoders without it.
    int crf = 23;
    /// x264 speed preset (`ultrafast` ... `veryslow`); empty keeps the encoder's default.
    QString preset = QStringLiteral("medium");
    /// Distance between key frames in frames; 0 keeps the encoder's default.
    int keyFrameInterval = 0;
    /// Encoder threads; 0 lets the encoder choose.
    int threads = 0;
    /// Container short name (`mp4`, `matroska`); empty guesses it from the file name.
    QString containerFormat;
};

/// Encodes a sequence of RGB frames (QImage) into a video file.
///
/// Usage: open(), writeFrame() for each frame in order, finish(). The file is written under a temporary
/// name beside the target and renamed into place by finish(), so a failed or abandoned encode (error,
/// cancellation, destruction before finish) leaves nothing behind. Not thread-safe: use one encoder
/// from one thread at a time; it may be moved to another thread between calls. Owns every libav object.
class VideoEncoder {
public:
    VideoEncoder();
    ~VideoEncoder();
    VideoEncoder(VideoEncoder&& other) noexcept;
    VideoEncoder& operator=(VideoEncoder&& other) noexcept;
    VideoEncoder(const VideoEncoder&) = delete;
    VideoEncoder& operator=(const VideoEncoder&) = delete;

    /// Creates the output. `cancel` is polled by writeFrame() and by libav's I/O.
    Status open(const QString& path, const VideoEncoderOptions& options,
                const CancellationToken& cancel = CancellationToken());

    /// Encodes one frame. Any QImage format is accepted; its size must equal the options' size.
    Status writeFrame(const QImage& image);

    /// Flushes the encoder, writes the trailer and moves the file into place.
    Status finish();

    bool isOpen() const;
    /// Frames accepted by writeFrame() so far.
    qint64 framesWritten() const;
    QString path() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace saccade
