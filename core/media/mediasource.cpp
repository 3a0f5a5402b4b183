#include "core/media/mediasource.h"

#include "core/media/ffmpeg.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

int interruptCallback(void* opaque) {
    return static_cast<const CancellationToken*>(opaque)->isCancelled() ? 1 : 0;
}

Error openError(const QString& path, int code) {
    if (code == AVERROR_EXIT)
        return Error::cancelled();
    if (code == AVERROR(ENOENT))
        return Error::notFound(path, QStringLiteral("file not found"));
    if (code == AVERROR(EACCES))
        return {ErrorCategory::AccessDenied, QStringLiteral("permission denied"), path};
    if (code == AVERROR_INVALIDDATA)
        return Error::invalidData(
            path, QStringLiteral("not a readable media file (%1)").arg(av::errorString(code)));
    if (code == AVERROR_EOF)
        return Error::invalidData(path, QStringLiteral("the file ends before any media data"));
    return Error::io(path, QStringLiteral("cannot open: %1").arg(av::errorString(code)));
}

int rotationOf(const AVStream* stream) {
    size_t size = 0;
    const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!matrix || size < 9 * sizeof(int32_t))
        return 0;
    const double counterClockwise = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
    if (std::isnan(counterClockwise))
        return 0;
    // The display matrix turns counter-clockwise; report the clockwise turn, snapped to quarter turns.
    const long quarter = std::lround(-counterClockwise / 90.0);
    return int(((quarter % 4) + 4) % 4) * 90;
}

double toSeconds(qint64 value, AVRational base) {
    return double(value) * av_q2d(base);
}

} // namespace

struct MediaSource::Private {
    av::FormatInputPtr format;
};

bool MediaSource::isRecoverableReadError(AVFormatContext* format, int code, int& consecutiveFailures) {
    constexpr int kMaxConsecutiveFailures = 64;
    if (code == AVERROR_EOF || code == AVERROR_EXIT || (format->pb && avio_feof(format->pb)))
        return false;
    return ++consecutiveFailures <= kMaxConsecutiveFailures;
}

MediaSource::MediaSource() : d(std::make_unique<Private>()) {}

MediaSource::~MediaSource() = default;

AVFormatContext* MediaSource::formatContext() const {
    return d->format.get();
}

