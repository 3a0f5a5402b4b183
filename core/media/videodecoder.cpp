#include "core/media/videodecoder.h"

#include "core/media/ffmpeg.h"
#include "core/media/mediasource.h"

#include <chrono>
#include <future>
#include <set>

namespace saccade {

namespace {

// Bounds on consecutive failures, so damaged input ends decoding instead of spinning.
constexpr int kMaxConsecutiveDecodeErrors = 64;

enum class Outcome { Found, Overshot, EndOfStream };

} // namespace

struct VideoDecoder::Private {
    QString path;
    Options options;
    VideoInfo info;
    std::unique_ptr<MediaSource> source;
    av::CodecContextPtr codec;
    av::PacketPtr packet = av::makePacket();
    av::FramePtr frame = av::makeFrame();
    std::optional<FrameIndex> index;
    // The index scan runs on a thread of its own, with its own token so that closing the decoder
    // can stop it.
    std::future<Result<FrameIndex>> scan;
    CancellationToken scanCancel;
    AVRational timeBase{0, 1};

    // Frame number of the last picture the decoder produced; meaningful while positionKnown, i.e.
    // while decoding runs on without a gap from the start or from a picture found in the index.
    qint64 lastDecoded = -1;
    bool positionKnown = true;
    bool drained = false;
    // `packet` holds a packet read while checking a seek, not yet sent to the decoder.
    bool pendingPacket = false;
    // While running up to a wanted frame, pictures before this pts that no other picture references
    // are not decoded at all (and their absence is not loss).
    qint64 skipBeforePts = FrameIndex::kNoTimestamp;
    qint64 lastReturned = -1;

    std::set<qint64> lost;
    qint64 damaged = 0;
    qint64 rejected = 0;

    ~Private();

