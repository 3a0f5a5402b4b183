#include "core/media/videoencoder.h"

#include "core/media/ffmpeg.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>

namespace saccade {

namespace {

Error avError(const QString& path, int code, const QString& what) {
    const QString message = what + QStringLiteral(": ") + av::errorString(code);
    if (code == AVERROR_EXIT)
        return Error::cancelled();
    if (code == AVERROR(EACCES) || code == AVERROR(EPERM) || code == AVERROR(EROFS))
        return {ErrorCategory::AccessDenied, message, path};
    if (code == AVERROR(ENOENT) || code == AVERROR(ENOTDIR))
        return Error::notFound(path, message);
    if (code == AVERROR(EINVAL))
        return Error::invalidArgument(path + QStringLiteral(": ") + message);
    return Error::io(path, message);
}

int interruptCallback(void* opaque) {
    return static_cast<const CancellationToken*>(opaque)->isCancelled() ? 1 : 0;
}

// QImage layouts that swscale reads directly; everything else is converted to RGB888 first.
AVPixelFormat pixelFormatOf(QImage::Format format) {
    switch (format) {
    case QImage::Format_RGB888:
        return AV_PIX_FMT_RGB24;
    case QImage::Format_RGB32:
    case QImage::Format_ARGB32:
        // 0xAARRGGBB words: B, G, R, A in memory on little-endian machines.
        return Q_BYTE_ORDER == Q_LITTLE_ENDIAN ? AV_PIX_FMT_BGRA : AV_PIX_FMT_ARGB;
    case QImage::Format_RGBX8888:
    case QImage::Format_RGBA8888:
        return AV_PIX_FMT_RGBA;
    default:
        return AV_PIX_FMT_NONE;
    }
}

} // namespace

struct VideoEncoder::Private {
    QString path;
    QString partialPath;
    VideoEncoderOptions options;
    CancellationToken cancel;
    av::FormatOutputPtr format;
    av::CodecContextPtr codec;
    av::FramePtr frame;
    av::PacketPtr packet;
    av::SwsContextPtr sws;
    AVStream* stream = nullptr; // owned by `format`
    qint64 framesWritten = 0;

    Status fail(const Error& error) {
        abandon();
        return error;
    }

    // Drops every libav object and the partial file.
    void abandon() {
        sws.reset();
        frame.reset();
        packet.reset();
        codec.reset();
        format.reset();
        stream = nullptr;
        if (!partialPath.isEmpty())
            QFile::remove(partialPath);
        partialPath.clear();
    }

