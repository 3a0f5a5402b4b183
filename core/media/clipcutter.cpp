#include "core/media/clipcutter.h"

#include "core/media/ffmpeg.h"
#include "core/media/frameconverter.h"
#include "core/media/mediasource.h"
#include "core/media/videodecoder.h"
#include "core/media/videoencoder.h"

#include <QFile>

#include <algorithm>
#include <cstring>

namespace saccade {

namespace {

Error libavError(const QString& path, const QString& what, int code) {
    if (code == AVERROR_EXIT)
        return Error::cancelled();
    return Error::io(path, QStringLiteral("%1: %2").arg(what, av::errorString(code)));
}

// Copies the stream's side data (display matrix and the like) so the clip shows the same way.
Status copySideData(const AVStream* from, AVStream* to, const QString& path) {
    for (int i = 0; i < from->nb_side_data; ++i) {
        const AVPacketSideData& data = from->side_data[i];
        uint8_t* copy = av_stream_new_side_data(to, data.type, data.size);
        if (!copy)
            return Error{ErrorCategory::Internal, QStringLiteral("out of memory"), path};
        std::memcpy(copy, data.data, data.size);
    }
    return {};
}

} // namespace

Status ClipCutter::cut(const ClipCutRequest& request, const CancellationToken& cancel) {
    if (request.startFrame < 0 || request.endFrame <= request.startFrame)
        return Error::invalidArgument(QStringLiteral("clip frames %1-%2 are not a valid range")
                                          .arg(request.startFrame)
                                          .arg(request.endFrame));
    Status result =
        request.mode == ClipCutMode::Reencode ? reencode(request, cancel) : streamCopy(request, cancel);
    if (!result)
        QFile::remove(request.outputPath);
    return result;
}

Status ClipCutter::streamCopy(const ClipCutRequest& request, const CancellationToken& cancel) {
    const QString& path = request.sourcePath;
    auto source = MediaSource::open(path, cancel);
    if (!source)
        return source.error();
    auto index = (*source)->scanFrameIndex();
    if (!index)
        return index.error();
    if (!index->isTimed())
        return Error::unsupported(path, QStringLiteral("the stream has no usable timestamps, so it cannot be "
                                                       "stream-copied; cut with re-encoding instead"));
    if (request.endFrame > index->frameCount())
        return Error::invalidArgument(QStringLiteral("clip ends at frame %1 but %2 has %3 frames")
                                          .arg(request.endFrame)
                                          .arg(path)
                                          .arg(index->frameCount()));
    AVFormatContext* input = (*source)->formatContext();
    const int streamIndex = (*source)->info().streamIndex;
    AVStream* inStream = input->streams[streamIndex];
    const qint64 keyFrame = index->keyFrameAtOrBefore(request.startFrame);
    const qint64 seekTimestamp = index->seekTimestampOf(keyFrame);
    int code = av_seek_frame(input, streamIndex, seekTimestamp, AVSEEK_FLAG_BACKWARD);
    if (code < 0)
        return libavError(path, QStringLiteral("cannot seek"), code);

    const QByteArray outputName = QFile::encodeName(request.outputPath);
    AVFormatContext* rawOutput = nullptr;
    code = avformat_alloc_output_context2(&rawOutput, nullptr, "mp4", outputName.constData());
    av::FormatOutputPtr output(rawOutput);
    if (code < 0 || !output)
        return libavError(request.outputPath, QStringLiteral("cannot create the clip"), code);
    AVStream* outStream = avformat_new_stream(output.get(), nullptr);
    if (!outStream)
        return Error{ErrorCategory::Internal, QStringLiteral("out of memory"), request.outputPath};
    code = avcodec_parameters_copy(outStream->codecpar, inStream->codecpar);
    if (code < 0)
        return libavError(request.outputPath, QStringLiteral("cannot copy the stream parameters"), code);
    // The source container's codec tag may mean nothing in MP4; let the muxer choose.
    outStream->codecpar->codec_tag = 0;
    outStream->time_base = inStream->time_base;
    outStream->avg_frame_rate = inStream->avg_frame_rate;
    Status sideData = copySideData(inStream, outStream, request.outputPath);
    if (!sideData)
        return sideData;
    code = avio_open(&output->pb, outputName.constData(), AVIO_FLAG_WRITE);
    if (code < 0)
        return libavError(request.outputPath, QStringLiteral("cannot write"), code);
    code = avformat_write_header(output.get(), nullptr);
    if (code < 0)
        return libavError(request.outputPath,
                          QStringLiteral("cannot start the clip (codec not allowed in MP4?)"), code);

    // Packets go out in decode order until every wanted frame is in and the frames taken form one
    // run; a B-frame needs its later reference, so a copy may run a frame or two past the end.
    const qint64 wanted = request.endFrame - keyFrame;
    qint64 taken = 0;
    qint64 takenWanted = 0;
    qint64 lastTaken = keyFrame - 1;
    av::PacketPtr packet = av::makePacket();
    while (takenWanted < wanted || taken != lastTaken - keyFrame + 1) {
        if (cancel.isCancelled())
            return Error::cancelled();
        code = av_read_frame(input, packet.get());
        if (code == AVERROR_EOF)
            break;
        if (code < 0)
            return libavError(path, QStringLiteral("read failed"), code);
        const bool ours = packet->stream_index == streamIndex && !(packet->flags & AV_PKT_FLAG_DISCARD);
        const qint64 frame = ours && packet->pts != AV_NOPTS_VALUE ? index->frameAt(packet->pts) : -1;
        // Leading frames of an open GOP (before the key frame) need the previous GOP: leave them out.
        if (frame < keyFrame) {
            av_packet_unref(packet.get());
            continue;
        }
        ++taken;
        takenWanted += frame < request.endFrame ? 1 : 0;
        lastTaken = std::max(lastTaken, frame);
        packet->pts -= seekTimestamp;
        if (packet->dts != AV_NOPTS_VALUE)
            packet->dts -= seekTimestamp;
        packet->stream_index = 0;
        packet->pos = -1;
        av_packet_rescale_ts(packet.get(), inStream->time_base, outStream->time_base);
        code = av_interleaved_write_frame(output.get(), packet.get());
        if (code < 0)
            return libavError(request.outputPath, QStringLiteral("write failed"), code);
    }
    code = av_write_trailer(output.get());
    if (code < 0)
        return libavError(request.outputPath, QStringLiteral("cannot finish the clip"), code);
    return {};
}

Status ClipCutter::reencode(const ClipCutRequest& request, const CancellationToken& cancel) {
    VideoDecoder::Options decoderOptions;
    decoderOptions.cancel = cancel;
    auto decoder = VideoDecoder::open(request.sourcePath, decoderOptions);
    if (!decoder)
        return decoder.error();
    auto count = (*decoder)->frameCount();
    if (!count)
        return count.error();
    if (request.endFrame > *count)
        return Error::invalidArgument(QStringLiteral("clip ends at frame %1 but %2 has %3 frames")
                                          .arg(request.endFrame)
                                          .arg(request.sourcePath)
                                          .arg(*count));
    const VideoInfo& info = (*decoder)->info();
    // yuv420p needs even sizes.
    QSize size = info.displaySize();
    size = QSize(std::max(2, size.width() & ~1), std::max(2, size.height() & ~1));
    VideoEncoderOptions options;
    options.width = size.width();
    options.height = size.height();
    const AVRational rate = av_d2q(info.fps > 0 ? info.fps : 25.0, 1000000);
    options.fpsNumerator = rate.num;
    options.fpsDenominator = rate.den;
    options.preset = QStringLiteral("veryfast");
    options.crf = 18;
    options.containerFormat = QStringLiteral("mp4");
    VideoEncoder encoder;
    Status opened = encoder.open(request.outputPath, options, cancel);
    if (!opened)
        return opened;
    FrameConverter converter;
    auto frame = (*decoder)->frameAt(request.startFrame);
    for (qint64 next = request.startFrame; next < request.endFrame; ++next) {
        if (cancel.isCancelled())
            return Error::cancelled();
        if (next > request.startFrame) {
            auto following = (*decoder)->nextFrame();
            if (!following)
                return following.error();
            if (!*following)
                return Error::invalidData(request.sourcePath,
                                          QStringLiteral("the video ends at frame %1").arg(next));
            frame = std::move(**following);
        }
        if (!frame)
            return frame.error();
        auto image = converter.toImageOfSize(*frame, size);
        if (!image)
            return image.error();
        Status written = encoder.writeFrame(*image);
        if (!written)
            return written;
    }
    return encoder.finish();
}

} // namespace saccade
