#include "commands.h"

#include "core/media/frameconverter.h"
#include "core/media/videodecoder.h"
#include "core/util/percentile.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

#include <sys/resource.h>

#include <algorithm>
#include <optional>
#include <random>

namespace saccade::cli {

namespace {

constexpr int kShortSide = 224;

struct DecodeRun {
    qint64 frames = 0;
    double seconds = 0.0;
    qint64 lost = 0;
};

// Decodes every frame and scales it to kShortSide on the short side, as a playback or analysis pass does.
Result<DecodeRun> decodeAll(const QString& path, const CancellationToken& cancel) {
    VideoDecoder::Options options;
    options.cancel = cancel;
    auto decoder = VideoDecoder::open(path, options);
    if (!decoder)
        return decoder.error();
    FrameConverter converter;
    const QSize target = FrameConverter::scaledToShortSide((*decoder)->info().displaySize(), kShortSide);
    DecodeRun run;
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        auto frame = (*decoder)->nextFrame();
        if (!frame)
            return frame.error();
        if (!frame->has_value())
            break;
        auto image = converter.toImageOfSize(**frame, target);
        if (!image)
            return image.error();
        ++run.frames;
    }
    run.seconds = timer.nsecsElapsed() / 1e9;
    run.lost = (*decoder)->lostFrameCount();
    return run;
}

// The same work done by the ffmpeg program; a negative time when it is missing or fails.
double timeFfmpeg(const QString& path) {
    const QString program = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
    if (program.isEmpty())
        return -1.0;
    QProcess process;
    QElapsedTimer timer;
    timer.start();
    process.start(program, {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                            QStringLiteral("error"), QStringLiteral("-nostdin"), QStringLiteral("-i"), path,
                            QStringLiteral("-vf"), QStringLiteral("scale=-2:%1").arg(kShortSide),
                            QStringLiteral("-f"), QStringLiteral("null"), QStringLiteral("-")});
    if (!process.waitForFinished(-1) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0)
        return -1.0;
    return timer.nsecsElapsed() / 1e9;
}

double peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

} // namespace

