#include "commands.h"

#include "core/inference/analysiscache.h"
#include "core/inference/clipanalyzer.h"
#include "core/inference/inferenceworker.h"
#include "core/util/percentile.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace saccade::cli {

namespace {

// Windows spread evenly over the video, at most `count`.
std::vector<ClipWindow> spreadWindows(const std::vector<ClipWindow>& windows, int count) {
    std::vector<ClipWindow> chosen;
    const int available = static_cast<int>(windows.size());
    const int taken = std::min(count, available);
    for (int i = 0; i < taken; ++i)
        chosen.push_back(windows[size_t(qint64(i) * available / taken)]);
    return chosen;
}

qint64 storedBytes(const FloatArray& array) {
    return qint64(array.values.size() * sizeof(float));
}

void addCommonOptions(QCommandLineParser& parser) {
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Checkpoint file, HF directory, 'demo' or random:PRESET "
                                                "(fresh weights of base, hr, l or demo)."));
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("Video file."));
    parser.addOption({QStringLiteral("windows"), QStringLiteral("Windows to time (default 3)."),
                      QStringLiteral("N"), QStringLiteral("3")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Intra-op threads (default: all cores)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
}

} // namespace

int runBenchPipeline(CliContext& context) {
    const QString command = QStringLiteral("bench pipeline");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Seconds per window end to end (decode, preprocess, forward with attention capture, "
        "attention summaries), against the forward pass alone on the same clips, interleaved."));
    addCommonOptions(parser);
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    const QStringList positional = parser.positionalArguments();
    bool ok = false;
    const int windowCount = parser.value(QStringLiteral("windows")).toInt(&ok);
    if (positional.size() != 2 || !ok || windowCount < 1)
        return reportUsage(command, QStringLiteral("expected MODEL, VIDEO and a positive --windows"));
    if (parser.isSet(QStringLiteral("threads")))
        TimeSformerModel::setThreadCount(parser.value(QStringLiteral("threads")).toInt());

    Result<std::unique_ptr<ClipAnalyzer>> loaded = ClipAnalyzer::load(positional[0], {}, context.cancel);
    if (!loaded.ok())
        return reportError(loaded.error());
    ClipAnalyzer& analyzer = *loaded.value();
    Result<AnalysisVideo> video = openAnalysisVideo(positional[1], context.cancel);
    if (!video.ok())
        return reportError(video.error());
    VideoDecoder& decoder = *video->decoder;
    const std::vector<ClipWindow> windows =
        spreadWindows(analyzer.windows(video->frameCount, video->fps, 0), windowCount);

    // The baseline gets its clips from a preprocessor of its own, outside its timing.
    ClipPreprocessor preprocessor(analyzer.preset());
    Result<PreparedClip> warmClip = preprocessor.prepare(decoder, windows.front().frames, context.cancel);
    if (!warmClip.ok())
        return reportError(warmClip.error());
    if (Result<ForwardResult> warm = analyzer.model().forward(warmClip->input, true); !warm.ok())
        return reportError(warm.error());

    WindowTimings sum;
    double forwardOnly = 0.0;
    qint64 summaryBytes = 0;
    qint64 entryBytes = 0;
    for (const ClipWindow& window : windows) {
        if (context.cancel.isCancelled())
            return reportError(Error::cancelled());
        Result<PreparedClip> clip = preprocessor.prepare(decoder, window.frames, context.cancel);
        if (!clip.ok())
            return reportError(clip.error());
        QElapsedTimer timer;
        timer.start();
        Result<ForwardResult> alone = analyzer.model().forward(clip->input, false);
        forwardOnly += timer.nsecsElapsed() * 1e-9;
        if (!alone.ok())
            return reportError(alone.error());
        Result<WindowResult> result = analyzer.analyse(decoder, window.frames, context.cancel);
        if (!result.ok())
            return reportError(result.error());
        sum.decodeS += result->timings.decodeS;
        sum.preprocessS += result->timings.preprocessS;
        sum.forwardS += result->timings.forwardS;
        sum.attentionS += result->timings.attentionS;
        sum.totalS += result->timings.totalS;
        summaryBytes =
            storedBytes(result->spatial) + storedBytes(result->temporal) + storedBytes(result->rollout);
        entryBytes = AnalysisCache::serialize(result.value()).size();
    }
    const double n = static_cast<double>(windows.size());
    const double ratio = forwardOnly > 0.0 ? sum.totalS / forwardOnly : 0.0;
    const TimeSformerConfig& config = analyzer.model().config();
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(QJsonDocument(QJsonObject{
            {QStringLiteral("model"), positional[0]},
            {QStringLiteral("video"), positional[1]},
            {QStringLiteral("attention_type"), attentionTypeName(config.attentionType)},
            {QStringLiteral("frames"), analyzer.preset().numFrames},
            {QStringLiteral("image_size"), analyzer.preset().cropSize},
            {QStringLiteral("threads"), TimeSformerModel::threadCount()},
            {QStringLiteral("windows"), int(windows.size())},
            {QStringLiteral("decode_s"), sum.decodeS / n},
            {QStringLiteral("preprocess_s"), sum.preprocessS / n},
            {QStringLiteral("forward_s"), sum.forwardS / n},
            {QStringLiteral("attention_s"), sum.attentionS / n},
            {QStringLiteral("total_s"), sum.totalS / n},
            {QStringLiteral("forward_only_s"), forwardOnly / n},
            {QStringLiteral("total_vs_forward_only"), ratio},
            {QStringLiteral("attention_summary_bytes"), summaryBytes},
            {QStringLiteral("cache_entry_bytes"), entryBytes},
        }));
        return kExitOk;
    }
    printLine(QStringLiteral("%1 windows of %2 (%3, %4 threads), seconds per window:")
                  .arg(windows.size())
                  .arg(positional[0], attentionTypeName(config.attentionType))
                  .arg(TimeSformerModel::threadCount()));
    printLine(QStringLiteral("  decode %1  preprocess %2  forward %3  attention %4  total %5")
                  .arg(sum.decodeS / n, 0, 'f', 3)
                  .arg(sum.preprocessS / n, 0, 'f', 3)
                  .arg(sum.forwardS / n, 0, 'f', 3)
                  .arg(sum.attentionS / n, 0, 'f', 3)
                  .arg(sum.totalS / n, 0, 'f', 3));
    printLine(QStringLiteral("  forward alone %1  total / forward alone %2")
                  .arg(forwardOnly / n, 0, 'f', 3)
                  .arg(ratio, 0, 'f', 3));
    printLine(QStringLiteral("  stored attention per window: %1 MB (cache entry %2 MB)")
                  .arg(summaryBytes / 1e6, 0, 'f', 2)
                  .arg(entryBytes / 1e6, 0, 'f', 2));
    return kExitOk;
}

