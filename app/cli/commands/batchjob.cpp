#include "batchjob.h"

#include "cliutil.h"

#include "core/annotation/projectfile.h"
#include "core/annotation/projectmerge.h"
#include "core/inference/shardplan.h"
#include "core/util/atomicfile.h"
#include "core/util/jsonfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

#include <algorithm>

namespace saccade::cli {

namespace {

QJsonArray toArray(const QStringList& list) {
    return QJsonArray::fromStringList(list);
}

QStringList toStringList(const QJsonValue& value) {
    QStringList list;
    for (const QJsonValue& item : value.toArray())
        list << item.toString();
    return list;
}

// annotate writes OUT.predictions/ beside OUT.saccade.
QString predictionsDirectory(const QString& projectPath) {
    const QFileInfo project(projectPath);
    return project.dir().filePath(project.completeBaseName() + QStringLiteral(".predictions"));
}

} // namespace

QString BatchManifest::manifestPath(const QString& dir) {
    return QDir(dir).filePath(QStringLiteral("batch.json"));
}

QString BatchManifest::shardProjectPath(const QString& dir, int shard) {
    return QDir(dir).filePath(QStringLiteral("shards/shard_%1.saccade").arg(shard));
}

QString BatchManifest::mergedProjectPath(const QString& dir) {
    return QDir(dir).filePath(QStringLiteral("merged.saccade"));
}

bool BatchManifest::isBatchFolder(const QString& path) {
    return QFileInfo(path).isDir() && QFileInfo::exists(manifestPath(path));
}

Result<BatchManifest> BatchManifest::load(const QString& dir) {
    const QString path = manifestPath(dir);
    if (!QFileInfo::exists(path))
        return Error::notFound(path, QStringLiteral("not a batch folder (no batch.json)"));
    Result<QJsonDocument> document = readJsonFile(path);
    if (!document.ok())
        return document.error();
    const QJsonObject root = document->object();
    const int version = root.value(QLatin1String("saccade_batch_version")).toInt();
    if (version != kVersion)
        return Error::unsupported(path,
                                  QStringLiteral("batch version %1 is not %2").arg(version).arg(kVersion));
    BatchManifest manifest;
    manifest.scheduler = root.value(QLatin1String("scheduler")).toString();
    manifest.model = root.value(QLatin1String("model")).toString();
    manifest.shards = root.value(QLatin1String("shards")).toInt();
    manifest.videos = toStringList(root.value(QLatin1String("videos")));
    manifest.annotateArguments = toStringList(root.value(QLatin1String("annotate_arguments")));
    manifest.cpusPerTask = root.value(QLatin1String("cpus_per_task")).toInt(1);
    manifest.jobIds = toStringList(root.value(QLatin1String("jobs")));
    if (manifest.shards < 1 || manifest.videos.isEmpty() || manifest.model.isEmpty())
        return Error::invalidData(path, QStringLiteral("needs a model, videos and a positive shard count"));
    return manifest;
}

Status BatchManifest::save(const QString& dir) const {
    const QJsonObject root{{QStringLiteral("saccade_batch_version"), kVersion},
                           {QStringLiteral("scheduler"), scheduler},
                           {QStringLiteral("model"), model},
                           {QStringLiteral("shards"), shards},
                           {QStringLiteral("videos"), toArray(videos)},
                           {QStringLiteral("annotate_arguments"), toArray(annotateArguments)},
                           {QStringLiteral("cpus_per_task"), cpusPerTask},
                           {QStringLiteral("jobs"), toArray(jobIds)}};
    if (Status written = writeFileAtomically(manifestPath(dir), QJsonDocument(root).toJson()); !written.ok())
        return written;
    return writeFileAtomically(QDir(dir).filePath(QStringLiteral("videos.txt")),
                               (videos.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
}

std::vector<ShardProgress> shardProgress(const QString& dir, const BatchManifest& manifest) {
    std::vector<ShardProgress> progress;
    for (int k = 0; k < manifest.shards; ++k) {
        ShardProgress shard;
        shard.index = k;
        shard.videos = Shard{k, manifest.shards}.select(manifest.videos);
        QStringList done;
        // annotate saves its project after each finished video, so a listed video is a done one.
        const QString projectPath = BatchManifest::shardProjectPath(dir, k);
        if (QFileInfo::exists(projectPath))
            if (Result<ProjectData> project = ProjectFile::load(projectPath); project.ok())
                for (const VideoEntry& video : project->videos)
                    done << video.path;
        for (const QString& video : shard.videos)
            if (!done.contains(video))
                shard.missing << video;
        progress.push_back(std::move(shard));
    }
    return progress;
}

Status prepareBatch(BatchManifest& manifest, const QString& model, const QStringList& videos, int shards,
                    const QString& dir) {
    if (model == QLatin1String("demo") || model.startsWith(QLatin1String("random:"))) {
        manifest.model = model;
    } else {
        if (!QFileInfo::exists(model))
            return Error::notFound(model, QStringLiteral("no such model file or folder"));
        manifest.model = QFileInfo(model).absoluteFilePath();
    }
    for (const QString& video : videos)
        if (!QFileInfo(video).isFile())
            return Error::notFound(video, QStringLiteral("no such video file"));
    manifest.videos = Shard{0, 1}.select(videos);
    if (shards < 1)
        return Error::invalidArgument(QStringLiteral("--shards needs a positive number"));
    manifest.shards = std::min(shards, static_cast<int>(manifest.videos.size()));
    if (manifest.shards < shards)
        printLine(QStringLiteral("%1 videos: %2 shards instead of %3")
                      .arg(manifest.videos.size())
                      .arg(manifest.shards)
                      .arg(shards));
    if (!QDir().mkpath(QDir(dir).filePath(QStringLiteral("shards"))) ||
        !QDir().mkpath(QDir(dir).filePath(QStringLiteral("logs"))))
        return Error::io(dir, QStringLiteral("cannot create the batch folder"));
    return {};
}

Result<int> mergeProjectFiles(const QString& out, const QStringList& inputs, const MergeOptions& options) {
    if (QFileInfo::exists(out) && !options.overwrite)
        return Error::invalidArgument(QStringLiteral("%1 already exists").arg(out));
    ProjectMerge merge;
    for (const QString& input : inputs) {
        Result<ProjectData> project = ProjectFile::load(input);
        if (!project.ok())
            return project.error();
        merge.add(project.value(), input);
    }
    for (const MergeConflict& conflict : merge.conflicts())
        printLine(QStringLiteral("%1: %2").arg(
            conflict.blocking ? QStringLiteral("conflict") : QStringLiteral("note"), conflict.message));
    if (merge.hasBlockingConflicts())
        return Error::invalidData(out, QStringLiteral("not written: the inputs conflict (above)"));
    const QStringList missing = merge.missingVideos(options.expectedVideos);
    if (!missing.isEmpty() && !options.allowPartial)
        return Error::invalidData(out, QStringLiteral("not written: %1 of %2 videos are not annotated yet "
                                                      "(--allow-partial merges what is done): %3")
                                           .arg(missing.size())
                                           .arg(options.expectedVideos.size())
                                           .arg(missing.join(QStringLiteral(", "))));
    ProjectData merged = merge.merged();
    merged.name = QFileInfo(out).completeBaseName();
    // A batch's videos in its canonical order, as one process would have written them.
    if (!options.expectedVideos.isEmpty()) {
        auto rank = [&](const VideoEntry& video) {
            const int index = options.expectedVideos.indexOf(video.path);
            return index < 0 ? options.expectedVideos.size() : index;
        };
        std::stable_sort(merged.videos.begin(), merged.videos.end(),
                         [&](const VideoEntry& a, const VideoEntry& b) { return rank(a) < rank(b); });
    }
    if (Status saved = ProjectFile::save(merged, out); !saved.ok())
        return saved.error();
    // Each video's per-window predictions follow it under its merged id; the first input's win.
    const QString predictionsOut = predictionsDirectory(out);
    QStringList written;
    for (const QString& input : inputs) {
        const QDir predictionsIn(predictionsDirectory(input));
        if (!predictionsIn.exists())
            continue;
        for (const QString& name : predictionsIn.entryList({QStringLiteral("*.json")}, QDir::Files)) {
            const QString mergedId = merge.mergedVideoId(input, QFileInfo(name).completeBaseName());
            if (mergedId.isEmpty() || written.contains(mergedId))
                continue;
            const QString target = QDir(predictionsOut).filePath(mergedId + QStringLiteral(".json"));
            if (!QDir().mkpath(predictionsOut))
                return Error::io(predictionsOut, QStringLiteral("cannot create the folder"));
            QFile::remove(target);
            if (!QFile::copy(predictionsIn.filePath(name), target))
                return Error::io(target,
                                 QStringLiteral("cannot copy %1 here").arg(predictionsIn.filePath(name)));
            written << mergedId;
        }
    }
    const int missingCount = static_cast<int>(missing.size());
    printLine(
        QStringLiteral("merged %1 projects into %2: %3 videos%4")
            .arg(inputs.size())
            .arg(out)
            .arg(merged.videos.size())
            .arg(missingCount ? QStringLiteral(", %1 missing (partial)").arg(missingCount) : QString()));
    return static_cast<int>(merged.videos.size());
}

Result<QString> runSlurmTool(const QString& program, const QStringList& arguments) {
    const QString executable = QStandardPaths::findExecutable(program);
    if (executable.isEmpty())
        return Error::notFound(program, QStringLiteral("not found on PATH (is this a Slurm login node?)"));
    QProcess process;
    process.start(executable, arguments);
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        return Error::io(program, QStringLiteral("did not answer within 2 minutes"));
    }
    const QString err = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return Error::io(
            program, QStringLiteral("%1 failed: %2")
                         .arg(arguments.join(QLatin1Char(' ')),
                              err.isEmpty() ? QStringLiteral("exit code %1").arg(process.exitCode()) : err));
    return QString::fromLocal8Bit(process.readAllStandardOutput());
}

std::map<int, QString> queuedShards(const QStringList& jobIds) {
    std::map<int, QString> queued;
    // -r lists array tasks one a line; %K is the task's index, %T its state. Asked one job at a time:
    // squeue fails on a job it no longer knows, which means nothing of it is queued.
    for (const QString& jobId : jobIds) {
        Result<QString> out = runSlurmTool(QStringLiteral("squeue"),
                                           {QStringLiteral("-h"), QStringLiteral("-r"), QStringLiteral("-j"),
                                            jobId, QStringLiteral("-o"), QStringLiteral("%K %T")});
        if (!out.ok())
            continue;
        for (const QString& line : out->split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const QStringList fields = line.simplified().split(QLatin1Char(' '));
            bool ok = false;
            const int index = fields.value(0).toInt(&ok);
            if (ok && fields.size() == 2)
                queued[index] = fields[1];
        }
    }
    return queued;
}

Result<int> mergeBatch(const QString& dir, const QString& out, bool allowPartial, bool overwrite) {
    Result<BatchManifest> manifest = BatchManifest::load(dir);
    if (!manifest.ok())
        return manifest.error();
    QStringList inputs;
    for (int k = 0; k < manifest->shards; ++k)
        if (QFileInfo::exists(BatchManifest::shardProjectPath(dir, k)))
            inputs << BatchManifest::shardProjectPath(dir, k);
    MergeOptions options;
    options.expectedVideos = manifest->videos;
    options.allowPartial = allowPartial;
    options.overwrite = overwrite;
    return mergeProjectFiles(out.isEmpty() ? BatchManifest::mergedProjectPath(dir) : out, inputs, options);
}

} // namespace saccade::cli
