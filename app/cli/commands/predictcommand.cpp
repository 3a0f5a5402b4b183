#include "commands.h"

#include "core/inference/actionlocalizer.h"
#include "core/inference/clipanalyzer.h"
#include "core/media/clipsampler.h"

#include <QJsonArray>
#include <QJsonObject>

namespace saccade::cli {

namespace {

// `predict --segments`: the video's proposals with their frames, seconds and confidence.
int printSegments(ClipAnalyzer& analyzer, AnalysisVideo& video, const QStringList& positional, bool json,
                  CliContext& context) {
    const std::vector<ClipWindow> windows = analyzer.windows(video.frameCount, video.fps);
    Result<std::vector<WindowResult>> results =
        analyzer.analyseWindows(*video.decoder, windows, QString(), nullptr, context.cancel);
    if (!results.ok())
        return reportError(results.error());
    const QStringList labels = analyzer.labels();
    const Localization localization = ActionLocalizer::localize(results.value(), video.frameCount, video.fps,
                                                                labels, LocalizationOptions());
    QJsonArray segments;
    for (const SegmentProposal& proposal : localization.proposals) {
        const QString label =
            labels.value(proposal.classIndex, QStringLiteral("class %1").arg(proposal.classIndex));
        if (!json) {
            printLine(QStringLiteral("%1-%2  %3  (%4)")
                          .arg(proposal.startFrame)
                          .arg(proposal.endFrame)
                          .arg(label)
                          .arg(proposal.confidence, 0, 'f', 3));
            continue;
        }
        segments.append(QJsonObject{{QStringLiteral("label"), label},
                                    {QStringLiteral("start_frame"), proposal.startFrame},
                                    {QStringLiteral("end_frame"), proposal.endFrame},
                                    {QStringLiteral("start_seconds"), proposal.startFrame / video.fps},
                                    {QStringLiteral("end_seconds"), proposal.endFrame / video.fps},
                                    {QStringLiteral("confidence"), proposal.confidence}});
    }
    if (json)
        printJson(QJsonDocument(QJsonObject{
            {QStringLiteral("video"), positional[1]},
            {QStringLiteral("model"), positional[0]},
            {QStringLiteral("model_hash"), analyzer.modelHash()},
            {QStringLiteral("windows"), int(windows.size())},
            {QStringLiteral("frame_count"), video.frameCount},
            {QStringLiteral("fps"), video.fps},
            {QStringLiteral("background_class"),
             localization.backgroundClass >= 0 ? labels[localization.backgroundClass] : QString()},
            {QStringLiteral("segments"), segments}}));
    return kExitOk;
}

} // namespace

int runPredict(CliContext& context) {
    const QString command = QStringLiteral("predict");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Classify a video with the test protocol of the model's preset (one clip, 1 or 3 views)."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Checkpoint file, HF directory, 'demo' or random:PRESET."));
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("Video file."));
    parser.addOption({QStringLiteral("views"), QStringLiteral("Spatial views, 1 or 3 (logits summed)."),
                      QStringLiteral("N"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("top-k"), QStringLiteral("Classes to list."), QStringLiteral("K"),
                      QStringLiteral("5")});
    parser.addOption({QStringLiteral("preset"),
                      QStringLiteral("Preprocessing preset (%1); default: the model's.")
                          .arg(PreprocessPreset::names().join(QStringLiteral(", "))),
                      QStringLiteral("NAME")});
    parser.addOption(
        {QStringLiteral("segments"),
         QStringLiteral("Localize actions instead: dense windows over the whole video, per-frame "
                        "scores decoded into segments (as annotate proposes them).")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return reportUsage(command, QStringLiteral("expected MODEL and VIDEO"));
    bool viewsOk = false;
    bool topOk = false;
    ClipAnalyzerOptions options;
    options.views = parser.value(QStringLiteral("views")).toInt(&viewsOk);
    options.topK = parser.value(QStringLiteral("top-k")).toInt(&topOk);
    options.preset = parser.value(QStringLiteral("preset"));
    options.captureAttention = false;
    if (!viewsOk || (options.views != 1 && options.views != 3))
        return reportUsage(command, QStringLiteral("--views must be 1 or 3"));
    if (!topOk || options.topK < 1)
        return reportUsage(command, QStringLiteral("--top-k needs a positive number"));

    Result<std::unique_ptr<ClipAnalyzer>> analyzer =
        ClipAnalyzer::load(positional[0], options, context.cancel);
    if (!analyzer.ok())
        return reportError(analyzer.error());
    Result<AnalysisVideo> video = openAnalysisVideo(positional[1], context.cancel);
    if (!video.ok())
        return reportError(video.error());
    if (parser.isSet(QStringLiteral("segments")))
        return printSegments(**analyzer, video.value(), positional, parser.isSet(QStringLiteral("json")),
                             context);
    const PreprocessPreset& preset = (*analyzer)->preset();
    const std::vector<qint64> frames =
        ClipSampler::temporalClip(video->frameCount, video->fps, preset.numFrames, preset.samplingRate, 0, 1);
    Result<WindowResult> result = (*analyzer)->analyse(*video->decoder, frames, context.cancel);
    if (!result.ok())
        return reportError(result.error());

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray sampled;
        for (qint64 frame : result->frames)
            sampled.append(frame);
        QJsonArray top;
        for (const TopClass& entry : result->top)
            top.append(QJsonObject{{QStringLiteral("label"), entry.label},
                                   {QStringLiteral("index"), entry.index},
                                   {QStringLiteral("prob"), double(entry.probability)},
                                   {QStringLiteral("logit"), double(entry.logit)}});
        printJson(QJsonDocument(QJsonObject{{QStringLiteral("video"), positional[1]},
                                            {QStringLiteral("model"), positional[0]},
                                            {QStringLiteral("model_hash"), (*analyzer)->modelHash()},
                                            {QStringLiteral("preset"), preset.name},
                                            {QStringLiteral("views"), preset.views},
                                            {QStringLiteral("frames"), sampled},
                                            {QStringLiteral("top"), top}}));
        return kExitOk;
    }
    for (const TopClass& entry : result->top)
        printLine(QStringLiteral("%1  %2  (class %3, logit %4)")
                      .arg(double(entry.probability), 6, 'f', 4)
                      .arg(entry.label)
                      .arg(entry.index)
                      .arg(double(entry.logit), 0, 'f', 4));
    return kExitOk;
}

} // namespace saccade::cli