    Status openStream();
    void startIndexScan();
    /// Takes the scanned index if the scan has finished; never waits.
    Status adoptFinishedScan();
    /// Waits for the index (the user's token still cancels the wait).
    Status ensureIndex();
    void adoptIndex(FrameIndex scanned);
    /// True while the decoder's next picture follows the frame returned last. Without an index this
    /// can only be a run from the start of the stream, so frames can then be numbered by counting.
    bool atLastReturned() const { return positionKnown && lastDecoded == lastReturned; }
    Status seekToKeyFrame(qint64 keyFrame);
    /// Seeks backward to `timestamp` and reads the first video packet into `packet` (kept pending).
    Result<bool> seekAndPeek(qint64 timestamp);
    Result<bool> decodeOne();
    qint64 placeDecoded();
    Result<Outcome> decodeUntil(qint64 target, VideoFrame& out);
    /// decodeUntil, skipping the decoding of unreferenced pictures before the target.
    Result<Outcome> runUpTo(qint64 target, VideoFrame& out);
    VideoFrame takeFrame(qint64 frameIndex);
    /// The next picture, numbered by counting (no index yet; see atLastReturned()).
    Result<std::optional<VideoFrame>> nextFrameByCount();
    Error lostError(qint64 frameIndex) const {
        return Error::invalidData(path, QStringLiteral("frame %1 could not be decoded").arg(frameIndex));
    }
};

Status VideoDecoder::Private::openStream() {
    auto opened = MediaSource::open(path, options.cancel);
    if (!opened)
        return opened.error();
    source = std::move(*opened);
    const AVStream* stream = source->formatContext()->streams[source->info().streamIndex];
    timeBase = stream->time_base;
    const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
    codec.reset(avcodec_alloc_context3(decoder));
    if (!codec)
        return Error{ErrorCategory::Internal, QStringLiteral("out of memory"), path};
    int code = avcodec_parameters_to_context(codec.get(), stream->codecpar);
    if (code < 0)
        return Error::invalidData(path,
                                  QStringLiteral("bad codec parameters (%1)").arg(av::errorString(code)));
    codec->pkt_timebase = stream->time_base;
    codec->thread_count = options.threadCount;
    codec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    code = avcodec_open2(codec.get(), decoder, nullptr);
    if (code < 0)
        return Error::unsupported(path, QStringLiteral("cannot open the %1 decoder (%2)")
                                            .arg(QString::fromUtf8(decoder->name), av::errorString(code)));
    lastDecoded = -1;
    positionKnown = true;
    drained = false;
    pendingPacket = false;
    av_packet_unref(packet.get());
    return {};
}

VideoDecoder::Private::~Private() {
    scanCancel.cancel();
    if (scan.valid())
        scan.wait();
}

void VideoDecoder::Private::startIndexScan() {
    // A separate demuxer scans, so the decoding one keeps its position.
    scan = std::async(std::launch::async, [path = path, cancel = scanCancel]() -> Result<FrameIndex> {
        auto scanner = MediaSource::open(path, cancel);
        if (!scanner)
            return scanner.error();
        return (*scanner)->scanFrameIndex();
    });
}

void VideoDecoder::Private::adoptIndex(FrameIndex scanned) {
    index = std::move(scanned);
    info.frameCount = index->frameCount();
    info.frameCountExact = true;
}

Status VideoDecoder::Private::adoptFinishedScan() {
    if (index || !scan.valid() || scan.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return {};
    Result<FrameIndex> scanned = scan.get();
    if (!scanned)
        return scanned.error();
    adoptIndex(std::move(*scanned));
    return {};
}

Status VideoDecoder::Private::ensureIndex() {
    if (index)
        return {};
    if (!scan.valid())
        startIndexScan();
    while (scan.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
        if (options.cancel.isCancelled()) {
            scanCancel.cancel();
            scan.wait();
            scan = {};
            return Error::cancelled();
        }
    }
    return adoptFinishedScan();
}

Result<bool> VideoDecoder::Private::seekAndPeek(qint64 timestamp) {
    AVFormatContext* format = source->formatContext();
    pendingPacket = false;
    av_packet_unref(packet.get());
    if (av_seek_frame(format, info.streamIndex, timestamp, AVSEEK_FLAG_BACKWARD) < 0)
        return false;
    int failures = 0;
    for (;;) {
        if (options.cancel.isCancelled())
            return Error::cancelled();
        const int code = av_read_frame(format, packet.get());
        if (code == AVERROR_EXIT)
            return Error::cancelled();
        if (code < 0) {
            if (MediaSource::isRecoverableReadError(format, code, failures))
                continue;
            return false;
        }
        if (packet->stream_index == info.streamIndex) {
            pendingPacket = true;
            return true;
        }
        av_packet_unref(packet.get());
    }
}

Status VideoDecoder::Private::seekToKeyFrame(qint64 keyFrame) {
    // Demuxers differ in which time they index key frames by (pts, dts, or dts shifted by an edit
    // list), so a backward seek may land on an earlier key frame. Try the key frame's pts, then its
    // dts, check where each lands, and settle for the closest landing that is not past the key frame.
    const qint64 keyPts = index->timestampOf(keyFrame);
    const qint64 candidates[] = {keyPts, index->seekTimestampOf(keyFrame)};
    qint64 best = FrameIndex::kNoTimestamp;
    qint64 bestLanding = FrameIndex::kNoTimestamp;
    for (qint64 candidate : candidates) {
        auto landed = seekAndPeek(candidate);
        if (!landed)
            return landed.error();
        if (!*landed || packet->pts == AV_NOPTS_VALUE || packet->pts > keyPts)
            continue;
        if (packet->pts == keyPts) {
            best = candidate;
            bestLanding = keyPts;
            break;
        }
        if (bestLanding == FrameIndex::kNoTimestamp || packet->pts > bestLanding) {
            best = candidate;
            bestLanding = packet->pts;
        }
    }
    if (best == FrameIndex::kNoTimestamp)
        return openStream();
    if (bestLanding != keyPts || packet->pts != keyPts) {
        auto landed = seekAndPeek(best);
        if (!landed)
            return landed.error();
        if (!*landed)
            return openStream();
    }
    avcodec_flush_buffers(codec.get());
    positionKnown = false;
    lastDecoded = -1;
    drained = false;
    return {};
}

Result<bool> VideoDecoder::Private::decodeOne() {
    int failures = 0;
    int readFailures = 0;
    for (;;) {
        if (options.cancel.isCancelled())
            return Error::cancelled();
        int code = avcodec_receive_frame(codec.get(), frame.get());
        if (code == 0)
            return true;
        if (code == AVERROR_EOF)
            return false;
        if (code != AVERROR(EAGAIN)) {
            ++rejected;
            if (++failures > kMaxConsecutiveDecodeErrors)
                return false;
            continue;
        }
        if (drained)
            return false;
        if (pendingPacket) {
            // The packet a seek peeked at is the first one to decode.
            pendingPacket = false;
            code = 0;
        } else {
            code = av_read_frame(source->formatContext(), packet.get());
        }
        if (code == AVERROR_EXIT)
            return Error::cancelled();
        if (code < 0 && MediaSource::isRecoverableReadError(source->formatContext(), code, readFailures))
            continue;
        if (code < 0) {
            // End of file (or damage the demuxer cannot get past): flush the pictures still queued.
            avcodec_send_packet(codec.get(), nullptr);
            drained = true;
            continue;
        }
        if (packet->stream_index == info.streamIndex) {
            if (skipBeforePts != FrameIndex::kNoTimestamp) {
                const bool early = packet->pts != AV_NOPTS_VALUE && packet->pts < skipBeforePts;
                codec->skip_frame = early ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
            }
            code = avcodec_send_packet(codec.get(), packet.get());
            if (code < 0 && code != AVERROR(EAGAIN)) {
                ++rejected;
                if (++failures > kMaxConsecutiveDecodeErrors) {
                    av_packet_unref(packet.get());
                    return false;
                }
            }
        }
        av_packet_unref(packet.get());
    }
}

qint64 VideoDecoder::Private::placeDecoded() {
    if (!index) {
        // Counting from the start of the stream (see atLastReturned()).
        if (!positionKnown)
            return -1;
        return ++lastDecoded;
    }
    qint64 placed = -1;
    if (index->isTimed())
        placed = index->frameAt(frame->best_effort_timestamp);
    if (placed < 0 && positionKnown)
        placed = lastDecoded + 1;
    if (placed < 0 || placed >= index->frameCount())
        return -1;
    if (positionKnown) {
        if (placed <= lastDecoded)
            return -1;
        for (qint64 missing = lastDecoded + 1; missing < placed && skipBeforePts == FrameIndex::kNoTimestamp;
             ++missing)
            lost.insert(missing);
    }
    positionKnown = true;
    lastDecoded = placed;
    return placed;
}

VideoFrame VideoDecoder::Private::takeFrame(qint64 frameIndex) {
    VideoFrame out;
    out.index = frameIndex;
    const qint64 timestamp = frame->best_effort_timestamp;
    out.ptsSeconds = timestamp != AV_NOPTS_VALUE ? double(timestamp) * av_q2d(timeBase)
                     : info.fps > 0              ? double(frameIndex) / info.fps
                                                 : 0.0;
    out.rotationDegrees = info.rotationDegrees;
    AVFormatContext* format = source->formatContext();
    const AVRational sar =
        av_guess_sample_aspect_ratio(format, format->streams[info.streamIndex], frame.get());
    out.sampleAspectRatio = sar.num > 0 && sar.den > 0 ? av_q2d(sar) : 1.0;
    out.damaged = frame->decode_error_flags != 0 || (frame->flags & AV_FRAME_FLAG_CORRUPT);
    if (out.damaged)
        ++damaged;
    out.planes = std::shared_ptr<const AVFrame>(av_frame_clone(frame.get()), av::FrameDeleter());
    av_frame_unref(frame.get());
    return out;
}

Result<Outcome> VideoDecoder::Private::decodeUntil(qint64 target, VideoFrame& out) {
    for (;;) {
        auto decoded = decodeOne();
        if (!decoded)
            return decoded.error();
        if (!*decoded) {
            if (index && positionKnown && skipBeforePts == FrameIndex::kNoTimestamp) {
                for (qint64 missing = lastDecoded + 1; missing < index->frameCount(); ++missing)
                    lost.insert(missing);
            }
            return Outcome::EndOfStream;
        }
        const qint64 placed = placeDecoded();
        if (placed < 0 || placed < target) {
            av_frame_unref(frame.get());
            continue;
        }
        out = takeFrame(placed);
        return placed == target ? Outcome::Found : Outcome::Overshot;
    }
}

Result<Outcome> VideoDecoder::Private::runUpTo(qint64 target, VideoFrame& out) {
    skipBeforePts = index->timestampOf(target);
    auto outcome = decodeUntil(target, out);
    skipBeforePts = FrameIndex::kNoTimestamp;
    codec->skip_frame = AVDISCARD_DEFAULT;
    return outcome;
}

VideoDecoder::VideoDecoder() : d(std::make_unique<Private>()) {}

VideoDecoder::~VideoDecoder() = default;

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::open(const QString& path, const Options& options) {
    std::unique_ptr<VideoDecoder> decoder(new VideoDecoder);
    decoder->d->path = path;
    decoder->d->options = options;
    if (!decoder->d->packet || !decoder->d->frame)
        return Error{ErrorCategory::Internal, QStringLiteral("out of memory"), path};
    if (Status opened = decoder->d->openStream(); !opened)
        return opened.error();
    decoder->d->info = decoder->d->source->info();
    if (options.startBeforeIndex)
        decoder->d->startIndexScan();
    return decoder;
}

const VideoInfo& VideoDecoder::info() const {
    return d->info;
}

Result<qint64> VideoDecoder::frameCount() {
    if (Status built = d->ensureIndex(); !built)
        return built.error();
    return d->index->frameCount();
}

Result<const FrameIndex*> VideoDecoder::frameIndex() {
    if (Status built = d->ensureIndex(); !built)
        return built.error();
    return &*d->index;
}

Result<VideoFrame> VideoDecoder::frameAt(qint64 target) {
    if (Status built = d->ensureIndex(); !built)
        return built.error();
    const qint64 count = d->index->frameCount();
    if (target < 0 || target >= count)
        return Error{
            ErrorCategory::InvalidArgument,
            QStringLiteral("frame %1 is beyond the end (the video has %2 frames)").arg(target).arg(count),
            d->path};
    const bool timed = d->index->isTimed();
    VideoFrame out;
    // Ahead in the same GOP (or in a stream that can only be read forward): keep decoding.
    const bool forward = d->positionKnown && target > d->lastDecoded &&
                         (!timed || d->index->keyFrameAtOrBefore(target) <= d->lastDecoded + 1);
    if (forward) {
        auto outcome = d->runUpTo(target, out);
        if (!outcome)
            return outcome.error();
        if (*outcome == Outcome::Found) {
            d->lastReturned = target;
            return out;
        }
        if (!timed)
            return d->lostError(target);
    }
    if (!timed) {
        if (Status reopened = d->openStream(); !reopened)
            return reopened.error();
        auto outcome = d->decodeUntil(target, out);
        if (!outcome)
            return outcome.error();
        if (*outcome != Outcome::Found)
            return d->lostError(target);
        d->lastReturned = target;
        return out;
    }
    // Seek to the key frame before the target; when decoding from there misses it (open GOPs,
    // demuxers that land late), step back one key frame at a time, finally to the start.
    qint64 keyFrame = d->index->keyFrameAtOrBefore(target);
    for (;;) {
        Status sought = keyFrame >= 0 ? d->seekToKeyFrame(keyFrame) : d->openStream();
        if (!sought)
            return sought.error();
        auto outcome = d->runUpTo(target, out);
        if (!outcome)
            return outcome.error();
        if (*outcome == Outcome::Found) {
            d->lastReturned = target;
            return out;
        }
        if (keyFrame < 0)
            return d->lostError(target);
        keyFrame = d->index->keyFrameBefore(keyFrame);
    }
}

Result<std::optional<VideoFrame>> VideoDecoder::nextFrame() {
    if (Status adopted = d->adoptFinishedScan(); !adopted)
        return adopted.error();
    if (!d->index && d->options.startBeforeIndex && d->atLastReturned())
        return d->nextFrameByCount();
    if (Status built = d->ensureIndex(); !built)
        return built.error();
    const qint64 target = d->lastReturned + 1;
    if (target >= d->index->frameCount())
        return std::optional<VideoFrame>();
    if (!d->atLastReturned()) {
        if (d->index->isTimed()) {
            if (Status sought = d->seekToKeyFrame(d->index->keyFrameAtOrBefore(target)); !sought)
                return sought.error();
        } else if (Status reopened = d->openStream(); !reopened) {
            return reopened.error();
        }
    }
    VideoFrame out;
    auto outcome = d->decodeUntil(target, out);
    if (!outcome)
        return outcome.error();
    if (*outcome == Outcome::EndOfStream) {
        d->lastReturned = d->index->frameCount() - 1;
        return std::optional<VideoFrame>();
    }
    d->lastReturned = out.index;
    return std::optional<VideoFrame>(std::move(out));
}

Result<std::optional<VideoFrame>> VideoDecoder::Private::nextFrameByCount() {
    auto decoded = decodeOne();
    if (!decoded)
        return decoded.error();
    if (!*decoded)
        return std::optional<VideoFrame>();
    const qint64 placed = placeDecoded();
    lastReturned = placed;
    return std::optional<VideoFrame>(takeFrame(placed));
}

bool VideoDecoder::isIndexReady() const {
    return d->index.has_value() ||
           (d->scan.valid() && d->scan.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
}

qint64 VideoDecoder::lostFrameCount() const {
    return qint64(d->lost.size()) + (d->index ? d->index->gapFrameCount() : 0);
}

qint64 VideoDecoder::undecodableFrameCount() const {
    return qint64(d->lost.size());
}

qint64 VideoDecoder::damagedFrameCount() const {
    return d->damaged;
}

qint64 VideoDecoder::rejectedPacketCount() const {
    return d->rejected;
}

} // namespace saccade
