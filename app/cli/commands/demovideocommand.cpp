#include "commands.h"

#include "core/annotation/projectdocument.h"
#include "core/annotation/projectfile.h"
#include "core/training/demovideocomposer.h"
#include "core/training/syntheticaction.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTextStream>

#include <cmath>
#include <limits>

#include <unistd.h>

namespace saccade::cli {

namespace {

// A project holding the video and its true segments that end by `untilFrame`, accepted: ready for
// `agreement` against a model's proposals, or for fine-tuning (as if an annotator had labelled that far).
Status writeTruthProject(const QString& path, const QString& video, const DemoVideoComposer& composer,
                         int64_t untilFrame, const CancellationToken& cancel) {
    ProjectData data;
    data.name = QFileInfo(path).completeBaseName();
    Result<LabelSet> labels = LabelSet::fromNames(composer.labelNames());
    if (!labels)
        return labels.error();
    data.labels = labels.value();
    ProjectDocument document(data);
    Result<VideoEntry> entry = probeVideoEntry(video, document.data(), cancel);
    if (!entry)
        return entry.error();
    const QString videoId = entry->id;
    const Status added = document.addVideo(std::move(entry).value());
    if (!added)
        return added;
    for (const SyntheticSegment& truth : composer.segments()) {
        if (truth.endFrame > untilFrame)
            break;
        Segment segment;
        segment.id = Segment::newId();
        segment.startFrame = truth.startFrame;
        segment.endFrame = truth.endFrame;
        segment.label = syntheticActionName(truth.action);
        segment.state = SegmentState::Accepted;
        const Result<QString> id = document.addSegment(videoId, segment);
        if (!id)
            return id.error();
    }
    return ProjectFile::save(document.data(), path);
}

bool isProjectPath(const QString& path) {
    return path.endsWith(QLatin1String(".saccade"));
}

// A project when the name ends in .saccade, else the JSON truth file.
Status writeTruth(const QString& path, const QString& video, const DemoVideoComposer& composer,
                  int64_t untilFrame, const CancellationToken& cancel) {
    return isProjectPath(path) ? writeTruthProject(path, video, composer, untilFrame, cancel)
                               : composer.writeTruth(path, QFileInfo(video).fileName());
}

} // namespace

int runDemoVideo(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Render the synthetic demo video: actions separated by idle stretches where only the "
        "distractors move. --truth writes the true segments: a "
        "Saccade project (accepted segments) when the name ends in .saccade, else JSON (format "
        "saccade-synthetic-truth, version 1)."));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Video file to write."),
                                       QStringLiteral("file"));
    const QCommandLineOption cachedOption(
        QStringLiteral("cached"),
        QStringLiteral("Instead of --out: the default demo video in the user's cache, the one the app "
                       "opens; rendered only when it is not there yet. The last line printed is its path."));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."),
                                        QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption minutesOption(QStringLiteral("minutes"), QStringLiteral("Length (default 2)."),
                                           QStringLiteral("m"), QStringLiteral("2"));
    const QCommandLineOption truthOption(
        QStringLiteral("truth"), QStringLiteral("Write the true segments here."), QStringLiteral("file"));
    const QCommandLineOption sizeOption(QStringLiteral("size"),
                                        QStringLiteral("Frame size (default 640x360)."),
                                        QStringLiteral("WxH"), QStringLiteral("640x360"));
    const QCommandLineOption fpsOption(QStringLiteral("fps"), QStringLiteral("Frame rate (default 30)."),
                                       QStringLiteral("n"), QStringLiteral("30"));
    const QCommandLineOption crfOption(QStringLiteral("crf"), QStringLiteral("x264 quality (default 23)."),
                                       QStringLiteral("n"), QStringLiteral("23"));
    const QCommandLineOption presetOption(QStringLiteral("preset"),
                                          QStringLiteral("x264 speed preset (default veryfast)."),
                                          QStringLiteral("name"), QStringLiteral("veryfast"));
    const QCommandLineOption truthUntilOption(
        QStringLiteral("truth-until"),
        QStringLiteral("With a .saccade --truth: only the segments that end by then, as if an annotator had "
                       "labelled that far (for fine-tuning)."),
        QStringLiteral("seconds"));
    const QCommandLineOption novelOption(
        QStringLiteral("novel-share"),
        QStringLiteral("Share of actions (0-1, default 0) that are move_diagonal, a class the demo model "
                       "was never trained on: material for teaching it a new class by fine-tuning."),
        QStringLiteral("share"), QStringLiteral("0"));
    parser.addOptions({outOption, cachedOption, seedOption, minutesOption, truthOption, truthUntilOption,
                       sizeOption, fpsOption, crfOption, presetOption, novelOption});
    const QString command = QStringLiteral("demo-video");
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    const bool cached = parser.isSet(cachedOption);
    if (parser.isSet(outOption) == cached)
        return reportUsage(command, QStringLiteral("give either --out or --cached"));
    // The cached video is the default one: other settings would make it a different video.
    for (const QCommandLineOption& option :
         {seedOption, minutesOption, sizeOption, fpsOption, crfOption, presetOption, novelOption})
        if (cached && parser.isSet(option))
            return reportUsage(command, QStringLiteral("--cached takes the default settings; use --out "
                                                       "for a video with --%1")
                                            .arg(option.names().first()));

    bool ok = false;
    DemoVideoOptions options;
    options.seed = parser.value(seedOption).toULongLong(&ok);
    if (!ok)
        return reportUsage(command, QStringLiteral("--seed must be a non-negative integer"));
    const double minutes = parser.value(minutesOption).toDouble(&ok);
    if (!ok || minutes <= 0 || minutes > 600)
        return reportUsage(command, QStringLiteral("--minutes must be a number in (0, 600]"));
    options.durationSeconds = minutes * 60.0;
    const QRegularExpressionMatch size =
        QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$")).match(parser.value(sizeOption));
    options.width = size.captured(1).toInt();
    options.height = size.captured(2).toInt();
    if (!size.hasMatch() || options.width < 16 || options.height < 16 || options.width % 2 ||
        options.height % 2 || options.width > 7680 || options.height > 4320)
        return reportUsage(command,
                           QStringLiteral("--size must be WxH with even sides between 16 and 7680x4320"));
    options.fpsNumerator = parser.value(fpsOption).toInt(&ok);
    if (!ok || options.fpsNumerator <= 0 || options.fpsNumerator > 240)
        return reportUsage(command, QStringLiteral("--fps must be an integer in [1, 240]"));

    options.novelShare = parser.value(novelOption).toDouble(&ok);
    if (!ok || options.novelShare < 0 || options.novelShare > 1)
        return reportUsage(command, QStringLiteral("--novel-share must be a number in [0, 1]"));
    int64_t truthUntilFrame = std::numeric_limits<int64_t>::max();
    if (parser.isSet(truthUntilOption)) {
        const double seconds = parser.value(truthUntilOption).toDouble(&ok);
        if (!ok || seconds < 0)
            return reportUsage(command, QStringLiteral("--truth-until must be a non-negative number"));
        if (!isProjectPath(parser.value(truthOption)))
            return reportUsage(command, QStringLiteral("--truth-until needs a .saccade --truth"));
        truthUntilFrame = std::llround(seconds * options.fpsNumerator / options.fpsDenominator);
    }

    VideoEncoderOptions encoderOptions;
    encoderOptions.crf = parser.value(crfOption).toInt(&ok);
    if (!ok || encoderOptions.crf < 0 || encoderOptions.crf > 51)
        return reportUsage(command, QStringLiteral("--crf must be an integer in [0, 51]"));
    encoderOptions.preset = parser.value(presetOption);
    encoderOptions.keyFrameInterval = 2 * options.fpsNumerator; // key frames every 2 s keep seeking quick

    const QString out = cached ? DemoVideoComposer::cachedVideoPath() : parser.value(outOption);
    const DemoVideoComposer composer(options);
    if (cached && QFileInfo::exists(out)) {
        if (parser.isSet(truthOption)) {
            const Status written =
                writeTruth(parser.value(truthOption), out, composer, truthUntilFrame, context.cancel);
            if (!written)
                return reportError(written.error());
        }
        printLine(out);
        return kExitOk;
    }
    QElapsedTimer timer;
    timer.start();
    const bool interactive = isatty(STDERR_FILENO);
    QTextStream err(stderr);
    const Status encoded = composer.encode(out, encoderOptions, context.cancel, [&](double share) {
        if (interactive) {
            err << "\rrendering " << qRound(share * 100) << "%";
            err.flush();
        }
    });
    if (interactive) {
        err << '\r';
        err.flush();
    }
    if (!encoded)
        return reportError(encoded.error());
    if (parser.isSet(truthOption)) {
        const Status written =
            writeTruth(parser.value(truthOption), out, composer, truthUntilFrame, context.cancel);
        if (!written)
            return reportError(written.error());
    }
    printLine(QStringLiteral("%1: %2 frames (%3x%4, %5 fps), %6 actions, %7 s")
                  .arg(out)
                  .arg(composer.frameCount())
                  .arg(options.width)
                  .arg(options.height)
                  .arg(options.fpsNumerator)
                  .arg(composer.segments().size())
                  .arg(timer.elapsed() / 1000.0, 0, 'f', 1));
    if (cached)
        printLine(out);
    return kExitOk;
}

} // namespace saccade::cli
