#include "commands.h"

#include "core/annotation/projectfile.h"
#include "core/inference/analysiscache.h"
#include "core/inference/clipanalyzer.h"
#include "core/inference/actionlocalizer.h"
#include "core/inference/shardplan.h"
#include "core/model/timesformermodel.h"
#include "core/util/atomicfile.h"
#include "core/util/filehash.h"
#include "core/util/jsonfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace saccade::cli {

namespace {

// Per-window predictions of each video live beside the project: OUT.predictions/<video id>.json.
QString predictionsDirectory(const QString& projectPath) {
    const QFileInfo project(projectPath);
    return project.dir().filePath(project.completeBaseName() + QStringLiteral(".predictions"));
}

QJsonObject windowJson(int index, const WindowResult& result) {
    QJsonArray frames;
    for (qint64 frame : result.frames)
        frames.append(frame);
    QJsonArray top;
    for (const TopClass& entry : result.top)
        top.append(QJsonObject{{QStringLiteral("label"), entry.label},
                               {QStringLiteral("index"), entry.index},
                               {QStringLiteral("prob"), double(entry.probability)},
                               {QStringLiteral("logit"), double(entry.logit)}});
    QJsonArray probabilities;
    for (float probability : result.probabilities)
        probabilities.append(double(probability));
    return QJsonObject{{QStringLiteral("index"), index},
                       {QStringLiteral("start_frame"), result.startFrame},
                       {QStringLiteral("end_frame"), result.endFrame},
                       {QStringLiteral("frames"), frames},
                       {QStringLiteral("top"), top},
                       {QStringLiteral("probabilities"), probabilities}};
}

struct AnnotateParameters {
    double strideSeconds = 0.0;
    LocalizationOptions localization;