int runBenchResponsiveness(CliContext& context) {
    const QString command = QStringLiteral("bench responsiveness");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Lateness of a 10 ms timer on the main thread while the inference worker analyses a "
                       "video, against the same timer with the worker idle."));
    addCommonOptions(parser);
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    const QStringList positional = parser.positionalArguments();
    bool ok = false;
    const int windowCount = parser.value(QStringLiteral("windows")).toInt(&ok);
    if (positional.size() != 2 || !ok || windowCount < 1)
        return reportUsage(command, QStringLiteral("expected MODEL, VIDEO and a positive --windows"));
    if (parser.isSet(QStringLiteral("threads")))
        TimeSformerModel::setThreadCount(parser.value(QStringLiteral("threads")).toInt());

    constexpr int kIntervalMs = 10;
    InferenceWorker worker;
    QEventLoop loop;
    std::optional<Error> failure;
    int windowsDone = 0;
    QObject::connect(&worker, &InferenceWorker::modelFailed, &loop, [&](quint64, const Error& error) {
        failure = error;
        loop.quit();
    });
    QObject::connect(&worker, &InferenceWorker::analysisFailed, &loop, [&](quint64, const Error& error) {
        failure = error;
        loop.quit();
    });
    QObject::connect(&worker, &InferenceWorker::modelLoaded, &loop, [&] { loop.quit(); });
    QObject::connect(&worker, &InferenceWorker::analysisFinished, &loop, [&] { loop.quit(); });
    QObject::connect(&worker, &InferenceWorker::windowReady, &loop, [&] {
        if (++windowsDone >= windowCount)
            loop.quit();
    });

    std::vector<double> lateness;
    QElapsedTimer clock;
    qint64 lastTick = -1;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(kIntervalMs);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (lastTick >= 0)
            lateness.push_back(std::max(0.0, (now - lastTick) * 1e-6 - kIntervalMs));
        lastTick = now;
        if (context.cancel.isCancelled())
            loop.quit();
    });
    clock.start();

    // Idle baseline: one second of ticks with nothing else running.
    QTimer::singleShot(1000, &loop, &QEventLoop::quit);
    timer.start();
    loop.exec();
    const std::vector<double> idle = std::move(lateness);
    lateness.clear();
    lastTick = -1;

    InferenceSettings settings;
    settings.useCache = false;
    worker.loadModel(positional[0], settings);
    loop.exec();
    if (!failure) {
        worker.analyseVideo(positional[1]);
        lastTick = -1;
        lateness.clear();
        loop.exec();
    }
    timer.stop();
    worker.cancel();
    if (failure)
        return reportError(*failure);
    if (context.cancel.isCancelled())
        return reportError(Error::cancelled());

    const QJsonObject result{
        {QStringLiteral("model"), positional[0]},
        {QStringLiteral("video"), positional[1]},
        {QStringLiteral("interval_ms"), kIntervalMs},
        {QStringLiteral("windows"), windowsDone},
        {QStringLiteral("ticks"), int(lateness.size())},
        {QStringLiteral("late_p50_ms"), percentile(lateness, 0.50)},
        {QStringLiteral("late_p99_ms"), percentile(lateness, 0.99)},
        {QStringLiteral("late_max_ms"), percentile(lateness, 1.0)},
        {QStringLiteral("idle_late_p99_ms"), percentile(idle, 0.99)},
        {QStringLiteral("idle_late_max_ms"), percentile(idle, 1.0)},
    };
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(QJsonDocument(result));
        return kExitOk;
    }
    printLine(QStringLiteral("%1 windows, %2 ticks of %3 ms: late p50 %4 ms, p99 %5 ms, max %6 ms "
                             "(idle: p99 %7 ms, max %8 ms)")
                  .arg(windowsDone)
                  .arg(lateness.size())
                  .arg(kIntervalMs)
                  .arg(percentile(lateness, 0.50), 0, 'f', 2)
                  .arg(percentile(lateness, 0.99), 0, 'f', 2)
                  .arg(percentile(lateness, 1.0), 0, 'f', 2)
                  .arg(percentile(idle, 0.99), 0, 'f', 2)
                  .arg(percentile(idle, 1.0), 0, 'f', 2));
    return kExitOk;
}

} // namespace saccade::cli