int runBenchDecode(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Decode a whole video scaled to 224 on the short side and compare with the ffmpeg program; measure "
        "frame-exact random seek latency and peak memory."));
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("The video file."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption(
        {QStringLiteral("rounds"),
         QStringLiteral("Decode passes of each program, interleaved; the fastest counts (default 2)."),
         QStringLiteral("N"), QStringLiteral("2")});
    parser.addOption({QStringLiteral("seeks"), QStringLiteral("Random frames to seek to (default 50)."),
                      QStringLiteral("N"), QStringLiteral("50")});
    if (!parseArguments(parser, QStringLiteral("bench decode"), context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    if (parser.positionalArguments().size() != 1)
        return reportUsage(QStringLiteral("bench decode"), QStringLiteral("expected exactly one VIDEO"));
    bool seeksOk = false;
    const int seekCount = parser.value(QStringLiteral("seeks")).toInt(&seeksOk);
    if (!seeksOk || seekCount < 0)
        return reportUsage(QStringLiteral("bench decode"), QStringLiteral("--seeks needs a count"));
    bool roundsOk = false;
    const int rounds = parser.value(QStringLiteral("rounds")).toInt(&roundsOk);
    if (!roundsOk || rounds < 1)
        return reportUsage(QStringLiteral("bench decode"),
                           QStringLiteral("--rounds needs a count of at least 1"));
    const QString path = parser.positionalArguments().constFirst();

    // Interleaved passes, so both programs see the same (shared, noisy) machine.
    std::optional<DecodeRun> run;
    double ffmpegSeconds = -1.0;
    for (int round = 0; round < rounds; ++round) {
        const auto pass = decodeAll(path, context.cancel);
        if (!pass)
            return reportError(pass.error());
        if (!run || pass->seconds < run->seconds)
            run = *pass;
        const double ffmpegPass = timeFfmpeg(path);
        if (ffmpegPass > 0 && (ffmpegSeconds < 0 || ffmpegPass < ffmpegSeconds))
            ffmpegSeconds = ffmpegPass;
    }
    const double rssAfterDecodeMb = peakRssMb();

    VideoDecoder::Options options;
    options.cancel = context.cancel;
    auto decoder = VideoDecoder::open(path, options);
    if (!decoder)
        return reportError(decoder.error());
    auto index = (*decoder)->frameIndex();
    if (!index)
        return reportError(index.error());
    const qint64 frameCount = (*index)->frameCount();
    const qint64 gop = std::min(frameCount, (*index)->longestGop());

    // Baseline for seeks: decoding the longest GOP from its key frame on a fresh decoder.
    double gopMs = 0.0;
    {
        auto fresh = VideoDecoder::open(path, options);
        if (!fresh)
            return reportError(fresh.error());
        if (auto built = (*fresh)->frameIndex(); !built)
            return reportError(built.error());
        QElapsedTimer timer;
        timer.start();
        for (qint64 i = 0; i < gop; ++i) {
            auto frame = (*fresh)->nextFrame();
            if (!frame)
                return reportError(frame.error());
        }
        gopMs = timer.nsecsElapsed() / 1e6;
    }

    std::vector<double> seekMs;
    std::mt19937_64 random(20210209);
    std::uniform_int_distribution<qint64> pick(0, std::max<qint64>(frameCount - 1, 0));
    for (int i = 0; i < seekCount && frameCount > 0; ++i) {
        QElapsedTimer timer;
        timer.start();
        auto frame = (*decoder)->frameAt(pick(random));
        if (!frame)
            return reportError(frame.error());
        seekMs.push_back(timer.nsecsElapsed() / 1e6);
    }

    const double ourFps = run->seconds > 0 ? run->frames / run->seconds : 0.0;
    const double ffmpegFps = ffmpegSeconds > 0 ? run->frames / ffmpegSeconds : 0.0;
    const double ratio = ffmpegFps > 0 ? ourFps / ffmpegFps : 0.0;
    const double p50 = percentile(seekMs, 0.50);
    const double p95 = percentile(seekMs, 0.95);
    const double peakMb = peakRssMb();

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject json;
        json[QStringLiteral("path")] = path;
        json[QStringLiteral("frames")] = run->frames;
        json[QStringLiteral("lost_frames")] = run->lost;
        json[QStringLiteral("decode_s")] = run->seconds;
        json[QStringLiteral("decode_fps")] = ourFps;
        json[QStringLiteral("ffmpeg_s")] = ffmpegSeconds;
        json[QStringLiteral("ffmpeg_fps")] = ffmpegFps;
        json[QStringLiteral("ratio_vs_ffmpeg")] = ratio;
        json[QStringLiteral("rounds")] = rounds;
        json[QStringLiteral("seeks")] = int(seekMs.size());
        json[QStringLiteral("seek_p50_ms")] = p50;
        json[QStringLiteral("seek_p95_ms")] = p95;
        json[QStringLiteral("longest_gop_frames")] = gop;
        json[QStringLiteral("gop_decode_ms")] = gopMs;
        json[QStringLiteral("peak_rss_after_decode_mb")] = rssAfterDecodeMb;
        json[QStringLiteral("peak_rss_mb")] = peakMb;
        printJson(QJsonDocument(json));
        return kExitOk;
    }
    printLine(QStringLiteral("%1: %2 frames").arg(path).arg(run->frames));
    printLine(QStringLiteral("  decode + scale to %1: %2 fps (%3 s)")
                  .arg(kShortSide)
                  .arg(ourFps, 0, 'f', 1)
                  .arg(run->seconds, 0, 'f', 2));
    if (ffmpegSeconds > 0)
        printLine(QStringLiteral("  ffmpeg CLI, same work: %1 fps (%2 s), ratio %3")
                      .arg(ffmpegFps, 0, 'f', 1)
                      .arg(ffmpegSeconds, 0, 'f', 2)
                      .arg(ratio, 0, 'f', 2));
    else
        printLine(QStringLiteral("  ffmpeg CLI: not available"));
    printLine(QStringLiteral(
                  "  random seek (%1 frames): p50 %2 ms, p95 %3 ms; longest GOP (%4 frames) decodes in %5 ms")
                  .arg(seekMs.size())
                  .arg(p50, 0, 'f', 1)
                  .arg(p95, 0, 'f', 1)
                  .arg(gop)
                  .arg(gopMs, 0, 'f', 1));
    printLine(QStringLiteral("  peak RSS: %1 MB after full decode, %2 MB overall")
                  .arg(rssAfterDecodeMb, 0, 'f', 1)
                  .arg(peakMb, 0, 'f', 1));
    return kExitOk;
}

} // namespace saccade::cli