    QString fingerprint(const ClipAnalyzer& analyzer) const {
        return QStringLiteral("%1 stride%2 perspan%3 %4")
            .arg(analyzer.preset().fingerprint())
            .arg(strideSeconds)
            .arg(analyzer.options().windowsPerSpan)
            .arg(localization.fingerprint());
    }
};

// True when `video` already has predictions of this model with these parameters.
bool alreadyDone(const VideoEntry& video, const QString& predictionsDir, const QString& fingerprint,
                 const QString& modelHash) {
    Result<QJsonDocument> document =
        readJsonFile(QDir(predictionsDir).filePath(video.id + QStringLiteral(".json")));
    if (!document.ok())
        return false;
    const QJsonObject root = document->object();
    return root.value(QLatin1String("content_hash")).toString() == video.contentHash &&
           root.value(QLatin1String("model_hash")).toString() == modelHash &&
           root.value(QLatin1String("parameters")).toString() == fingerprint;
}

// A project entry for a video the decoder has opened (exact frame count, display size).
VideoEntry newVideoEntry(const QString& path, const QString& contentHash, const AnalysisVideo& video,
                         const ProjectData& project) {
    const VideoInfo& info = video.decoder->info();
    VideoEntry entry;
    entry.path = QFileInfo(path).absoluteFilePath();
    entry.id = project.uniqueVideoId(QFileInfo(path).completeBaseName());
    entry.contentHash = contentHash;
    entry.sizeBytes = QFileInfo(path).size();
    const QSize shown = info.displaySize();
    entry.probe = {shown.width(), shown.height(), video.fps, video.frameCount, info.durationSeconds};
    return entry;
}

// Analyses one video; returns its proposals as segments and writes its predictions file.
Result<std::vector<Segment>> annotateVideo(ClipAnalyzer& analyzer, AnalysisVideo& opened,
                                           const VideoEntry& video, const AnnotateParameters& parameters,
                                           const AnalysisCache* cache, const QString& predictionsDir,
                                           const CancellationToken& cancel) {
    const double fps = opened.fps;
    const qint64 frameCount = opened.frameCount;
    auto toFrames = [fps](double seconds) {
        return static_cast<qint64>(std::llround(seconds * fps));
    };
    const std::vector<ClipWindow> windows = analyzer.windows(
        frameCount, fps, parameters.strideSeconds > 0 ? toFrames(parameters.strideSeconds) : 0);

    Result<std::vector<WindowResult>> results =
        analyzer.analyseWindows(*opened.decoder, windows, video.contentHash, cache, cancel);
    if (!results.ok())
        return results.error();
    QJsonArray windowArray;
    for (size_t i = 0; i < results->size(); ++i)
        windowArray.append(windowJson(static_cast<int>(i), results->at(i)));
    const QStringList labels = analyzer.labels();
    const Localization localization =
        ActionLocalizer::localize(results.value(), frameCount, fps, labels, parameters.localization);
    std::vector<Segment> segments;
    QJsonArray proposalArray;
    for (const SegmentProposal& proposal : localization.proposals) {
        Segment segment;
        segment.id = Segment::newId();
        segment.startFrame = proposal.startFrame;
        segment.endFrame = proposal.endFrame;
        segment.label =
            labels.value(proposal.classIndex, QStringLiteral("class %1").arg(proposal.classIndex));
        segment.state = SegmentState::Proposed;
        segment.source.origin = SegmentOrigin::Model;
        segment.source.modelHash = analyzer.modelHash();
        segment.source.confidence = proposal.confidence;
        proposalArray.append(QJsonObject{{QStringLiteral("segment_id"), segment.id},
                                         {QStringLiteral("label"), segment.label},
                                         {QStringLiteral("start_frame"), segment.startFrame},
                                         {QStringLiteral("end_frame"), segment.endFrame},
                                         {QStringLiteral("confidence"), proposal.confidence}});
        segments.push_back(std::move(segment));
    }
    const QJsonObject root{{QStringLiteral("video"), video.path},
                           {QStringLiteral("video_id"), video.id},
                           {QStringLiteral("content_hash"), video.contentHash},
                           {QStringLiteral("model"), analyzer.source()},
                           {QStringLiteral("model_hash"), analyzer.modelHash()},
                           {QStringLiteral("parameters"), parameters.fingerprint(analyzer)},
                           {QStringLiteral("frame_count"), frameCount},
                           {QStringLiteral("fps"), fps},
                           {QStringLiteral("windows"), windowArray},
                           {QStringLiteral("proposals"), proposalArray}};
    if (!QDir().mkpath(predictionsDir))
        return Error::io(predictionsDir, QStringLiteral("cannot create the folder"));
    if (Status written =
            writeFileAtomically(QDir(predictionsDir).filePath(video.id + QStringLiteral(".json")),
                                QJsonDocument(root).toJson(QJsonDocument::Compact));
        !written.ok())
        return written.error();
    return segments;
}

} // namespace