Result<std::unique_ptr<MediaSource>> MediaSource::open(const QString& path, const CancellationToken& cancel) {
    av::silenceLog();
    const QFileInfo file(path);
    if (!file.exists())
        return Error::notFound(path, QStringLiteral("file not found"));
    if (file.isDir())
        return Error{ErrorCategory::InvalidArgument, QStringLiteral("is a directory, not a video file"),
                     path};
    // A FIFO or device would block the open until a writer appears (and ignore SIGTERM meanwhile).
    if (!file.isFile())
        return Error{ErrorCategory::InvalidArgument, QStringLiteral("is not a regular file"), path};
    if (!file.isReadable())
        return Error{ErrorCategory::AccessDenied, QStringLiteral("permission denied"), path};
    if (file.size() == 0)
        return Error::invalidData(path, QStringLiteral("file is empty"));

    std::unique_ptr<MediaSource> source(new MediaSource);
    source->m_cancel = std::make_unique<CancellationToken>(cancel);
    AVFormatContext* raw = avformat_alloc_context();
    if (!raw)
        return Error{ErrorCategory::Internal, QStringLiteral("out of memory"), path};
    raw->interrupt_callback.callback = interruptCallback;
    raw->interrupt_callback.opaque = source->m_cancel.get();
    // avformat_open_input frees the context when it fails.
    int code = avformat_open_input(&raw, QFile::encodeName(path).constData(), nullptr, nullptr);
    if (code < 0)
        return openError(path, code);
    source->d->format.reset(raw);
    AVFormatContext* format = raw;

    code = avformat_find_stream_info(format, nullptr);
    if (code < 0)
        return code == AVERROR_EXIT
                   ? Error::cancelled()
                   : Error::invalidData(
                         path,
                         QStringLiteral("cannot read stream parameters (%1)").arg(av::errorString(code)));

    int best = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (best >= 0 && (format->streams[best]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        best = -1;
    for (unsigned i = 0; best < 0 && i < format->nb_streams; ++i) {
        const AVStream* stream = format->streams[i];
        if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            !(stream->disposition & AV_DISPOSITION_ATTACHED_PIC))
            best = int(i);
    }
    if (best < 0 && format->nb_streams == 0)
        return Error::invalidData(path, QStringLiteral("the file holds no streams (no video)"));
    if (best < 0)
        return Error::unsupported(
            path, QStringLiteral("no video stream (only %1 audio, subtitle or data stream(s))")
                      .arg(format->nb_streams));
    for (unsigned i = 0; i < format->nb_streams; ++i)
        format->streams[i]->discard = int(i) == best ? AVDISCARD_DEFAULT : AVDISCARD_ALL;

    AVStream* stream = format->streams[best];
    const AVCodecParameters* parameters = stream->codecpar;
    if (parameters->codec_id == AV_CODEC_ID_NONE)
        return Error::unsupported(path, QStringLiteral("the video codec is unknown to FFmpeg"));
    if (!avcodec_find_decoder(parameters->codec_id))
        return Error::unsupported(path, QStringLiteral("no decoder for video codec '%1'")
                                            .arg(QString::fromUtf8(avcodec_get_name(parameters->codec_id))));
    if (parameters->width <= 0 || parameters->height <= 0)
        return Error::invalidData(path, QStringLiteral("video stream has no picture size"));

    VideoInfo& info = source->m_info;
    info.path = path;
    info.streamIndex = best;
    info.container = QString::fromUtf8(format->iformat->name);
    info.codec = QString::fromUtf8(avcodec_get_name(parameters->codec_id));
    info.width = parameters->width;
    info.height = parameters->height;
    const AVRational sar = av_guess_sample_aspect_ratio(format, stream, nullptr);
    if (sar.num > 0 && sar.den > 0) {
        info.sampleAspectNum = sar.num;
        info.sampleAspectDen = sar.den;
    }
    info.rotationDegrees = rotationOf(stream);
    const AVRational rate = stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate
                                                           : av_guess_frame_rate(format, stream, nullptr);
    info.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0.0;
    info.timeBaseNum = stream->time_base.num;
    info.timeBaseDen = stream->time_base.den;
    if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
        info.durationSeconds = toSeconds(stream->duration, stream->time_base);
    else if (format->duration != AV_NOPTS_VALUE && format->duration > 0)
        info.durationSeconds = double(format->duration) / AV_TIME_BASE;
    const auto pixelFormat = AVPixelFormat(parameters->format);
    if (const AVPixFmtDescriptor* descriptor = av_pix_fmt_desc_get(pixelFormat)) {
        info.pixelFormat = QString::fromUtf8(descriptor->name);
        info.bitDepth = descriptor->comp[0].depth;
    }
    // Both come from the file: an estimate that is not a sane number of frames is left unknown (0).
    const double estimate = info.durationSeconds * info.fps;
    info.frameCount = stream->nb_frames > 0 ? stream->nb_frames
                      : std::isfinite(estimate) && estimate > 0 && estimate < 1e15
                          ? qint64(std::llround(estimate))
                          : 0;
    info.frameCountExact = false;
    return source;
}

Result<VideoInfo> MediaSource::probe(const QString& path, ProbeDepth depth, const CancellationToken& cancel) {
    auto source = open(path, cancel);
    if (!source)
        return source.error();
    VideoInfo info = (*source)->info();
    if (depth == ProbeDepth::CountPackets) {
        auto index = (*source)->scanFrameIndex();
        if (!index)
            return index.error();
        info.frameCount = index->frameCount();
        info.frameCountExact = true;
    }
    return info;
}

Result<FrameIndex> MediaSource::scanFrameIndex() {
    AVFormatContext* format = d->format.get();
    av::PacketPtr packet = av::makePacket();
    if (!packet)
        return Error{ErrorCategory::Internal, QStringLiteral("out of memory"), m_info.path};
    std::vector<FrameIndex::Packet> packets;
    // The declared count comes from the file (an stts of 2^31-1 samples); every packet takes at least
    // a byte of the file, and past a million entries the vector may as well grow as packets arrive.
    const qint64 plausible =
        std::min<qint64>({m_info.frameCount, QFileInfo(m_info.path).size(), qint64(1) << 20});
    if (plausible > 0)
        packets.reserve(size_t(plausible) + 16);
    int failures = 0;
    for (;;) {
        if (m_cancel->isCancelled())
            return Error::cancelled();
        const int code = av_read_frame(format, packet.get());
        if (code == AVERROR_EXIT)
            return Error::cancelled();
        if (code < 0) {
            if (!isRecoverableReadError(format, code, failures))
                break;
            continue;
        }
        failures = 0;
        if (packet->stream_index == m_info.streamIndex && !(packet->flags & AV_PKT_FLAG_DISCARD)) {
            FrameIndex::Packet entry;
            entry.pts = packet->pts == AV_NOPTS_VALUE ? FrameIndex::kNoTimestamp : packet->pts;
            entry.dts = packet->dts == AV_NOPTS_VALUE ? FrameIndex::kNoTimestamp : packet->dts;
            entry.keyFrame = packet->flags & AV_PKT_FLAG_KEY;
            packets.push_back(entry);
        }
        av_packet_unref(packet.get());
    }
    return FrameIndex::build(packets);
}

} // namespace saccade
