#include "commands.h"

#include "batchjob.h"

#include "core/annotation/labelfilereader.h"
#include "core/annotation/projectfile.h"
#include "core/annotation/projectstore.h"
#include "core/media/mediasource.h"
#include "core/util/filehash.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace saccade::cli {

Result<VideoEntry> probeVideoEntry(const QString& path, const ProjectData& project,
                                   const CancellationToken& cancel) {
    auto info = MediaSource::probe(path, ProbeDepth::CountPackets, cancel);
    if (!info)
        return info.error();
    auto hash = sampledContentHash(path);
    if (!hash)
        return hash.error();
    VideoEntry video;
    video.path = QFileInfo(path).absoluteFilePath();
    video.id = project.uniqueVideoId(QFileInfo(path).completeBaseName());
    video.contentHash = *hash;
    video.sizeBytes = QFileInfo(path).size();
    const QSize shown = info->displaySize();
    video.probe = {shown.width(), shown.height(), info->fps, info->frameCount, info->durationSeconds};
    if (video.probe.fps <= 0 || video.probe.frameCount <= 0)
        return Error::unsupported(path, QStringLiteral("the video's frame rate or frame count is unknown"));
    return video;
}

namespace {

Status addVideos(ProjectDocument& document, const QStringList& paths, const CancellationToken& cancel) {
    for (const QString& path : paths) {
        for (const VideoEntry& existing : document.videos()) {
            if (existing.path == QFileInfo(path).absoluteFilePath())
                return Error::invalidArgument(
                    QStringLiteral("%1 is already in the project as '%2'").arg(path, existing.id));
        }
        auto video = probeVideoEntry(path, document.data(), cancel);
        if (!video)
            return video.error();
        Status added = document.addVideo(std::move(*video));
        if (!added)
            return added;
    }
    return {};
}

QJsonObject projectJson(const ProjectData& data) {
    QJsonArray labels;
    for (const Label& label : data.labels.labels())
        labels.append(QJsonObject{{QStringLiteral("name"), label.name},
                                  {QStringLiteral("color"), label.color.name()},
                                  {QStringLiteral("key"), label.key}});
    QJsonArray videos;
    for (const VideoEntry& video : data.videos) {
        QJsonObject states;
        for (const Segment& segment : video.segments) {
            const QString state = segmentStateName(segment.state);
            states.insert(state, states.value(state).toInt() + 1);
        }
        videos.append(QJsonObject{{QStringLiteral("id"), video.id},
                                  {QStringLiteral("path"), video.path},
                                  {QStringLiteral("missing"), video.missing},
                                  {QStringLiteral("content_hash"), video.contentHash},
                                  {QStringLiteral("width"), video.probe.width},
                                  {QStringLiteral("height"), video.probe.height},
                                  {QStringLiteral("fps"), video.probe.fps},
                                  {QStringLiteral("frame_count"), video.probe.frameCount},
                                  {QStringLiteral("split"), splitName(video.split)},
                                  {QStringLiteral("segments"), static_cast<int>(video.segments.size())},
                                  {QStringLiteral("segment_states"), states}});
    }
    return {{QStringLiteral("name"), data.name},
            {QStringLiteral("labels"), labels},
            {QStringLiteral("videos"), videos}};
}

} // namespace