    Status sendFrame(const AVFrame* input) {
        int rc = avcodec_send_frame(codec.get(), input);
        if (rc < 0)
            return avError(path, rc, QStringLiteral("cannot encode a frame"));
        for (;;) {
            rc = avcodec_receive_packet(codec.get(), packet.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
                return {};
            if (rc < 0)
                return avError(path, rc, QStringLiteral("cannot encode a frame"));
            av_packet_rescale_ts(packet.get(), codec->time_base, stream->time_base);
            packet->stream_index = stream->index;
            rc = av_interleaved_write_frame(format.get(), packet.get());
            if (rc < 0)
                return avError(path, rc, QStringLiteral("cannot write to the file"));
        }
    }
};

VideoEncoder::VideoEncoder() : d(std::make_unique<Private>()) {}

VideoEncoder::~VideoEncoder() {
    if (d)
        d->abandon();
}

VideoEncoder::VideoEncoder(VideoEncoder&& other) noexcept = default;
VideoEncoder& VideoEncoder::operator=(VideoEncoder&& other) noexcept {
    if (this != &other) {
        if (d)
            d->abandon();
        d = std::move(other.d);
    }
    return *this;
}

bool VideoEncoder::isOpen() const {
    return d && d->codec != nullptr;
}

qint64 VideoEncoder::framesWritten() const {
    return d ? d->framesWritten : 0;
}

QString VideoEncoder::path() const {
    return d ? d->path : QString();
}

Status VideoEncoder::open(const QString& path, const VideoEncoderOptions& options,
                          const CancellationToken& cancel) {
    av::silenceLog();
    if (!d)
        d = std::make_unique<Private>();
    d->abandon();
    d->path = path;
    d->options = options;
    d->cancel = cancel;
    d->framesWritten = 0;

    if (options.width <= 0 || options.height <= 0)
        return Error::invalidArgument(QStringLiteral("%1: frame size %2x%3 is not valid")
                                          .arg(path)
                                          .arg(options.width)
                                          .arg(options.height));
    // yuv420p stores chroma per 2x2 block; H.264 refuses odd sizes.
    if (options.width % 2 != 0 || options.height % 2 != 0)
        return Error::invalidArgument(QStringLiteral("%1: frame size %2x%3 must be even for yuv420p")
                                          .arg(path)
                                          .arg(options.width)
                                          .arg(options.height));
    if (options.fpsNumerator <= 0 || options.fpsDenominator <= 0)
        return Error::invalidArgument(QStringLiteral("%1: frame rate %2/%3 is not valid")
                                          .arg(path)
                                          .arg(options.fpsNumerator)
                                          .arg(options.fpsDenominator));

    const AVCodec* encoder = avcodec_find_encoder_by_name(options.codecName.toUtf8().constData());
    if (!encoder || encoder->type != AVMEDIA_TYPE_VIDEO)
        return Error::unsupported(
            path, QStringLiteral("no video encoder named '%1' in this FFmpeg build").arg(options.codecName));

    const QByteArray targetName = QFile::encodeName(path);
    const QByteArray formatName = options.containerFormat.toUtf8();
    const AVOutputFormat* outputFormat = av_guess_format(
        formatName.isEmpty() ? nullptr : formatName.constData(), targetName.constData(), nullptr);
    if (!outputFormat)
        return Error::unsupported(
            path, options.containerFormat.isEmpty()
                      ? QStringLiteral("cannot tell the container from the file name")
                      : QStringLiteral("unknown container '%1'").arg(options.containerFormat));

    const QFileInfo target(path);
    d->partialPath =
        target.dir().filePath(QStringLiteral(".") + target.fileName() + QStringLiteral(".partial"));

    AVFormatContext* rawFormat = nullptr;
    int rc = avformat_alloc_output_context2(&rawFormat, outputFormat, nullptr,
                                            QFile::encodeName(d->partialPath).constData());
    if (rc < 0 || !rawFormat) {
        d->partialPath.clear();
        return avError(path, rc, QStringLiteral("cannot create the container"));
    }
    d->format.reset(rawFormat);
    d->format->interrupt_callback = {interruptCallback, &d->cancel};

    d->codec.reset(avcodec_alloc_context3(encoder));
    d->frame = av::makeFrame();
    d->packet = av::makePacket();
    if (!d->codec || !d->frame || !d->packet) {
        d->partialPath.clear();
        return d->fail(Error::io(path, QStringLiteral("out of memory")));
    }
    AVCodecContext* codec = d->codec.get();
    codec->width = options.width;
    codec->height = options.height;
    codec->pix_fmt = AV_PIX_FMT_YUV420P;
    codec->time_base = AVRational{options.fpsDenominator, options.fpsNumerator};
    codec->framerate = AVRational{options.fpsNumerator, options.fpsDenominator};
    codec->sample_aspect_ratio = AVRational{1, 1};
    // swscale converts with BT.601 limited-range coefficients; tag the stream so players agree.
    codec->colorspace = AVCOL_SPC_SMPTE170M;
    codec->color_range = AVCOL_RANGE_MPEG;
    codec->thread_count = options.threads;
    if (options.keyFrameInterval > 0)
        codec->gop_size = options.keyFrameInterval;
    if (d->format->oformat->flags & AVFMT_GLOBALHEADER)
        codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (codec->priv_data) {
        if (av_opt_find(codec->priv_data, "crf", nullptr, 0, 0))
            av_opt_set_double(codec->priv_data, "crf", options.crf, 0);
        if (!options.preset.isEmpty() && av_opt_find(codec->priv_data, "preset", nullptr, 0, 0)) {
            rc = av_opt_set(codec->priv_data, "preset", options.preset.toUtf8().constData(), 0);
            if (rc < 0) {
                d->partialPath.clear();
                return d->fail(Error::invalidArgument(
                    QStringLiteral("%1: unknown encoder preset '%2'").arg(path, options.preset)));
            }
        }
    }

    rc = avcodec_open2(codec, encoder, nullptr);
    if (rc < 0) {
        d->partialPath.clear();
        return d->fail(
            avError(path, rc, QStringLiteral("cannot open the %1 encoder").arg(options.codecName)));
    }

    d->stream = avformat_new_stream(d->format.get(), nullptr);
    if (!d->stream) {
        d->partialPath.clear();
        return d->fail(Error::io(path, QStringLiteral("cannot add a video stream")));
    }
    d->stream->time_base = codec->time_base;
    d->stream->avg_frame_rate = codec->framerate;
    d->stream->r_frame_rate = codec->framerate;
    rc = avcodec_parameters_from_context(d->stream->codecpar, codec);
    if (rc < 0) {
        d->partialPath.clear();
        return d->fail(avError(path, rc, QStringLiteral("cannot set the stream parameters")));
    }

    d->frame->format = codec->pix_fmt;
    d->frame->width = codec->width;
    d->frame->height = codec->height;
    rc = av_frame_get_buffer(d->frame.get(), 0);
    if (rc < 0) {
        d->partialPath.clear();
        return d->fail(avError(path, rc, QStringLiteral("cannot allocate a frame")));
    }

    if (!(d->format->oformat->flags & AVFMT_NOFILE)) {
        // Check the real target first: its folder decides whether the file can be created.
        const QFileInfo folder(target.absolutePath());
        if (!folder.exists()) {
            d->partialPath.clear();
            return d->fail(Error::notFound(path, QStringLiteral("the folder does not exist")));
        }
        if (target.exists() && !target.isWritable()) {
            d->partialPath.clear();
            return d->fail({ErrorCategory::AccessDenied, QStringLiteral("the file is not writable"), path});
        }
        rc = avio_open2(&d->format->pb, QFile::encodeName(d->partialPath).constData(), AVIO_FLAG_WRITE,
                        &d->format->interrupt_callback, nullptr);
        if (rc < 0) {
            d->partialPath.clear(); // nothing was created
            return d->fail(avError(path, rc, QStringLiteral("cannot create the file")));
        }
    }
    rc = avformat_write_header(d->format.get(), nullptr);
    if (rc < 0)
        return d->fail(avError(path, rc, QStringLiteral("cannot write the header")));
    return {};
}

Status VideoEncoder::writeFrame(const QImage& image) {
    if (!isOpen())
        return Error::invalidArgument(QStringLiteral("the video encoder is not open"));
    if (d->cancel.isCancelled())
        return d->fail(Error::cancelled());
    if (image.width() != d->options.width || image.height() != d->options.height)
        return Error::invalidArgument(QStringLiteral("%1: frame %2 is %3x%4, the video is %5x%6")
                                          .arg(d->path)
                                          .arg(d->framesWritten)
                                          .arg(image.width())
                                          .arg(image.height())
                                          .arg(d->options.width)
                                          .arg(d->options.height));

    QImage converted;
    const QImage* source = &image;
    AVPixelFormat sourceFormat = pixelFormatOf(image.format());
    if (sourceFormat == AV_PIX_FMT_NONE) {
        converted = image.convertToFormat(QImage::Format_RGB888);
        source = &converted;
        sourceFormat = AV_PIX_FMT_RGB24;
    }

    d->sws.reset(sws_getCachedContext(d->sws.release(), source->width(), source->height(), sourceFormat,
                                      d->options.width, d->options.height, AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                                      nullptr, nullptr, nullptr));
    if (!d->sws)
        return d->fail(Error::unsupported(d->path, QStringLiteral("cannot convert the frame to yuv420p")));

    // The encoder may still reference the previous frame's buffers.
    int rc = av_frame_make_writable(d->frame.get());
    if (rc < 0)
        return d->fail(avError(d->path, rc, QStringLiteral("cannot allocate a frame")));
    const uint8_t* sourcePlanes[1] = {source->constBits()};
    const int sourceStrides[1] = {static_cast<int>(source->bytesPerLine())};
    sws_scale(d->sws.get(), sourcePlanes, sourceStrides, 0, source->height(), d->frame->data,
              d->frame->linesize);
    d->frame->pts = d->framesWritten;

    Status sent = d->sendFrame(d->frame.get());
    if (!sent)
        return d->fail(sent.error());
    ++d->framesWritten;
    return {};
}

Status VideoEncoder::finish() {
    if (!isOpen())
        return Error::invalidArgument(QStringLiteral("the video encoder is not open"));
    if (d->cancel.isCancelled())
        return d->fail(Error::cancelled());
    if (d->framesWritten == 0)
        return d->fail(Error::invalidArgument(QStringLiteral("%1: no frames were written").arg(d->path)));

    Status flushed = d->sendFrame(nullptr);
    if (!flushed)
        return d->fail(flushed.error());
    int rc = av_write_trailer(d->format.get());
    if (rc < 0)
        return d->fail(avError(d->path, rc, QStringLiteral("cannot finish the file")));
    if (d->format->pb) {
        // Buffered data reaches the disk here; a full disk shows up as a close error.
        rc = avio_closep(&d->format->pb);
        if (rc < 0)
            return d->fail(avError(d->path, rc, QStringLiteral("cannot write to the file")));
    }
    d->format.reset();
    d->codec.reset();
    d->sws.reset();
    d->frame.reset();
    d->packet.reset();
    d->stream = nullptr;

    if (std::rename(QFile::encodeName(d->partialPath).constData(), QFile::encodeName(d->path).constData()) !=
        0) {
        const int code = errno;
        return d->fail(
            avError(d->path, AVERROR(code), QStringLiteral("cannot move the finished file into place")));
    }
    d->partialPath.clear();
    return {};
}

} // namespace saccade