int runAnnotate(CliContext& context) {
    const QString command = QStringLiteral("annotate");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Analyse videos with dense sliding windows, decode per-frame scores into action "
                       "segments, and write a project with them as proposals; the per-window predictions go "
                       "to OUT.predictions/. Videos already done with the same "
                       "model and parameters are skipped, so a killed run resumes where it stopped."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Checkpoint file, HF directory, 'demo' or random:PRESET."));
    parser.addPositionalArgument(QStringLiteral("VIDEO..."), QStringLiteral("Video files."));
    parser.addOption({QStringLiteral("project"), QStringLiteral("Project file to create or update."),
                      QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("stride-s"),
                      QStringLiteral("Window stride in seconds (default: a quarter of the span)."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("windows-per-span"),
                      QStringLiteral("Windows per clip span when no stride is given (default %1).")
                          .arg(kDefaultWindowsPerSpan),
                      QStringLiteral("N"), QString::number(kDefaultWindowsPerSpan)});
    parser.addOption({QStringLiteral("min-segment-s"),
                      QStringLiteral("Shortest proposal or gap in seconds (default %1).")
                          .arg(LocalizationOptions().minSegmentSeconds),
                      QStringLiteral("S"), QString::number(LocalizationOptions().minSegmentSeconds)});
    parser.addOption({QStringLiteral("actionness"),
                      QStringLiteral("Models without a background class: frames whose best class probability "
                                     "is below this stay unlabelled (default %1).")
                          .arg(LocalizationOptions().actionnessThreshold),
                      QStringLiteral("P"), QString::number(LocalizationOptions().actionnessThreshold)});
    parser.addOption({QStringLiteral("switch-penalty"),
                      QStringLiteral("Evidence a change of class must be worth, in log-probability units: "
                                     "higher proposes fewer, longer segments (default %1).")
                          .arg(LocalizationOptions().switchPenalty),
                      QStringLiteral("X"), QString::number(LocalizationOptions().switchPenalty)});
    parser.addOption({QStringLiteral("shard"),
                      QStringLiteral("Process shard K of N (0 <= K < N) of the sorted video list."),
                      QStringLiteral("K/N"), QStringLiteral("0/1")});
    parser.addOption({QStringLiteral("preset"),
                      QStringLiteral("Preprocessing preset (default: the model's)."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("sampling-rate"),
                      QStringLiteral("Clip sampling rate relative to 30 fps (default: the model's)."),
                      QStringLiteral("R")});
    parser.addOption({QStringLiteral("no-cache"), QStringLiteral("Do not use the analysis cache.")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Intra-op threads (default: all cores)."),
                      QStringLiteral("N")});
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < 2 || !parser.isSet(QStringLiteral("project")))
        return reportUsage(command, QStringLiteral("expected MODEL, at least one VIDEO and --project OUT"));
    AnnotateParameters parameters;
    bool ok = true;
    auto number = [&](const QString& name, double& target) {
        if (!parser.isSet(name) && parser.value(name).isEmpty())
            return;
        bool parsed = false;
        target = parser.value(name).toDouble(&parsed);
        ok = ok && parsed && target >= 0.0;
    };
    number(QStringLiteral("stride-s"), parameters.strideSeconds);
    number(QStringLiteral("min-segment-s"), parameters.localization.minSegmentSeconds);
    number(QStringLiteral("actionness"), parameters.localization.actionnessThreshold);
    number(QStringLiteral("switch-penalty"), parameters.localization.switchPenalty);
    if (!ok)
        return reportUsage(command, QStringLiteral("the seconds, the actionness and the penalty must be "
                                                   "non-negative numbers"));
    const int windowsPerSpan = parser.value(QStringLiteral("windows-per-span")).toInt(&ok);
    if (!ok || windowsPerSpan < 1)
        return reportUsage(command, QStringLiteral("--windows-per-span needs a positive whole number"));
    Result<Shard> shard = Shard::parse(parser.value(QStringLiteral("shard")));
    if (!shard.ok())
        return reportUsage(command, shard.error().message);
    ClipAnalyzerOptions options;
    options.preset = parser.value(QStringLiteral("preset"));
    options.captureAttention = false;
    options.windowsPerSpan = windowsPerSpan;
    if (parser.isSet(QStringLiteral("sampling-rate"))) {
        options.samplingRate = parser.value(QStringLiteral("sampling-rate")).toInt(&ok);
        if (!ok || options.samplingRate < 1)
            return reportUsage(command, QStringLiteral("--sampling-rate needs a positive number"));
    }

    if (parser.isSet(QStringLiteral("threads"))) {
        const int threads = parser.value(QStringLiteral("threads")).toInt(&ok);
        if (!ok || threads < 1)
            return reportUsage(command, QStringLiteral("--threads needs a positive number"));
        TimeSformerModel::setThreadCount(threads);
    }

    const QString projectPath = QFileInfo(parser.value(QStringLiteral("project"))).absoluteFilePath();
    const QStringList videos = shard->select(positional.mid(1));
    Result<std::unique_ptr<ClipAnalyzer>> loaded = ClipAnalyzer::load(positional[0], options, context.cancel);
    if (!loaded.ok())
        return reportError(loaded.error());
    ClipAnalyzer& analyzer = *loaded.value();
    const QStringList classNames = ActionLocalizer::actionLabels(analyzer.model().config().classNames());

    ProjectData project;
    if (QFileInfo::exists(projectPath)) {
        Result<ProjectData> existing = ProjectFile::load(projectPath);
        if (!existing.ok())
            return reportError(existing.error());
        project = std::move(existing).value();
    } else {
        project.name = QFileInfo(projectPath).completeBaseName();
    }
    for (const QString& name : classNames)
        if (!project.labels.contains(name))
            if (Status added = project.labels.add(name); !added.ok())
                return reportError(added.error());

    std::unique_ptr<AnalysisCache> cache;
    if (!parser.isSet(QStringLiteral("no-cache")) && !analyzer.modelHash().isEmpty())
        cache = std::make_unique<AnalysisCache>();
    const QString predictionsDir = predictionsDirectory(projectPath);
    const QString fingerprint = parameters.fingerprint(analyzer);
    int done = 0;
    int skipped = 0;
    for (const QString& path : videos) {
        if (context.cancel.isCancelled())
            return reportError(Error::cancelled());
        Result<QString> hash = sampledContentHash(path);
        if (!hash.ok())
            return reportError(hash.error());
        int index = -1;
        for (size_t i = 0; i < project.videos.size(); ++i)
            if (project.videos[i].contentHash == hash.value())
                index = static_cast<int>(i);
        if (index >= 0 &&
            alreadyDone(project.videos[size_t(index)], predictionsDir, fingerprint, analyzer.modelHash())) {
            printLine(QStringLiteral("%1: already done, skipped").arg(path));
            ++skipped;
            continue;
        }
        Result<AnalysisVideo> opened = openAnalysisVideo(path, context.cancel);
        if (!opened.ok())
            return reportError(opened.error());
        if (index < 0) {
            project.videos.push_back(newVideoEntry(path, hash.value(), opened.value(), project));
            index = static_cast<int>(project.videos.size()) - 1;
        }
        VideoEntry& video = project.videos[size_t(index)];
        const qint64 decodedBefore = analyzer.decodedFrames();
        Result<std::vector<Segment>> segments = annotateVideo(analyzer, opened.value(), video, parameters,
                                                              cache.get(), predictionsDir, context.cancel);
        if (!segments.ok())
            return reportError(segments.error());
        // A rerun replaces this model's earlier proposals that nobody has reviewed yet.
        std::vector<Segment> kept;
        for (Segment& segment : video.segments)
            if (!(segment.state == SegmentState::Proposed && segment.source.origin == SegmentOrigin::Model &&
                  segment.source.modelHash == analyzer.modelHash()))
                kept.push_back(std::move(segment));
        for (Segment& segment : segments.value())
            kept.push_back(std::move(segment));
        video.segments = std::move(kept);
        // Saved after every video, so a killed run loses at most the video it was on.
        if (Status saved = ProjectFile::save(project, projectPath); !saved.ok())
            return reportError(saved.error());
        printLine(QStringLiteral("%1: %2 proposed segments (%3 of its %4 frames sampled, each prepared once)")
                      .arg(path)
                      .arg(segments->size())
                      .arg(analyzer.decodedFrames() - decodedBefore)
                      .arg(opened->frameCount));
        ++done;
    }
    printLine(QStringLiteral("shard %1/%2: %3 videos annotated, %4 already done; project %5")
                  .arg(shard->index)
                  .arg(shard->count)
                  .arg(done)
                  .arg(skipped)
                  .arg(projectPath));
    return kExitOk;
}

} // namespace saccade::cli