int runProjectNew(CliContext& context) {
    const QString command = QStringLiteral("project new");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Create a project file with a label set and (optionally) videos."));
    parser.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("The project file to create."));
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("Videos to add."),
                                 QStringLiteral("[VIDEO...]"));
    parser.addOption(
        {QStringLiteral("labels"),
         QStringLiteral("Label file: one per line, a JSON list, an id2label map or a config.json."),
         QStringLiteral("FILE")});
    if (!parseArguments(parser, command, context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return reportUsage(command, QStringLiteral("expected the project file OUT"));
    if (!parser.isSet(QStringLiteral("labels")))
        return reportUsage(command, QStringLiteral("--labels FILE is required"));
    const QString out = positional.takeFirst();
    if (QFileInfo::exists(out))
        return reportError(Error::invalidArgument(QStringLiteral("%1 already exists").arg(out)));
    auto names = LabelFileReader::read(parser.value(QStringLiteral("labels")));
    if (!names)
        return reportError(names.error());
    ProjectData data;
    data.name = QFileInfo(out).completeBaseName();
    data.labels = LabelSet::fromNames(*names).value();
    ProjectDocument staging(data);
    Status added = addVideos(staging, positional, context.cancel);
    if (!added)
        return reportError(added.error());
    auto store = ProjectStore::create(out, staging.data());
    if (!store)
        return reportError(store.error());
    printLine(QStringLiteral("created %1: %2 labels, %3 videos")
                  .arg(out)
                  .arg(names->size())
                  .arg(positional.size()));
    return kExitOk;
}

int runProjectAdd(CliContext& context) {
    const QString command = QStringLiteral("project add");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Add videos to a project (probed and hashed)."));
    parser.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("The project file."));
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("Videos to add."),
                                 QStringLiteral("VIDEO..."));
    if (!parseArguments(parser, command, context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    QStringList positional = parser.positionalArguments();
    if (positional.size() < 2)
        return reportUsage(command, QStringLiteral("expected the project file and at least one VIDEO"));
    const QString out = positional.takeFirst();
    auto store = ProjectStore::open(out);
    if (!store)
        return reportError(store.error());
    Status added = addVideos(*(*store)->document(), positional, context.cancel);
    if (!added)
        return reportError(added.error());
    Status saved = (*store)->save();
    if (!saved)
        return reportError(saved.error());
    printLine(QStringLiteral("added %1 videos to %2").arg(positional.size()).arg(out));
    return kExitOk;
}

int runProjectShow(CliContext& context) {
    const QString command = QStringLiteral("project show");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Describe a project: labels, videos, splits and segments."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("The project file."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    if (!parseArguments(parser, command, context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    if (parser.positionalArguments().size() != 1)
        return reportUsage(command, QStringLiteral("expected exactly one PROJECT"));
    auto data = ProjectFile::load(parser.positionalArguments().constFirst());
    if (!data)
        return reportError(data.error());
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(QJsonDocument(projectJson(*data)));
        return kExitOk;
    }
    printLine(QStringLiteral("%1: %2 labels, %3 videos")
                  .arg(data->name)
                  .arg(data->labels.size())
                  .arg(data->videos.size()));
    printLine(QStringLiteral("labels: %1").arg(data->labels.names().join(QStringLiteral(", "))));
    for (const VideoEntry& video : data->videos) {
        printLine(QStringLiteral("  %1  %2x%3 %4 fps %5 frames  %6  %7 segments%8")
                      .arg(video.id)
                      .arg(video.probe.width)
                      .arg(video.probe.height)
                      .arg(video.probe.fps, 0, 'f', 3)
                      .arg(video.probe.frameCount)
                      .arg(splitName(video.split))
                      .arg(video.segments.size())
                      .arg(video.missing ? QStringLiteral("  MISSING: ") + video.path : QString()));
    }
    return kExitOk;
}

int runProjectMerge(CliContext& context) {
    const QString command = QStringLiteral("project merge");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Merge projects into OUT: label sets united by name, videos matched by content hash, segments kept "
        "with their state and source. An input may be a batch folder (batch slurm/k8s --out DIR): its shards "
        "are merged, and an unfinished shard refuses the merge, naming the videos it lacks, unless "
        "--allow-partial. Conflicts are printed; a changed video file refuses the merge. Each input's "
        "per-window predictions (IN.predictions/) follow its videos into OUT.predictions/."));
    parser.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("The project file to create."));
    parser.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("Project files or batch folders."),
                                 QStringLiteral("IN..."));
    parser.addOption({QStringLiteral("allow-partial"),
                      QStringLiteral("Merge a batch whose shards have not annotated every video.")});
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    QStringList positional = parser.positionalArguments();
    if (positional.size() < 2)
        return reportUsage(command, QStringLiteral("expected OUT and at least one IN"));
    const QString out = positional.takeFirst();
    MergeOptions options;
    options.allowPartial = parser.isSet(QStringLiteral("allow-partial"));
    QStringList inputs;
    for (const QString& input : positional) {
        if (!QFileInfo(input).isDir()) {
            inputs << input;
            continue;
        }
        auto manifest = BatchManifest::load(input);
        if (!manifest)
            return reportError(manifest.error());
        options.expectedVideos << manifest->videos;
        for (int k = 0; k < manifest->shards; ++k)
            if (QFileInfo::exists(BatchManifest::shardProjectPath(input, k)))
                inputs << BatchManifest::shardProjectPath(input, k);
    }
    if (inputs.isEmpty())
        return reportError(Error::notFound(positional.join(QStringLiteral(", ")),
                                           QStringLiteral("no shard has written a project yet")));
    auto merged = mergeProjectFiles(out, inputs, options);
    return merged ? kExitOk : reportError(merged.error());
}

} // namespace saccade::cli
