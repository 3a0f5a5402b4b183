#include "commands.h"

#include "core/media/videodecoder.h"
#include "core/util/percentile.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace saccade::cli {

namespace {

struct OpenTimes {
    double firstFrameMs = 0.0;
    /// From opening until the frame index is ready (the exact count, frame-exact seeking).
    double indexMs = 0.0;
};

// Opens `path` and reads frame 0 the way the player does (without waiting for the frame index) or
// the way it did before (index first), then waits for the index.
Result<OpenTimes> timeOpen(const QString& path, bool startBeforeIndex, const CancellationToken& cancel) {
    VideoDecoder::Options options;
    options.cancel = cancel;
    options.startBeforeIndex = startBeforeIndex;
    QElapsedTimer timer;
    timer.start();
    auto decoder = VideoDecoder::open(path, options);
    if (!decoder)
        return decoder.error();
    OpenTimes times;
    if (startBeforeIndex) {
        auto first = (*decoder)->nextFrame();
        if (!first)
            return first.error();
    } else {
        auto first = (*decoder)->frameAt(0);
        if (!first)
            return first.error();
    }
    times.firstFrameMs = timer.nsecsElapsed() / 1e6;
    if (auto count = (*decoder)->frameCount(); !count)
        return count.error();
    times.indexMs = timer.nsecsElapsed() / 1e6;
    return times;
}

} // namespace

int runBenchOpen(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Time from opening a video to its first decoded frame, as the player opens it "
                       "(frame index scanned in the background) and with the index built first (the "
                       "baseline), in interleaved rounds; also the time until the index is ready."));
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("The video file."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption({QStringLiteral("rounds"),
                      QStringLiteral("Rounds of each way, interleaved; the median counts (default 3)."),
                      QStringLiteral("N"), QStringLiteral("3")});
    if (!parseArguments(parser, QStringLiteral("bench open"), context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    if (parser.positionalArguments().size() != 1)
        return reportUsage(QStringLiteral("bench open"), QStringLiteral("expected exactly one VIDEO"));
    const QString path = parser.positionalArguments().constFirst();
    bool roundsOk = false;
    const int rounds = parser.value(QStringLiteral("rounds")).toInt(&roundsOk);
    if (!roundsOk || rounds < 1)
        return reportUsage(QStringLiteral("bench open"),
                           QStringLiteral("--rounds must be a positive number"));

    std::vector<double> playerFirst, playerIndex, baselineFirst;
    for (int round = 0; round < rounds; ++round) {
        auto player = timeOpen(path, true, context.cancel);
        if (!player)
            return reportError(player.error());
        auto baseline = timeOpen(path, false, context.cancel);
        if (!baseline)
            return reportError(baseline.error());
        playerFirst.push_back(player->firstFrameMs);
        playerIndex.push_back(player->indexMs);
        baselineFirst.push_back(baseline->firstFrameMs);
    }
    const double first = percentile(playerFirst, 0.5);
    const double index = percentile(playerIndex, 0.5);
    const double baseline = percentile(baselineFirst, 0.5);
    const double speedup = first > 0 ? baseline / first : 0.0;

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject json;
        json[QStringLiteral("path")] = path;
        json[QStringLiteral("rounds")] = rounds;
        json[QStringLiteral("first_frame_ms")] = first;
        json[QStringLiteral("index_ready_ms")] = index;
        json[QStringLiteral("baseline_first_frame_ms")] = baseline;
        json[QStringLiteral("speedup")] = speedup;
        printJson(QJsonDocument(json));
        return kExitOk;
    }
    printLine(QStringLiteral("%1 (median of %2 interleaved rounds)").arg(path).arg(rounds));
    printLine(QStringLiteral("  first frame:               %1 ms").arg(first, 0, 'f', 1));
    printLine(QStringLiteral("  frame index ready:         %1 ms").arg(index, 0, 'f', 1));
    printLine(QStringLiteral("  baseline (index first):    %1 ms, %2x slower")
                  .arg(baseline, 0, 'f', 1)
                  .arg(speedup, 0, 'f', 1));
    return kExitOk;
}

} // namespace saccade::cli
